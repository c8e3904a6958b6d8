"""Drug networks (trialgraph.network) and `trialgraph network`: counts checked against the named
queries and independent SPARQL, engines alike, GraphML/GEXF round trips, determinism."""

from __future__ import annotations

from collections import Counter
from itertools import combinations
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

import trialgraph as tg
from trialgraph import network
from trialgraph.cli import app
from trialgraph.engines import RdflibEngine
from trialgraph.namespaces import DRUG, TG
from trialgraph.queries import LIST_SEPARATOR, library

CAMRELIZUMAB = DRUG + "camrelizumab"
NAB_PACLITAXEL = DRUG + "nab-paclitaxel"


@pytest.fixture(scope="module")
def nsclc_graph(nsclc_dir: Path) -> tg.TrialGraph:
    return tg.load(nsclc_dir)


def _labelled_edges(graph: nx.Graph, attribute: str) -> dict[frozenset[str], int]:
    label = nx.get_node_attributes(graph, "label")
    return {frozenset((label[u], label[v])): d[attribute] for u, v, d in graph.edges(data=True)}


def _trial_drug_sets(g: tg.TrialGraph) -> dict[str, set[str]]:
    frame = g.query("trial_drugs")
    return {str(t): set(rows["drug"]) for t, rows in frame.groupby("trial")}


# ---------------------------------------------------------------------------------------------
# The combination network


def test_network_queries_are_not_in_the_named_query_library() -> None:
    assert not {q.name for q in library().values()} & {"unit_agents", "agents", "class_members"}
    assert network.network_query("unit_agents").columns  # parsed with the library's header format


def test_seed_combination_network_matches_the_trial_drugs_query(seed_graph: tg.TrialGraph) -> None:
    # The seed records have no arms: each trial's drug set is one regimen.
    expected: Counter[frozenset[str]] = Counter()
    for drugs in _trial_drug_sets(seed_graph).values():
        expected.update(frozenset(pair) for pair in combinations(sorted(drugs), 2))
    graph = network.combination_network(seed_graph)
    assert _labelled_edges(graph, "weight") == dict(expected)
    assert _labelled_edges(graph, "trials") == dict(expected)
    assert {d["label"] for _, d in graph.nodes(data=True)} == set(seed_graph.query("trial_drugs")["drug"])


def test_seed_camrelizumab_is_combined_with_nab_paclitaxel(seed_graph: tg.TrialGraph) -> None:
    graph = network.combination_network(seed_graph)
    assert graph.edges[CAMRELIZUMAB, NAB_PACLITAXEL] == {"weight": 1, "arms": 1, "trials": 1}
    assert graph.nodes[CAMRELIZUMAB]["pd1_axis"] is True
    assert graph.nodes[CAMRELIZUMAB]["classes"] == "PD-1 inhibitor"
    assert graph.nodes[NAB_PACLITAXEL] | {} == {
        "label": "nab-paclitaxel",
        "kind": "drug",
        "classes": "taxane",
        "pd1_axis": False,
        "uncurated": False,
        "arms": 1,
        "trials": 1,
    }
    # nab-paclitaxel is its own agent (a formulation of paclitaxel), never merged with it
    assert DRUG + "paclitaxel" not in graph


def test_nsclc_edge_weights_equal_arms_counted_by_sparql(nsclc_graph: tg.TrialGraph) -> None:
    # Every NSCLC record has arms: the weight must be the number of arms giving both agents,
    # counted here by one aggregate query instead of the network's per-arm pairs.
    counts = nsclc_graph.sparql(
        """PREFIX tg: <https://w3id.org/trialgraph/ontology#>
        SELECT ?a ?b (COUNT(DISTINCT ?arm) AS ?arms) (COUNT(DISTINCT ?trial) AS ?trials) WHERE {
          ?trial tg:hasArm ?arm . ?arm tg:hasActiveAgent ?a, ?b . FILTER(STR(?a) < STR(?b))
        } GROUP BY ?a ?b"""
    )
    expected = {(r.a, r.b): (r.arms, r.trials) for r in counts.itertuples()}
    graph = network.combination_network(nsclc_graph)
    found = {(min(u, v), max(u, v)): (d["arms"], d["trials"]) for u, v, d in graph.edges(data=True)}
    assert found == expected
    assert len(found) > 50
    assert all(d["weight"] == d["arms"] for _, _, d in graph.edges(data=True))
    # trials giving both per arm can only be fewer than trials giving both anywhere (trial_drugs)
    drug_sets = _trial_drug_sets(nsclc_graph)
    for pair, trials in _labelled_edges(graph, "trials").items():
        assert trials <= sum(pair <= drugs for drugs in drug_sets.values())


