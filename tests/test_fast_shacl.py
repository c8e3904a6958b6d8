"""The fast SHACL validator (trialgraph.fastshacl) against pyshacl (trialgraph.validate), finding for
finding: focus node, path, constraint, severity, source shape, value and message.

- real trials converted from several files of tests/data/ctgov, validated whole and in batches;
- the same trials broken in many ways, so that every (shape, constraint component) pair of the shapes
  file fires in pyshacl at least once (asserted), plus the broken graphs of test_shapes.py;
- components the project's shapes do not use but the compiler implements, on small shapes graphs;
- shapes the compiler does not implement are refused when compiled, never skipped.
"""

from __future__ import annotations

import itertools
import pickle
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache

import pytest
from pyshacl.constraints import CONSTRAINT_PARAMETERS_MAP
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SH
from rdflib.plugins.parsers.ntriples import NTGraphSink, W3CNTriplesParser

from paths import DATA
from trialgraph.convert import TrialConverter
from trialgraph.fastshacl import (
    FastValidator,
    UnsupportedShapeError,
    default_validator,
    merge_findings,
    validate_ntriples_fast,
)
from trialgraph.fastshacl.terms import parse_lines, to_rdflib
from trialgraph.readers.registry import read_sources
from trialgraph.records import TrialRecord
from trialgraph.resources import ontology_dir
from trialgraph.validate import (
    Finding,
    _compact,
    _namespace_manager,
    load_ontology,
    load_shapes,
    validate_graph,
    validate_ntriples,
)

CTGOV = DATA / "ctgov"
TG = "https://w3id.org/trialgraph/ontology#"
XSD = "http://www.w3.org/2001/XMLSchema#"
TRIAL_NS = "https://w3id.org/trialgraph/id/trial/"
DRUG_NS = "https://w3id.org/trialgraph/id/drug/"
CONDITION_NS = "https://w3id.org/trialgraph/id/condition/"
A = f"<{RDF.type}>"
LABEL = f"<{RDFS.label}>"
EXACT_MATCH = "<http://www.w3.org/2004/02/skos/core#exactMatch>"
BATCH = 50

# (file, how many of its first records)
SAMPLE = [
    ("v2json_nsclcbench_ctg-studies.json.gz", 70),
    ("v2json_urology_ED_ctg-studies.json.zip", 50),
    ("csv_v2export_anand_1000studies.csv.gz", 70),
    ("csv_v2export_urology_ED_635studies.csv.gz", 20),
    ("v2json_vsuptl_ctg-studies.json.gz", 20),
    ("v2json_scampbe3_ctg-studies.json.gz", 10),
    ("v2json_aact_fixtures.tar.gz", 12),
]


def tg(local: str) -> str:
    return f"<{TG}{local}>"


def typed(lexical: str, datatype: str) -> str:
    return f'"{lexical}"^^<{datatype if ":" in datatype else XSD + datatype}>'


@dataclass
class Trial:
    """One converted trial as N-Triples lines, to break in place: its own lines (and what a mutation
    adds) and its shared ones (statements about conditions and uncurated drugs)."""

    iri: str
    lines: list[str]
    shared: list[str]
    source: str
    notes: list[str] = field(default_factory=list)

    @property
    def node(self) -> str:
        return f"<{self.iri}>"

    @property
    def all_lines(self) -> list[str]:
        return [*self.lines, *self.shared]

    def nodes(self, cls: str) -> list[str]:
        suffix = f" {A} {tg(cls)} ."
        return sorted({line[: -len(suffix)] for line in self.all_lines if line.endswith(suffix)})

    def first(self, cls: str) -> str:
        found = self.nodes(cls)
        assert found, f"{self.iri} has no {cls}"
        return found[0]

    def add(self, s: str, p: str, o: str) -> None:
        self.lines.append(f"{s} {p} {o} .")

    def drop(self, s: str | None = None, p: str | None = None, o: str | None = None) -> None:
        def keep(line: str) -> bool:
            ls, lp, lo = line[:-2].split(" ", 2)
            return not ((s is None or ls == s) and (p is None or lp == p) and (o is None or lo == o))

        self.lines = [line for line in self.lines if keep(line)]
        self.shared = [line for line in self.shared if keep(line)]

    def rename(self, old: str, new: str) -> None:
        """Replace the term ``old`` (an ``<iri>`` token) by ``new`` wherever it stands."""

        def renamed(line: str) -> str:
            return " ".join(new if part == old else part for part in line[:-2].split(" ", 2)) + " ."

        self.lines = [renamed(line) for line in self.lines]
        self.shared = [renamed(line) for line in self.shared]

    def copy(self, note: str) -> Trial:
        return Trial(self.iri, list(self.lines), list(self.shared), self.source, [note])


def convert(name: str, count: int) -> list[Trial]:
    converter = _converter()
    trials = []
    seen = set()
    records = (r for r in read_sources([CTGOV / name]) if isinstance(r, TrialRecord))
    for record in itertools.islice(records, count):
        conversion = converter.convert(record)
        if conversion.trial_iri in seen:
            continue
        seen.add(conversion.trial_iri)
        trials.append(Trial(conversion.trial_iri, list(conversion.lines), list(conversion.shared), name))
    return trials


@cache
def _converter() -> TrialConverter:
    return TrialConverter()


class _KeepLabels(dict[str, str]):
    """A bnode context for rdflib's N-Triples parser that keeps the document's blank node labels,
    so pyshacl's findings name blank nodes as the fast validator does."""

    def get(self, key: str, default: str | None = None) -> str:  # type: ignore[override]
        return key


def rdflib_graph(lines: list[str]) -> Graph:
    graph = Graph()
    W3CNTriplesParser(NTGraphSink(graph)).parsestring("\n".join(lines) + "\n", bnode_context=_KeepLabels())
    return graph


