"""Arm-level combinations and the registry's MeSH links, on small v2 records built inline."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

import trialgraph as tg

PREFIXES = (
    "PREFIX tg: <https://w3id.org/trialgraph/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> PREFIX dcterms: <http://purl.org/dc/terms/> "
)
OUTCOMES = {"primaryOutcomes": [{"measure": "Progression-free survival (PFS)", "timeFrame": "2 years"}]}


def study(nct: str, arms: list[dict[str, Any]], interventions: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "protocolSection": {
            "identificationModule": {"nctId": nct, "briefTitle": f"Trial {nct}"},
            "designModule": {"studyType": "INTERVENTIONAL", "phases": ["PHASE3"]},
            "conditionsModule": {"conditions": ["Non-small Cell Lung Cancer"]},
            "armsInterventionsModule": {"armGroups": arms, "interventions": interventions},
            "outcomesModule": OUTCOMES,
        }
    }


def drug(name: str, *arms: str) -> dict[str, Any]:
    return {"type": "DRUG", "name": name, "armGroupLabels": list(arms)}


@pytest.fixture(scope="module")
def graph(tmp_path_factory: pytest.TempPathFactory) -> tg.TrialGraph:
    studies = [
        # PD-1 drug versus chemotherapy: two arms, one agent each -> not a combination
        study(
            "NCT90000001",
            [
                {"label": "Pembrolizumab", "type": "EXPERIMENTAL"},
                {"label": "Docetaxel", "type": "ACTIVE_COMPARATOR"},
            ],
            [drug("Pembrolizumab", "Pembrolizumab"), drug("Docetaxel", "Docetaxel")],
        ),
        # the arm lists its interventions in the display form only ("Drug: X")
        study(
            "NCT90000002",
            [
                {
                    "label": "Combo",
                    "type": "EXPERIMENTAL",
                    "interventionNames": ["Drug: Nivolumab", "Drug: Ipilimumab"],
                },
                {"label": "Nivo", "type": "EXPERIMENTAL", "interventionNames": ["Drug: Nivolumab"]},
            ],
            [drug("Nivolumab"), drug("Ipilimumab")],
        ),
        # placebo is not an agent: PD-1 + placebo is not a combination
        study(
            "NCT90000003",
            [{"label": "A", "type": "EXPERIMENTAL"}, {"label": "B", "type": "PLACEBO_COMPARATOR"}],
            [drug("Atezolizumab", "A", "B"), {"type": "DRUG", "name": "Placebo", "armGroupLabels": ["A"]}],
        ),
    ]
    path = tmp_path_factory.mktemp("arms") / "studies.json"
    path.write_text(json.dumps(studies))
    return tg.build([path])


def test_pd1_versus_chemotherapy_is_not_a_combination(graph: tg.TrialGraph) -> None:
    answer = graph.query("pd1_combinations_measuring_pfs")
    assert "NCT90000001" not in set(answer["nct_id"])
    assert "NCT90000003" not in set(answer["nct_id"])


def test_combination_is_read_per_arm_from_the_display_form(graph: tg.TrialGraph) -> None:
    answer = graph.query("pd1_combinations_measuring_pfs")
    rows = answer[answer["nct_id"] == "NCT90000002"]
    assert rows[["level", "arm", "pd1_agents", "partners", "pfs_role"]].values.tolist() == [
        ["arm", "Combo", "nivolumab", "ipilimumab", "primary"]
    ]


def test_arms_carry_label_type_and_agents(graph: tg.TrialGraph) -> None:
    rows = graph.sparql(
        PREFIXES + "SELECT ?label ?type ?agent WHERE { <https://w3id.org/trialgraph/id/trial/NCT90000001> "
        "tg:hasArm ?a . ?a rdfs:label ?label ; tg:armType ?type ; tg:hasActiveAgent ?d . "
        "?d rdfs:label ?agent } ORDER BY ?label"
    )
    assert rows.values.tolist() == [
        ["Docetaxel", "ACTIVE_COMPARATOR", "docetaxel"],
        ["Pembrolizumab", "EXPERIMENTAL", "pembrolizumab"],
    ]
    assert graph.report is not None and graph.report.validation is not None
    assert graph.report.validation.conforms


MESH_STUDY = "NCT05231083"  # urology zip: condition "Erectile Dysfunction", browseLeaves asFound it


def test_registry_mesh_terms_and_condition_links() -> None:
    from realdata import CTGOV

    graph = tg.build([CTGOV / "v2json_urology_ED_ctg-studies.json.zip"], validate=False)
    rows = graph.sparql(
        PREFIXES
        + f'SELECT ?mesh ?match WHERE {{ ?t dcterms:identifier "{MESH_STUDY}" ; tg:conditionMesh ?mesh ; '
        "tg:hasCondition ?c . OPTIONAL { ?c skos:exactMatch ?match } }"
    )
    meshes = set(rows["mesh"])
    assert all(m.startswith("http://id.nlm.nih.gov/mesh/D") for m in meshes)
    # the registry's padded id D000007172 becomes NLM's D007172
    assert "http://id.nlm.nih.gov/mesh/D007172" in set(rows["match"])


def test_csv_conditions_get_mesh_from_the_learned_table(tmp_path: Path) -> None:
    csv = tmp_path / "export.csv"
    csv.write_text("NCT Number,Study Title,Conditions\nNCT90000009,A study,Erectile Dysfunction\n")
    graph = tg.build([csv], validate=False)
    rows = graph.sparql(
        PREFIXES + "SELECT ?m WHERE { <https://w3id.org/trialgraph/id/condition/erectile-dysfunction> "
        "skos:exactMatch ?m }"
    )
    assert list(rows["m"]) == ["http://id.nlm.nih.gov/mesh/D007172"]


def test_trimmed_record_converts(tmp_path: Path) -> None:
    minimal = {
        "protocolSection": {"identificationModule": {"nctId": "NCT90000010", "briefTitle": "Only a title"}}
    }
    path = tmp_path / "one.json"
    path.write_text(json.dumps(copy.deepcopy(minimal)))
    graph = tg.build([path])
    assert graph.report is not None and graph.report.converted == 1
    assert graph.report.validation is not None and graph.report.validation.conforms
