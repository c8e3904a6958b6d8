"""Endpoint types: the curated vocabulary (ontology/endpoint-types.ttl) and the outcome normaliser.

Each rule of trialgraph.normalise.endpoints has small inline cases named after what they guard; the
seeds' outcomes are typed as checked by hand; every outcome of the real ClinicalTrials.gov records in
tests/data/ctgov is typed without error, with coverage figures measured on them.
"""

from __future__ import annotations

import doctest
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from paths import SEEDS
from realdata import json_array_studies, outcomes
from trialgraph.namespaces import TG
from trialgraph.normalise import endpoints
from trialgraph.normalise.endpoints import EndpointTypeAssignment, broader_types, endpoint_types, type_outcome
from trialgraph.resources import ontology_dir

TG_ABBREVIATION = rdflib.URIRef(TG + "abbreviation")
TG_AMBIGUOUS = rdflib.URIRef(TG + "ambiguousAbbreviation")
LABELS = (RDFS.label, SKOS.altLabel, SKOS.hiddenLabel)

# External alignments, each checked against a named source (also cited in endpoint-types.ttl's header).
# A new alignment must be added here with its source, or this test fails.
VERIFIED_ALIGNMENTS = {
    # NCIt C28234 "Progression-free Survival": cismef.org HeTOP page NCI_CO_C28234 (NCIt definitions of
    # PFS), and obo:NCIT_C28234 labelled "Progression-free Survival" in public LinkML/graph models.
    ("ProgressionFreeSurvival", "http://purl.obolibrary.org/obo/NCIT_C28234"),
    # NCIt C125201 "Overall Survival": public data dictionaries ("time until death from any cause
    # (NCIT:C125201)") and LinkML models (obo:NCIT_C125201 OverallSurvival).
    ("OverallSurvival", "http://purl.obolibrary.org/obo/NCIT_C125201"),
}


def local(iri: str) -> str:
    return iri.removeprefix(TG)


def types(measure: str, description: str | None = None) -> list[str]:
    return [local(a.type_iri) for a in type_outcome(measure, description)]


def only(measure: str, description: str | None = None) -> EndpointTypeAssignment:
    [assignment] = type_outcome(measure, description)
    return assignment


@pytest.fixture(scope="module")
def vocabulary() -> rdflib.Graph:
    graph = rdflib.Graph()
    graph.parse(ontology_dir() / "endpoint-types.ttl", format="turtle")
    return graph


# ---------------------------------------------------------------------------------------------
# The vocabulary file


def test_vocabulary_has_the_hierarchy_the_brief_names(vocabulary: rdflib.Graph) -> None:
    expected = {
        "TimeToEventEndpoint": [
            "ProgressionFreeSurvival",
            "OverallSurvival",
            "DurationOfResponse",
            "EventFreeSurvival",
            "DiseaseFreeSurvival",
            "RelapseFreeSurvival",
            "TimeToProgression",
            "TimeToTreatmentFailure",
        ],
        "ResponseEndpoint": [
            "ObjectiveResponseRate",
            "DiseaseControlRate",
            "ClinicalBenefitRate",
            "PathologicalCompleteResponse",
            "CompleteResponseRate",
        ],
        "SafetyEndpoint": ["AdverseEvents", "DoseLimitingToxicity", "MaximumToleratedDose"],
        "PharmacokineticEndpoint": [
            "MaximumConcentration",
            "TimeToMaximumConcentration",
            "AreaUnderCurve",
            "HalfLife",
        ],
        "PatientReportedOutcomeEndpoint": ["QualityOfLife"],
        "BiomarkerEndpoint": ["MinimalResidualDisease"],
    }
    for parent, children in expected.items():
        assert (rdflib.URIRef(TG + parent), RDFS.subClassOf, rdflib.URIRef(TG + "Endpoint")) in vocabulary
        for child in children:
            assert (rdflib.URIRef(TG + child), RDFS.subClassOf, rdflib.URIRef(TG + parent)) in vocabulary, (
                child
            )
    for direct in ("RecommendedPhase2Dose", "PharmacodynamicEndpoint"):
        assert (rdflib.URIRef(TG + direct), RDFS.subClassOf, rdflib.URIRef(TG + "Endpoint")) in vocabulary