def test_networks_are_the_same_on_rdflib(seed_graph: tg.TrialGraph) -> None:
    rdflib_engine = RdflibEngine(seed_graph.to_rdflib())
    for kind in network.KINDS:
        ours, theirs = network.build_network(seed_graph, kind), network.build_network(rdflib_engine, kind)
        assert list(ours.nodes(data=True)) == list(theirs.nodes(data=True)), kind
        assert list(ours.edges(data=True)) == list(theirs.edges(data=True)), kind


# ---------------------------------------------------------------------------------------------
# PD-1 partners


def test_seed_pd1_partners(seed_graph: tg.TrialGraph) -> None:
    partners = network.pd1_partners(seed_graph)
    assert partners.drop(columns="partner_iri").to_dict("records") == [
        {
            "partner": "nab-paclitaxel",
            "partner_classes": "taxane",
            "combined_with": "camrelizumab",
            "arms": 1,
            "trials": 1,
        },
        {
            "partner": "tuvonralimab",
            "partner_classes": "CTLA-4 inhibitor",
            "combined_with": "iparomlimab",
            "arms": 1,
            "trials": 1,
        },
    ]


def test_nsclc_pd1_partners_cover_the_pd1_pfs_query(nsclc_graph: tg.TrialGraph) -> None:
    partners = network.pd1_partners(nsclc_graph)
    assert partners["arms"].is_monotonic_decreasing
    assert (partners["trials"] <= partners["arms"]).all()
    pd1_labels = {
        nsclc_graph.sparql(f"SELECT ?l WHERE {{ <{iri}> <http://www.w3.org/2000/01/rdf-schema#label> ?l }}")[
            "l"
        ][0]
        for iri in network.class_members(nsclc_graph)
    }
    assert not set(partners["partner"]) & pd1_labels  # a partner is outside the class
    # every arm-level answer of the shipped PD-1/PFS query is counted here
    answer = nsclc_graph.query("pd1_combinations_measuring_pfs")
    assert len(answer) > 5
    seen: Counter[str] = Counter()
    for row in answer.itertuples():
        for partner in row.partners.split(LIST_SEPARATOR):
            seen[partner] += 1
            assert set(row.pd1_agents.split(LIST_SEPARATOR)) & set(
                partners.set_index("partner").loc[partner, "combined_with"].split(LIST_SEPARATOR)
            )
    arms = partners.set_index("partner")["arms"]
    assert all(arms[p] >= n for p, n in seen.items())
    assert partners.iloc[0]["partner"] in {"carboplatin", "pemetrexed"}


def test_partners_of_another_class(seed_graph: tg.TrialGraph) -> None:
    partners = network.pd1_partners(seed_graph, "tg:CTLA4Inhibitor")
    assert list(partners["partner"]) == ["iparomlimab"]


# ---------------------------------------------------------------------------------------------
# Bipartite networks


def test_seed_drug_endpoint_network_matches_the_endpoints_query(seed_graph: tg.TrialGraph) -> None:
    endpoints = seed_graph.query("endpoints")
    types_of: dict[str, set[str]] = {}
    for row in endpoints.itertuples():
        types_of.setdefault(row.trial, set()).update(t for t in row.endpoint_type.split(LIST_SEPARATOR) if t)
    expected: Counter[frozenset[str]] = Counter()
    for trial, drugs in _trial_drug_sets(seed_graph).items():
        expected.update(frozenset((d, t)) for d in drugs for t in types_of.get(trial, ()))
    graph = network.drug_endpoint_network(seed_graph)
    assert _labelled_edges(graph, "weight") == dict(expected)
    assert nx.is_bipartite(graph)
    sides = nx.get_node_attributes(graph, "bipartite")
    assert {sides[u] + sides[v] for u, v in graph.edges} == {1}
    pfs = graph.edges[CAMRELIZUMAB, TG + "ProgressionFreeSurvival"]
    assert pfs == {"weight": 1, "trials": 1, "primary_trials": 1}


def test_nsclc_drug_condition_group_network_matches_the_group_query(nsclc_graph: tg.TrialGraph) -> None:
    in_group = set(nsclc_graph.query("trials_by_condition_group", group="lung cancer")["trial"])
    drug_sets = _trial_drug_sets(nsclc_graph)
    expected = Counter(d for t in in_group for d in drug_sets.get(t, ()))
    graph = network.drug_condition_network(nsclc_graph, groups=True)
    found = {graph.nodes[d]["label"]: w for _, d, w in graph.edges(TG + "LungCancer", data="weight")}
    assert found == dict(expected)
    assert len(found) > 20
    conditions = network.drug_condition_network(nsclc_graph)
    assert {k for _, k in conditions.nodes(data="kind")} == {"drug", "condition"}


