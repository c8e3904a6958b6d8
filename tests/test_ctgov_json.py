"""The ClinicalTrials.gov API v2 JSON reader: every shape users download, trimmed records, bad input."""

from __future__ import annotations

import copy
import gzip
import io
import json
import tarfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from realdata import CTGOV, all_studies, json_array_studies
from trialgraph.readers.ctgov_json import read_ctgov_json, study_to_record
from trialgraph.readers.registry import reader_for
from trialgraph.readers.sources import canonical_json, loads_json
from trialgraph.records import RejectedRecord, SourceRef, TrialRecord

STUDIES = [study for _, study in json_array_studies()][:3]


def records(path: Path) -> list[TrialRecord]:
    return [r for r in read_ctgov_json(path) if isinstance(r, TrialRecord)]


def rejected(path: Path) -> list[RejectedRecord]:
    return [r for r in read_ctgov_json(path) if isinstance(r, RejectedRecord)]


def _write(path: Path, data: bytes, gz: bool) -> Path:
    if gz:
        path = path.with_name(path.name + ".gz")
        data = gzip.compress(data, mtime=0)
    path.write_bytes(data)
    return path


def _zip(path: Path, studies: list[dict[str, Any]]) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        for study in studies:
            archive.writestr(
                f"{study['protocolSection']['identificationModule']['nctId']}.json", json.dumps(study)
            )


def _tar(path: Path, studies: list[dict[str, Any]]) -> None:
    with tarfile.open(path, "w:gz") as archive:
        for study in studies:
            data = json.dumps(study).encode()
            info = tarfile.TarInfo(f"json/{study['protocolSection']['identificationModule']['nctId']}.json")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))


SHAPES: dict[str, Callable[[list[dict[str, Any]]], bytes]] = {
    "array": lambda s: json.dumps(s, indent=2).encode(),
    "page": lambda s: json.dumps({"studies": s, "nextPageToken": "abc"}).encode(),
    "page-token-first": lambda s: json.dumps({"nextPageToken": "abc", "studies": s}).encode(),
    "json-lines": lambda s: "\n".join(json.dumps(x) for x in s).encode() + b"\n",
    "array-with-bom": lambda s: b"\xef\xbb\xbf" + json.dumps(s).encode(),
}


@pytest.mark.parametrize("gz", [False, True], ids=["plain", "gzip"])
@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_every_document_shape_gives_the_same_records(tmp_path: Path, shape: str, gz: bool) -> None:
    path = _write(tmp_path / "studies.json", SHAPES[shape](STUDIES), gz)
    assert reader_for(path) is not None and reader_for(path).name == "ctgov-json"  # type: ignore[union-attr]
    got = records(path)
    assert [r.nct_id for r in got] == [s["protocolSection"]["identificationModule"]["nctId"] for s in STUDIES]
    assert [r.source.position for r in got] == [1, 2, 3] or shape == "json-lines"
    reference = records(_write(tmp_path / "reference.json", SHAPES["array"](STUDIES), False))
    # the checksum is of the study, not of its container
    assert [r.source.checksum for r in got] == [r.source.checksum for r in reference]


@pytest.mark.parametrize("gz", [False, True], ids=["plain", "gzip"])
def test_one_study_object(tmp_path: Path, gz: bool) -> None:
    path = _write(tmp_path / "NCT.json", json.dumps(STUDIES[0], indent=1).encode(), gz)
    [record] = records(path)
    assert record.nct_id == STUDIES[0]["protocolSection"]["identificationModule"]["nctId"]
    assert record.source.file == path.name and record.source.position == 1


@pytest.mark.parametrize("archive", ["zip", "tar.gz"])
def test_archives_of_one_study_files(tmp_path: Path, archive: str) -> None:
    path = tmp_path / f"bulk.{archive}"
    (_zip if archive == "zip" else _tar)(path, STUDIES)
    got = records(path)
    assert len(got) == 3
    assert got[0].source.file.startswith(f"bulk.{archive}:") and got[0].source.file.endswith(".json")


def test_zip_with_a_directory_and_a_non_json_member(tmp_path: Path) -> None:
    path = tmp_path / "bulk.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("studies/", "")
        archive.writestr("studies/README.txt", "not json")
        archive.writestr("studies/bad.json", '{"protocolSection": {')
        archive.writestr("studies/ok.json", json.dumps(STUDIES[0]))
    assert len(records(path)) == 1
    reasons = {(r.source.file, r.field): r.reason for r in rejected(path)}
    assert (
        reasons[("bulk.zip:studies/README.txt", "json")] == "archive member is not ClinicalTrials.gov v2 JSON"
    )
    assert "not valid JSON" in reasons[("bulk.zip:studies/bad.json", "json")]


def test_a_broken_array_keeps_the_records_before_the_break(tmp_path: Path) -> None:
    text = json.dumps(STUDIES)
    path = tmp_path / "cut.json"
    path.write_text(text[: len(text) - 500])  # cut inside the third study
    assert len(records(path)) == 2
    [reason] = rejected(path)
    assert reason.source.position == 3 and "after 2 studies" in reason.reason


def test_bad_json_line_is_rejected_and_the_rest_read(tmp_path: Path) -> None:
    path = tmp_path / "studies.jsonl"
    lines = [json.dumps(s) for s in STUDIES]
    lines.insert(1, '{"protocolSection": oops}')
    path.write_text("\n".join(lines))
    assert len(records(path)) == 3
    [reason] = rejected(path)
    assert reason.reason.startswith("line 2 is not JSON")


def _trimmed(*modules: str) -> dict[str, Any]:
    study = copy.deepcopy(STUDIES[0])
    for module in modules:
        study["protocolSection"].pop(module, None)
    study.pop("derivedSection", None)
    return study


