"""bench/make_corpus.py: a small corpus is valid, deterministic, made of real records, and read and
converted by trialgraph in full."""

from __future__ import annotations

import gzip
import importlib.util
import json
import re
import sys
import zipfile
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from paths import DATA, ROOT
from trialgraph.pipeline import build_graph
from trialgraph.readers.registry import read_sources
from trialgraph.records import TrialRecord

N = 300
SEED = 7
NCT = re.compile(rb"NCT[0-9]{8}")
MEMBER = re.compile(r"NCT[0-9]{8}\.json")
PLACEHOLDER = "NCT00000000"


def _load_script() -> ModuleType:
    """bench/ is not a package: import the script from its path."""
    spec = importlib.util.spec_from_file_location("make_corpus", ROOT / "bench" / "make_corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


mc = _load_script()
#: (templates, ids seen in the sources) as make_corpus.load_templates returns them
Templates = tuple[list[Any], frozenset[str]]


def _source_ids() -> set[bytes]:
    """Every NCT id in every source file, found without the script's own loader."""
    found: set[bytes] = set()
    for path in (DATA / "ctgov").iterdir():
        data = path.read_bytes()
        if data.startswith(b"\x1f\x8b"):
            data = gzip.decompress(data)  # a .tar.gz holds its members uncompressed
        if data.startswith(b"PK"):
            with zipfile.ZipFile(path) as archive:
                data = b"".join(archive.read(name) for name in archive.namelist())
        found.update(NCT.findall(data))
    return found


@pytest.fixture(scope="module")
def templates() -> Templates:
    found: Templates = mc.load_templates(mc.DEFAULT_SOURCES)
    return found


@pytest.fixture(scope="module")
def corpus(templates: Templates, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus") / "corpus.zip"
    mc.write_corpus(out, N, SEED, *templates)
    return out


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def test_templates_are_every_real_v2_study(templates: Templates) -> None:
    found, seen = templates
    assert len(found) == 945  # 933 in the JSON arrays and the urology zip, 12 in the AACT tar
    assert {t.nct_id.encode() for t in found} <= _source_ids()
    assert {i.encode() for i in seen} == _source_ids()


def test_members_are_named_by_the_unique_valid_new_id_inside(corpus: Path) -> None:
    members = _members(corpus)
    assert len(members) == N
    source_ids = _source_ids()
    for name, data in members.items():
        assert MEMBER.fullmatch(name)
        study = json.loads(data)
        nct_id = study["protocolSection"]["identificationModule"]["nctId"]
        assert name == f"{nct_id}.json"
        assert nct_id.encode() not in source_ids
        assert "nctIdAliases" not in study["protocolSection"]["identificationModule"]


def test_every_study_is_a_real_record_with_only_its_id_changed(corpus: Path, templates: Templates) -> None:
    originals = {t.render(PLACEHOLDER) for t in templates[0]}
    for name, data in _members(corpus).items():
        assert data.replace(name.removesuffix(".json").encode(), PLACEHOLDER.encode()) in originals


def test_render_is_a_deep_copy_with_the_id_replaced() -> None:
    with gzip.open(DATA / "ctgov" / "v2json_nsclcbench_ctg-studies.json.gz", "rt", encoding="utf-8") as f:
        study = json.load(f)[0]
    before = json.dumps(study)
    template = mc.make_template(study, "test")
    copy = mc.copy_with_id(study, "NCT91234567")
    assert template.render("NCT91234567") == mc.dump_study(copy)
    assert copy["protocolSection"]["identificationModule"]["nctId"] == "NCT91234567"
    assert json.dumps(study) == before  # the template is not changed


def test_the_zip_has_the_bulk_download_layout(corpus: Path) -> None:
    with zipfile.ZipFile(corpus) as archive:
        infos = archive.infolist()
    assert {(i.date_time, i.compress_type, i.create_system) for i in infos} == {
        (mc.DATE_TIME, zipfile.ZIP_DEFLATED, 0)
    }


def test_same_seed_same_bytes_other_seed_other_corpus(corpus: Path, tmp_path: Path) -> None:
    again, other = tmp_path / "again.zip", tmp_path / "other.zip"
    assert mc.main(["--n", str(N), "--seed", str(SEED), "--out", str(again), "--quiet"]) == 0
    assert again.read_bytes() == corpus.read_bytes()
    mc.main(["--n", str(N), "--seed", str(SEED + 1), "--out", str(other), "--quiet"])
    mine, theirs = _members(corpus), _members(other)
    assert not set(mine) & set(theirs)
    assert sorted(mine.values()) != sorted(
        data.replace(name.removesuffix(".json").encode(), PLACEHOLDER.encode())
        for name, data in theirs.items()
    )


def test_ids_skip_excluded_ones_and_never_repeat() -> None:
    first = list(mc.corpus_ids(1000, mc.random.Random(3), frozenset()))
    skipping = list(mc.corpus_ids(1000, mc.random.Random(3), frozenset(first[:2])))
    assert len(set(first)) == 1000 and all(re.fullmatch(r"NCT9[0-9]{7}", i) for i in first)
    assert skipping[:998] == first[2:] and not set(first[:2]) & set(skipping)


def test_trialgraph_reads_and_converts_every_study(corpus: Path) -> None:
    results = list(read_sources([corpus]))
    assert len(results) == N and all(isinstance(r, TrialRecord) for r in results)
    _, report = build_graph([corpus], validate=False)
    assert (report.read, report.converted, report.rejected) == (N, N, [])