def test_every_endpoint_type_is_a_class_with_one_label_and_a_definition(vocabulary: rdflib.Graph) -> None:
    for iri in endpoint_types():
        node = rdflib.URIRef(iri)
        assert (node, RDF.type, OWL.Class) in vocabulary, iri
        assert len(list(vocabulary.objects(node, RDFS.label))) == 1, iri
        assert len(list(vocabulary.objects(node, SKOS.definition))) == 1, iri
    assert len(endpoint_types()) >= 35  # 39 when written


def test_no_label_or_abbreviation_names_two_types(vocabulary: rdflib.Graph) -> None:
    # The matcher maps a matched text back to one type; a shared wording would be silently ambiguous.
    owners: dict[str, set[str]] = {}
    for iri in endpoint_types():
        for prop in LABELS:
            for label in vocabulary.objects(rdflib.URIRef(iri), prop):
                owners.setdefault(endpoints._label_key(str(label)), set()).add(iri)
        for abbreviation in vocabulary.objects(rdflib.URIRef(iri), TG_ABBREVIATION):
            owners.setdefault("abbreviation:" + str(abbreviation), set()).add(iri)
    shared = {key: sorted(iris) for key, iris in owners.items() if len(iris) > 1}
    assert not shared, f"wordings of more than one endpoint type: {shared}"


def test_no_ambiguous_abbreviation_is_also_matched(vocabulary: rdflib.Graph) -> None:
    matched = {str(o) for o in vocabulary.objects(None, TG_ABBREVIATION)}
    ambiguous = {str(o) for o in vocabulary.objects(None, TG_AMBIGUOUS)}
    assert ambiguous >= {"TTP", "TTR", "PD"}
    assert not matched & ambiguous


def test_endpoint_types_are_never_declared_disjoint(vocabulary: rdflib.Graph) -> None:
    # One outcome ("PFS and OS") is one Endpoint node with both types.
    assert not list(vocabulary.triples((None, OWL.disjointWith, None)))
    assert not list(vocabulary.subjects(RDF.type, OWL.AllDisjointClasses))


def test_every_external_alignment_was_verified(vocabulary: rdflib.Graph) -> None:
    alignments = {
        (local(str(s)), str(o))
        for prop in (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch)
        for s, o in vocabulary.subject_objects(prop)
    }
    assert alignments == VERIFIED_ALIGNMENTS


def test_broader_types_follow_the_hierarchy() -> None:
    assert broader_types(TG + "MaximumConcentration") == {TG + "PharmacokineticEndpoint"}
    assert broader_types(TG + "PharmacokineticEndpoint") == frozenset()


def test_module_doctests() -> None:
    assert doctest.testmod(endpoints).failed == 0


# ---------------------------------------------------------------------------------------------
# Rule 1-2: full names


@pytest.mark.parametrize(
    "measure",
    [
        "Progression-Free Survival",
        "progression free survival",
        "PROGRESSION-FREE SURVIVAL",
        "Progression free-survival",
        "Progression–free survival",
        "Progression‐free survival (PFS) rate",
    ],
)
def test_full_name_matches_any_case_and_hyphen_or_space(measure: str) -> None:
    assert types(measure) == ["ProgressionFreeSurvival"]


def test_full_name_keeps_the_original_full_width_span() -> None:
    assert (
        only("Ｏｖｅｒａｌｌ　ｓｕｒｖｉｖａｌ at 2 years").matched_text == "Ｏｖｅｒａｌｌ　ｓｕｒｖｉｖａｌ"
    )


def test_matched_text_survives_characters_that_nfkc_expands() -> None:
    # "㎎" becomes "mg" and "½" becomes "1⁄2": offsets after them must still point at the original.
    assert only("10㎎ and ½ dose arms: Overall survival（OS）").matched_text == "Overall survival"
    assert only("Terminal t½ of drug X").matched_text == "t½"