def text_of(trials: list[Trial]) -> list[str]:
    return [line for trial in trials for line in trial.all_lines]


def pyshacl_findings(lines: list[str], ontology: Graph | None = None) -> tuple[Finding, ...]:
    return validate_graph(rdflib_graph(lines), ontology=ontology).findings


def assert_same(
    expected: tuple[Finding, ...] | list[Finding], actual: tuple[Finding, ...] | list[Finding]
) -> None:
    want, got = Counter(expected), Counter(actual)
    missing = sorted((want - got).elements(), key=Finding.sort_key)
    extra = sorted((got - want).elements(), key=Finding.sort_key)
    assert not missing and not extra, (
        f"{len(missing)} missing, {len(extra)} extra\n"
        + "\n".join(f"  missing {f}" for f in missing[:10])
        + "\n"
        + "\n".join(f"  extra   {f}" for f in extra[:10])
    )


def batched(trials: list[Trial], size: int) -> Iterator[list[Trial]]:
    for start in range(0, len(trials), size):
        yield trials[start : start + size]


def in_whole_trials(fast: FastValidator, trials: list[Trial], size: int) -> set[Finding]:
    """Batches of whole trials (own and shared lines), merged with the vocabulary's findings."""
    batches = [fast.validate_lines(text_of(batch)) for batch in batched(trials, size)]
    return set(merge_findings(fast.validate_vocabulary(), *batches).findings)


def in_three_steps(fast: FastValidator, trials: list[Trial], size: int) -> set[Finding]:
    """The vocabulary; per batch its own lines with the shared ones as context; all distinct shared
    lines at the end (in two parts by subject)."""
    batches = [
        fast.validate_lines(
            [line for t in batch for line in t.lines], context=[line for t in batch for line in t.shared]
        )
        for batch in batched(trials, size)
    ]
    shared = sorted({line for t in trials for line in t.shared})
    parts: list[list[str]] = [[], []]
    for line in shared:
        parts[len(line.split(" ", 1)[0]) % 2].append(line)
    return set(
        merge_findings(
            fast.validate_vocabulary(), *batches, *(fast.validate_lines(p) for p in parts)
        ).findings
    )


@pytest.fixture(scope="module")
def fast() -> FastValidator:
    return default_validator()


@pytest.fixture(scope="module")
def real_trials() -> list[Trial]:
    trials = [trial for name, count in SAMPLE for trial in convert(name, count)]
    # the same study from the zip and from the CSV export is one trial IRI: keep the first
    unique: dict[str, Trial] = {}
    for trial in trials:
        unique.setdefault(trial.iri, trial)
    return list(unique.values())


# ---------------------------------------------------------------------------------------------
# Real trials


@pytest.mark.slow
def test_real_trials_equal_pyshacl_whole_and_in_batches(
    fast: FastValidator, real_trials: list[Trial]
) -> None:
    assert len(real_trials) >= 200
    assert {t.source for t in real_trials} >= {name for name, _ in SAMPLE} - {
        "csv_v2export_urology_ED_635studies.csv.gz"  # the same studies as the zip: deduplicated
    }
    lines = text_of(real_trials)
    expected = validate_ntriples("\n".join(lines) + "\n").findings
    # whole: the same findings, the same number of times, in the same order
    assert_same(expected, fast.validate_text("\n".join(lines)).findings)
    assert fast.validate_text("\n".join(lines)).findings == expected
    # in batches: the vocabulary once, then each batch's own focus nodes; the union is the whole
    assert in_whole_trials(fast, real_trials, BATCH) == set(expected)
    assert in_three_steps(fast, real_trials, BATCH) == set(expected)
    counts = Counter(f.severity for f in expected)
    assert counts["Info"] > 0 and counts["Warning"] > 0, "the sample exercises infos and warnings"


def test_a_shared_node_is_validated_over_all_its_statements(
    fast: FastValidator, real_trials: list[Trial]
) -> None:
    """Two trials in two batches name one uncurated drug in different words: two labels, which only
    the whole graph (and the three-step batching) sees."""
    a, b = (t.copy("shared drug") for t in real_trials[:2])
    drug = f"<{DRUG_NS}shared-agent>"
    for trial, label in ((a, '"Shared agent"'), (b, '"SHARED AGENT"')):
        trial.add(trial.node, tg("hasActiveAgent"), drug)
        trial.shared += [
            f"{drug} {A} {tg('Drug')} .",
            f"{drug} {A} {tg('UncuratedDrug')} .",
            f"{drug} {LABEL} {label} .",
        ]
    expected = set(pyshacl_findings(text_of([a, b])))
    two_labels = {
        f
        for f in expected
        if f.focus_node == DRUG_NS + "shared-agent" and f.constraint.startswith("MaxCount")
    }
    assert len(two_labels) == 1
    assert in_three_steps(fast, [a, b], 1) == expected
    # whole trials per batch: each batch sees one label
    assert in_whole_trials(fast, [a, b], 1) == expected - two_labels


def test_validate_ntriples_fast_equals_validate_ntriples(real_trials: list[Trial]) -> None:
    lines = text_of(real_trials[:15])
    # N-Quads with a graph per trial, a comment and blank lines, tabs: read as rdflib reads them
    quads = [line[:-2] + f" <{TRIAL_NS}graph> ." for line in lines[:40]]
    text = "# a comment\n\n" + "\n".join(quads + lines[40:]).replace(" <http", "\t<http", 3) + "\r\n"
    assert validate_ntriples_fast(text) == validate_ntriples(text)
    assert validate_ntriples_fast("") == validate_ntriples("")


# ---------------------------------------------------------------------------------------------
# Broken trials: every constraint of the shapes file fires


Mutation = Callable[[Trial], None]
EX = "http://example.org/"


def _ex(local: str) -> str:
    return f"<{EX}{local}>"


