"""Property and fuzz tests of every reader on hostile input (tests/strategies.py, docs/fuzzing.md).

The invariants, whatever the bytes:
- reading never raises: every problem is a RejectedRecord with a field and a reason, and its message
  names the file it came from;
- converting every accepted record never raises (the worker path, archive members parsed there);
- a build finishes, writes one line of rejected.jsonl per rejection, counts read = converted +
  rejected, and its exit code is 0, or 3 exactly when something was rejected, with no traceback;
- every line written is valid N-Triples / N-Quads for strict parsers: pyoxigraph on every example,
  rapper and serdi (Debian's raptor2-utils and serdi) on everything one test wrote, at its end.

The number of examples is bounded for `make test`; HYPOTHESIS_PROFILE=long multiplies it (see
bench/fuzz_long.sh). rapper and serdi are installed by scripts/install-system-packages: a missing one
fails the tests, never skips them.
"""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import rdf_parsers
import strategies
from strategies import FuzzFile, archive_files, csv_files, file_sets, json_files, seed_files
from trialgraph.convert import Conversion, TrialConverter
from trialgraph.errors import UNEXPECTED_FIELD
from trialgraph.ntriples import RDF_TYPE
from trialgraph.pipeline import GRAPH_NQ, GRAPH_NT, REJECTED, write_graph_files
from trialgraph.readers import ctgov_json, registry
from trialgraph.readers.ctgov_json import ArchiveMember
from trialgraph.readers.registry import read_sources, read_units
from trialgraph.records import RejectedRecord, TrialRecord
from trialgraph.workers import Converted, WorkerSetup, process_batch, process_units

#: examples per test are multiplied by this: 1 in `make test`, more for the long run
SCALE = {"long": 40}.get(os.environ.get("HYPOTHESIS_PROFILE", ""), 1)


def budget(examples: int) -> settings:
    return settings(
        max_examples=examples * SCALE,
        deadline=None,  # huge fields and archives take their time; the budget bounds the run
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.large_base_example,
        ],
        print_blob=True,
        # make test reports a failure at once; the long run also shrinks it to a small example
        phases=tuple(Phase) if SCALE > 1 else tuple(p for p in Phase if p is not Phase.shrink),
    )


#: the field the build's safety nets use for an exception nobody expected (workers.py): fuzzing
#: treats it as a bug to fix, a build as a rejection to report


@pytest.fixture(scope="module")
def setup() -> WorkerSetup:
    return WorkerSetup(TrialConverter(), None)


# ---------------------------------------------------------------------------------------------
# Checks


XSD = "http://www.w3.org/2001/XMLSchema#"


def assert_valid_rdf(text: str, rdf_format: ox.RdfFormat = ox.RdfFormat.N_TRIPLES) -> None:
    """Strict pyoxigraph parse of every line (one at a time, so a failure shows its line), UTF-8 that
    a strict decoder accepts, and typed literals whose lexical form fits their datatype."""
    text.encode("utf-8")  # a lone surrogate cannot be written as UTF-8
    for line in text.split("\n"):  # not splitlines(): it also cuts at U+0085, U+2028, ...
        if not line:
            continue
        try:
            quads = list(ox.parse(line.encode("utf-8"), format=rdf_format))
        except SyntaxError as error:
            pytest.fail(f"invalid {rdf_format}: {error}\n{line[:500]}")
        for quad in quads:
            term = quad.object
            datatype = term.datatype.value if isinstance(term, ox.Literal) else ""
            if datatype.startswith(XSD) and datatype != XSD + "string":
                literal = rdflib.Literal(term.value, datatype=rdflib.URIRef(datatype))
                assert not literal.ill_typed, f"ill-typed literal: {line[:500]}"


def strict_parsers(path: Path) -> None:
    """rapper (-f strict) and serdi on one N-Triples file: both accept it and count the same
    statements (tests/rdf_parsers.py; a missing tool fails)."""
    rdf_parsers.strict_count(path, "ntriples")


def check_rejection(rejected: RejectedRecord) -> None:
    assert rejected.field and isinstance(rejected.field, str), rejected
    assert rejected.reason and isinstance(rejected.reason, str), rejected
    assert rejected.field != UNEXPECTED_FIELD, f"an unexpected exception: {rejected.message()}"
    # the message names where the record came from (file, or archive:member) and the field
    assert rejected.source.file in rejected.message() and rejected.field in rejected.message()