def test_full_name_needs_word_boundaries() -> None:
    assert types("Nonsafety questionnaire") == []
    assert types("Disease-free survivals") == ["DiseaseFreeSurvival"]  # plural allowed


def test_plural_is_part_of_the_matched_text() -> None:
    assert (
        only("Number of treatment-emergent adverse events").matched_text
        == "treatment-emergent adverse events"
    )


# ---------------------------------------------------------------------------------------------
# Rule 3: abbreviations


def test_abbreviation_inside_full_width_brackets() -> None:
    assignment = only("无进展生存期（PFS）")
    assert (local(assignment.type_iri), assignment.matched_text, assignment.rule) == (
        "ProgressionFreeSurvival",
        "PFS",
        "abbreviation",
    )


@pytest.mark.parametrize("measure", ["pfs", "Pfs at 6 months", "orr"])
def test_abbreviation_is_case_sensitive(measure: str) -> None:
    assert types(measure) == []


@pytest.mark.parametrize(
    "measure", ["Dose escalation", "COSMIC score", "Osmolality", "MOS-SF", "OSDI score", "POS rate"]
)
def test_os_only_as_a_token_not_inside_words(measure: str) -> None:
    assert "OverallSurvival" not in types(measure)


def test_os_as_a_token() -> None:
    assert types("Phase Ib: OS") == ["OverallSurvival"]
    assert types("PFS/OS") == ["ProgressionFreeSurvival", "OverallSurvival"]


@pytest.mark.parametrize(
    "measure",
    ["Duration of SARS-CoV-2 PCR positivity", "real-time PCR analysis", "PCR", "RT-PCR negative rate"],
)
def test_pcr_the_laboratory_test_is_not_pathological_complete_response(measure: str) -> None:
    assert "PathologicalCompleteResponse" not in types(measure)


def test_pcr_written_lower_p_is_pathological_complete_response() -> None:
    assert types("pCR rate") == ["PathologicalCompleteResponse"]


def test_upper_case_pcr_rate_is_typed_only_from_a_spelt_out_description() -> None:
    assert types("PCR rate") == []
    assert types("PCR rate", "To evaluate the pathologic complete response rate (pCR rate)") == [
        "PathologicalCompleteResponse"
    ]


def test_abbreviation_plural() -> None:
    assert types("DLTs") == ["DoseLimitingToxicity"]
    assert only("TEAEs").matched_text == "TEAEs"


def test_abbreviation_followed_by_a_digit_is_another_token() -> None:
    assert types("PFS1") == []
    assert types("Progression free survival 2 (PFS2)") == ["SecondProgressionFreeSurvival"]


@pytest.mark.parametrize(
    ("measure", "matched"),
    [
        ("AUC0-last", "AUC0-last"),
        ("AUCinf of drug X", "AUCinf"),
        ("AUCτ,ss", "AUCτ,ss"),
        ("(Cmax, ss）", "Cmax, ss"),
        ("Cmax", "Cmax"),
        ("CL/F of X", "CL/F"),
    ],
)
def test_pharmacokinetic_symbols_take_subscripts(measure: str, matched: str) -> None:
    assert only(measure).matched_text == matched


@pytest.mark.parametrize("measure", ["TTP", "Serum TTR concentration", "PD", "Number of TTP relapses"])
def test_ambiguous_abbreviations_never_match(measure: str) -> None:
    assert types(measure) == []


# ---------------------------------------------------------------------------------------------
# Rule 4: longest match wins


