"""SHACL shapes (shapes/trialgraph.shacl.ttl) and the validation report (trialgraph.validate).

Each broken graph below is the valid graph with one thing changed; the test asserts that the change is
caught by the intended constraint on the intended path, and by nothing else at Violation level.
The tests validate against the core ontology only (ontology/trialgraph.ttl), so they do not depend on
the curated vocabularies; one test checks the full ontology directory against the shapes on its own.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pyshacl
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH

from trialgraph.resources import ontology_dir, shapes_dir
from trialgraph.validate import (
    SHAPES_FILE,
    Finding,
    ValidationReport,
    load_ontology,
    load_shapes,
    validate_graph,
    validate_ntriples,
)

TG = "https://w3id.org/trialgraph/ontology#"
XSD_STRING = URIRef("http://www.w3.org/2001/XMLSchema#string")
XSD_DURATION = URIRef("http://www.w3.org/2001/XMLSchema#duration")
TRIAL = "https://w3id.org/trialgraph/id/trial/NCT01234567"
TGX_TRIAL = "https://w3id.org/trialgraph/id/trial/tgx-0123456789abcdef"
EP1 = TRIAL + "/endpoint/primary-1"
EP2 = TRIAL + "/endpoint/secondary-1"
PEMBRO = "https://w3id.org/trialgraph/id/drug/pembrolizumab"
MYSTERY = "https://w3id.org/trialgraph/id/drug/shr-9999"

PREFIXES = """
@prefix tg: <https://w3id.org/trialgraph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix trial: <https://w3id.org/trialgraph/id/trial/> .
@prefix drug: <https://w3id.org/trialgraph/id/drug/> .
@prefix condition: <https://w3id.org/trialgraph/id/condition/> .
@prefix ex: <http://example.org/test-vocabulary#> .
"""

# Stand-ins for the curated vocabularies (endpoint types, mechanism classes), so the tests need only
# the core ontology.
VOCABULARY = """
ex:ProgressionFreeSurvival rdfs:subClassOf ex:TimeToEvent .
ex:TimeToEvent rdfs:subClassOf tg:Endpoint .
ex:OverallSurvival rdfs:subClassOf ex:TimeToEvent .
ex:PD1Inhibitor rdfs:subClassOf ex:ImmuneCheckpointInhibitor .
ex:ImmuneCheckpointInhibitor rdfs:subClassOf tg:Drug .
"""

VALID = (
    PREFIXES
    + VOCABULARY
    + """
trial:NCT01234567 a tg:Trial ;
    dcterms:title "Pembrolizumab in advanced sarcoma" ;
    dcterms:identifier "NCT01234567" ;
    tg:briefSummary "A phase 2 study." ;
    tg:detailedDescription "Patients receive pembrolizumab." ;
    tg:phase tg:Phase1, tg:Phase2 ;
    tg:phaseEvidence "Phase 1/2" ;
    tg:hasCondition condition:soft-tissue-sarcoma ;
    tg:hasIntervention <https://w3id.org/trialgraph/id/trial/NCT01234567/intervention/1> ,
                       <https://w3id.org/trialgraph/id/trial/NCT01234567/intervention/2> ;
    tg:hasArm <https://w3id.org/trialgraph/id/trial/NCT01234567/arm/1> ;
    tg:hasEndpoint <https://w3id.org/trialgraph/id/trial/NCT01234567/endpoint/primary-1> ,
                   <https://w3id.org/trialgraph/id/trial/NCT01234567/endpoint/secondary-1> ;
    tg:hasActiveAgent drug:pembrolizumab, drug:shr-9999 ;
    tg:sourceFile "ctg-studies.json" ;
    tg:sourcePosition 3 ;
    tg:sourceChecksum "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" .