def write(directory: Path, files: Iterable[FuzzFile]) -> list[Path]:
    paths = []
    for file in files:
        path = directory / file.name
        path.write_bytes(file.data)
        paths.append(path)
    return paths


def read_and_convert(setup: WorkerSetup, paths: list[Path], sink: list[str]) -> None:
    """Read (both paths the build uses), convert every accepted record, check every statement."""
    results = list(read_sources(paths))  # must not raise
    for result in results:
        assert isinstance(result, TrialRecord | RejectedRecord), result
        if isinstance(result, RejectedRecord):
            check_rejection(result)
    outcomes = process_batch(setup, list(read_units(paths)))  # archive members parsed here
    # nothing lost or invented: one outcome per record read, in the same order
    assert [o.source for o in outcomes] == [r.source for r in results]
    for outcome in outcomes:
        if isinstance(outcome, RejectedRecord):
            check_rejection(outcome)
            continue
        assert isinstance(outcome, Converted)
        text = outcome.ntriples + "".join(line + "\n" for line in outcome.shared)
        assert_valid_rdf(text)
        assert_valid_rdf(outcome.nquads, ox.RdfFormat.N_QUADS)
        sink.append(text)


def run_reader_property(
    setup: WorkerSetup, tmp_path: Path, files: st.SearchStrategy[list[FuzzFile]], examples: int
) -> None:
    """The reading invariants on `examples` file sets; then rapper and serdi on all they wrote."""
    written: list[str] = []
    count = 0

    @budget(examples)
    @given(files)
    def check(fuzzed: list[FuzzFile]) -> None:
        nonlocal count
        count += 1
        with tempfile.TemporaryDirectory(dir=tmp_path) as directory:
            read_and_convert(setup, write(Path(directory), fuzzed), written)

    check()
    print(f"{count} examples, {len(written)} trials converted")  # shown with -s (bench/fuzz_long.sh)
    aggregated = tmp_path / "all.nt"
    aggregated.write_text("".join(written), encoding="utf-8")
    strict_parsers(aggregated)


def one(files: Callable[[], st.SearchStrategy[FuzzFile]]) -> st.SearchStrategy[list[FuzzFile]]:
    return files().map(lambda file: [file])


# ---------------------------------------------------------------------------------------------
# Reading and converting, reader by reader


def test_json_documents_never_crash_and_give_valid_rdf(setup: WorkerSetup, tmp_path: Path) -> None:
    run_reader_property(setup, tmp_path, one(json_files), 150)


def test_archives_never_crash_and_give_valid_rdf(setup: WorkerSetup, tmp_path: Path) -> None:
    run_reader_property(setup, tmp_path, one(archive_files), 80)


def test_csv_exports_never_crash_and_give_valid_rdf(setup: WorkerSetup, tmp_path: Path) -> None:
    run_reader_property(setup, tmp_path, one(csv_files), 150)


def test_seed_files_never_crash_and_give_valid_rdf(setup: WorkerSetup, tmp_path: Path) -> None:
    run_reader_property(setup, tmp_path, one(seed_files), 150)


def test_any_bytes_never_crash(setup: WorkerSetup, tmp_path: Path) -> None:
    run_reader_property(setup, tmp_path, st.binary(max_size=300).map(lambda b: [FuzzFile("x", b)]), 100)


# ---------------------------------------------------------------------------------------------
# Whole builds


def check_build_output(out: Path, read: int, converted: int, rejected: int) -> None:
    """The files of a build agree with its counts; every statement is valid."""
    assert read == converted + rejected
    lines = (out / REJECTED).read_text(encoding="utf-8").splitlines()
    assert len(lines) == rejected
    for line in lines:
        entry = json.loads(line)
        assert entry["field"] and entry["reason"] and entry["file"] in entry["message"], entry
    graph = (out / GRAPH_NT).read_text(encoding="utf-8")
    assert_valid_rdf(graph)
    assert_valid_rdf((out / GRAPH_NQ).read_text(encoding="utf-8"), ox.RdfFormat.N_QUADS)
    trials = graph.count(f"{RDF_TYPE} <https://w3id.org/trialgraph/ontology#Trial> .")
    assert trials == converted  # every accepted record is in the graph, once


