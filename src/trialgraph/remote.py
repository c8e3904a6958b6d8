"""Named queries against any SPARQL 1.1 endpoint (Virtuoso, Fuseki, GraphDB, QLever, `trialgraph serve`).

Parameters are bound exactly as on the embedded store: a leading VALUES block of RDF terms written
by pyoxigraph's serialiser (`engines.with_values`), never the user's text. Results are read from the
SPARQL 1.1 JSON results format into the same plain Python values as the local engines, so an answer
from a remote endpoint compares equal to the local one.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from typing import Any

from trialgraph.engines import OxigraphEngine, Row, Term, Value, python_value, with_values
from trialgraph.errors import TrialgraphError

SPARQL_JSON = "application/sparql-results+json"
#: the header `trialgraph serve` sets on an answer cut at its row or byte cap
TRUNCATED_HEADER = "X-Trialgraph-Truncated"


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

    def __init__(self, url: str, *, timeout: float = 60.0, headers: Mapping[str, str] | None = None):
        if not url.startswith(("http://", "https://")):
            raise EndpointError(f"{url!r} is not an http(s) SPARQL endpoint URL")
        self.url = url
        self.timeout = timeout
        self.headers = dict(headers or {})

    def request(self, sparql: str, accept: str = SPARQL_JSON) -> bytes:
        body = urllib.parse.urlencode({"query": sparql}).encode("utf-8")
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
        except urllib.error.HTTPError as error:
            detail = error.read().decode("utf-8", "replace").strip()[:500]
            raise EndpointError(f"{self.url} answered {error.code} {error.reason}: {detail}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise EndpointError(f"{self.url} cannot be reached: {error}") from None
        if truncated:  # a capped answer is never returned as if it were the whole answer
            raise EndpointError(f"{self.url} cut the answer short ({truncated}): raise its limit")
        return data

    def select(self, sparql: str, bindings: Mapping[str, Term] | None = None) -> list[Row]:
        text = with_values(sparql, {k: OxigraphEngine.term(v) for k, v in (bindings or {}).items()})
        try:
            document = json.loads(self.request(text))
            names: list[str] = document["head"]["vars"]
            solutions: list[dict[str, Any]] = document["results"]["bindings"]
        except (ValueError, KeyError, TypeError) as error:
            raise EndpointError(f"{self.url} did not answer with SPARQL JSON results: {error}") from None
        return [{name: _value(solution.get(name)) for name in names} for solution in solutions]
