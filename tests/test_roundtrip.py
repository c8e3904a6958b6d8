"""No data lost (issue 7): every seed record rebuilt from the graph, and every condition, intervention,
arm and outcome of every in-repo v2 JSON record found in the graph, per record."""

from __future__ import annotations

import collections
import gzip
import hashlib
import json
import tarfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

import trialgraph as tg
from paths import SEEDS
from realdata import CTGOV
from trialgraph.convert import TrialConverter
from trialgraph.engines import OxigraphEngine
from trialgraph.readers.seed_text import read_seed_file, read_seed_text
from trialgraph.records import Intervention, Outcome, SourceRef, TrialRecord
from trialgraph.roundtrip import RoundTripError, rebuild_record, rebuild_seed_text, render_seed_text

PREFIXES = """PREFIX tg: <https://w3id.org/trialgraph/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
SEED_FILES = sorted(SEEDS.glob("*.txt"))

# ---------------------------------------------------------------------------------------------
# Seeds: the record rebuilt from the graph is the record read from the file.
#
# Allowed normalisation: only the seed reader's own (BOM and line ends removed, each field stripped,
# outcome entries split by its heuristic), since both sides are compared as the reader returns them.
# The graph must give back those strings exactly: no case folding, no white-space collapsing, no NFKC
# (seed 001's full-width brackets must survive), and the order and repeats of items (seed 002 names
# the same intervention twice).


def _read(path: Path) -> TrialRecord:
    [record] = list(read_seed_file(path))
    assert isinstance(record, TrialRecord), record
    return record


@pytest.fixture(scope="module")
def seed_trials(seed_graph: tg.TrialGraph) -> dict[str, str]:
    """Seed file name -> trial IRI, through the provenance the graph keeps."""
    rows = seed_graph.engine.select(
        PREFIXES + "SELECT ?trial ?file WHERE { ?trial a tg:Trial ; tg:sourceFile ?file }"
    )
    return {str(row["file"]): str(row["trial"]) for row in rows}


def test_every_seed_file_is_one_trial(seed_trials: dict[str, str]) -> None:
    assert sorted(seed_trials) == [p.name for p in SEED_FILES]
    assert len(set(seed_trials.values())) == len(SEED_FILES)


def _differences(rebuilt: TrialRecord, original: TrialRecord) -> list[str]:
    """Field by field, so a failure names what was lost."""
    found = []
    for name in ("title", "brief_summary", "detailed_description", "conditions", "nct_id", "phases"):
        if getattr(rebuilt, name) != getattr(original, name):
            found.append(f"{name}: {getattr(rebuilt, name)!r} != {getattr(original, name)!r}")
    got = [(i.type, i.name) for i in rebuilt.interventions]
    want = [(i.type, i.name) for i in original.interventions]
    if got != want:
        found.append(f"interventions: {got!r} != {want!r}")
    for role in ("primary", "secondary", "other"):
        got_o = [(o.measure, o.description, o.time_frame) for o in rebuilt.outcomes if o.role == role]
        want_o = [(o.measure, o.description, o.time_frame) for o in original.outcomes if o.role == role]
        if got_o != want_o:
            found.append(f"{role} outcomes: {got_o!r} != {want_o!r}")
    if rebuilt.source != original.source:
        found.append(f"source: {rebuilt.source!r} != {original.source!r}")
    return found


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.name)
def test_seed_fields_rebuilt_from_the_graph(
    seed_graph: tg.TrialGraph, seed_trials: dict[str, str], path: Path
) -> None:
    original = _read(path)
    rebuilt = rebuild_record(seed_graph.engine, seed_trials[path.name])
    assert _differences(rebuilt, original) == []
    assert rebuilt == original  # and nothing else differs (every other field at its default)


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.name)
def test_seed_text_regenerated_from_the_graph_reads_back_the_same(
    seed_graph: tg.TrialGraph, seed_trials: dict[str, str], path: Path
) -> None:
    original = _read(path)
    text = rebuild_seed_text(seed_graph.engine, seed_trials[path.name])
    assert read_seed_text(text, original.source) == original
    # Byte for byte, even: the text has the sha256 the graph recorded for the file (the seed files end
    # without a final newline, which the reader does not keep: that is the one thing allowed to differ).
    digests = {"sha256:" + hashlib.sha256(t.encode("utf-8")).hexdigest() for t in (text, text[:-1])}
    assert original.source.checksum in digests


# ---------------------------------------------------------------------------------------------
# The converter keeps what a rebuild needs, and a rebuild refuses to guess


@pytest.fixture(scope="module")
def converter() -> TrialConverter:
    return TrialConverter()


def _store(converter: TrialConverter, record: TrialRecord, drop: str | None = None) -> ox.Store:
    conversion = converter.convert(record)
    lines = [line for line in (*conversion.lines, *conversion.shared) if drop is None or drop not in line]
    store = ox.Store()
    store.load(("\n".join(lines) + "\n").encode("utf-8"), ox.RdfFormat.N_TRIPLES)
    return store


CONDITIONS = ("Advanced Solid Tumors", "Solid Tumor", "Malignant Ascites", "Solid Tumor")
RECORD = TrialRecord(
    title="T",
    source=SourceRef("x.txt", 1, None),
    brief_summary="S",
    conditions=CONDITIONS,
    interventions=(Intervention("b", "DRUG"), Intervention("a", "OTHER"), Intervention("b", "DRUG")),
    outcomes=(Outcome("OS", "primary", None, "5 years"), Outcome("PFS", "secondary", "d", "2 years")),
)


def test_conditions_keep_wording_order_and_repeats_though_their_nodes_merge(
    converter: TrialConverter,
) -> None:
    """Three wordings meet in one shared condition node: only the trial's condition entries can give the
    list back (this was lost before tg:ConditionEntry)."""
    store = _store(converter, RECORD)
    engine = OxigraphEngine(store)
    [trial] = [str(r["t"]) for r in engine.select(PREFIXES + "SELECT ?t WHERE { ?t a tg:Trial }")]
    links = engine.select(PREFIXES + "SELECT DISTINCT ?c WHERE { ?t tg:hasCondition ?c }")
    assert len(links) == 2  # solid tumor, malignant ascites
    assert rebuild_record(engine, trial) == RECORD
    assert read_seed_text(render_seed_text(RECORD), RECORD.source) == RECORD


@pytest.mark.parametrize(
    "drop",
    [
        "/condition/2> <https://w3id.org/trialgraph/ontology#ordinal>",
        "/intervention/3> <https://w3id.org/trialgraph/ontology#ordinal>",
        "/endpoint/secondary-1> <https://w3id.org/trialgraph/ontology#measure>",
        "<https://w3id.org/trialgraph/ontology#hasConditionEntry>",
    ],
)
def test_a_lost_statement_is_an_error_not_a_guess(converter: TrialConverter, drop: str) -> None:
    store = _store(converter, RECORD, drop=drop)
    engine = OxigraphEngine(store)
    [trial] = [str(r["t"]) for r in engine.select(PREFIXES + "SELECT ?t WHERE { ?t a tg:Trial }")]
    with pytest.raises(RoundTripError):
        rebuild_record(engine, trial)


@pytest.mark.parametrize(
    ("record", "message"),
    [
        (TrialRecord("T", SourceRef("x")), "no interventions"),
        (
            TrialRecord(
                "T", SourceRef("x"), interventions=RECORD.interventions, outcomes=(Outcome("M", "other"),)
            ),
            "other outcomes",
        ),
        (
            TrialRecord(
                "T",
                SourceRef("x"),
                conditions=("Diabetes Mellitus, Type 2",),
                interventions=RECORD.interventions,
            ),
            "conditions",
        ),
        (TrialRecord("T", SourceRef("x"), interventions=(Intervention("a|b", "DRUG"),)), "separator"),
    ],
)
def test_seed_text_that_would_read_back_differently_is_refused(record: TrialRecord, message: str) -> None:
    with pytest.raises(RoundTripError, match=message):
        render_seed_text(record)


# ---------------------------------------------------------------------------------------------
# v2 JSON: per record, as many conditions, interventions, arms and outcomes in the graph as in the
# JSON. The JSON is read here with the json module, independently of the project's reader.

Study = dict[str, Any]
KINDS = ("conditions", "interventions", "arms", "primary", "secondary", "other")
#: records of the in-repo v2 JSON the build rejects, (source file, position) -> field; a record added
#: here must be one the project means to reject (a duplicate NCT id, an unreadable study)
EXPECTED_REJECTED: dict[tuple[str, int], str] = {}
V2_RECORDS = 945


def _v2_studies() -> Iterator[tuple[str, int, Study]]:
    """(source file as the readers name it, 1-based position, study) for every study of every v2 JSON
    file of tests/data/ctgov: the gzipped arrays, the AACT tar and the urology zip."""
    for path in sorted(CTGOV.glob("v2json_*")):
        if path.name.endswith(".json.gz"):
            with gzip.open(path, "rt", encoding="utf-8") as handle:
                for position, study in enumerate(json.load(handle), start=1):
                    yield path.name, position, study
        elif path.name.endswith(".tar.gz"):
            with tarfile.open(path) as tar:
                for member in tar.getmembers():
                    raw = tar.extractfile(member) if member.isfile() else None
                    if raw is not None:
                        yield f"{path.name}:{member.name}", 1, json.load(raw)
        elif path.name.endswith(".zip"):
            with zipfile.ZipFile(path) as archive:
                for name in archive.namelist():
                    if not name.endswith("/"):
                        yield f"{path.name}:{name}", 1, json.loads(archive.read(name))
        else:
            raise AssertionError(f"{path.name}: a v2 JSON container this test cannot read yet")


def _json_counts(study: Study) -> dict[str, int]:
    protocol = study.get("protocolSection", {})
    arms = protocol.get("armsInterventionsModule", {})
    outcomes = protocol.get("outcomesModule", {})
    return {
        # a blank condition says nothing, and the reader drops it; none of the real records has one
        "conditions": sum(1 for c in protocol.get("conditionsModule", {}).get("conditions", []) if c.strip()),
        "interventions": len(arms.get("interventions", [])),
        "arms": len(arms.get("armGroups", [])),
        "primary": len(outcomes.get("primaryOutcomes", [])),
        "secondary": len(outcomes.get("secondaryOutcomes", [])),
        "other": len(outcomes.get("otherOutcomes", [])),
    }


# An item counts only with what identifies it: a condition entry with its wording and a link to a
# condition the trial has, an intervention or arm with its name, an endpoint with its measure.
COUNTS = (
    PREFIXES
    + """SELECT ?id (COUNT(DISTINCT ?condition) AS ?conditions)
       (COUNT(DISTINCT ?intervention) AS ?interventions) (COUNT(DISTINCT ?arm) AS ?arms)
       (COUNT(DISTINCT ?primary) AS ?primary)
       (COUNT(DISTINCT ?secondary) AS ?secondary) (COUNT(DISTINCT ?other) AS ?other)