def test_build_over_fuzzed_files_accounts_for_every_record(tmp_path: Path) -> None:
    """The build's first stage (what `trialgraph build` writes before the store), with validation."""

    count = 0

    @budget(25)
    @given(file_sets())
    def check(fuzzed: list[FuzzFile]) -> None:
        nonlocal count
        count += 1
        with tempfile.TemporaryDirectory(dir=tmp_path) as directory:
            source, out = Path(directory) / "in", Path(directory) / "out"
            source.mkdir()
            write(source, fuzzed)
            report = write_graph_files([source], out, validate=True)
            for rejected in report.rejected:
                assert rejected.field != UNEXPECTED_FIELD, rejected.message()
            check_build_output(out, report.read, report.converted, len(report.rejected))

    check()
    print(f"{count} builds")


def test_cli_build_exit_code_says_whether_the_run_was_partial(tmp_path: Path) -> None:
    """`trialgraph build` in a subprocess, as a user runs it, on a few fuzzed directories: exit 0 or 3
    (3 exactly when something was rejected), no traceback, graph.nt accepted by rapper and serdi."""

    count = 0

    @budget(3)
    @given(file_sets())
    def check(fuzzed: list[FuzzFile]) -> None:
        nonlocal count
        count += 1
        with tempfile.TemporaryDirectory(dir=tmp_path) as directory:
            source, out = Path(directory) / "in", Path(directory) / "out"
            source.mkdir()
            write(source, fuzzed)
            command = [sys.executable, "-m", "trialgraph.cli", "build", str(source), "--out", str(out)]
            run = subprocess.run(command, capture_output=True, text=True, errors="replace")
            assert "Traceback" not in run.stderr, run.stderr[-3000:]
            assert run.returncode in (0, 3), run.stderr[-3000:]
            report = json.loads((out / "build-report.json").read_text(encoding="utf-8"))
            assert run.returncode == (3 if report["rejected"] else 0)
            check_build_output(out, report["read"], report["converted"], report["rejected"])
            strict_parsers(out / GRAPH_NT)

    check()
    print(f"{count} command-line builds")


# ---------------------------------------------------------------------------------------------
# Regressions: each bug the fuzzing found, as a plain example


REAL = strategies.REAL_STUDIES[0]


def _study(**design: object) -> dict[str, object]:
    study = json.loads(json.dumps(REAL))
    study["protocolSection"].setdefault("designModule", {}).update(design)
    return study


def _read_one(tmp_path: Path, name: str, data: bytes) -> list[TrialRecord | RejectedRecord]:
    path = tmp_path / name
    path.write_bytes(data)
    results = list(read_sources([path]))
    for result in results:
        if isinstance(result, RejectedRecord):
            check_rejection(result)
    return results


def _only_rejection(results: list[TrialRecord | RejectedRecord]) -> RejectedRecord:
    [rejected] = results
    assert isinstance(rejected, RejectedRecord)
    return rejected


@pytest.mark.parametrize("info", ["DRUG: ", ["x"], 3])
def test_enrollment_info_that_is_not_an_object_is_rejected(tmp_path: Path, info: object) -> None:
    # was: AttributeError ('str' object has no attribute 'get') ended the whole run
    rejected = _only_rejection(
        _read_one(tmp_path, "s.json", json.dumps(_study(enrollmentInfo=info)).encode())
    )
    assert rejected.field == "protocolSection.designModule.enrollmentInfo"


@pytest.mark.parametrize("count", [float("nan"), float("inf"), float("-inf")])
def test_enrollment_count_nan_or_infinity_is_rejected(tmp_path: Path, count: float) -> None:
    # was: ValueError / OverflowError from int(NaN) and int(Infinity), which json reads without complaint
    data = json.dumps(_study(enrollmentInfo={"count": count})).encode()
    assert b"NaN" in data or b"Infinity" in data
    rejected = _only_rejection(_read_one(tmp_path, "s.json", data))
    assert rejected.field == "protocolSection.designModule.enrollmentInfo.count"


def test_integer_of_more_than_4300_digits_is_rejected_as_json(tmp_path: Path) -> None:
    # was: ValueError (Exceeds the limit (4300 digits) for integer string conversion) from json.loads
    data = json.dumps(_study(enrollmentInfo={"count": 1})).replace('"count": 1', '"count": 1' + "0" * 5000)
    rejected = _only_rejection(_read_one(tmp_path, "s.json", data.encode()))
    assert rejected.field == "json" and "4300" in rejected.reason