<https://w3id.org/trialgraph/id/trial/NCT01234567/endpoint/primary-1>
    a tg:Endpoint, ex:ProgressionFreeSurvival ;
    tg:role "primary" ;
    tg:measure "Progression-free survival (PFS)" ;
    tg:description "Time from randomisation to progression or death." ;
    tg:timeFrame "up to 24 months" ;
    tg:timeFrameDuration "P24M"^^xsd:duration ;
    tg:ordinal 1 ;
    tg:hasTyping <https://w3id.org/trialgraph/id/trial/NCT01234567/endpoint/primary-1/typing/PFS> .

<https://w3id.org/trialgraph/id/trial/NCT01234567/endpoint/primary-1/typing/PFS> a tg:EndpointTyping ;
    tg:endpointType ex:ProgressionFreeSurvival ;
    tg:matchedText "PFS" ;
    tg:matchedIn "measure" ;
    tg:rule "abbreviation" .

<https://w3id.org/trialgraph/id/trial/NCT01234567/endpoint/secondary-1> a tg:Endpoint, ex:OverallSurvival ;
    tg:role "secondary" ;
    tg:measure "Overall survival" ;
    tg:ordinal 1 .

<https://w3id.org/trialgraph/id/trial/NCT01234567/intervention/1> a tg:Intervention ;
    rdfs:label "Pembrolizumab" ;
    tg:interventionType "DRUG" ;
    tg:hasAgent drug:pembrolizumab ;
    tg:otherName "MK-3475", "Keytruda" ;
    tg:description "200 mg every 3 weeks" ;
    tg:ordinal 1 .

<https://w3id.org/trialgraph/id/trial/NCT01234567/intervention/2> a tg:Intervention ;
    rdfs:label "SHR-9999 plus placebo" ;
    tg:interventionType "BIOLOGICAL" ;
    tg:hasAgent drug:shr-9999 ;
    tg:unmappedText "placebo" ;
    tg:ordinal 2 .

<https://w3id.org/trialgraph/id/trial/NCT01234567/arm/1> a tg:Arm ;
    rdfs:label "Experimental: pembrolizumab + SHR-9999" ;
    tg:armType "EXPERIMENTAL" ;
    tg:armIntervention <https://w3id.org/trialgraph/id/trial/NCT01234567/intervention/1> ,
                       <https://w3id.org/trialgraph/id/trial/NCT01234567/intervention/2> ;
    tg:hasActiveAgent drug:pembrolizumab, drug:shr-9999 .

drug:pembrolizumab a ex:PD1Inhibitor ;
    rdfs:label "pembrolizumab" ;
    tg:mechanismSource "WHO ATC L01FF02" ;
    skos:exactMatch <http://purl.obolibrary.org/obo/CHEBI_00000> .

drug:shr-9999 a tg:UncuratedDrug ;
    rdfs:label "SHR-9999" .

condition:soft-tissue-sarcoma a tg:Condition ;
    rdfs:label "soft tissue sarcoma" ;
    tg:sourceText "Soft Tissue Sarcoma", "STS" .
"""
)


@pytest.fixture(scope="module")
def core_ontology() -> Graph:
    return Graph().parse(ontology_dir() / "trialgraph.ttl", format="turtle")


def parse(turtle: str) -> Graph:
    return Graph().parse(data=turtle, format="turtle")


def valid_graph() -> Graph:
    return parse(VALID)


def run(graph: Graph, core_ontology: Graph) -> ValidationReport:
    return validate_graph(graph, ontology=core_ontology)


def u(iri: str) -> URIRef:
    return URIRef(iri)


def tg(name: str) -> URIRef:
    return URIRef(TG + name)


def violations(report: ValidationReport) -> list[Finding]:
    return [f for f in report.findings if f.severity == "Violation"]


# ---------------------------------------------------------------------------------------------
# The shapes file itself


def test_shapes_file_parses_and_every_node_shape_is_targeted_or_referenced() -> None:
    shapes = load_shapes()
    assert shapes is load_shapes(), "load_shapes() is cached"
    assert (shapes_dir() / SHAPES_FILE).is_file()
    node_shapes = set(shapes.subjects(RDF.type, SH.NodeShape))
    assert node_shapes, "no sh:NodeShape in the shapes file"
    referenced = set(shapes.objects(None, SH.node)) | set(shapes.objects(None, SH["not"]))
    for shape in node_shapes:
        targeted = any(
            (shape, p, None) in shapes
            for p in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
        )
        assert targeted or shape in referenced, f"{shape} is neither targeted nor referenced"


def test_shapes_are_valid_shacl() -> None:
    """The shapes graph conforms to the W3C SHACL-for-SHACL shapes (pyshacl's meta_shacl)."""
    conforms, _results, text = pyshacl.validate(
        Graph(), shacl_graph=load_shapes(), meta_shacl=True, inference="none"
    )
    assert conforms, text


def test_every_core_class_has_a_targeted_shape(core_ontology: Graph) -> None:
    targeted = set(load_shapes().objects(None, SH.targetClass))
    classes = {c for c in core_ontology.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef)}
    assert classes, "core ontology declares no classes"
    missing = sorted(str(c) for c in classes - targeted)
    assert not missing, f"classes without a shape: {missing}"


