"""SparqlEndpointEngine against a scripted endpoint: result values, parameter binding, and failures that
must never pass as an answer (an error status, a capped answer, something that is not SPARQL JSON)."""

from __future__ import annotations

import json
import threading
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from trialgraph.engines import Term
from trialgraph.remote import TRUNCATED_HEADER, EndpointError, SparqlEndpointEngine

XSD = "http://www.w3.org/2001/XMLSchema#"
ANSWER = {
    "head": {"vars": ["iri", "count", "ratio", "flag", "text", "old", "blank", "missing"]},
    "results": {
        "bindings": [
            {
                "iri": {"type": "uri", "value": "https://w3id.org/trialgraph/id/drug/camrelizumab"},
                "count": {"type": "literal", "datatype": XSD + "integer", "value": "3"},
                "ratio": {"type": "literal", "datatype": XSD + "decimal", "value": "0.5"},
                "flag": {"type": "literal", "datatype": XSD + "boolean", "value": "true"},
                "text": {"type": "literal", "xml:lang": "en", "value": "PFS"},
                # SPARQL JSON drafts, still written by Virtuoso
                "old": {"type": "typed-literal", "datatype": XSD + "integer", "value": "7"},
                "blank": {"type": "bnode", "value": "b0"},
            }
        ]
    },
}


class Endpoint:
    """What the scripted endpoint answers next, and the queries it was sent."""

    def __init__(self) -> None:
        self.status = 200
        self.body = json.dumps(ANSWER).encode()
        self.headers: dict[str, str] = {}
        self.queries: list[str] = []
        self.forms: list[dict[str, list[str]]] = []


@pytest.fixture
def endpoint() -> Iterator[tuple[Endpoint, str]]:
    script = Endpoint()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            form = urllib.parse.parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
            script.queries.append(form["query"][0])
            script.forms.append(form)
            self.send_response(script.status)
            self.send_header("Content-Type", "application/sparql-results+json")
            for name, value in script.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(script.body)

        def log_message(self, *_args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield script, f"http://127.0.0.1:{server.server_address[1]}/sparql"
    finally:
        server.shutdown()
        server.server_close()


def test_values_are_the_local_engines_plain_python_values(endpoint: tuple[Endpoint, str]) -> None:
    _, url = endpoint
    [row] = SparqlEndpointEngine(url).select("SELECT * WHERE { ?s ?p ?o }")
    assert row == {
        "iri": "https://w3id.org/trialgraph/id/drug/camrelizumab",
        "count": 3,
        "ratio": 0.5,
        "flag": True,
        "text": "PFS",
        "old": 7,
        "blank": "_:b0",
        "missing": None,
    }


def test_parameters_are_sent_as_a_values_block_of_rdf_terms(endpoint: tuple[Endpoint, str]) -> None:
    script, url = endpoint
    hostile = 'x" } DROP ALL ; { "'
    SparqlEndpointEngine(url).select("SELECT ?x WHERE { ?x ?p ?o }", {"o": Term("literal", hostile)})
    assert script.queries == ['SELECT ?x WHERE { VALUES (?o) { ("x\\" } DROP ALL ; { \\"") } ?x ?p ?o }']


@pytest.mark.parametrize(
    ("status", "headers"),
    [
        (200, {TRUNCATED_HEADER: "max-rows=1"}),  # trialgraph serve at its cap
        (200, {"X-SPARQL-MaxRows": "1"}),  # Virtuoso at ResultSetMaxRows: one row is all it sends
        (200, {"X-SQL-State": "S1TAT", "X-SQL-Message": "RC...: Returning incomplete results"}),
        (206, {}),  # Virtuoso's anytime query, out of time
    ],
)
def test_a_capped_answer_is_an_error_not_a_shorter_answer(
    endpoint: tuple[Endpoint, str], status: int, headers: dict[str, str]
) -> None:
    script, url = endpoint
    script.status, script.headers = status, headers
    with pytest.raises(EndpointError, match="cut the answer short"):
        SparqlEndpointEngine(url).select("SELECT * WHERE { ?s ?p ?o }")


def test_an_answer_under_the_servers_row_cap_is_whole(endpoint: tuple[Endpoint, str]) -> None:
    script, url = endpoint
    script.headers = {"X-SPARQL-MaxRows": "10000"}
    assert len(SparqlEndpointEngine(url).select("SELECT * WHERE { ?s ?p ?o }")) == 1


def test_default_graphs_go_with_every_query(endpoint: tuple[Endpoint, str]) -> None:
    script, url = endpoint
    graphs = ["https://example.org/seeds", "https://example.org/nsclc"]
    SparqlEndpointEngine(url, default_graphs=graphs).select("ASK {}")
    assert script.forms[-1]["default-graph-uri"] == graphs


@pytest.mark.parametrize(
    ("status", "body", "message"),
    [
        (500, b"Virtuoso 37000 Error SP030: SPARQL compiler", "answered 500"),
        (200, b"<html>not SPARQL</html>", "did not answer with SPARQL JSON"),
        (200, b'{"head": {}}', "did not answer with SPARQL JSON"),
    ],
)
def test_a_failed_answer_is_a_clear_error(
    endpoint: tuple[Endpoint, str], status: int, body: bytes, message: str
) -> None:
    script, url = endpoint
    script.status, script.body = status, body
    with pytest.raises(EndpointError, match=message):
        SparqlEndpointEngine(url).select("SELECT * WHERE { ?s ?p ?o }")


def test_an_unreachable_or_invalid_endpoint_is_a_clear_error() -> None:
    with pytest.raises(EndpointError, match="cannot be reached"):
        SparqlEndpointEngine("http://127.0.0.1:1/sparql", timeout=5).select("ASK {}")
    with pytest.raises(EndpointError, match="not an http"):
        SparqlEndpointEngine("file:///etc/passwd")