def _extra(cls: str, predicate: str, *values: str) -> Mutation:
    """Add ``values`` of ``predicate`` to the trial's first node of class ``cls``."""

    def mutate(trial: Trial) -> None:
        node = trial.node if cls == "Trial" else trial.first(cls)
        for value in values:
            trial.add(node, predicate, value)

    return mutate


def _without(cls: str, predicate: str) -> Mutation:
    def mutate(trial: Trial) -> None:
        trial.drop(trial.node if cls == "Trial" else trial.first(cls), predicate)

    return mutate


def _new_node(iri: str, *statements: tuple[str, str]) -> Mutation:
    """A node of the batch's own, linked from nowhere: ``statements`` are (predicate, object)."""

    def mutate(trial: Trial) -> None:
        for predicate, obj in statements:
            trial.add(iri, predicate, obj)

    return mutate


def _all(*mutations: Mutation) -> Mutation:
    def mutate(trial: Trial) -> None:
        for m in mutations:
            m(trial)

    return mutate


def _rename(cls: str, make: Callable[[str], str]) -> Mutation:
    def mutate(trial: Trial) -> None:
        old = trial.node if cls == "Trial" else trial.first(cls)
        trial.rename(old, make(old))

    return mutate


def _unlink(predicate: str, cls: str) -> Mutation:
    """The trial no longer links to its first node of ``cls``."""

    def mutate(trial: Trial) -> None:
        trial.drop(trial.node, predicate, trial.first(cls))

    return mutate


def _second_parent(predicate: str, cls: str) -> Mutation:
    """An (untyped) second trial links to the trial's first node of ``cls``."""

    def mutate(trial: Trial) -> None:
        trial.add(f"<{TRIAL_NS}NCT99999999>", predicate, trial.first(cls))

    return mutate


def _typing(local: str, *statements: tuple[str, str], linked: int = 1) -> Mutation:
    """A new endpoint typing of the trial's first endpoint, ``linked`` times (0: not attached)."""

    def mutate(trial: Trial) -> None:
        endpoint = trial.first("Endpoint")
        node = f"{endpoint[:-1]}/typing/{local}>"
        trial.add(node, A, tg("EndpointTyping"))
        for n in range(linked):
            trial.add(endpoint if n == 0 else _ex(f"endpoint-{local}"), tg("hasTyping"), node)
        for predicate, obj in statements:
            trial.add(node, predicate, obj)

    return mutate


def _arm(local: str, *statements: tuple[str, str], linked: int = 1) -> Mutation:
    """A new arm of the trial (``linked``: how many trials link to it)."""

    def mutate(trial: Trial) -> None:
        node = f"<{trial.iri}/arm/{local}>"
        trial.add(node, A, tg("Arm"))
        for n in range(linked):
            trial.add(trial.node if n == 0 else f"<{TRIAL_NS}NCT9999999{n}>", tg("hasArm"), node)
        for predicate, obj in statements:
            trial.add(node, predicate, obj)

    return mutate


def _untype_endpoint(trial: Trial) -> None:
    """The first endpoint typed tg:Endpoint only (its endpoint types dropped)."""
    endpoint = trial.first("Endpoint")
    trial.drop(endpoint, A)
    trial.add(endpoint, A, tg("Endpoint"))


def _mechanism_class() -> str:
    classes = sorted(
        str(c)
        for c in load_ontology().subjects(RDFS.subClassOf, URIRef(TG + "Drug"))
        if "Uncurated" not in str(c)
    )
    return f"<{classes[0]}>"


BAD_DATES = (
    typed("2020-02-30", "date"),
    '"June 2020"',
    typed("2021-13", "gYearMonth"),
    typed("2020-01-01T10:00:00", "dateTime"),
)
CODE_VALUES = ('"interventional"', typed("ACTUAL", "token"), '"ACTUAL"@en')
TEXT_VALUES = ('"  "', '"text"@en', _ex("text"))