@pytest.mark.parametrize("container", ["study", "array", "lines"])
def test_json_nested_deeper_than_the_recursion_limit_is_rejected(tmp_path: Path, container: str) -> None:
    # was: RecursionError from json.loads (a single study, a JSON line) or from the checksum's
    # json.dumps (an array item ijson had built)
    deep = b'{"protocolSection": {"x": ' + b"[" * 5000 + b"]" * 5000 + b"}}"
    data = {"study": deep, "array": b"[" + deep + b"]", "lines": deep + b"\n" + deep + b"\n"}[container]
    results = _read_one(tmp_path, "deep.json", data)
    assert results and all(isinstance(r, RejectedRecord) for r in results)
    assert all("deep" in r.reason for r in results if isinstance(r, RejectedRecord))


@pytest.mark.parametrize("line", [b"3", b'"text"', b"null", b'{"studies": 5}', b"[1, 2]"])
def test_json_line_that_is_json_but_not_a_study_is_rejected(tmp_path: Path, line: bytes) -> None:
    # was: AttributeError ('int' object has no attribute 'get') or TypeError for a JSON line whose
    # value is not an object, an array or a page of studies
    results = _read_one(tmp_path, "s.jsonl", json.dumps(REAL).encode() + b"\n" + line + b"\n")
    assert isinstance(results[0], TrialRecord)
    assert results[1:] and all(isinstance(r, RejectedRecord) and r.source.position == 2 for r in results[1:])


def test_json_line_that_is_not_utf8_is_rejected_and_the_rest_read(tmp_path: Path) -> None:
    # was: UnicodeDecodeError from json.loads on the line's bytes ended the run
    data = json.dumps(REAL).encode() + b'\n{"a": "\xff"}\n' + json.dumps(REAL).encode() + b"\n"
    results = _read_one(tmp_path, "s.jsonl", data)
    assert [type(r).__name__ for r in results] == ["TrialRecord", "RejectedRecord", "TrialRecord"]
    assert "line 2 is not JSON" in results[1].reason  # type: ignore[union-attr]


def test_csv_enrollment_of_more_than_4300_digits_is_rejected(tmp_path: Path) -> None:
    # was: ValueError from int() (the digits check passed) ended the run
    data = b"NCT Number,Study Title,Enrollment\nNCT01234567,T," + b"9" * 5000 + b"\nNCT01234568,T,3\n"
    results = _read_one(tmp_path, "e.csv", data)
    assert isinstance(results[0], RejectedRecord) and results[0].field == "Enrollment"
    assert isinstance(results[1], TrialRecord) and results[1].enrollment == 3


def test_rejected_record_with_a_lone_surrogate_is_written_to_rejected_jsonl(tmp_path: Path) -> None:
    # was: UnicodeEncodeError writing rejected.jsonl at the very end of the build (the raw study
    # kept "\ud800", which json reads from the escape but UTF-8 cannot encode)
    study = _study(enrollmentInfo=["x"])
    study["protocolSection"]["identificationModule"]["briefTitle"] = "x\ud800"
    source = tmp_path / "in"
    source.mkdir()
    (source / "s.json").write_text(json.dumps(study), encoding="utf-8")
    report = write_graph_files([source], tmp_path / "out")
    check_build_output(tmp_path / "out", report.read, report.converted, len(report.rejected))
    [line] = (tmp_path / "out" / REJECTED).read_text(encoding="utf-8").splitlines()
    assert "x\ud800" in json.loads(line)["raw"]  # the escape round-trips


@pytest.mark.parametrize("line_break", ["\x85", "\u2028", "\u2029"])
def test_a_rejection_holding_a_unicode_line_break_stays_on_one_line(tmp_path: Path, line_break: str) -> None:
    # was (long run): an NCT id "0\x850" is rejected, and JSON leaves U+0085, U+2028 and U+2029
    # unescaped, so its rejected.jsonl line split in three for str.splitlines and JSON Lines tools
    study = _study()
    study["protocolSection"]["identificationModule"]["nctId"] = f"0{line_break}0"
    source = tmp_path / "in"
    source.mkdir()
    (source / "s.json").write_text(json.dumps(study), encoding="utf-8")
    report = write_graph_files([source], tmp_path / "out")
    check_build_output(tmp_path / "out", report.read, report.converted, len(report.rejected))
    [line] = (tmp_path / "out" / REJECTED).read_text(encoding="utf-8").splitlines()
    assert json.loads(line)["record_id"] == f"0{line_break}0"


