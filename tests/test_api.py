"""The notebook API: build, load, query by name with parameters bound safely."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import trialgraph as tg
from paths import SEEDS
from trialgraph.errors import QueryParameterError, TrialgraphError


def test_build_in_memory_returns_dataframes() -> None:
    graph = tg.build([SEEDS])
    assert graph.report is not None and graph.report.converted == 5
    frame = graph.query("trial_drugs")
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.columns) == ["trial", "nct_id", "drug", "drug_class", "product"]


def test_load_reopens_a_built_directory(seed_dir: Path) -> None:
    graph = tg.load(seed_dir)
    assert len(graph) > 0
    assert "pd1_combinations_measuring_pfs" in set(graph.queries()["name"])


def test_load_of_an_empty_directory_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(TrialgraphError, match="no built store"):
        tg.load(tmp_path)


def test_synonyms_and_code_names_resolve_to_the_same_drug(seed_graph: tg.TrialGraph) -> None:
    by_name = seed_graph.query("combination_partners", drug="camrelizumab")
    by_code = seed_graph.query("combination_partners", drug="SHR-1210")
    by_iri = seed_graph.query("combination_partners", drug="https://w3id.org/trialgraph/id/drug/camrelizumab")
    pd.testing.assert_frame_equal(by_name, by_code)
    pd.testing.assert_frame_equal(by_name, by_iri)
    assert len(by_name) == 1


@pytest.mark.parametrize(
    "hostile",
    [
        'camrelizumab" } UNION { ?trial ?p ?o',
        "camrelizumab' . ?x ?y ?z . #",
        "camrelizumab\n} DELETE WHERE { ?s ?p ?o",
        "} SELECT * WHERE { ?s ?p ?o }",
        "{",
    ],
)
def test_parameter_values_are_never_query_text(seed_graph: tg.TrialGraph, hostile: str) -> None:
    """A hostile value is looked up as a literal and found to name nothing: no syntax error, no rows
    from a rewritten query, and the graph is unchanged."""
    size = len(seed_graph)
    with pytest.raises(QueryParameterError, match="matches nothing"):
        seed_graph.query("combination_partners", drug=hostile)
    assert len(seed_graph) == size


@pytest.mark.parametrize(
    "hostile",
    [
        "http://x> } DELETE WHERE { ?s ?p ?o } #",
        "https://w3id.org/trialgraph/id/drug/camrelizumab> . ?s ?p ?o . <x",
        'https://example.org/"quoted"',
        "http://example.org/a b",
    ],
)
def test_iri_parameter_values_are_checked_before_any_query_is_written(
    seed_graph: tg.TrialGraph, hostile: str
) -> None:
    with pytest.raises(QueryParameterError, match="is not a valid IRI"):
        seed_graph.query("combination_partners", drug=hostile)


def test_endpoint_type_parameter_accepts_label_abbreviation_and_class(seed_graph: tg.TrialGraph) -> None:
    by_abbreviation = seed_graph.query("trials_by_endpoint_type", endpoint_type="PFS")
    by_label = seed_graph.query("trials_by_endpoint_type", endpoint_type="progression-free survival")
    by_name = seed_graph.query("trials_by_endpoint_type", endpoint_type="ProgressionFreeSurvival")
    pd.testing.assert_frame_equal(by_abbreviation, by_label)
    pd.testing.assert_frame_equal(by_abbreviation, by_name)
    assert len(by_abbreviation) >= 4  # seeds 001, 002, 003, 004 (and 000's secondary PFS) measure PFS


def test_a_broader_endpoint_type_includes_its_subtypes(seed_graph: tg.TrialGraph) -> None:
    pfs = seed_graph.query("trials_by_endpoint_type", endpoint_type="PFS")
    time_to_event = seed_graph.query("trials_by_endpoint_type", endpoint_type="tg:TimeToEventEndpoint")
    assert set(pfs["measure"]) < set(time_to_event["measure"])


def test_ad_hoc_sparql(seed_graph: tg.TrialGraph) -> None:
    frame = seed_graph.sparql(
        "PREFIX tg: <https://w3id.org/trialgraph/ontology#> SELECT (COUNT(?t) AS ?n) WHERE { ?t a tg:Trial }"
    )
    assert frame.loc[0, "n"] == 5