def test_records_trimmed_by_the_fields_filter_are_valid() -> None:
    study = _trimmed(
        "outcomesModule", "armsInterventionsModule", "designModule", "statusModule", "descriptionModule"
    )
    record = study_to_record(study, SourceRef("f.json"))
    assert record.outcomes == () and record.arms == () and record.interventions == ()
    assert record.phases == ()  # absent is "not stated", never NA and never read from text
    assert record.condition_mesh is None and record.start_date is None


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        (lambda s: s["protocolSection"].pop("identificationModule"), "identificationModule.nctId", "missing"),
        (
            lambda s: s["protocolSection"]["designModule"].update(enrollmentInfo={"count": "many"}),
            "protocolSection.designModule.enrollmentInfo.count",
            "whole number",
        ),
        (
            lambda s: s["protocolSection"]["statusModule"].update(overallStatus="PAUSED"),
            "statusModule.overallStatus",
            "unknown value 'PAUSED'",
        ),
        (
            lambda s: s["protocolSection"]["statusModule"].update(startDateStruct={"date": "May 2024"}),
            "protocolSection.statusModule.startDateStruct.date",
            "not YYYY",
        ),
        (
            lambda s: s["protocolSection"]["statusModule"].update(startDateStruct={"date": "2024-02-30"}),
            "protocolSection.statusModule.startDateStruct.date",
            "not YYYY",
        ),
        (
            lambda s: s["protocolSection"]["conditionsModule"].update(conditions="NSCLC"),
            "conditionsModule.conditions",
            "not a list",
        ),
        (lambda s: s.pop("protocolSection"), "protocolSection", "not a ClinicalTrials.gov v2 study"),
    ],
    ids=["no-nct-id", "enrollment", "status", "date", "impossible-date", "conditions", "not-a-study"],
)
def test_bad_fields_are_rejected_with_the_field_named(
    tmp_path: Path, change: Callable[[dict[str, Any]], object], field: str, words: str
) -> None:
    study = copy.deepcopy(STUDIES[0])
    change(study)
    path = tmp_path / "one.json"
    path.write_text(json.dumps([study, STUDIES[1]]))
    assert len(records(path)) == 1  # the batch goes on
    [reason] = rejected(path)
    assert reason.field == field and words in reason.reason
    assert reason.raw  # the record is kept


def test_dates_keep_their_precision() -> None:
    study = copy.deepcopy(STUDIES[0])
    study["protocolSection"]["statusModule"]["startDateStruct"] = {"date": "2024-12", "type": "ESTIMATED"}
    record = study_to_record(study, SourceRef("f.json"))
    assert record.start_date is not None
    assert (record.start_date.value, record.start_date.type) == ("2024-12", "ESTIMATED")


def test_every_real_file_reads_completely() -> None:
    """All in-repo real v2 JSON: arrays, the urology zip (bulk-download shape) and the AACT tar."""
    counts = {}
    for path in sorted(CTGOV.glob("v2json_*")):
        results = list(read_ctgov_json(path))
        assert all(isinstance(r, TrialRecord) for r in results), path.name
        counts[path.name] = len(results)
    assert counts == {
        "v2json_aact_fixtures.tar.gz": 12,
        "v2json_jinash_ctg-studies.json.gz": 10,
        "v2json_nsclcbench_ctg-studies.json.gz": 100,
        "v2json_scampbe3_ctg-studies.json.gz": 88,
        "v2json_urology_ED_ctg-studies.json.zip": 635,
        "v2json_vsuptl_ctg-studies.json.gz": 100,
    }


def test_fields_match_the_json_they_came_from() -> None:
    """Field by field, for every in-repo real study."""
    for _, study in all_studies():
        ps = study["protocolSection"]
        record = study_to_record(study, SourceRef("x"))
        assert record.nct_id == ps["identificationModule"]["nctId"]
        assert record.title == ps["identificationModule"]["briefTitle"].strip()
        assert record.phases == tuple(ps.get("designModule", {}).get("phases", []))
        assert record.conditions == tuple(
            c.strip() for c in ps.get("conditionsModule", {}).get("conditions", [])
        )
        module = ps.get("armsInterventionsModule", {})
        assert [(i.type, i.name) for i in record.interventions] == [
            (i.get("type"), i["name"].strip()) for i in module.get("interventions", [])
        ]
        assert [a.label for a in record.arms] == [a["label"].strip() for a in module.get("armGroups", [])]
        outcomes = ps.get("outcomesModule", {})
        assert len(record.outcomes) == sum(
            len(outcomes.get(k, [])) for k in ("primaryOutcomes", "secondaryOutcomes", "otherOutcomes")
        )
        start = ps.get("statusModule", {}).get("startDateStruct", {}).get("date")
        assert (record.start_date.value if record.start_date else None) == start
        derived = study.get("derivedSection", {}).get("conditionBrowseModule")
        assert (record.condition_mesh is None) == (derived is None)


def test_canonical_json_is_json_dumps_with_sorted_keys() -> None:
    """orjson writes the canonical form of the checksums; it must be byte for byte what json.dumps
    gives, on every real study and on the values orjson refuses (lone surrogates)."""
    values = [study for _, study in all_studies()]
    assert len(values) > 300
    for value in [*values, {"b": "\ud800", "a": [1.5, None, True, 1e300]}]:
        expected = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        assert canonical_json(value) == expected.encode("utf-8", "surrogatepass")


def test_json_with_a_lone_surrogate_is_read_as_json_reads_it() -> None:
    assert loads_json(b'{"a": "x\\ud800"}') == {"a": "x\ud800"}
    with pytest.raises(json.JSONDecodeError):
        loads_json(b'{"a": ')