# What to break, on which kind of trial node: (name, class the trial needs, mutation)
MUTATIONS: list[tuple[str, str, Mutation]] = [
    # trial
    ("no title", "Trial", _without("Trial", "<http://purl.org/dc/terms/title>")),
    (
        "bad titles",
        "Trial",
        _extra("Trial", "<http://purl.org/dc/terms/title>", '" \\t "', '"Titel"@de', typed("t", "string")),
    ),
    (
        "bad identifiers",
        "Trial",
        _extra("Trial", "<http://purl.org/dc/terms/identifier>", '"NCT1234"', typed("12345678", "integer")),
    ),
    (
        "registered trial without identifier",
        "Trial",
        _without("Trial", "<http://purl.org/dc/terms/identifier>"),
    ),
    ("summary twice, an IRI", "Trial", _extra("Trial", tg("briefSummary"), _ex("summary"), '"second"')),
    (
        "description twice, unknown datatype",
        "Trial",
        _extra("Trial", tg("detailedDescription"), typed("d", EX + "dt"), '"d2"'),
    ),
    ("phase not an individual", "Trial", _extra("Trial", tg("phase"), _ex("Phase7"), tg("Phase2"))),
    ("NA with another phase", "Trial", _extra("Trial", tg("phase"), tg("PhaseNotApplicable"), tg("Phase3"))),
    ("no phase", "Trial", _without("Trial", tg("phase"))),
    ("phase evidence a number", "Trial", _extra("Trial", tg("phaseEvidence"), typed("5", "integer"))),
    (
        "condition link to a drug and a literal",
        "Trial",
        _extra("Trial", tg("hasCondition"), f"<{DRUG_NS}pembrolizumab>", '"lung cancer"'),
    ),
    (
        "links to untyped nodes",
        "Trial",
        _all(
            _extra("Trial", tg("hasIntervention"), _ex("intervention")),
            _extra("Trial", tg("hasArm"), '"arm A"'),
            _extra("Trial", tg("hasEndpoint"), _ex("endpoint")),
            _extra("Trial", tg("hasActiveAgent"), tg("Phase2")),
            _extra("Trial", tg("conditionGroup"), tg("NotAGroup")),
        ),
    ),
    ("no endpoint", "Endpoint", lambda t: t.drop(t.node, tg("hasEndpoint"))),
    ("no source file", "Trial", _without("Trial", tg("sourceFile"))),
    ("bad source files", "Trial", _extra("Trial", tg("sourceFile"), '" "', _ex("file"))),
    (
        "bad source positions",
        "Trial",
        _extra(
            "Trial",
            tg("sourcePosition"),
            typed("0", "integer"),
            typed("abc", "integer"),
            typed("-3", "integer"),
            '"3"',
            typed("2.5", "decimal"),
            typed("+07", "integer"),
        ),
    ),
    (
        "bad checksums",
        "Trial",
        _extra("Trial", tg("sourceChecksum"), '"md5:abc"', typed("sha256:" + "0" * 64, "normalizedString")),
    ),
    (
        "bad registry texts",
        "Trial",
        _all(
            *(
                _extra("Trial", tg(p), *TEXT_VALUES)
                for p in ("officialTitle", "acronym", "leadSponsor", "keyword")
            )
        ),
    ),
    (
        "bad registry codes",
        "Trial",
        _all(
            *(
                _extra("Trial", tg(p), *CODE_VALUES)
                for p in (
                    "studyType",
                    "overallStatus",
                    "startDateType",
                    "primaryCompletionDateType",
                    "completionDateType",
                    "enrollmentType",
                )
            )
        ),
    ),
    (
        "bad dates",
        "Trial",
        _all(
            *(
                _extra("Trial", tg(p), *BAD_DATES)
                for p in ("startDate", "primaryCompletionDate", "completionDate")
            )
        ),
    ),
    (
        "bad enrollments",
        "Trial",
        _extra("Trial", tg("enrollment"), typed("-1", "integer"), typed("12.0", "decimal")),
    ),
    (
        "bad MeSH links",
        "Trial",
        _all(
            *(
                _extra("Trial", tg(p), '"D012345"', "<http://id.nlm.nih.gov/mesh/X123>")
                for p in (
                    "conditionMesh",
                    "conditionMeshAncestor",
                    "interventionMesh",
                    "interventionMeshAncestor",
                )
            )
        ),
    ),
    (
        "trial IRI in lower case",
        "Trial",
        _all(
            _rename("Trial", lambda old: old.replace("/NCT", "/nct")),
        ),
    ),
    ("blank-node trial", "Trial", _rename("Trial", lambda old: "_:trial1")),
    # endpoint
    (
        "endpoint without role and measure",
        "Endpoint",
        _all(_without("Endpoint", tg("role")), _without("Endpoint", tg("measure"))),
    ),
    (
        "bad endpoint texts",
        "Endpoint",
        _all(
            _extra("Endpoint", tg("role"), '"Primary"', '"primary"@en'),
            _extra("Endpoint", tg("measure"), '"  "', _ex("measure")),
            _extra("Endpoint", tg("description"), _ex("d"), '"d2"'),
            _extra("Endpoint", tg("timeFrame"), _ex("tf"), '"tf2"'),
        ),
    ),
    (
        "bad endpoint values",
        "Endpoint",
        _all(
            _extra("Endpoint", tg("timeFrameDuration"), typed("P24X", "duration"), typed("P24M", "duration")),
            _extra(
                "Endpoint",
                tg("ordinal"),
                typed("0", "integer"),
                typed("1.5", "decimal"),
                typed("01", "integer"),
            ),
            _extra("Endpoint", tg("hasTyping"), _ex("typing")),
            _extra("Endpoint", tg("landmark"), '"12 months"', typed("P12M", "duration")),
            _extra("Endpoint", tg("statistic"), '"mean\\nvalue"', typed("median", "token")),
            _extra("Endpoint", tg("assessor"), '"patient \\"self\\""', '"investigator"@en'),
            _extra("Endpoint", tg("responseCriteria"), '"RECIST 2"', typed("RECIST", "token")),
        ),
    ),
    ("endpoint not attached", "Endpoint", _unlink(tg("hasEndpoint"), "Endpoint")),
    ("endpoint of two trials", "Endpoint", _second_parent(tg("hasEndpoint"), "Endpoint")),
    (
        "endpoint IRI without number",
        "Endpoint",
        _rename("Endpoint", lambda old: old.split("/endpoint/")[0] + "/endpoint/primary>"),
    ),
    ("untyped endpoint", "Endpoint", _untype_endpoint),
    # endpoint typing
    ("empty typing, not attached", "Endpoint", _typing("Empty", linked=0)),
    (
        "typing with everything twice",
        "Endpoint",
        _typing(
            "Twice",
            (tg("endpointType"), '"PFS"'),
            (tg("endpointType"), _ex("NotAnEndpointType")),
            (tg("matchedText"), '""'),
            (tg("matchedText"), typed("5", "integer")),
            (tg("matchedIn"), '"title"'),
            (tg("matchedIn"), '"measure"@en'),
            (tg("rule"), '""'),
            (tg("rule"), _ex("rule")),
            (tg("typingFlag"), '"flag"'),
            (tg("typingFlag"), typed("contradicted-abbreviation", "token")),
            (tg("overriddenText"), '""'),
            (tg("overriddenText"), typed("y", "token")),
            linked=2,
        ),
    ),
    (
        "typing IRI with a digit first",
        "Endpoint",
        _typing(
            "1bad", (tg("endpointType"), tg("Endpoint")), (tg("matchedText"), '"x"'), (tg("rule"), '"r"')
        ),
    ),
    # intervention
    (
        "intervention not attached, no label",
        "Intervention",
        _all(_unlink(tg("hasIntervention"), "Intervention"), _without("Intervention", LABEL)),
    ),
    (
        "bad intervention",
        "Intervention",
        _all(
            _second_parent(tg("hasIntervention"), "Intervention"),
            _extra("Intervention", LABEL, '" "', _ex("label")),
            _extra("Intervention", tg("interventionType"), '"drug"', '"DRUG"@en'),
            _extra("Intervention", tg("hasAgent"), f"<{CONDITION_NS}nsclc>", '"aspirin"'),
            _extra("Intervention", tg("mentionsClass"), '"PD-1 inhibitor"', _ex("Class")),
            _extra("Intervention", tg("otherName"), _ex("name")),
            _extra("Intervention", tg("unmappedText"), typed("x", "token")),
            _extra("Intervention", tg("description"), _ex("d"), '"d2"'),
            _extra("Intervention", tg("ordinal"), typed("0", "integer"), typed("x", "integer")),
        ),
    ),
    (
        "intervention IRI with a word",
        "Intervention",
        _rename("Intervention", lambda old: old.rsplit("/", 1)[0] + "/first>"),
    ),
    # arm (new arms, so trials without arms serve too)
    ("arm not attached, no label", "Trial", _arm("77", linked=0)),
    (
        "bad arm",
        "Trial",
        _arm(
            "78",
            (LABEL, '" "'),
            (LABEL, _ex("label")),
            (tg("armType"), '"experimental"'),
            (tg("armType"), '"EXPERIMENTAL"@en'),
            (tg("armIntervention"), _ex("intervention")),
            (tg("hasActiveAgent"), '"aspirin"'),
            (tg("description"), _ex("d")),
            (tg("description"), '"d2"'),
            (tg("ordinal"), typed("0", "integer")),
            (tg("ordinal"), typed("1e3", "integer")),
            linked=2,
        ),
    ),
    ("arm IRI with a word", "Trial", _arm("first", (LABEL, '"Arm"'))),
    # drugs
    (
        "drug without label",
        "Trial",
        _new_node(f"<{DRUG_NS}new-agent>", (A, tg("Drug")), (A, tg("UncuratedDrug"))),
    ),
    (
        "drug with bad labels, blank-node source",
        "Trial",
        _new_node(
            f"<{DRUG_NS}other-agent>",
            (A, tg("UncuratedDrug")),
            (LABEL, '" "'),
            (LABEL, _ex("label")),
            (tg("mechanismSource"), "_:source1"),
            (tg("hasComponent"), _ex("component")),
            (EXACT_MATCH, '"CHEBI:1234"'),
        ),
    ),
    (
        "drug neither curated nor uncurated",
        "Trial",
        _new_node(f"<{DRUG_NS}plain-drug>", (A, tg("Drug")), (LABEL, '"plain"')),
    ),
    (
        "curated drug without source",
        "Trial",
        lambda t: _new_node(f"<{DRUG_NS}curated-agent>", (A, _mechanism_class()), (LABEL, '"c"'))(t),
    ),
    (
        "drug IRI with upper case",
        "Trial",
        _new_node(f"<{DRUG_NS}Bad_Name>", (A, tg("UncuratedDrug")), (LABEL, '"bad"')),
    ),
    (
        "drug of a class the batch declares",
        "Trial",
        _all(
            _new_node(_ex("BatchClass"), (f"<{RDFS.subClassOf}>", _ex("BatchSuperClass"))),
            _new_node(_ex("BatchSuperClass"), (f"<{RDFS.subClassOf}>", tg("ImmuneCheckpointInhibitor"))),
            _new_node(
                f"<{DRUG_NS}batch-class-agent>", (A, _ex("BatchClass")), (tg("mechanismSource"), '"s"')
            ),
            _extra("Trial", tg("hasActiveAgent"), f"<{DRUG_NS}batch-class-agent>"),
        ),
    ),
    (
        "curated drug linked to a literal",
        "Trial",
        _new_node(f"<{DRUG_NS}pembrolizumab>", (EXACT_MATCH, '"D000001"')),
    ),
    # condition entries (the record's conditions as written, in order)
    (
        "condition entry not attached, without wording, ordinal or condition",
        "ConditionEntry",
        _all(
            _unlink(tg("hasConditionEntry"), "ConditionEntry"),
            _without("ConditionEntry", tg("sourceText")),
            _without("ConditionEntry", tg("ordinal")),
            _without("ConditionEntry", tg("entryCondition")),
        ),
    ),
    (
        "bad condition entry",
        "ConditionEntry",
        _all(
            _second_parent(tg("hasConditionEntry"), "ConditionEntry"),
            _extra("ConditionEntry", tg("sourceText"), '"  "', _ex("text")),
            _extra("ConditionEntry", tg("ordinal"), typed("0", "integer"), typed("x", "integer")),
            _extra("ConditionEntry", tg("entryCondition"), f"<{DRUG_NS}pembrolizumab>"),
        ),
    ),
    (
        "condition entry IRI with a word",
        "ConditionEntry",
        _rename("ConditionEntry", lambda old: old.rsplit("/", 1)[0] + "/first>"),
    ),
    (
        "condition entry link to an untyped node",
        "Trial",
        _extra("Trial", tg("hasConditionEntry"), _ex("entry")),
    ),
    # conditions
    ("condition without label", "Trial", _new_node(f"<{CONDITION_NS}no-label>", (A, tg("Condition")))),
    (
        "bad condition",
        "Trial",
        _new_node(
            f"<{CONDITION_NS}Bad_Case>",
            (A, tg("Condition")),
            (LABEL, '" "'),
            (LABEL, _ex("label")),
            (tg("sourceText"), '"x"@en'),
            (tg("conditionGroup"), _ex("group")),
            (EXACT_MATCH, '"D000001"'),
        ),
    ),
    (
        "blank-node condition",
        "Trial",
        _all(
            _extra("Trial", tg("hasCondition"), "_:cond1"),
            _new_node(
                "_:cond1",
                (A, tg("Condition")),
                (LABEL, '"blank"'),
                (tg("sourceText"), '"caf\\u00E9 \\U0001F600 \\\\"'),
            ),
        ),
    ),
    # phases: the vocabulary's individuals, restated in a batch
    ("a seventh phase", "Trial", _new_node(_ex("Phase9"), (A, tg("Phase")))),
    (
        "phase restated wrongly",
        "Trial",
        _all(
            _new_node(tg("Phase2"), (LABEL, _ex("label"))),
            _new_node(tg("Phase3"), (tg("ctgovCode"), '"phase 3"')),
            _new_node(tg("Phase4"), (tg("ctgovCode"), typed("4", "integer"))),
        ),
    ),
    # forms of terms that read the same or render specially
    (
        "explicit xsd:string and language tags",
        "Trial",
        _extra("Trial", tg("keyword"), typed("  ", "string"), '"x"@EN-us', typed("ok", "string")),
    ),
]