@pytest.mark.parametrize("where", ["interventions", "armGroups"])
def test_an_unknown_intervention_or_arm_type_is_rejected_by_the_reader(tmp_path: Path, where: str) -> None:
    # was (long run): a v2 JSON intervention type outside the registry's enumeration went into the
    # graph, so the build failed SHACL (exit 1) instead of rejecting the record (exit 3)
    study = _study()
    module = study["protocolSection"].setdefault("armsInterventionsModule", {})
    module[where] = [{"name": "Drug X", "label": "Arm X", "type": "line\nbreak WITHHELD"}]
    rejected = _only_rejection(_read_one(tmp_path, "s.json", json.dumps(study).encode()))
    assert rejected.field == f"{where}[0].type"
    assert "unknown value" in rejected.reason


class _Exploding(TrialConverter):
    def __init__(self, victim: str) -> None:
        super().__init__()
        self.victim = victim

    def convert(self, record: TrialRecord) -> Conversion:
        if record.nct_id == self.victim:
            raise KeyError("boom")
        return super().convert(record)


def test_an_exception_in_one_record_does_not_crash_a_build(tmp_path: Path) -> None:
    """A bug hit by one record (any exception, not just RecordError) rejects that record with the
    exception's type and message on the field "record"; the others convert, serial and parallel."""
    studies = [json.loads(json.dumps(s)) for s in strategies.REAL_STUDIES[:3]]
    victim = studies[1]["protocolSection"]["identificationModule"]["nctId"]
    path = tmp_path / "bulk.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for index, study in enumerate(studies):
            archive.writestr(f"{index}.json", json.dumps(study))
    setup = WorkerSetup(_Exploding(victim), None)
    for workers in (1, 2):
        outcomes = list(process_units(setup, read_units([path]), workers=workers, batch_size=1))
        assert [type(o).__name__ for o in outcomes] == ["Converted", "RejectedRecord", "Converted"]
        rejected = outcomes[1]
        assert isinstance(rejected, RejectedRecord) and rejected.field == "record"
        assert rejected.record_id == victim and "KeyError: 'boom'" in rejected.reason


def test_an_archive_member_whose_parsing_raises_is_rejected_not_fatal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same for parsing an archive member in a worker, and for a reader in the main process."""

    def explode(self: ArchiveMember) -> Iterator[TrialRecord | RejectedRecord]:
        raise MemoryError("member too large")
        yield  # pragma: no cover

    path = tmp_path / "bulk.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a.json", json.dumps(REAL))
    monkeypatch.setattr(ArchiveMember, "records", explode)
    [rejected] = process_batch(WorkerSetup(TrialConverter(), None), list(read_units([path])))
    assert isinstance(rejected, RejectedRecord) and rejected.field == "record"
    assert rejected.source.file == "bulk.zip:a.json" and "MemoryError: member too large" in rejected.reason

    def broken_reader(path: Path) -> Iterator[TrialRecord | RejectedRecord]:
        yield from ctgov_json.read_ctgov_json(path)
        raise RuntimeError("reader bug")

    fake = dataclasses.replace(registry.READERS[0], read=broken_reader, read_units=broken_reader)
    monkeypatch.setattr(registry, "READERS", (fake,))
    single = tmp_path / "one.json"
    single.write_text(json.dumps(REAL), encoding="utf-8")
    results = list(read_sources([single]))
    assert isinstance(results[0], TrialRecord)
    assert isinstance(results[1], RejectedRecord) and results[1].field == "record"
    assert "RuntimeError: reader bug" in results[1].reason and results[1].source.position == 2


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le"])
def test_utf16_file_is_rejected_with_a_hint_to_save_it_as_utf8(tmp_path: Path, encoding: str) -> None:
    # not a crash, but the reason said only "no reader recognises this file's content" for a JSON
    # export an editor had saved as UTF-16
    rejected = _only_rejection(_read_one(tmp_path, "s.json", json.dumps([REAL]).encode(encoding)))
    assert rejected.field == "file" and "UTF-16" in rejected.reason