@pytest.mark.parametrize(
    ("measure", "expected"),
    [
        ("Dose-limiting toxicity", ["DoseLimitingToxicity"]),  # not also "toxicity" (adverse events)
        ("Time to Cmax (Tmax)", ["TimeToMaximumConcentration"]),  # not also Cmax
        ("Time to Reach Maximum Plasma Concentration", ["TimeToMaximumConcentration"]),
        ("Pathological complete response rate", ["PathologicalCompleteResponse"]),  # not also CR rate
        ("Duration of Objective Response (DOR)", ["DurationOfResponse"]),  # not also ORR
        ("Time to objective response", ["TimeToResponse"]),
        ("PFS-2", ["SecondProgressionFreeSurvival"]),  # not also PFS
        ("Objective tumor response", ["ObjectiveResponseRate"]),  # not the broad "tumor response"
    ],
)
def test_longest_match_wins(measure: str, expected: list[str]) -> None:
    assert types(measure) == expected


# ---------------------------------------------------------------------------------------------
# Rule 5: vetoes


def test_dor_spelt_out_as_diagnostic_odds_ratio_is_not_duration_of_response() -> None:
    assert types("Diagnostic odds ratio (DOR)") == []


def test_auc_of_a_roc_curve_is_not_pharmacokinetic() -> None:
    assert types("AUC of the ROC curve") == []
    assert types("Area under the curve (AUC) of the receiver operating characteristic") == []


def test_os_defined_as_osteosarcoma_is_not_overall_survival() -> None:
    assert types("Event-free survival in osteosarcoma (OS)") == ["EventFreeSurvival"]
    assert types("Overall survival in osteosarcoma (OS)") == ["OverallSurvival"]  # the full name still counts


# ---------------------------------------------------------------------------------------------
# Rule 6-7: measure first, the description refines


def test_several_types_in_one_measure_in_text_order() -> None:
    assert types("ORR and DCR") == ["ObjectiveResponseRate", "DiseaseControlRate"]
    assert types("Overall survival and progression-free survival") == [
        "OverallSurvival",
        "ProgressionFreeSurvival",
    ]


def test_one_assignment_per_type_the_first_match() -> None:
    [assignment] = type_outcome("PFS (progression-free survival), PFS rate at 6 months", None)
    assert (assignment.matched_text, assignment.rule) == ("PFS", "abbreviation")


def test_description_is_a_fallback_for_an_untyped_measure() -> None:
    [assignment] = type_outcome("Antitumor efficacy", "expressed as Objective Response Rate (ORR)")
    assert (local(assignment.type_iri), assignment.matched_in, assignment.rule) == (
        "ObjectiveResponseRate",
        "description",
        "fallback:label",
    )


def test_description_does_not_change_a_specific_measure() -> None:
    assert types("ORR", "Disease control rate and duration of response are secondary") == [
        "ObjectiveResponseRate"
    ]


def test_cr_or_pr_in_a_response_definition_adds_no_complete_response_rate() -> None:
    definition = "best overall response of Complete Response (CR) or Partial Response (PR)"
    assert types("ORR", definition) == ["ObjectiveResponseRate"]
    assert types("Tumor response", "ORR, the " + definition) == ["ResponseEndpoint", "ObjectiveResponseRate"]


def test_description_refines_a_broad_measure_type_with_its_subclasses() -> None:
    found = type_outcome("Pharmacokinetic (PK) characteristics", "To evaluate the Cmax and Tmax")
    assert [(local(a.type_iri), a.matched_in, a.rule) for a in found] == [
        ("PharmacokineticEndpoint", "measure", "label"),
        ("MaximumConcentration", "description", "refine:abbreviation"),
        ("TimeToMaximumConcentration", "description", "refine:abbreviation"),
    ]


def test_refinement_stays_inside_the_broad_type() -> None:
    assert types("Safety and tolerability", "AEs; ORR is exploratory") == ["SafetyEndpoint", "AdverseEvents"]


def test_a_broad_type_already_narrowed_in_the_measure_is_not_refined() -> None:
    assert types("Safety: adverse events", "including DLTs") == ["SafetyEndpoint", "AdverseEvents"]


