"""Named queries against any SPARQL 1.1 endpoint (Virtuoso, Fuseki, GraphDB, QLever, `trialgraph serve`).

Parameters are bound exactly as on the embedded store: a leading VALUES block of RDF terms written
by pyoxigraph's serialiser (`engines.with_values`), never the user's text. Results are read from the
SPARQL 1.1 JSON results format into the same plain Python values as the local engines, so an answer
from a remote endpoint compares equal to the local one. An answer the server says it cut short is an
error, never a shorter answer: `trialgraph serve`'s caps, Virtuoso's ResultSetMaxRows (a cut with
HTTP 200 that only its X-SPARQL-MaxRows header tells) and its "anytime" partial answers.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping, Sequence
from typing import Any

from trialgraph.engines import OxigraphEngine, Row, Term, Value, python_value, with_values
from trialgraph.errors import TrialgraphError

SPARQL_JSON = "application/sparql-results+json"
#: the header `trialgraph serve` sets on an answer cut at its row or byte cap
TRUNCATED_HEADER = "X-Trialgraph-Truncated"
#: Virtuoso: its ResultSetMaxRows; an answer of that many rows may have been cut
VIRTUOSO_MAX_ROWS_HEADER = "X-SPARQL-MaxRows"
#: Virtuoso: set only when a query was interrupted (S1TAT: an "anytime" partial answer)
VIRTUOSO_STATE_HEADER = "X-SQL-State"


class EndpointError(TrialgraphError):
    """A SPARQL endpoint that cannot be reached or refuses a query."""


def _value(binding: Mapping[str, Any] | None) -> Value:
    if binding is None:
        return None
    kind, lexical = binding.get("type"), str(binding.get("value", ""))
    if kind in ("literal", "typed-literal"):  # "typed-literal": SPARQL JSON drafts, still sent by Virtuoso
        return python_value(lexical, binding.get("datatype"))
    if kind == "bnode":
        return f"_:{lexical}"
    return lexical


class SparqlEndpointEngine:
    """An Engine (see engines.Engine) over HTTP: POST, SPARQL JSON results."""

    name = "endpoint"

    def __init__(
        self,
        url: str,
        *,
        timeout: float = 60.0,
        headers: Mapping[str, str] | None = None,
        default_graphs: Sequence[str] = (),
    ):
        """default_graphs: the graphs whose merge is the default graph of every query (the
        protocol's default-graph-uri), e.g. the graph an export was loaded into; without them the
        server's own default graph (on Virtuoso the union of all graphs, its system graphs too)."""
        if not url.startswith(("http://", "https://")):
            raise EndpointError(f"{url!r} is not an http(s) SPARQL endpoint URL")
        self.url = url
        self.timeout = timeout
        self.headers = dict(headers or {})
        self.default_graphs = tuple(default_graphs)

    def _post(self, sparql: str, accept: str) -> tuple[bytes, int | None]:
        """The answer and the server's row cap, if it names one (Virtuoso's X-SPARQL-MaxRows); an
        error status or an answer said to be cut short raises."""
        form = [("query", sparql), *(("default-graph-uri", graph) for graph in self.default_graphs)]
        body = urllib.parse.urlencode(form).encode("utf-8")
        request = urllib.request.Request(
            self.url,
            data=body,
            method="POST",
            headers={
                **self.headers,
                "Accept": accept,
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                data: bytes = response.read()
                truncated = response.headers.get(TRUNCATED_HEADER)
                state = response.headers.get(VIRTUOSO_STATE_HEADER)
                if state:
                    truncated = f"{state} {response.headers.get('X-SQL-Message', '')}".strip()
                elif response.status == 206:
                    truncated = truncated or "206 Partial Content"
                max_rows = str(response.headers.get(VIRTUOSO_MAX_ROWS_HEADER, "")).strip()
                row_cap = int(max_rows) if max_rows.isdigit() else None
        except urllib.error.HTTPError as error:
            detail = error.read().decode("utf-8", "replace").strip()[:500]
            raise EndpointError(f"{self.url} answered {error.code} {error.reason}: {detail}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise EndpointError(f"{self.url} cannot be reached: {error}") from None
        if truncated:  # a capped answer is never returned as if it were the whole answer
            raise EndpointError(f"{self.url} cut the answer short ({truncated}): raise its limit")
        return data, row_cap

    def select(self, sparql: str, bindings: Mapping[str, Term] | None = None) -> list[Row]:
        text = with_values(sparql, {k: OxigraphEngine.term(v) for k, v in (bindings or {}).items()})
        try:
            data, row_cap = self._post(text, SPARQL_JSON)
            document = json.loads(data)
            names: list[str] = document["head"]["vars"]
            solutions: list[dict[str, Any]] = document["results"]["bindings"]
        except (ValueError, KeyError, TypeError) as error:
            raise EndpointError(f"{self.url} did not answer with SPARQL JSON results: {error}") from None
        if row_cap is not None and len(solutions) >= row_cap:
            # Virtuoso cuts at ResultSetMaxRows with HTTP 200 and no other sign: a whole answer of
            # exactly that size cannot be told from a cut one, so both are refused.
            raise EndpointError(
                f"{self.url} cut the answer short (ResultSetMaxRows={row_cap}): "
                "raise ResultSetMaxRows in the [SPARQL] section of virtuoso.ini"
            )
        return [{name: _value(solution.get(name)) for name in names} for solution in solutions]
