"""The real ClinicalTrials.gov studies in tests/data/ctgov, for tests that run over all of them."""

from __future__ import annotations

import gzip
import json
import tarfile
from collections.abc import Iterable, Iterator
from typing import Any

from paths import DATA

CTGOV = DATA / "ctgov"
AACT_TAR = CTGOV / "v2json_aact_fixtures.tar.gz"
Study = dict[str, Any]


def json_array_studies() -> Iterator[tuple[str, Study]]:
    """(file name, study) for every study of the gzipped JSON arrays, in file order."""
    for path in sorted(CTGOV.glob("v2json_*.json.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            for study in json.load(handle):
                yield path.name, study


def tar_studies() -> Iterator[tuple[str, Study]]:
    """("tar:member", study) for the single-study files of the AACT fixtures tar."""
    with tarfile.open(AACT_TAR) as tar:
        for member in sorted(tar.getmembers(), key=lambda m: m.name):
            raw = tar.extractfile(member) if member.isfile() and member.name.endswith(".json") else None
            if raw is not None:
                yield f"{AACT_TAR.name}:{member.name}", json.load(raw)


def all_studies() -> Iterator[tuple[str, Study]]:
    yield from json_array_studies()
    yield from tar_studies()


def outcomes(studies: Iterable[tuple[str, Study]]) -> Iterator[dict[str, str]]:
    """Every primary, secondary and other outcome of the studies."""
    for _, study in studies:
        module = study.get("protocolSection", {}).get("outcomesModule", {})
        for key in ("primaryOutcomes", "secondaryOutcomes", "otherOutcomes"):
            yield from module.get(key, [])