def test_fallback_takes_pharmacokinetic_parameters_only_with_pharmacokinetics_named() -> None:
    # glucose and heart-rate curves have AUC and Cmax too
    assert types("Plasma glucose", "AUC0-4h, AUC0-12h, Cmax and tmax") == []
    assert types("Accumulation ratio", "pharmacokinetic parameter from AUC") == [
        "PharmacokineticEndpoint",
        "AreaUnderCurve",
    ]


def test_missing_or_empty_description() -> None:
    assert type_outcome("Objective response rate", None) == type_outcome("Objective response rate", "")
    assert type_outcome("", None) == ()


def test_typing_is_deterministic() -> None:
    args = ("Safety and tolerance", "The incidence of DLT, TEAEs and SAE")
    assert type_outcome(*args) == type_outcome(*args)


# ---------------------------------------------------------------------------------------------
# The seeds, checked by hand


def seed_outcomes(path: Path) -> list[tuple[str, str | None]]:
    """(measure, description) of each outcome: the two lines after the interventions line,
    "measure, description, time frame|..." (no seed measure contains ", ")."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(("DRUG:", "BIOLOGICAL:")))
    found = []
    for entry in "|".join(lines[start + 1 : start + 3]).split("|"):
        parts = entry.split(", ")
        found.append((parts[0], ", ".join(parts[1:-1]) or None))
    return found


def seed_types(stem: str) -> list[list[str]]:
    [path] = SEEDS.glob(f"{stem}_*.txt")
    return [types(measure, description) for measure, description in seed_outcomes(path)]


def test_seed_000_utidelone() -> None:
    assert seed_types("000") == [
        ["ResponseEndpoint", "ObjectiveResponseRate"],  # "Tumor response ..." + ORR from the description
        ["ClinicalBenefitRate"],
        ["ProgressionFreeSurvival"],
        ["SafetyEndpoint", "AdverseEvents"],  # "Safety profile" + "Treatment-Emergent Adverse Events"
    ]


def test_seed_001_utidelone_capecitabine() -> None:
    assert seed_types("001") == [
        ["ObjectiveResponseRate"],
        ["ProgressionFreeSurvival"],
        ["DiseaseControlRate"],
        ["DurationOfResponse"],
        ["OverallSurvival"],
        ["AdverseEvents"],  # "Treatment-related Adverse Event-TRAE"
    ]


def test_seed_002_sk_nk() -> None:
    pk = "PharmacokineticEndpoint"
    assert seed_types("002") == [
        [
            "SafetyEndpoint",
            "DoseLimitingToxicity",
            "AdverseEvents",
        ],  # "safety and tolerance" + DLT, TEAEs, SAE
        ["ObjectiveResponseRate"],
        [pk, "MaximumConcentration"],
        ["DiseaseControlRate"],
        ["ProgressionFreeSurvival"],
        ["OverallSurvival"],
        [pk, "HalfLife"],
        [pk, "TimeToMaximumConcentration"],
        [pk, "AreaUnderCurve"],  # "AUC0-last"
    ]


def test_seed_003_nab_paclitaxel_camrelizumab() -> None:
    assert seed_types("003") == [["ProgressionFreeSurvival"], ["ObjectiveResponseRate"]]


def test_seed_004_ql1706() -> None:
    assert seed_types("004") == [
        ["ObjectiveResponseRate"],
        ["DiseaseControlRate"],
        ["ProgressionFreeSurvival"],
        ["OverallSurvival"],  # "overall survival time (OS)"
        ["AdverseEvents"],
    ]


def test_seed_matched_texts_are_spans_of_the_source() -> None:
    for path in sorted(SEEDS.glob("*.txt")):
        for measure, description in seed_outcomes(path):
            for a in type_outcome(measure, description):
                field = measure if a.matched_in == "measure" else description
                assert field is not None and a.matched_text in field


# ---------------------------------------------------------------------------------------------
# All outcomes of the real ClinicalTrials.gov records


def real_outcomes() -> Iterator[tuple[str, str | None]]:
    for outcome in outcomes(json_array_studies()):
        yield outcome.get("measure", ""), outcome.get("description")


@pytest.fixture(scope="module")
def typed_real() -> list[tuple[str, str | None, tuple[EndpointTypeAssignment, ...]]]:
    return [(m, d, type_outcome(m, d)) for m, d in real_outcomes()]


def test_every_real_outcome_is_typed_without_error_into_valid_assignments(
    typed_real: list[tuple[str, str | None, tuple[EndpointTypeAssignment, ...]]],
) -> None:
    known = set(endpoint_types())
    assert len(typed_real) >= 1800  # 1,871 outcomes when measured
    for measure, description, found in typed_real:
        assert len({a.type_iri for a in found}) == len(found), measure
        for a in found:
            field = measure if a.matched_in == "measure" else description
            assert a.type_iri in known
            assert field is not None and a.matched_text and a.matched_text in field, (measure, a)
    typed = sum(1 for *_, found in typed_real if found)
    assert typed >= 600  # 666 of 1,871 when measured; the rest are mostly spine and diabetes trials


def share(
    typed_real: list[tuple[str, str | None, tuple[EndpointTypeAssignment, ...]]],
    pattern: str,
    type_name: str,
    flags: int = re.IGNORECASE,
) -> tuple[int, float]:
    selected = [found for measure, _, found in typed_real if re.search(pattern, measure, flags)]
    hits = sum(1 for found in selected if any(local(a.type_iri) == type_name for a in found))
    return len(selected), hits / len(selected)


@pytest.mark.parametrize(
    ("pattern", "type_name", "at_least", "flags"),
    [
        # measured: 64/64, 53/53, 74/74, 55/55
        (r"progression[\s-]*free[\s-]*survival", "ProgressionFreeSurvival", 60, re.IGNORECASE),
        (r"overall survival", "OverallSurvival", 50, re.IGNORECASE),
        (r"adverse event", "AdverseEvents", 70, re.IGNORECASE),
        (r"objective response rate|\bORR\b", "ObjectiveResponseRate", 40, 0),
    ],
)
def test_real_measures_naming_an_endpoint_get_its_type(
    typed_real: list[tuple[str, str | None, tuple[EndpointTypeAssignment, ...]]],
    pattern: str,
    type_name: str,
    at_least: int,
    flags: int,
) -> None:
    count, fraction = share(typed_real, pattern, type_name, flags)
    assert count >= at_least
    assert fraction >= 0.95


def test_real_upper_case_pcr_is_never_pathological_complete_response(
    typed_real: list[tuple[str, str | None, tuple[EndpointTypeAssignment, ...]]],
) -> None:
    checked = 0
    for measure, description, found in typed_real:
        text = f"{measure} {description or ''}"
        if re.search(r"\bPCR\b", text) and not re.search(r"patholog", text, re.IGNORECASE):
            checked += 1
            assert "PathologicalCompleteResponse" not in {local(a.type_iri) for a in found}, measure
    assert checked >= 2  # the SARS-CoV-2 and calcium-channel outcomes when measured


def test_descriptions_add_few_types(
    typed_real: list[tuple[str, str | None, tuple[EndpointTypeAssignment, ...]]],
) -> None:
    # measured: 748 assignments, 57 by fallback and 41 by refinement
    found = [a for *_, assignments in typed_real for a in assignments]
    fallback = sum(1 for a in found if a.rule.startswith(endpoints.FALLBACK))
    refine = sum(1 for a in found if a.rule.startswith(endpoints.REFINE))
    assert len(found) >= 700
    assert 0 < fallback <= 0.1 * len(found)
    assert 0 < refine <= 0.1 * len(found)


def test_typing_is_fast_enough_for_all_of_clinicaltrials_gov() -> None:
    # ~4.5 million outcomes in the full registry; measured ~50 microseconds an outcome here.
    outcomes = list(real_outcomes())
    type_outcome("warm up the vocabulary", None)
    start = time.perf_counter()
    for measure, description in outcomes:
        type_outcome(measure, description)
    per_outcome = (time.perf_counter() - start) / len(outcomes)
    assert per_outcome < 1e-3
