"""The export in a real triple store: Virtuoso, started for the session on loopback (tests/virtuoso.py),
bulk-loads graph.nt of the seeds and of the NSCLC sample, and answers every shipped query through its
SPARQL endpoint exactly as the embedded store does (same rows, same order, same values).

Without Virtuoso these tests fail, never skip: scripts/install-system-packages installs it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

import trialgraph as tg
import virtuoso
from query_cases import CASES, NSCLC_CASES
from trialgraph.queries import get_query, library
from trialgraph.remote import EndpointError, SparqlEndpointEngine
from trialgraph.runner import rows_for

SEED_GRAPH = "urn:trialgraph:test:seeds"
NSCLC_GRAPH = "urn:trialgraph:test:nsclc"


@pytest.fixture(scope="session")
def virtuoso_server(
    tmp_path_factory: pytest.TempPathFactory, seed_dir: Path, nsclc_dir: Path
) -> Iterator[virtuoso.Virtuoso]:
    """One Virtuoso for the session, both exports loaded, each into a graph of its own.

    graph.nt, not graph.nq: graph.nq puts each trial's statements, shared vocabulary included, in
    the trial's named graph, and Virtuoso's default graph is the union of all graphs *as a bag*: a
    triple held by three graphs matches three times (checked: a drug's rdfs:label came back three
    times), so non-DISTINCT answers would repeat rows. graph.nt holds every triple once; one named
    graph per dataset keeps the seeds and the sample apart (the queries name it as
    default-graph-uri) and Virtuoso's own system graphs out of the answers."""
    with virtuoso.running([seed_dir, nsclc_dir], parent=tmp_path_factory.getbasetemp()) as server:
        server.load(seed_dir / "graph.nt", SEED_GRAPH)
        server.load(nsclc_dir / "graph.nt", NSCLC_GRAPH)
        yield server


@pytest.fixture(scope="session")
def seed_endpoint(virtuoso_server: virtuoso.Virtuoso) -> SparqlEndpointEngine:
    return SparqlEndpointEngine(virtuoso_server.endpoint, default_graphs=[SEED_GRAPH])


@pytest.fixture(scope="session")
def nsclc_endpoint(virtuoso_server: virtuoso.Virtuoso) -> SparqlEndpointEngine:
    return SparqlEndpointEngine(virtuoso_server.endpoint, default_graphs=[NSCLC_GRAPH])


@pytest.fixture(scope="session")
def nsclc_local(nsclc_dir: Path) -> tg.TrialGraph:
    return tg.load(nsclc_dir)


def test_every_shipped_query_is_compared_on_virtuoso() -> None:
    assert {name for _, name, _ in CASES} | {name for name, _ in NSCLC_CASES} == set(library())


@pytest.mark.parametrize("dataset", ["seeds", "nsclc"])
def test_virtuoso_holds_every_triple_of_the_export(
    virtuoso_server: virtuoso.Virtuoso, seed_dir: Path, nsclc_dir: Path, dataset: str
) -> None:
    """graph.nt has every triple once, so no triple was dropped or merged by the loader."""
    directory, graph = (seed_dir, SEED_GRAPH) if dataset == "seeds" else (nsclc_dir, NSCLC_GRAPH)
    lines = sum(1 for line in (directory / "graph.nt").open(encoding="utf-8") if line.strip())
    assert virtuoso.triple_count(virtuoso_server, graph) == lines


@pytest.mark.parametrize(("stem", "name", "params"), CASES, ids=[c[0] for c in CASES])
def test_virtuoso_answers_as_the_embedded_store_on_the_seeds(
    seed_graph: tg.TrialGraph,
    seed_endpoint: SparqlEndpointEngine,
    stem: str,
    name: str,
    params: dict[str, str],
) -> None:
    query = get_query(name)
    assert rows_for(seed_endpoint, query, params) == rows_for(seed_graph.engine, query, params)