def test_every_shape_has_a_name_a_message_and_a_severity() -> None:
    shapes = load_shapes()
    all_shapes = set(shapes.subjects(RDF.type, SH.NodeShape)) | set(
        shapes.subjects(RDF.type, SH.PropertyShape)
    )
    assert all_shapes
    severities = {SH.Violation, SH.Warning, SH.Info}
    for shape in all_shapes:
        assert isinstance(shape, URIRef), "shapes are named, so reports can cite them"
        assert shapes.value(shape, SH.name) is not None, f"{shape} has no sh:name"
        assert shapes.value(shape, SH.message) is not None, f"{shape} has no sh:message"
        assert shapes.value(shape, SH.severity) in severities, f"{shape} has no explicit sh:severity"
    # every property shape is used by some node shape
    used = set(shapes.objects(None, SH.property))
    for shape in shapes.subjects(RDF.type, SH.PropertyShape):
        assert shape in used, f"{shape} is not attached to any node shape"


def test_regular_expressions_compile_and_avoid_unicode_digit_class() -> None:
    for pattern in load_shapes().objects(None, SH.pattern):
        re.compile(str(pattern))
        assert "\\d" not in str(pattern), f"use [0-9], not \\d (matches full-width digits): {pattern}"


def test_ontology_loads_all_turtle_files() -> None:
    ontology = load_ontology()
    assert ontology is load_ontology(), "load_ontology() is cached"
    assert (tg("Phase2"), RDF.type, tg("Phase")) in ontology


def test_curated_vocabulary_conforms_to_the_shapes() -> None:
    """The ontology directory on its own (phases, curated drugs, ...) passes the shapes."""
    report = validate_graph(Graph())
    assert report.conforms, report.render()


# ---------------------------------------------------------------------------------------------
# The valid graph


def test_valid_graph_has_no_violation_or_warning(core_ontology: Graph) -> None:
    report = run(valid_graph(), core_ontology)
    assert report.conforms, report.render()
    assert report.counts["Warning"] == 0, report.render()
    # the uncurated drug is the only info
    assert [(f.focus_node, f.source_shape) for f in report.findings] == [
        (MYSTERY, "tgsh:UncuratedDrugShape")
    ], report.render()
    assert report.findings[0].severity == "Info"


def test_tgx_trial_without_identifier_is_valid(core_ontology: Graph) -> None:
    g = valid_graph()
    data = g.serialize(format="nt").replace("trial/NCT01234567", "trial/tgx-0123456789abcdef")
    g = Graph().parse(data=data, format="nt")
    g.remove((u(TGX_TRIAL), u("http://purl.org/dc/terms/identifier"), None))
    report = run(g, core_ontology)
    assert report.conforms, report.render()


def test_explicit_xsd_string_literals_are_accepted(core_ontology: Graph) -> None:
    """N-Triples writers may write "primary"^^xsd:string; it is the same term as "primary"."""
    g = valid_graph()
    for s, p, o in list(g):
        if isinstance(o, Literal) and o.datatype is None and o.language is None:
            g.remove((s, p, o))
            g.add((s, p, Literal(str(o), datatype=XSD_STRING)))
    report = run(g, core_ontology)
    assert report.conforms, report.render()