# ---------------------------------------------------------------------------------------------
# Analytics and export


def test_centrality_and_communities_are_deterministic(nsclc_graph: tg.TrialGraph) -> None:
    graph = network.combination_network(nsclc_graph)
    table = network.centrality(graph)
    assert table.equals(network.centrality(network.combination_network(nsclc_graph)))
    assert list(table.columns[:7]) == [
        "label", "kind", "classes", "degree", "weighted_degree", "betweenness", "community"
    ]  # fmt: skip
    assert table["weighted_degree"].is_monotonic_decreasing
    top = table.iloc[0]
    assert top["weighted_degree"] == sum(w for _, _, w in graph.edges(top["node"], data="weight"))
    parts = network.communities(graph)
    assert sorted(n for part in parts for n in part) == sorted(graph)
    assert [len(p) for p in parts] == sorted((len(p) for p in parts), reverse=True)


@pytest.mark.parametrize("suffix", [".graphml", ".gexf"])
def test_export_round_trips_and_is_byte_stable(
    nsclc_graph: tg.TrialGraph, tmp_path: Path, suffix: str
) -> None:
    graph = network.with_analytics(network.combination_network(nsclc_graph))
    path = tmp_path / f"combination{suffix}"
    network.write_network(graph, path)
    back = nx.read_graphml(path) if suffix == ".graphml" else nx.read_gexf(path)
    assert sorted(back.nodes) == sorted(graph.nodes)
    edges = {frozenset((u, v)): int(w) for u, v, w in back.edges(data="weight")}
    assert edges == {frozenset((u, v)): w for u, v, w in graph.edges(data="weight")}
    assert {n: d["label"] for n, d in back.nodes(data=True)} == dict(graph.nodes(data="label"))
    assert {n: d["pd1_axis"] for n, d in back.nodes(data=True)} == dict(graph.nodes(data="pd1_axis"))
    assert {n: d["community"] for n, d in back.nodes(data=True)} == dict(graph.nodes(data="community"))
    again = tmp_path / f"again{suffix}"
    network.write_network(network.with_analytics(network.combination_network(nsclc_graph)), again)
    assert again.read_bytes() == path.read_bytes()


def test_export_refuses_other_formats_and_illegal_attributes(tmp_path: Path) -> None:
    graph = nx.Graph()
    graph.add_node("a", classes=["x", "y"])
    with pytest.raises(ValueError, match="graphml"):
        network.write_network(graph, tmp_path / "g.txt")
    with pytest.raises(TypeError, match="classes"):
        network.write_network(graph, tmp_path / "g.graphml")


# ---------------------------------------------------------------------------------------------
# The command line


def test_cli_network_writes_the_file_and_prints_the_pd1_partners(nsclc_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "nets" / "combination.gexf"
    result = CliRunner().invoke(app, ["network", str(nsclc_dir), "--out", str(out), "--top", "5"])
    assert result.exit_code == 0, result.output
    graph = nx.read_gexf(out)
    assert result.output.startswith(
        f"combination network: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges"
    )
    assert "Most central nodes" in result.output
    assert "Agents most often combined with PD-1/PD-L1 inhibitors" in result.output
    assert "carboplatin" in result.output


def test_cli_network_bipartite_kind(seed_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "de.graphml"
    result = CliRunner().invoke(app, ["network", str(seed_dir), "--kind", "drug-endpoint", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "PD-1/PD-L1" not in result.output
    assert nx.is_bipartite(nx.read_graphml(out))


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--kind", "nope", "--out", "x.graphml"], 2, "use one of combination"),
        (["--out", "x.csv"], 2, "write a .graphml or .gexf file"),
    ],
)
def test_cli_network_usage_errors(seed_dir: Path, args: list[str], code: int, message: str) -> None:
    result = CliRunner().invoke(app, ["network", str(seed_dir), *args])
    assert result.exit_code == code
    assert message in " ".join(result.output.split())
    assert "Traceback" not in result.output


def test_cli_network_without_a_built_graph(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["network", str(tmp_path), "--out", str(tmp_path / "x.gexf")])
    assert result.exit_code == 1
    assert "has no built store" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