@pytest.fixture(scope="module")
def broken_trials() -> list[Trial]:
    pool = [
        t
        for name in ("v2json_nsclcbench_ctg-studies.json.gz", "v2json_urology_ED_ctg-studies.json.zip")
        for t in convert(name, 100)
    ]
    used: set[str] = set()
    broken = []
    for name, cls, mutate in MUTATIONS:
        trial = next(t for t in pool if t.iri not in used and (cls == "Trial" or t.nodes(cls)))
        used.add(trial.iri)
        copy = trial.copy(name)
        mutate(copy)
        broken.append(copy)
    return broken


def _reporting_pairs() -> set[tuple[str, str]]:
    """Every (shape, constraint component) of the shapes file that can report a result."""
    shapes = load_shapes()
    nm = _namespace_manager()
    reporting = set(shapes.subjects(SH.targetClass, None)) | set(shapes.objects(None, SH.property))
    return {
        (_compact(shape, nm), CONSTRAINT_PARAMETERS_MAP[p].constraint_name())
        for shape in reporting
        for p in shapes.predicates(shape, None)
        if p in CONSTRAINT_PARAMETERS_MAP and p != SH.property
    }


@pytest.mark.slow
def test_broken_trials_equal_pyshacl_and_cover_every_constraint(
    fast: FastValidator, broken_trials: list[Trial]
) -> None:
    lines = text_of(broken_trials)
    expected = pyshacl_findings(lines)
    actual = fast.validate_text("\n".join(lines)).findings
    assert_same(expected, actual)
    # every constraint of the shapes file fired somewhere
    fired = {(f.source_shape, f.constraint) for f in expected}
    missing = sorted(_reporting_pairs() - fired)
    assert not missing, f"constraints no broken trial triggers: {missing}"
    # in batches (each broken trial is self-contained), of one trial and of several
    for size in (1, 7):
        assert in_whole_trials(fast, broken_trials, size) == set(expected), size
        assert in_three_steps(fast, broken_trials, size) == set(expected), size


