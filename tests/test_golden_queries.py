"""Every named query's answer on seeds/ equals its golden file, on the embedded store and on rdflib.

The golden files in tests/golden/seeds/ were generated with `pytest --update-golden`, then checked
by hand against the seed texts (tests/golden/README.md says how); they are never regenerated blindly.
"""

from __future__ import annotations

from pathlib import Path
from typing import cast

import pandas as pd
import pyoxigraph as ox
import pytest
import rdflib

import trialgraph as tg
from paths import GOLDEN
from query_cases import CASES, NSCLC, NSCLC_CASES
from trialgraph.engines import OxigraphEngine, RdflibEngine
from trialgraph.queries import get_query, library
from trialgraph.runner import rows_for
from trialgraph.tables import render


def test_every_query_has_a_golden_case() -> None:
    assert {name for _, name, _ in CASES} == set(library())


@pytest.mark.parametrize(("stem", "name", "params"), CASES, ids=[c[0] for c in CASES])
def test_golden_answer(
    seed_graph: tg.TrialGraph, update_golden: bool, stem: str, name: str, params: dict[str, str]
) -> None:
    frame = seed_graph.query(name, **params)
    actual = render(frame, "csv")
    path: Path = GOLDEN / "seeds" / f"{stem}.csv"
    if update_golden:
        path.write_text(actual, encoding="utf-8")
    assert actual == path.read_text(encoding="utf-8"), f"{name} {params} differs from {path.name}"


@pytest.fixture(scope="module")
def rdflib_engine(seed_dir: Path) -> RdflibEngine:
    graph = rdflib.Graph()
    graph.parse(seed_dir / "graph.nt", format="nt")
    return RdflibEngine(graph)


@pytest.mark.parametrize(("stem", "name", "params"), CASES, ids=[c[0] for c in CASES])
def test_rdflib_gives_the_same_answer(
    seed_graph: tg.TrialGraph, rdflib_engine: RdflibEngine, stem: str, name: str, params: dict[str, str]
) -> None:
    query = get_query(name)
    assert rows_for(rdflib_engine, query, params) == rows_for(seed_graph.engine, query, params)


@pytest.fixture(scope="module")
def nsclc_graph() -> tg.TrialGraph:
    return tg.build([NSCLC], validate=False)


def test_pd1_pfs_answer_on_the_nsclc_sample(nsclc_graph: tg.TrialGraph, update_golden: bool) -> None:
    """Checked by hand trial by trial against the records (tests/golden/README.md, "NSCLC")."""
    actual = render(nsclc_graph.query("pd1_combinations_measuring_pfs"), "csv")
    path = GOLDEN / "nsclc" / "pd1_combinations_measuring_pfs.csv"
    if update_golden:
        path.write_text(actual, encoding="utf-8")
    assert actual == path.read_text(encoding="utf-8")


def test_pd1_pfs_answer_is_the_two_known_trials(seed_graph: tg.TrialGraph) -> None:
    """The acceptance answer of the foundation issue, stated in words rather than ids."""
    frame = seed_graph.query("pd1_combinations_measuring_pfs")
    assert len(frame) == 2
    by_agent = {row.pd1_agents: row for row in frame.itertuples()}
    assert set(by_agent) == {"camrelizumab", "iparomlimab"}
    sarcoma, ql1706 = by_agent["camrelizumab"], by_agent["iparomlimab"]
    assert "Soft Tissue Sarcoma" in sarcoma.title and sarcoma.pfs_role == "primary"
    assert "paclitaxel" in sarcoma.partners
    assert "QL1706" in ql1706.title and ql1706.pfs_role == "secondary"
    assert ql1706.partners == "tuvonralimab"


def test_in_memory_and_on_disk_builds_agree(seed_graph: tg.TrialGraph) -> None:
    memory = tg.build([GOLDEN.parent.parent / "seeds"])
    for stem, name, params in CASES:
        pd.testing.assert_frame_equal(
            memory.query(name, **params), seed_graph.query(name, **params), obj=stem
        )


@pytest.fixture(scope="module")
def nsclc_rdflib(nsclc_graph: tg.TrialGraph) -> RdflibEngine:
    graph = rdflib.Graph()
    graph.parse(
        data=cast(OxigraphEngine, nsclc_graph.engine)
        .store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
        .decode(),
        format="nt",
    )
    return RdflibEngine(graph)


@pytest.mark.parametrize(("name", "params"), NSCLC_CASES, ids=[f"{n}-{p}" for n, p in NSCLC_CASES])
def test_engines_agree_on_real_records(
    nsclc_graph: tg.TrialGraph, nsclc_rdflib: RdflibEngine, name: str, params: dict[str, str]
) -> None:
    query = get_query(name)
    rows = rows_for(nsclc_graph.engine, query, params)
    assert rows_for(nsclc_rdflib, query, params) == rows
    assert rows, f"{name} {params} selects nothing in the NSCLC sample: the comparison would prove little"


@pytest.mark.parametrize("name", ["endpoints", "trial_drugs"])
def test_a_trial_parameter_selects_that_trials_rows(nsclc_graph: tg.TrialGraph, name: str) -> None:
    """The listing queries take an optional trial (NCT id, any case, or IRI): the rows of that trial,
    found by one identifier lookup however large the graph."""
    everything = nsclc_graph.query(name)
    nct_id = "NCT04736823"
    expected = everything[everything["nct_id"] == nct_id].reset_index(drop=True)
    assert len(expected) > 1
    for value in (nct_id, nct_id.lower(), "https://w3id.org/trialgraph/id/trial/" + nct_id):
        pd.testing.assert_frame_equal(nsclc_graph.query(name, trial=value).reset_index(drop=True), expected)


def test_trial_drugs_lists_trials_not_arms(nsclc_graph: tg.TrialGraph) -> None:
    """Arms have active agents too; the listing is one row per trial and agent (every NSCLC record
    has an NCT id, so a row without one would be an arm)."""
    frame = nsclc_graph.query("trial_drugs")
    assert frame["nct_id"].notna().all() and (frame["nct_id"] != "").all()
    assert not frame["trial"].str.contains("/arm/").any()
    assert frame["nct_id"].nunique() > 50


def test_combination_partner_counts_are_trials_given_both(nsclc_graph: tg.TrialGraph) -> None:
    """The "trials" count of each partner equals the trials whose drugs (trial_drugs) include both:
    arms, which have active agents too, are not counted as trials."""
    drugs_by_trial = nsclc_graph.query("trial_drugs").groupby("nct_id")["drug"].apply(set)
    partners = nsclc_graph.query("combination_partners", drug="carboplatin")
    assert len(partners) > 5
    for row in partners.itertuples():
        expected = sum(1 for drugs in drugs_by_trial if {"carboplatin", row.partner} <= drugs)
        assert row.trials == expected, row.partner