# ---------------------------------------------------------------------------------------------
# Broken graphs: each is caught by the intended constraint on the intended path, and only by it

DCT_TITLE = URIRef("http://purl.org/dc/terms/title")
DCT_IDENTIFIER = URIRef("http://purl.org/dc/terms/identifier")


def _no_title(g: Graph) -> None:
    g.remove((u(TRIAL), DCT_TITLE, None))


def _two_titles(g: Graph) -> None:
    g.add((u(TRIAL), DCT_TITLE, Literal("Another title")))


def _bad_identifier(g: Graph) -> None:
    g.set((u(TRIAL), DCT_IDENTIFIER, Literal("NCT1234567")))


def _registered_trial_without_identifier(g: Graph) -> None:
    g.remove((u(TRIAL), DCT_IDENTIFIER, None))


def _phase_not_an_individual(g: Graph) -> None:
    g.add((u(TRIAL), tg("phase"), tg("Phase7")))


def _na_with_phase2(g: Graph) -> None:
    g.remove((u(TRIAL), tg("phase"), tg("Phase1")))
    g.add((u(TRIAL), tg("phase"), tg("PhaseNotApplicable")))


def _endpoint_without_measure(g: Graph) -> None:
    g.remove((u(EP1), tg("measure"), None))


def _endpoint_empty_measure(g: Graph) -> None:
    g.set((u(EP1), tg("measure"), Literal("  ")))


def _bad_role(g: Graph) -> None:
    g.set((u(EP1), tg("role"), Literal("Primary")))


def _bad_duration(g: Graph) -> None:
    g.set((u(EP1), tg("timeFrameDuration"), Literal("P24X", datatype=XSD_DURATION)))


def _endpoint_not_attached(g: Graph) -> None:
    g.remove((u(TRIAL), tg("hasEndpoint"), u(EP2)))


def _unknown_intervention_type(g: Graph) -> None:
    g.set((u(TRIAL + "/intervention/1"), tg("interventionType"), Literal("DRUGS")))


def _unknown_arm_type(g: Graph) -> None:
    g.set((u(TRIAL + "/arm/1"), tg("armType"), Literal("Experimental")))


def _rename(g: Graph, old: URIRef, new: URIRef | BNode) -> None:
    for s, p, o in list(g):
        if old in (s, o):
            g.remove((s, p, o))
            g.add((new if s == old else s, p, new if o == old else o))


def _drug_iri_uppercase(g: Graph) -> None:
    _rename(g, u(PEMBRO), u("https://w3id.org/trialgraph/id/drug/Pembrolizumab"))


def _drug_iri_space(g: Graph) -> None:
    _rename(g, u(PEMBRO), u("https://w3id.org/trialgraph/id/drug/pembro lizumab"))


def _curated_drug_without_source(g: Graph) -> None:
    g.remove((u(PEMBRO), tg("mechanismSource"), None))


def _drug_neither_curated_nor_uncurated(g: Graph) -> None:
    g.remove((u(PEMBRO), RDF.type, None))
    g.add((u(PEMBRO), RDF.type, tg("Drug")))


def _blank_node_endpoint(g: Graph) -> None:
    blank = BNode("ep")
    _rename(g, u(EP2), blank)


def _condition_without_label(g: Graph) -> None:
    g.remove((u("https://w3id.org/trialgraph/id/condition/soft-tissue-sarcoma"), RDFS.label, None))


def _bad_checksum(g: Graph) -> None:
    g.set((u(TRIAL), tg("sourceChecksum"), Literal("md5:abc")))


def _bad_source_position(g: Graph) -> None:
    g.set((u(TRIAL), tg("sourcePosition"), Literal(0)))


def _condition_link_to_drug(g: Graph) -> None:
    g.add((u(TRIAL), tg("hasCondition"), u(PEMBRO)))