def test_values_render_as_pyshacl_renders_them(fast: FastValidator, broken_trials: list[Trial]) -> None:
    values = {f.value for f in fast.validate_text("\n".join(text_of(broken_trials))).findings if f.value}
    # normalised by rdflib, escaped by rdflib, compacted datatypes, unknown datatypes in full
    assert '"P24X"^^xsd:duration' in values
    assert '"-3"^^xsd:integer' in values
    assert f'"d"^^<{EX}dt>' in values
    assert '"x"@EN-us' in values
    assert '"  "^^xsd:string' in values
    assert any(v.startswith('"""mean') for v in values)  # a newline: rdflib's long quotes
    assert "_:trial1" in {
        f.focus_node for f in fast.validate_text("\n".join(text_of(broken_trials))).findings
    }


# ---------------------------------------------------------------------------------------------
# The broken graphs of test_shapes.py (core ontology only, rdflib graphs with named blank nodes)


def _shapes_cases() -> list[tuple[str, Callable[[Graph], None]]]:
    import test_shapes  # tests/ is on sys.path (pytest rootdir); its cases, kept in one place

    return [(name, mutate) for name, mutate, _expected in test_shapes.CASES]


@pytest.fixture(scope="module")
def core() -> tuple[Graph, FastValidator]:
    ontology = Graph().parse(ontology_dir() / "trialgraph.ttl", format="turtle")
    return ontology, FastValidator(ontology=ontology)


@pytest.mark.parametrize(("name", "mutate"), _shapes_cases(), ids=[c[0] for c in _shapes_cases()])
def test_shapes_cases_equal_pyshacl(
    core: tuple[Graph, FastValidator], name: str, mutate: Callable[[Graph], None]
) -> None:
    import test_shapes

    ontology, validator = core
    graph = test_shapes.valid_graph()
    mutate(graph)
    assert validator.validate_graph(graph) == validate_graph(graph, ontology=ontology), name


def test_valid_graph_of_test_shapes_equals_pyshacl(core: tuple[Graph, FastValidator]) -> None:
    import test_shapes

    ontology, validator = core
    graph = test_shapes.valid_graph()
    assert validator.validate_graph(graph) == validate_graph(graph, ontology=ontology)
    assert validator.validate_vocabulary() == list(validate_graph(Graph(), ontology=ontology).findings)


# ---------------------------------------------------------------------------------------------
# Components and paths the shapes file does not use (yet), against pyshacl on small graphs

PREFIXES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex: <http://example.org/> .
"""

EXTRA_SHAPES = (
    PREFIXES
    + """
ex:ThingShape a sh:NodeShape ;
    sh:targetClass ex:Thing ;
    sh:message "thing" ;
    sh:and ( [ sh:nodeKind sh:IRI ] [ sh:pattern "^http://example\\\\.org/" ] ) ;
    sh:property ex:name , ex:size , ex:code , ex:parts , ex:anyLink , ex:upward , ex:nested , ex:lenient ,
        ex:strict , ex:inverseSequence , ex:off .
