"""`trialgraph serve`: the same answers as the embedded store, the SPARQL 1.1 Protocol, and its limits.

Servers run in this process (a background thread; the queries in their worker processes) on free
loopback ports, over the session's seed and NSCLC graphs.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import io
import json
import os
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import psutil  # type: ignore[import-untyped]
import pyoxigraph as ox
import pytest
import rdflib
from rdflib.query import Result

import trialgraph as tg
from query_cases import CASES, NSCLC_CASES
from trialgraph.engines import OxigraphEngine, Term
from trialgraph.errors import QueryParameterError
from trialgraph.queries import get_query, library
from trialgraph.remote import EndpointError, SparqlEndpointEngine
from trialgraph.runner import _LOCAL_NAME_LOOKUPS, _LOOKUPS, _PREFIX_BLOCK, rows_for
from trialgraph.serve import ServeConfig, SparqlServer
from trialgraph.serve.querycheck import RefusedQuery, inspect_query
from trialgraph.serve.workers import RowsJob

JSON = "application/sparql-results+json"


# -- servers ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_server(seed_dir: Path) -> Iterator[SparqlServer]:
    with SparqlServer(seed_dir, ServeConfig(port=0)) as server:
        yield server


@pytest.fixture(scope="module")
def nsclc_server(nsclc_dir: Path) -> Iterator[SparqlServer]:
    with SparqlServer(nsclc_dir, ServeConfig(port=0)) as server:
        yield server


@pytest.fixture(scope="module")
def limited(seed_dir: Path) -> Iterator[SparqlServer]:
    """One worker, a 2 s time limit, 10 rows, 4 KiB."""
    config = ServeConfig(port=0, workers=1, timeout=2.0, max_rows=10, max_bytes=4096)
    with SparqlServer(seed_dir, config) as server:
        yield server


@pytest.fixture(scope="module")
def memory_limited(seed_dir: Path) -> Iterator[SparqlServer]:
    """One worker that may use 300 MB (an idle one uses about 45), with a time limit far away."""
    config = ServeConfig(port=0, workers=1, timeout=60.0, worker_memory_mb=300)
    with SparqlServer(seed_dir, config) as server:
        yield server


@pytest.fixture(scope="module")
def local_seed(seed_dir: Path) -> OxigraphEngine:
    return OxigraphEngine(tg.load(seed_dir).store)


@pytest.fixture(scope="module")
def local_nsclc(nsclc_dir: Path) -> OxigraphEngine:
    return OxigraphEngine(tg.load(nsclc_dir).store)


class Answer:
    def __init__(self, status: int, headers: Any, body: bytes) -> None:
        self.status, self.headers, self.body = status, headers, body

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    def json(self) -> Any:
        return json.loads(self.body)


def call(
    server: SparqlServer,
    path: str,
    *,
    params: dict[str, str] | None = None,
    data: bytes | None = None,
    headers: dict[str, str] | None = None,
    method: str | None = None,
) -> Answer:
    url = server.url.rstrip("/") + path + ("?" + urllib.parse.urlencode(params) if params else "")
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return Answer(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.headers, error.read())


def sparql_get(server: SparqlServer, query: str, accept: str | None = None, **extra: str) -> Answer:
    return call(
        server, "/sparql", params={"query": query, **extra}, headers={"Accept": accept} if accept else {}
    )


# -- the same answers ------------------------------------------------------------------------------


@pytest.mark.parametrize(("stem", "name", "params"), CASES, ids=[c[0] for c in CASES])
def test_seed_answers_equal_the_embedded_store(
    seed_server: SparqlServer,
    local_seed: OxigraphEngine,
    seed_graph: tg.TrialGraph,
    stem: str,
    name: str,
    params: dict[str, str],
) -> None:
    query = get_query(name)
    expected = rows_for(local_seed, query, params)
    assert rows_for(SparqlEndpointEngine(seed_server.url + "sparql"), query, params) == expected
    answer = call(seed_server, f"/api/queries/{name}", params=params)
    assert answer.status == 200, answer.text
    assert answer.json()["rows"] == expected and answer.json()["truncated"] is None
    remote = tg.query(name, endpoint=seed_server.url + "sparql", **params)  # type: ignore[arg-type]
    pd.testing.assert_frame_equal(remote, seed_graph.query(name, **params))


@pytest.mark.parametrize(("name", "params"), NSCLC_CASES, ids=[f"{n}-{p}" for n, p in NSCLC_CASES])
def test_nsclc_answers_equal_the_embedded_store(
    nsclc_server: SparqlServer, local_nsclc: OxigraphEngine, name: str, params: dict[str, str]
) -> None:
    query = get_query(name)
    expected = rows_for(local_nsclc, query, params)
    assert expected, "a case that selects nothing would prove little"
    assert rows_for(SparqlEndpointEngine(nsclc_server.url + "sparql"), query, params) == expected
    assert call(nsclc_server, f"/api/queries/{name}", params=params).json()["rows"] == expected


def test_every_shipped_query_is_compared() -> None:
    assert {name for _, name, _ in CASES} == set(library())
    assert {name for name, _ in NSCLC_CASES} == set(library())


def test_the_query_library_lists_parameters(seed_server: SparqlServer) -> None:
    listing = call(seed_server, "/api/queries").json()["queries"]
    by_name = {q["name"]: q for q in listing}
    assert set(by_name) == set(library())
    assert by_name["combination_partners"]["parameters"] == [
        {
            "name": "drug",
            "kind": "drug",
            "description": library()["combination_partners"].parameters[0].description,
            "optional": False,
        }
    ]
    assert by_name["endpoints"]["parameters"][0]["optional"] is True


# -- the protocol ----------------------------------------------------------------------------------

# IRIs, plain, typed and dated literals; compared sorted (no ORDER BY: the on-disk sort took 0.4 s)
SELECT = "SELECT ?s ?p ?o WHERE { ?s a <https://w3id.org/trialgraph/ontology#Trial> ; ?p ?o }"


def _local_terms(local: OxigraphEngine, query: str) -> list[tuple[str, ...]]:
    solutions = local.store.query(query)
    assert isinstance(solutions, ox.QuerySolutions)
    names = [v.value for v in solutions.variables]
    return sorted(tuple(str(s[n]) for n in names) for s in solutions)


def test_get_form_post_and_query_post_give_the_same_answer(seed_server: SparqlServer) -> None:
    by_get = sparql_get(seed_server, SELECT)
    by_form = call(
        seed_server,
        "/sparql",
        data=urllib.parse.urlencode({"query": SELECT}).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    by_body = call(
        seed_server, "/sparql", data=SELECT.encode(), headers={"Content-Type": "application/sparql-query"}
    )
    assert by_get.status == by_form.status == by_body.status == 200
    assert by_get.body == by_form.body == by_body.body
    assert by_get.headers["Content-Type"] == JSON


@pytest.mark.parametrize(
    ("accept", "fmt", "content_type"),
    [
        (None, None, JSON),
        ("application/json", None, JSON),
        ("application/sparql-results+xml", None, "application/sparql-results+xml"),
        ("text/csv", None, "text/csv; charset=utf-8"),
        ("text/tab-separated-values", None, "text/tab-separated-values; charset=utf-8"),
        ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", None, "application/sparql-results+xml"),
        ("text/*", None, "text/csv; charset=utf-8"),
        ("text/html", "tsv", "text/tab-separated-values; charset=utf-8"),
    ],
)
def test_select_results_in_every_format_read_back_the_same(
    seed_server: SparqlServer,
    local_seed: OxigraphEngine,
    accept: str | None,
    fmt: str | None,
    content_type: str,
) -> None:
    answer = sparql_get(seed_server, SELECT, accept, **({"format": fmt} if fmt else {}))
    assert answer.status == 200, answer.text
    assert answer.headers["Content-Type"] == content_type
    expected = _local_terms(local_seed, SELECT)
    media = content_type.split(";")[0]
    if media == "text/csv":  # plain values, CRLF lines (RFC 4180)
        rows = list(csv.reader(io.StringIO(answer.text, newline="")))
        assert answer.text.startswith("s,p,o\r\n") and answer.text.endswith("\r\n")
        local = local_seed.store.query(SELECT)
        assert isinstance(local, ox.QuerySolutions)
        plain = [[t.value if isinstance(t, ox.NamedNode | ox.Literal) else str(t) for t in s] for s in local]
        assert rows[0] == ["s", "p", "o"] and sorted(rows[1:]) == sorted(plain)
        assert len(Result.parse(io.BytesIO(answer.body), format="csv").bindings) == len(expected)
        return
    parsed = ox.parse_query_results(answer.body, format=ox.QueryResultsFormat.from_media_type(media))
    assert isinstance(parsed, ox.QuerySolutions)
    assert sorted(tuple(str(s[v]) for v in parsed.variables) for s in parsed) == expected
    assert len(Result.parse(io.BytesIO(answer.body), content_type=media).bindings) == len(expected)


def test_ask_in_json_and_xml(seed_server: SparqlServer) -> None:
    yes = sparql_get(seed_server, "ASK { ?s a <https://w3id.org/trialgraph/ontology#Trial> }")
    assert yes.json() == {"head": {}, "boolean": True}
    no = sparql_get(
        seed_server, "ASK { ?s a <http://example.org/Nothing> }", "application/sparql-results+xml"
    )
    assert no.status == 200 and ox.parse_query_results(no.body, format=ox.QueryResultsFormat.XML) is not None
    assert bool(ox.parse_query_results(no.body, format=ox.QueryResultsFormat.XML)) is False
    assert sparql_get(seed_server, "ASK {}", "text/csv").status == 406


CONSTRUCT = "CONSTRUCT { ?t ?p ?o } WHERE { ?t a <https://w3id.org/trialgraph/ontology#Trial> ; ?p ?o }"


@pytest.mark.parametrize(("accept", "fmt"), [("text/turtle", "turtle"), ("application/n-triples", "nt")])
def test_construct_as_turtle_and_ntriples(
    seed_server: SparqlServer, local_seed: OxigraphEngine, accept: str, fmt: str
) -> None:
    answer = sparql_get(seed_server, CONSTRUCT, accept)
    assert answer.status == 200 and answer.headers["Content-Type"].startswith(accept)
    expected = set(local_seed.store.query(CONSTRUCT))  # type: ignore[arg-type]
    assert expected
    rdf_format = ox.RdfFormat.TURTLE if fmt == "turtle" else ox.RdfFormat.N_TRIPLES
    assert {q.triple for q in ox.parse(answer.body, format=rdf_format)} == expected
    assert len(rdflib.Graph().parse(data=answer.text, format=fmt)) == len(expected)


def test_describe_and_the_default_answer_type_for_graphs(seed_server: SparqlServer) -> None:
    answer = sparql_get(seed_server, "DESCRIBE <https://w3id.org/trialgraph/id/drug/camrelizumab>", "*/*")
    assert answer.status == 200 and answer.headers["Content-Type"].startswith("text/turtle")
    assert "camrelizumab" in answer.text


@pytest.mark.parametrize(
    ("query", "accept", "fmt"),
    [
        (SELECT, "text/turtle", None),
        (SELECT, None, "turtle"),
        (SELECT, None, "yaml"),
        (CONSTRUCT, "application/sparql-results+json", None),
        (CONSTRUCT, "text/csv", None),
    ],
)
def test_unsupported_result_types_are_406(
    seed_server: SparqlServer, query: str, accept: str | None, fmt: str | None
) -> None:
    answer = sparql_get(seed_server, query, accept, **({"format": fmt} if fmt else {}))
    assert answer.status == 406
    assert "available:" in answer.text


def test_dataset_parameters(seed_server: SparqlServer) -> None:
    ask = "ASK { ?s ?p ?o }"
    assert sparql_get(seed_server, ask).json()["boolean"] is True
    # the store's data is in its default graph: a named graph that does not exist holds nothing
    elsewhere = sparql_get(seed_server, ask, **{"default-graph-uri": "http://example.org/none"})
    assert elsewhere.status == 200 and elsewhere.json()["boolean"] is False
    graphs = sparql_get(
        seed_server,
        "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
        **{"named-graph-uri": "http://example.org/g"},
    )
    assert graphs.status == 200 and graphs.json()["results"]["bindings"] == []
    bad = sparql_get(seed_server, ask, **{"default-graph-uri": "not an iri"})
    assert bad.status == 400


@pytest.mark.parametrize(
    ("kwargs", "status", "words"),
    [
        ({"params": {}}, 400, "no query"),
        ({"params": {"query": "SELECT * WHERE { ?s ?p"}}, 400, "SyntaxError"),
        ({"data": b"query=ASK%7B%7D", "headers": {"Content-Type": "text/plain"}}, 415, "POST a query"),
        ({"data": b"x", "method": "PUT"}, 405, "not allowed"),
        (
            {
                "data": b"ASK {}",
                "headers": {"Content-Type": "application/sparql-query"},
                "params": {"query": "ASK {}"},
            },
            400,
            "body",
        ),
    ],
)
def test_bad_requests_say_what_is_wrong(
    seed_server: SparqlServer, kwargs: dict[str, Any], status: int, words: str
) -> None:
    answer = call(seed_server, "/sparql", **kwargs)
    assert answer.status == status and words in answer.text


def test_unknown_paths_and_queries_are_404(seed_server: SparqlServer) -> None:
    assert call(seed_server, "/nothing").status == 404
    unknown = call(seed_server, "/api/queries/no_such_query")
    assert unknown.status == 404 and "known queries" in unknown.json()["error"]
    # a named query is looked up in the library only, never as a file on the server
    assert call(seed_server, "/api/queries/..%2F..%2Fqueries%2Fendpoints.rq").status == 404


def test_a_large_body_is_refused_unread(seed_server: SparqlServer) -> None:
    host, port = seed_server.address
    with socket.create_connection((host, port), timeout=10) as connection:
        connection.sendall(
            b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
            b"Content-Length: 1100000\r\n\r\nSELECT"
        )
        head = connection.recv(4096)
    assert head.startswith(b"HTTP/1.1 413 ")


def test_listens_on_loopback_by_default(seed_server: SparqlServer) -> None:
    assert ServeConfig().host == "127.0.0.1"
    assert seed_server.address[0] == "127.0.0.1"
    from trialgraph.cli_serve import serve

    assert serve.__defaults__ is not None and "127.0.0.1" in serve.__defaults__


def test_a_foreign_host_name_is_refused(seed_server: SparqlServer) -> None:
    """DNS rebinding: a page at evil.example resolving to 127.0.0.1 must not read the endpoint."""
    answer = call(seed_server, "/api/queries", headers={"Host": "evil.example"})
    assert answer.status == 403 and "--allow-host" in answer.json()["error"]
    assert (
        call(seed_server, "/api/queries", headers={"Host": f"localhost:{seed_server.address[1]}"}).status
        == 200
    )


def test_the_page_and_its_assets_are_served_with_a_strict_policy(seed_server: SparqlServer) -> None:
    page = call(seed_server, "/")
    assert page.status == 200 and "text/html" in page.headers["Content-Type"]
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert 'src="/static/app.js"' in page.text
    assert "http" not in page.text.split("<body>")[0]  # nothing from another site: no CDN
    for asset in ("/static/app.js", "/static/style.css"):
        assert call(seed_server, asset).status == 200
    assert "innerHTML" not in call(seed_server, "/static/app.js").text


# -- read-only: updates and SERVICE ----------------------------------------------------------------


def _count(server: SparqlServer) -> int:
    answer = sparql_get(server, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    return int(answer.json()["results"]["bindings"][0]["n"]["value"])


UPDATES = [
    "INSERT DATA { <http://example.org/a> <http://example.org/p> 1 }",
    "  # a comment first\nPREFIX ex: <http://example.org/>\ndelete where { ?s ?p ?o }",
    "DROP ALL",
    "CLEAR DEFAULT",
    "LOAD <http://example.org/data.ttl>",
    "WITH <http://example.org/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
]


def test_updates_are_refused_and_change_nothing(seed_server: SparqlServer) -> None:
    before = _count(seed_server)
    for update in UPDATES:
        answer = sparql_get(seed_server, update)
        assert answer.status == 403 and "read-only" in answer.text, update
        posted = call(
            seed_server,
            "/sparql",
            data=update.encode(),
            headers={"Content-Type": "application/sparql-update"},
        )
        assert posted.status == 403 and "read-only" in posted.text
        form = call(
            seed_server,
            "/sparql",
            data=urllib.parse.urlencode({"update": update}).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert form.status == 403 and "read-only" in form.text
    # a query followed by an update is not a query: the engine's parser refuses it
    assert sparql_get(seed_server, "ASK {} ; DROP ALL").status == 400
    assert _count(seed_server) == before


_CALL = "<http://127.0.0.1:{port}/sparql>"  # a listener of the test's: it counts the engine's calls

#: SERVICE spellings pyoxigraph 0.5 really calls (checked against the engine below)
SERVICE_QUERIES = [
    "SELECT * WHERE { SERVICE %s { ?s ?p ?o } }",
    "select * where { sErViCe %s { ?s ?p ?o } }",
    "SELECT * WHERE {SERVICE%s{?s ?p ?o}}",
    "SELECT * WHERE { SERVICE SILENT %s { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICESILENT %s { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p trueSERVICE %s { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p 1SERVICE %s { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p 1.SERVICE %s { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o.SERVICE %s { ?s ?p ?o } }",
    'SELECT * WHERE { ?s ?p "x"SERVICE %s { ?s ?p ?o } }',
    "SELECT * WHERE { ?s ?p <http://e/o#>SERVICE %s { ?s ?p ?o } }",
    "PREFIX ex: <http://e/> SELECT * WHERE { ?s ?p ex:o\\# SERVICE %s { ?s ?p ?o } }",
    "SELECT * WHERE { # a comment ends at a carriage return\rSERVICE %s { ?s ?p ?o } }",
    "SELECT * WHERE { FILTER(true)SERVICE %s { ?s ?p ?o } }",
    'SELECT * WHERE { ?s ?p """a " quote \\"""" SERVICE %s { ?s ?p ?o } }',
    "SELECT * WHERE { ?s ?p 'it\\'s' SERVICE %s { ?s ?p ?o } }",
    "SELECT * WHERE { { SELECT * WHERE { SERVICE %s { ?s ?p ?o } } } }",
    "ASK { SERVICE %s { ?s ?p ?o } }",
    "DESCRIBE ?s WHERE { SERVICE %s { ?s ?p ?o } }",
]


@pytest.fixture(scope="module")
def listener() -> Iterator[tuple[int, list[int]]]:
    """A TCP port that counts connections (and closes them at once)."""
    server = socket.create_server(("127.0.0.1", 0))
    calls: list[int] = []

    def accept() -> None:
        while True:
            try:
                connection, _ = server.accept()
            except OSError:
                return
            calls.append(1)
            connection.close()

    threading.Thread(target=accept, daemon=True).start()
    yield server.getsockname()[1], calls
    server.close()


def _engine_calls(query: str, listener: tuple[int, list[int]]) -> bool:
    """Whether pyoxigraph, running the query, connects to the listener."""
    calls = listener[1]
    before = len(calls)
    with contextlib.suppress(OSError, RuntimeError, SyntaxError):
        list(_oracle_store().query(query))  # type: ignore[arg-type]
    time.sleep(0.05)
    return len(calls) > before


#: "service" where the engine cannot read it as a keyword
NOT_SERVICE = [
    "SELECT * WHERE { ?s ?p ?o } # SERVICE <http://x/> { }",
    'SELECT * WHERE { ?s ?p "SERVICE <http://x/> { }" }',
    "SELECT * WHERE { ?s ?p '''\nSERVICE <http://x/> { }\n''' }",
    "SELECT * WHERE { ?s <http://example.org/SERVICE> ?o }",
    "SELECT ?service WHERE { ?service ?p ?o }",
    "SELECT $SERVICE WHERE { $SERVICE ?p ?o }",
]


def _oracle_store() -> ox.Store:
    """Data that every SERVICE_QUERIES pattern before the SERVICE matches, so the engine reaches it."""
    store = ox.Store()
    a, p = ox.NamedNode("http://e/a"), ox.NamedNode("http://e/p")
    for o in (
        ox.Literal("x"),
        ox.Literal(True),
        ox.Literal(1),
        ox.NamedNode("http://e/o#"),
        ox.Literal('a " quote "'),
    ):
        store.add(ox.Quad(a, p, o))
    store.add(ox.Quad(a, p, ox.Literal("it's")))
    return store


@pytest.mark.parametrize("template", SERVICE_QUERIES)
def test_service_spellings_the_engine_would_call_are_refused(
    seed_server: SparqlServer, listener: tuple[int, list[int]], template: str
) -> None:
    query = template % _CALL.format(port=listener[0])
    assert _engine_calls(query, listener), "the case must be real: pyoxigraph makes the call"
    with pytest.raises(RefusedQuery, match="SERVICE"):
        inspect_query(query)
    answer = sparql_get(seed_server, query)
    assert answer.status == 403 and "SERVICE" in answer.text


@pytest.mark.parametrize("query", NOT_SERVICE)
def test_service_in_comments_strings_iris_and_variables_is_no_call(
    seed_server: SparqlServer, query: str
) -> None:
    list(_oracle_store().query(query))  # type: ignore[arg-type]  # runs, calls nothing
    assert inspect_query(query).form == "SELECT"
    assert sparql_get(seed_server, query).status == 200


def test_a_service_named_by_a_variable_is_refused() -> None:
    with pytest.raises(RefusedQuery):
        inspect_query("SELECT * WHERE { VALUES ?e { <http://x/> } SERVICE ?e { ?s ?p ?o } }")


def test_a_prefixed_name_with_service_is_refused_with_the_way_out() -> None:
    with pytest.raises(RefusedQuery, match="write that IRI in full"):
        inspect_query("PREFIX schema: <http://schema.org/> SELECT * WHERE { ?s schema:serviceType ?o }")


# -- limits ----------------------------------------------------------------------------------------

CROSS_JOIN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # 1.5e11 rows on the seeds


def test_a_slow_query_is_stopped_and_the_server_answers_afterwards(limited: SparqlServer) -> None:
    before = set(limited.pool.pids())
    started = time.monotonic()
    answer = sparql_get(limited, CROSS_JOIN)
    elapsed = time.monotonic() - started
    assert answer.status == 503 and "timed out" in answer.text
    assert 2.0 <= elapsed < 6.0
    killed = limited.pool.killed[-1]
    assert killed in before and not psutil.pid_exists(killed), (
        "the query's process must be gone, not left running"
    )
    assert sparql_get(limited, "ASK { ?s ?p ?o }").json()["boolean"] is True  # a new worker answers
    assert killed not in limited.pool.pids()


def test_a_slow_named_query_is_stopped_too(limited: SparqlServer, monkeypatch: pytest.MonkeyPatch) -> None:
    slow = get_query("trials_by_phase").text.replace("WHERE {", "WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i .", 1)
    monkeypatch.setitem(
        library(), "trials_by_phase", dataclasses.replace(get_query("trials_by_phase"), text=slow)
    )
    answer = call(limited, "/api/queries/trials_by_phase")
    assert answer.status == 503 and "timed out" in answer.json()["error"]


# every row of a 49-million-row join held in memory to be sorted
MEMORY_HOG = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?a ?d ?c ?f"


def test_a_query_that_takes_too_much_memory_is_stopped(memory_limited: SparqlServer) -> None:
    before = set(memory_limited.pool.pids())
    started = time.monotonic()
    answer = sparql_get(memory_limited, MEMORY_HOG)
    assert answer.status == 503 and "300 MB" in answer.text, answer.text
    assert time.monotonic() - started < 30, "stopped by its memory, long before the 60 s time limit"
    killed = memory_limited.pool.killed[-1]
    assert killed in before and not psutil.pid_exists(killed)
    assert sparql_get(memory_limited, "ASK { ?s ?p ?o }").json()["boolean"] is True  # a new worker answers
    assert sparql_get(memory_limited, "SELECT * WHERE { ?s ?p ?o } LIMIT 5").status == 200


def test_a_negative_memory_limit_is_a_usage_error(seed_dir: Path) -> None:
    from typer.testing import CliRunner

    from trialgraph.cli import app

    result = CliRunner().invoke(app, ["serve", str(seed_dir), "--port", "0", "--worker-memory", "-1"])
    assert result.exit_code == 2 and "--worker-memory >= 0" in result.output


def test_the_memory_figures_come_from_the_system() -> None:
    from trialgraph.serve.workers import default_memory_limit_mb, resident_mb

    mine = resident_mb(os.getpid())
    assert mine is not None and mine == pytest.approx(psutil.Process().memory_info().rss / 2**20, rel=0.05)
    assert resident_mb(2**22 + 12345) is None  # no such process (above the kernel's pid limit)
    total_mb = psutil.virtual_memory().total / 2**20
    assert default_memory_limit_mb(1) == pytest.approx(total_mb * 0.8, rel=0.01)
    assert default_memory_limit_mb(4) == pytest.approx(total_mb * 0.2, rel=0.01)


def test_rows_are_capped_with_a_signal(limited: SparqlServer) -> None:
    answer = sparql_get(limited, "SELECT * WHERE { ?s ?p ?o }")
    assert answer.status == 200 and answer.headers["X-Trialgraph-Truncated"] == "max-rows=10"
    assert len(answer.json()["results"]["bindings"]) == 10
    graph = sparql_get(limited, "CONSTRUCT WHERE { ?s ?p ?o }", "application/n-triples")
    assert graph.headers["X-Trialgraph-Truncated"] == "max-rows=10" and len(graph.text.splitlines()) == 10
    named = call(limited, "/api/queries/endpoints")
    assert named.json()["truncated"] == "max-rows=10" and len(named.json()["rows"]) == 10
    small = sparql_get(limited, "SELECT * WHERE { ?s ?p ?o } LIMIT 3")
    assert "X-Trialgraph-Truncated" not in small.headers


def test_bytes_are_capped_at_whole_rows(limited: SparqlServer) -> None:
    query = "SELECT (CONCAT(?o, ?o, ?o) AS ?x) WHERE { ?s ?p ?o FILTER(STRLEN(STR(?o)) > 400) }"
    for accept in (JSON, "application/sparql-results+xml", "text/csv", "text/tab-separated-values"):
        answer = sparql_get(limited, query, accept)
        assert answer.headers["X-Trialgraph-Truncated"] == "max-bytes=4096"
        assert len(answer.body) <= 4096
    rows = sparql_get(limited, query).json()["results"]["bindings"]  # still a complete document
    assert 0 < len(rows) < 4


# -- parameters are RDF terms ----------------------------------------------------------------------

HOSTILE = [
    'camrelizumab" } ; DROP ALL ; { "',
    "camrelizumab' } UNION { ?x ?y ?z }",
    "} ; DROP ALL ; {",
    "x } } SELECT * WHERE { ?s ?p ?o",
    "camrelizumab\n} INSERT DATA { <a:b> <a:b> <a:b> }",
    "SERVICE <http://127.0.0.1:9/> { }",
    "?x",
    "# comment",
    "\\u0022 ) ) FILTER(true",
    "https://w3id.org/trialgraph/id/drug/x> } ; DROP ALL ; { <x:y",
    "tg:x}DROPALL{",
    "",
]


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize(
    ("name", "param"),
    [
        ("combination_partners", "drug"),
        ("trials_by_endpoint_type", "endpoint_type"),
        ("trials_by_condition_group", "group"),
        ("endpoints", "trial"),
    ],
)
def test_hostile_parameter_values_are_bound_as_terms(
    seed_server: SparqlServer,
    local_seed: OxigraphEngine,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    param: str,
    value: str,
) -> None:
    sent: list[RowsJob] = []
    real_run = seed_server.pool.run

    def record(job: Any, timeout: float) -> Any:
        sent.append(job)
        return real_run(job, timeout)

    monkeypatch.setattr(seed_server.pool, "run", record)
    before = _count_local(local_seed)
    answer = call(seed_server, f"/api/queries/{name}", params={param: value})
    # the value names nothing: a clear parameter error, never a changed query
    assert answer.status == 400, answer.text
    assert f"parameter {param!r}" in answer.json()["error"]
    lookups = [*_LOOKUPS.values(), *_LOCAL_NAME_LOOKUPS.values()]
    known = {_PREFIX_BLOCK + text for text in lookups} | {get_query(name).text}
    for job in sent:
        assert isinstance(job, RowsJob) and job.text in known  # the library's text, untouched
        assert all(isinstance(t, Term) and t.kind == "literal" for t in job.bindings.values())
        assert {t.value for t in job.bindings.values()} <= {value.strip(), value.strip().upper()}
    # and through the SPARQL endpoint (an invalid IRI is pyoxigraph's ValueError there, as locally)
    with pytest.raises((QueryParameterError, ValueError)):
        rows_for(SparqlEndpointEngine(seed_server.url + "sparql"), get_query(name), {param: value})
    assert _count_local(local_seed) == before


def _count_local(local: OxigraphEngine) -> int:
    return len(local.store)


def test_a_literal_full_of_syntax_matches_itself_and_nothing_else(seed_server: SparqlServer) -> None:
    """The endpoint gets the VALUES block the client wrote: the hostile text is one literal."""
    engine = SparqlEndpointEngine(seed_server.url + "sparql")
    query = "SELECT ?v ?n WHERE { BIND(STRLEN(?v) AS ?n) }"
    for value in HOSTILE:
        assert engine.select(query, {"v": Term("literal", value)}) == [{"v": value, "n": len(value)}]


def test_an_unreachable_endpoint_is_a_clear_error() -> None:
    with pytest.raises(EndpointError, match="cannot be reached"):
        SparqlEndpointEngine("http://127.0.0.1:9/sparql", timeout=2).select("ASK {}")