def _typing_without_rule(g: Graph) -> None:
    g.remove((u(EP1 + "/typing/PFS"), tg("rule"), None))


def _bad_trial_iri(g: Graph) -> None:
    _rename(g, u(TRIAL), u("https://w3id.org/trialgraph/id/trial/nct01234567"))
    g.remove((None, DCT_IDENTIFIER, None))


INTERVENTION1 = TRIAL + "/intervention/1"
CONDITION = "https://w3id.org/trialgraph/id/condition/soft-tissue-sarcoma"
OR = "OrConstraintComponent"
PATTERN = "PatternConstraintComponent"
MIN_COUNT = "MinCountConstraintComponent"

# name, mutation, (constraint component, result path, focus node, source shape)
CASES: list[tuple[str, Callable[[Graph], None], tuple[str, str | None, str, str]]] = [
    ("trial without title", _no_title, (MIN_COUNT, "dcterms:title", TRIAL, "tgsh:Trial-title-required")),
    (
        "two titles",
        _two_titles,
        ("MaxCountConstraintComponent", "dcterms:title", TRIAL, "tgsh:Trial-title-single"),
    ),
    (
        "bad NCT identifier",
        _bad_identifier,
        (PATTERN, "dcterms:identifier", TRIAL, "tgsh:Trial-identifier-form"),
    ),
    (
        "registered trial without identifier",
        _registered_trial_without_identifier,
        (OR, None, TRIAL, "tgsh:RegisteredTrialIdentifierShape"),
    ),
    (
        "phase not a Phase individual",
        _phase_not_an_individual,
        ("InConstraintComponent", "tg:phase", TRIAL, "tgsh:Trial-phase-value"),
    ),
    ("NA together with PHASE2", _na_with_phase2, (OR, None, TRIAL, "tgsh:TrialPhaseNotApplicableShape")),
    (
        "endpoint without measure",
        _endpoint_without_measure,
        (MIN_COUNT, "tg:measure", EP1, "tgsh:Endpoint-measure-required"),
    ),
    (
        "endpoint with blank measure",
        _endpoint_empty_measure,
        (PATTERN, "tg:measure", EP1, "tgsh:Endpoint-measure-text"),
    ),
    ("bad role", _bad_role, (PATTERN, "tg:role", EP1, "tgsh:Endpoint-role-value")),
    (
        "bad duration literal",
        _bad_duration,
        (
            "DatatypeConstraintComponent",
            "tg:timeFrameDuration",
            EP1,
            "tgsh:Endpoint-timeFrameDuration-form",
        ),
    ),
    (
        "endpoint not attached to a trial",
        _endpoint_not_attached,
        (MIN_COUNT, "^tg:hasEndpoint", EP2, "tgsh:Endpoint-trial-attached"),
    ),
    (
        "intervention with unknown type",
        _unknown_intervention_type,
        (PATTERN, "tg:interventionType", INTERVENTION1, "tgsh:Intervention-interventionType-value"),
    ),
    (
        "arm with unknown type",
        _unknown_arm_type,
        (PATTERN, "tg:armType", TRIAL + "/arm/1", "tgsh:Arm-armType-value"),
    ),
    (
        "drug IRI with upper case",
        _drug_iri_uppercase,
        (PATTERN, None, "https://w3id.org/trialgraph/id/drug/Pembrolizumab", "tgsh:DrugShape"),
    ),
    (
        "drug IRI with a space",
        _drug_iri_space,
        (PATTERN, None, "https://w3id.org/trialgraph/id/drug/pembro lizumab", "tgsh:DrugShape"),
    ),
    (
        "curated drug without mechanismSource",
        _curated_drug_without_source,
        (OR, None, PEMBRO, "tgsh:CuratedDrugSourceShape"),
    ),
    (
        "drug neither curated nor uncurated",
        _drug_neither_curated_nor_uncurated,
        ("HasValueConstraintComponent", "rdf:type/rdfs:subClassOf+", PEMBRO, "tgsh:Drug-classified"),
    ),
    ("blank-node endpoint", _blank_node_endpoint, (PATTERN, None, "_:ep", "tgsh:EndpointShape")),
    (
        "condition without label",
        _condition_without_label,
        (MIN_COUNT, "rdfs:label", CONDITION, "tgsh:Condition-label-required"),
    ),
    (
        "bad checksum",
        _bad_checksum,
        (PATTERN, "tg:sourceChecksum", TRIAL, "tgsh:Trial-sourceChecksum-form"),
    ),
    (
        "source position 0",
        _bad_source_position,
        ("MinInclusiveConstraintComponent", "tg:sourcePosition", TRIAL, "tgsh:Trial-sourcePosition-form"),
    ),
    (
        "condition link to a drug",
        _condition_link_to_drug,
        ("ClassConstraintComponent", "tg:hasCondition", TRIAL, "tgsh:Trial-hasCondition-class"),
    ),
    (
        "typing without rule",
        _typing_without_rule,
        (MIN_COUNT, "tg:rule", EP1 + "/typing/PFS", "tgsh:EndpointTyping-rule-required"),
    ),
    (
        "trial IRI not in canonical form",
        _bad_trial_iri,
        (PATTERN, None, "https://w3id.org/trialgraph/id/trial/nct01234567", "tgsh:TrialShape"),
    ),
]