# no sh:message of its own (it reports nothing itself); an anonymous property shape
ex:Wrapper a sh:NodeShape ; sh:targetClass ex:Thing ;
    sh:property [ sh:path ex:link ; sh:nodeKind sh:IRI ; sh:message "anonymous"@en , "anonymous" ] .
ex:name a sh:PropertyShape ; sh:path ex:name ; sh:message "name" ; sh:severity sh:Warning ;
    sh:maxLength 5 ; sh:minLength 2 ; sh:pattern "^[a-z]+$" ; sh:flags "i" .
ex:size a sh:PropertyShape ; sh:path ex:size ; sh:message "size" ;
    sh:maxInclusive 10 ; sh:minExclusive 0 ; sh:maxExclusive 9.5 ; sh:datatype xsd:decimal .
ex:code a sh:PropertyShape ; sh:path ex:code ; sh:message "code" ; sh:in ( "A" "B" 1 ex:C ) ;
    sh:hasValue "A" .
ex:parts a sh:PropertyShape ; sh:path ( ex:part [ sh:zeroOrOnePath ex:sub ] ) ; sh:message "parts" ;
    sh:class ex:Part ; sh:nodeKind sh:BlankNodeOrIRI .
ex:anyLink a sh:PropertyShape ; sh:path [ sh:alternativePath ( ex:link ex:other ) ] ; sh:message "links" ;
    sh:maxCount 2 ; sh:datatype rdfs:Literal .
ex:upward a sh:PropertyShape ; sh:path [ sh:zeroOrMorePath ex:parent ] ; sh:message "upward" ;
    sh:minCount 3 ; sh:not [ sh:hasValue ex:Forbidden ] .
ex:nested a sh:PropertyShape ; sh:path ex:part ; sh:message "nested" ; sh:property ex:partLabel .
ex:partLabel a sh:PropertyShape ; sh:path rdfs:label ; sh:message "part label" ; sh:minCount 1 ;
    sh:severity sh:Info .
ex:lenient a sh:PropertyShape ; sh:path ex:size ; sh:message "lenient" ;
    sh:or ( [ sh:datatype xsd:string ; sh:severity sh:Warning ] [ sh:datatype xsd:integer ] ) .
ex:strict a sh:PropertyShape ; sh:path ex:size ; sh:message "strict" ;
    sh:or ( [ sh:datatype xsd:string ] [ sh:datatype xsd:integer ] ) .
# pyshacl inverts each step of a sequence in place: ^ex:part then ^ex:sub (SPARQL: ^ex:sub/^ex:part)
ex:inverseSequence a sh:PropertyShape ; sh:path [ sh:inversePath ( ex:part ex:sub ) ] ;
    sh:message "inverse sequence" ; sh:nodeKind sh:Literal .
ex:off a sh:PropertyShape ; sh:path ex:name ; sh:message "off" ; sh:deactivated true ; sh:minCount 9 .
"""
)

EXTRA_DATA = (
    PREFIXES
    + """
ex:a a ex:Thing ; ex:name "ab", "Abcdefg", "a1" , "q", ex:iri ; ex:size 3.5, 10, 0, "7", 12 ;
    ex:code "A", "B", 1, 2, ex:C, "1" ; ex:part ex:p1, _:p2, "lit" ; ex:link "x", ex:y, 3 ;
    ex:parent ex:b .