WHERE {
  ?trial a tg:Trial ; dcterms:identifier ?id .
  OPTIONAL {
    { ?trial tg:hasConditionEntry ?condition . ?condition tg:sourceText ?wording ; tg:entryCondition ?node .
      ?trial tg:hasCondition ?node }
    UNION { ?trial tg:hasIntervention ?intervention . ?intervention rdfs:label ?name }
    UNION { ?trial tg:hasArm ?arm . ?arm rdfs:label ?label }
    UNION { ?trial tg:hasEndpoint ?primary . ?primary tg:role "primary" ; tg:measure ?m1 }
    UNION { ?trial tg:hasEndpoint ?secondary . ?secondary tg:role "secondary" ; tg:measure ?m2 }
    UNION { ?trial tg:hasEndpoint ?other . ?other tg:role "other" ; tg:measure ?m3 }
  }
}
GROUP BY ?id"""
)


@pytest.fixture(scope="module")
def v2_graph() -> tg.TrialGraph:
    """All v2 JSON of tests/data/ctgov, in memory, without SHACL (test_real_data_graph validates it):
    about 6 s."""
    return tg.build(sorted(CTGOV.glob("v2json_*")), validate=False)


@pytest.fixture(scope="module")
def v2_studies() -> list[tuple[str, int, Study]]:
    return list(_v2_studies())


@pytest.fixture(scope="module")
def accepted(v2_graph: tg.TrialGraph, v2_studies: list[tuple[str, int, Study]]) -> dict[str, Study]:
    """NCT id -> study, for every study the build did not reject; rejections accounted for one by one."""
    assert v2_graph.report is not None
    report = v2_graph.report
    assert report.read == len(v2_studies) == V2_RECORDS
    rejected = {(r.source.file, r.source.position): r.field for r in report.rejected}
    assert rejected == EXPECTED_REJECTED, [r.message() for r in report.rejected]
    kept: dict[str, Study] = {}
    for file, position, study in v2_studies:
        if (file, position) in rejected:
            continue
        nct = study["protocolSection"]["identificationModule"]["nctId"]
        assert nct not in kept, f"{nct} converted twice ({file}): a duplicate must be rejected"
        kept[nct] = study
    assert report.converted == len(kept)
    return kept


def test_every_v2_record_has_its_items_in_the_graph(
    v2_graph: tg.TrialGraph, accepted: dict[str, Study]
) -> None:
    rows = {str(row["id"]): row for row in v2_graph.engine.select(COUNTS)}
    assert sorted(rows) == sorted(accepted), "trials in the graph are not the converted records"
    discrepancies = [
        f"{nct} {kind}: JSON {want}, graph {rows[nct][kind]}"
        for nct, study in sorted(accepted.items())
        for kind, want in _json_counts(study).items()
        if rows[nct][kind] != want
    ]
    assert discrepancies == [], "\n".join(discrepancies)
    compared = sum(sum(_json_counts(s).values()) for s in accepted.values())
    assert compared == 10_429  # the check saw all the data: 945 records, 10,429 items (measured)


# The wording of each item, in its place. Allowed normalisation: surrounding white space, which the
# v2 reader strips from every text; nothing else.
TEXTS = (
    PREFIXES
    + """SELECT ?id ?kind ?ordinal ?text ?description ?timeFrame WHERE {
  ?trial a tg:Trial ; dcterms:identifier ?id .
  { ?trial tg:hasConditionEntry ?n . ?n tg:ordinal ?ordinal ; tg:sourceText ?text .
    BIND("conditions" AS ?kind) }
  UNION { ?trial tg:hasIntervention ?n . ?n tg:ordinal ?ordinal ; rdfs:label ?text .
          BIND("interventions" AS ?kind) }
  UNION { ?trial tg:hasArm ?n . ?n tg:ordinal ?ordinal ; rdfs:label ?text . BIND("arms" AS ?kind) }
  UNION { ?trial tg:hasEndpoint ?n . ?n tg:role ?kind ; tg:ordinal ?ordinal ; tg:measure ?text .
          OPTIONAL { ?n tg:description ?description } OPTIONAL { ?n tg:timeFrame ?timeFrame } }
}"""
)


def _strip(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _json_texts(study: Study) -> dict[str, list[tuple[str | None, ...]]]:
    protocol = study.get("protocolSection", {})
    arms = protocol.get("armsInterventionsModule", {})
    outcomes = protocol.get("outcomesModule", {})
    found: dict[str, list[tuple[str | None, ...]]] = {
        "conditions": [
            (_strip(c),) for c in protocol.get("conditionsModule", {}).get("conditions", []) if c.strip()
        ],
        "interventions": [(_strip(i.get("name")),) for i in arms.get("interventions", [])],
        "arms": [(_strip(a.get("label")),) for a in arms.get("armGroups", [])],
    }
    for key, role in (
        ("primaryOutcomes", "primary"),
        ("secondaryOutcomes", "secondary"),
        ("otherOutcomes", "other"),
    ):
        found[role] = [
            (_strip(o.get("measure")), _strip(o.get("description")), _strip(o.get("timeFrame")))
            for o in outcomes.get(key, [])
        ]
    return found


def test_every_v2_item_keeps_its_wording_in_its_place(
    v2_graph: tg.TrialGraph, accepted: dict[str, Study]
) -> None:
    graph: dict[tuple[str, str], list[tuple[int, tuple[str | None, ...]]]] = collections.defaultdict(list)
    for row in v2_graph.engine.select(TEXTS):
        value: tuple[str | None, ...] = (str(row["text"]),)
        if row["kind"] not in ("conditions", "interventions", "arms"):
            value += (_strip(row["description"]), _strip(row["timeFrame"]))
        graph[(str(row["id"]), str(row["kind"]))].append((int(str(row["ordinal"])), value))
    discrepancies = []
    for nct, study in sorted(accepted.items()):
        for kind, want in _json_texts(study).items():
            got = [value for _, value in sorted(graph.get((nct, kind), []))]
            if got != want:
                discrepancies.append(f"{nct} {kind}: JSON {want!r:.200}, graph {got!r:.200}")
    assert discrepancies == [], "\n".join(discrepancies[:50])