@pytest.mark.parametrize(("name", "params"), NSCLC_CASES, ids=[f"{n}-{p}" for n, p in NSCLC_CASES])
def test_virtuoso_answers_as_the_embedded_store_on_the_nsclc_sample(
    nsclc_local: tg.TrialGraph, nsclc_endpoint: SparqlEndpointEngine, name: str, params: dict[str, str]
) -> None:
    query = get_query(name)
    expected = rows_for(nsclc_local.engine, query, params)
    assert expected, f"{name} {params} selects nothing in the NSCLC sample: the comparison would prove little"
    assert rows_for(nsclc_endpoint, query, params) == expected


def test_the_graph_can_be_named_in_the_endpoint_url(
    virtuoso_server: virtuoso.Virtuoso, nsclc_local: tg.TrialGraph
) -> None:
    """What a user passes as tg.query(name, endpoint=URL): the protocol parameter in the URL."""
    url = virtuoso_server.endpoint_for(NSCLC_GRAPH)
    frame = tg.query("combination_partners", endpoint=url, drug="pembrolizumab")
    pd.testing.assert_frame_equal(frame, nsclc_local.query("combination_partners", drug="pembrolizumab"))


def test_sub_select_limits_in_the_queries_never_cut(seed_graph: tg.TrialGraph) -> None:
    """The queries expand class hierarchies in sub-selects with a LIMIT (a Virtuoso workaround,
    see the queries' comments): the limit must stay far above the number of classes."""
    classes = seed_graph.sparql(
        "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c <http://www.w3.org/2000/01/rdf-schema#subClassOf> ?d }"
    )
    count = int(str(classes.iloc[0, 0]))
    limits = [int(n) for q in library().values() for n in re.findall(r"\bLIMIT\s+(\d+)", q.text)]
    assert limits, "no sub-select LIMIT left: remove this test"
    assert all(limit >= 100 * count for limit in limits), (limits, count)


def test_an_answer_cut_at_virtuosos_row_limit_is_an_error(seed_dir: Path, tmp_path: Path) -> None:
    """Virtuoso cuts an answer at ResultSetMaxRows with HTTP 200; it must fail, not look whole."""
    with virtuoso.running([seed_dir], max_rows=5, parent=tmp_path) as server:
        server.load(seed_dir / "graph.nt", SEED_GRAPH)
        engine = SparqlEndpointEngine(server.endpoint, default_graphs=[SEED_GRAPH])
        with pytest.raises(EndpointError, match="ResultSetMaxRows=5"):
            rows_for(engine, get_query("endpoints"))
        assert len(rows_for(engine, get_query("trials_by_condition_group"), {"group": "Sarcoma"})) == 1


def test_a_load_error_fails_the_load(virtuoso_server: virtuoso.Virtuoso) -> None:
    """The bulk loader only notes a bad file in DB.DBA.load_list; load() must raise."""
    bad = virtuoso_server.directory / "bad.nt"  # inside DirsAllowed
    bad.write_text('<https://example.org/s> <https://example.org/p> "unterminated .\n', encoding="utf-8")
    with pytest.raises(virtuoso.VirtuosoError, match="Unterminated"):
        virtuoso_server.load(bad, "urn:trialgraph:test:bad")
    # outside DirsAllowed: refused, and said so (not a file under /tmp: Virtuoso 7.2 reads anything
    # there whatever DirsAllowed says)
    with pytest.raises(virtuoso.VirtuosoError, match="denied due to access control"):
        virtuoso_server.load(Path("/etc/passwd"), "urn:trialgraph:test:bad")


def test_a_missing_virtuoso_fails_with_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(virtuoso, "VIRTUOSO", "virtuoso-t-that-is-not-installed")
    with pytest.raises(virtuoso.VirtuosoError, match="install-system-packages"):
        virtuoso.start()


def test_the_combination_network_is_the_same_from_virtuoso(
    nsclc_endpoint: SparqlEndpointEngine, nsclc_local: tg.TrialGraph
) -> None:
    """The networks are built through SPARQL too (queries/network/), so they come out the same from
    any store holding the export."""
    from trialgraph import network

    remote, local = network.combination_network(nsclc_endpoint), network.combination_network(nsclc_local)
    assert sorted(remote.nodes(data=True)) == sorted(local.nodes(data=True))
    assert sorted(remote.edges(data=True)) == sorted(local.edges(data=True))
    assert any(data["pd1_axis"] and data["classes"] for _, data in local.nodes(data=True))