ex:b ex:parent ex:c .
ex:c ex:parent ex:Forbidden .
ex:p1 a ex:Part ; rdfs:label "p1" ; ex:sub ex:s1 .
_:p2 a ex:Part ; ex:sub _:s2 .
ex:s1 a ex:Part .
_:s2 a ex:Other ; ex:part ex:z .
ex:z ex:sub ex:a .
ex:w ex:part ex:a .
ex:v ex:sub ex:w .
<urn:x:thing> a ex:Thing ; ex:code "A" ; ex:parent <urn:x:thing> .
_:bthing a ex:Thing ; ex:code "A"^^xsd:string .
"""
)


def test_components_beyond_the_shapes_file_equal_pyshacl() -> None:
    shapes = Graph().parse(data=EXTRA_SHAPES, format="turtle")
    data = Graph().parse(data=EXTRA_DATA, format="turtle")
    # blank nodes as named nodes would change nothing; rdflib keeps the turtle parser's ids
    validator = FastValidator(shapes=shapes, ontology=Graph())
    expected = validate_graph(data, shapes=shapes, ontology=Graph())
    assert validator.validate_graph(data) == expected
    fired = {(f.source_shape.replace(EX, "ex:"), f.constraint) for f in expected.findings}
    for pair in [
        ("ex:name", "MaxLengthConstraintComponent"),
        ("ex:name", "MinLengthConstraintComponent"),
        ("ex:name", "PatternConstraintComponent"),
        ("ex:size", "MaxInclusiveConstraintComponent"),
        ("ex:size", "MinExclusiveConstraintComponent"),
        ("ex:size", "MaxExclusiveConstraintComponent"),
        ("ex:code", "InConstraintComponent"),
        ("ex:parts", "ClassConstraintComponent"),
        ("ex:anyLink", "MaxCountConstraintComponent"),
        ("ex:upward", "NotConstraintComponent"),
        ("ex:partLabel", "MinCountConstraintComponent"),
        ("ex:strict", "OrConstraintComponent"),
        ("ex:inverseSequence", "NodeKindConstraintComponent"),
        ("ex:ThingShape", "AndConstraintComponent"),
    ]:
        assert pair in fired, pair
    assert any(f.source_shape.startswith("_:") and f.message == "anonymous" for f in expected.findings)
    # a member of sh:or with severity sh:Warning always conforms (infos and warnings are allowed)
    assert ("ex:lenient", "OrConstraintComponent") not in fired
    # the inverse of a sequence, read as pyshacl reads it
    assert {f.value for f in expected.findings if f.source_shape == EX + "inverseSequence"} == {EX + "v"}


# ---------------------------------------------------------------------------------------------
# Refused at compile time

UNSUPPORTED = {
    "sh:sparql": 'sh:sparql [ sh:select "SELECT $this WHERE { }" ]',
    "sh:qualifiedValueShape": (
        "sh:property [ sh:path ex:p ; sh:qualifiedValueShape [ sh:class ex:C ] ; "
        'sh:qualifiedMinCount 1 ; sh:message "m" ]'
    ),
    "sh:node": "sh:node [ sh:class ex:C ]",
    "sh:xone": "sh:xone ( [ sh:class ex:C ] [ sh:class ex:D ] )",
    "sh:closed": "sh:closed true",
    "sh:languageIn": 'sh:property [ sh:path ex:p ; sh:languageIn ( "en" ) ; sh:message "m" ]',
    "sh:equals": 'sh:property [ sh:path ex:p ; sh:equals ex:q ; sh:message "m" ]',
    "sh:targetNode": "sh:targetNode ex:n",
    "sh:targetSubjectsOf": "sh:targetSubjectsOf ex:p",
}


@pytest.mark.parametrize("name", sorted(UNSUPPORTED))
def test_unsupported_shapes_are_refused(name: str) -> None:
    shapes = Graph().parse(
        data=PREFIXES + f'ex:S a sh:NodeShape ; sh:targetClass ex:T ; sh:message "m" ; {UNSUPPORTED[name]} .',
        format="turtle",
    )
    with pytest.raises(UnsupportedShapeError):
        FastValidator(shapes=shapes, ontology=Graph())


@pytest.mark.parametrize(
    "turtle",
    [
        'ex:S a sh:NodeShape, rdfs:Class ; sh:message "m" ; sh:class ex:C .',  # implicit class target
        "ex:S a sh:NodeShape ; sh:targetClass ex:T ; sh:class ex:C .",  # no sh:message
        # a property shape without sh:message
        'ex:S a sh:NodeShape ; sh:targetClass ex:T ; sh:message "m" ; '
        "sh:property [ sh:path ex:p ; sh:minCount 1 ] .",
        'ex:S a sh:NodeShape ; sh:targetClass ex:T ; sh:message "m" ; sh:or ( ex:S ) .',  # recursive
        "ex:C a sh:ConstraintComponent ; sh:parameter [ sh:path ex:p ] .",
        'ex:S a sh:NodeShape ; sh:targetClass ex:T ; sh:message "m" ; sh:minCount 1 .',  # on a node shape
    ],
)
def test_other_unsupported_shapes_are_refused(turtle: str) -> None:
    shapes = Graph().parse(data=PREFIXES + turtle, format="turtle")
    with pytest.raises(UnsupportedShapeError):
        FastValidator(shapes=shapes, ontology=Graph())


def test_the_project_shapes_compile() -> None:
    FastValidator(shapes=load_shapes(), ontology=Graph())


# ---------------------------------------------------------------------------------------------
# Parsing, pickling


TRICKY_LINES = [
    '<http://e.org/s> <http://e.org/p> "caf\\u00E9 \\U0001F600 \\t \\"q\\" \\\\ \\n" .',
    '<http://e.org/s> <http://e.org/p> "x"^^<http://www.w3.org/2001/XMLSchema#string> .',
    '<http://e.org/s> <http://e.org/p> "x" .',
    '<http://e.org/s> <http://e.org/p> "007"^^<http://www.w3.org/2001/XMLSchema#integer> .',
    '<http://e.org/s> <http://e.org/p> "P24M"^^<http://www.w3.org/2001/XMLSchema#duration> .',
    '<http://e.org/s> <http://e.org/p> "2020-01-01Z"^^<http://www.w3.org/2001/XMLSchema#date> .',
    '<http://e.org/s> <http://e.org/p> "TRUE"^^<http://www.w3.org/2001/XMLSchema#boolean> .',
    '<http://e.org/s> <http://e.org/p> "x"@EN-us .',
    '<http://e.org/s> <http://e.org/p> "line\u2028sep\u0085next" .',
    "<http://e.org/s>\t<http://e.org/p>   <http://e.org/o>   .  # comment",
    "<http://e.org/s\\u00E9> <http://e.org/p> <http://e.org/o{x}> .",
    '<http://e.org/s> <http://e.org/p> "" .',
]


@pytest.mark.parametrize("line", TRICKY_LINES)
def test_parser_reads_lines_as_rdflib(line: str) -> None:
    ((s, p, o),) = parse_lines([line])
    graph = Graph().parse(data=line + "\n", format="nt")
    ((rs, rp, ro),) = list(graph)
    assert (to_rdflib(s), to_rdflib(p), to_rdflib(o)) == (rs, rp, ro)
    assert str(to_rdflib(o)) == str(ro)


def test_bad_lines_are_refused() -> None:
    for bad in ['<http://e.org/s> <http://e.org/p> "unterminated .', "<s> <p> <o> .", "<http://e.org/s> ."]:
        with pytest.raises(ValueError):
            list(parse_lines([bad]))


def test_validator_pickles(fast: FastValidator, real_trials: list[Trial]) -> None:
    lines = text_of(real_trials[:5])
    copy = pickle.loads(pickle.dumps(fast))
    assert copy.validate_lines(lines) == fast.validate_lines(lines)
    ontology = Graph().parse(ontology_dir() / "trialgraph.ttl", format="turtle")
    custom = FastValidator(ontology=ontology)
    assert pickle.loads(pickle.dumps(custom)).validate_lines(lines) == custom.validate_lines(lines)