@pytest.mark.parametrize(("mutate", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_broken_graph_fails_on_the_intended_constraint_only(
    core_ontology: Graph,
    mutate: Callable[[Graph], None],
    expected: tuple[str, str | None, str, str],
) -> None:
    g = valid_graph()
    mutate(g)
    report = run(g, core_ontology)
    assert not report.conforms
    found = violations(report)
    actual = [(f.constraint, f.result_path, f.focus_node, f.source_shape) for f in found]
    assert actual == [expected], report.render()
    assert found[0].message and "constraint not satisfied" not in found[0].message


def test_blank_node_endpoint_message_says_blank_nodes_are_not_allowed(core_ontology: Graph) -> None:
    g = valid_graph()
    _blank_node_endpoint(g)
    (finding,) = violations(run(g, core_ontology))
    assert finding.source_shape == "tgsh:EndpointShape"
    assert "blank nodes" in finding.message


def test_bad_duration_reports_the_literal(core_ontology: Graph) -> None:
    g = valid_graph()
    _bad_duration(g)
    (finding,) = violations(run(g, core_ontology))
    assert finding.value == '"P24X"^^xsd:duration'


# ---------------------------------------------------------------------------------------------
# Warnings and infos


def test_trial_without_phase_is_a_warning_only(core_ontology: Graph) -> None:
    g = valid_graph()
    g.remove((u(TRIAL), tg("phase"), None))
    report = run(g, core_ontology)
    assert report.conforms, report.render()
    warnings = report.of_severity("Warning")
    assert [(f.constraint, f.result_path, f.focus_node) for f in warnings] == [
        ("MinCountConstraintComponent", "tg:phase", TRIAL)
    ]
    assert "Phase not stated" in warnings[0].message


def test_trial_without_endpoint_is_a_warning_only(core_ontology: Graph) -> None:
    g = parse(
        PREFIXES
        + """
trial:tgx-0123456789abcdef a tg:Trial ; dcterms:title "A trial" ; tg:phase tg:Phase2 ;
    tg:sourceFile "seeds/000.txt" ."""
    )
    report = run(g, core_ontology)
    assert report.conforms, report.render()
    assert [(f.severity, f.source_shape) for f in report.findings] == [
        ("Warning", "tgsh:Trial-hasEndpoint-present")
    ]


def test_untyped_endpoint_is_an_info(core_ontology: Graph) -> None:
    g = valid_graph()
    g.remove((u(EP2), RDF.type, None))
    g.add((u(EP2), RDF.type, tg("Endpoint")))
    report = run(g, core_ontology)
    assert report.conforms, report.render()
    infos = [f for f in report.of_severity("Info") if f.focus_node == EP2]
    assert [(f.constraint, f.result_path) for f in infos] == [
        ("HasValueConstraintComponent", "rdf:type/rdfs:subClassOf+")
    ]
    assert infos[0].message.startswith("Untyped endpoint")


def test_uncurated_drug_is_an_info(core_ontology: Graph) -> None:
    report = run(valid_graph(), core_ontology)
    (info,) = report.of_severity("Info")
    assert info.focus_node == MYSTERY
    assert info.message.startswith("Uncurated drug")


# ---------------------------------------------------------------------------------------------
# The rendered report


def test_report_groups_counts_and_orders(core_ontology: Graph) -> None:
    g = valid_graph()
    # three endpoints without a measure, one trial without phase, one bad intervention type
    extra = [TRIAL + f"/endpoint/other-{n}" for n in (1, 2, 3)]
    for iri in extra:
        g.add((u(TRIAL), tg("hasEndpoint"), u(iri)))
        g.add((u(iri), RDF.type, tg("Endpoint")))
        g.add((u(iri), tg("role"), Literal("other")))
    g.remove((u(TRIAL), tg("phase"), None))
    _unknown_intervention_type(g)
    report = run(g, core_ontology)
    assert report.counts == {"Violation": 4, "Warning": 1, "Info": 4}
    text = report.render(max_examples=2)
    assert text == report.render(max_examples=2), "rendering is deterministic"
    lines = text.splitlines()
    assert lines[0] == "SHACL validation: DOES NOT CONFORM (4 violations, 1 warning, 4 infos)"
    # sections in severity order
    v, w, i = (text.index(h) for h in ("VIOLATIONS (", "WARNINGS (", "INFOS ("))
    assert v < w < i
    # the three missing measures are one group of 3, listed before the single bad intervention type
    measure = text.index("[3] An endpoint must have exactly one measure")
    itype = text.index("[1] The intervention type")
    assert v < measure < itype < w
    assert "tgsh:Endpoint-measure-required · MinCountConstraintComponent · path tg:measure" in text
    # two examples shown, then the rest counted
    block = text[measure:itype]
    assert block.count("      - ") == 2
    assert "... and 1 more" in block
    assert extra[0] in block and extra[1] in block
    # the value of a failing literal is shown
    assert 'value "DRUGS"' in text
    # no examples at all: counts only
    bare = report.render(max_examples=0)
    assert "      - " not in bare and "[3] An endpoint must have exactly one measure" in bare
    assert "... and 3 more" in bare


def test_report_conforms_and_empty_render() -> None:
    report = ValidationReport(())
    assert report.conforms
    assert report.counts == {"Violation": 0, "Warning": 0, "Info": 0}
    assert report.render() == "SHACL validation: conforms (0 violations, 0 warnings, 0 infos)"


def test_findings_are_sorted_violations_first(core_ontology: Graph) -> None:
    g = valid_graph()
    g.remove((u(TRIAL), tg("phase"), None))
    _no_title(g)
    report = run(g, core_ontology)
    severities = [f.severity for f in report.findings]
    assert severities == sorted(severities, key=["Violation", "Warning", "Info"].index)
    assert list(report.findings) == sorted(report.findings, key=Finding.sort_key)


def test_validate_ntriples_matches_validate_graph() -> None:
    g = valid_graph()
    _no_title(g)
    from_text = validate_ntriples(g.serialize(format="nt"))
    assert from_text == validate_graph(g)
    assert [f.constraint for f in violations(from_text)] == ["MinCountConstraintComponent"]
    assert validate_ntriples("").conforms


def test_validate_ntriples_accepts_nquads_with_a_graph_per_trial() -> None:
    g = valid_graph()
    _no_title(g)
    graph_name = f"<{TRIAL}>"
    quads = "".join(
        line[: line.rstrip().rfind(".")] + graph_name + " .\n"
        for line in g.serialize(format="nt").splitlines(keepends=True)
        if line.strip()
    )
    assert validate_ntriples(quads) == validate_graph(g)
