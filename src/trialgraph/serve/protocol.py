"""SPARQL 1.1 Protocol requests: where the query is, the dataset, and the result type to send.

https://www.w3.org/TR/sparql11-protocol/ section 2.1: a query by GET (`?query=`), by POST of an HTML
form (`application/x-www-form-urlencoded`) or by POST of the query itself (`application/sparql-query`),
with optional `default-graph-uri` and `named-graph-uri` (repeatable). An update (section 2.2) is
refused here: this endpoint is read-only.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass

from trialgraph.serve import results
from trialgraph.serve.errors import ServeError

#: result kind -> (media type, its aliases), in the server's order of preference
OFFERS: dict[str, list[tuple[str, tuple[str, ...]]]] = {
    "solutions": [
        (results.JSON, ("application/json",)),
        (results.XML, ("application/xml", "text/xml")),
        (results.CSV, ()),
        (results.TSV, ()),
    ],
    "boolean": [
        (results.JSON, ("application/json",)),
        (results.XML, ("application/xml", "text/xml")),
    ],
    "graph": [
        (results.TURTLE, ("application/x-turtle",)),
        (results.NTRIPLES, ("text/plain",)),
    ],
}
FORM_KIND = {"SELECT": "solutions", "ASK": "boolean", "CONSTRUCT": "graph", "DESCRIBE": "graph"}

#: the `format` parameter's short names
FORMAT_NAMES = {
    "json": results.JSON,
    "xml": results.XML,
    "csv": results.CSV,
    "tsv": results.TSV,
    "turtle": results.TURTLE,
    "ttl": results.TURTLE,
    "ntriples": results.NTRIPLES,
    "n-triples": results.NTRIPLES,
    "nt": results.NTRIPLES,
}

MAX_QUERY_CHARS = 1_000_000


@dataclass(frozen=True)
class SparqlRequest:
    query: str
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] | None = None
    format: str | None = None


def _one(fields: Mapping[str, list[str]], name: str) -> str | None:
    values = fields.get(name, [])
    if len(values) > 1:
        raise ServeError(400, f"give the {name!r} parameter once, not {len(values)} times")
    return values[0] if values else None


def _form_fields(data: str) -> dict[str, list[str]]:
    try:
        return urllib.parse.parse_qs(data, keep_blank_values=True, strict_parsing=False, errors="strict")
    except UnicodeDecodeError:
        raise ServeError(400, "parameters must be UTF-8 (percent-encoded)") from None


def parse_request(method: str, url_query: str, content_type: str | None, body: bytes) -> SparqlRequest:
    """The query of a SPARQL Protocol request; ServeError for anything else (an update is 403)."""
    fields = _form_fields(url_query)
    mime = (content_type or "").split(";")[0].strip().lower()
    text: str | None
    if method == "POST" and mime == "application/sparql-update":
        raise ServeError(403, "SPARQL Update is not allowed: this endpoint is read-only")
    if method == "POST" and mime == "application/x-www-form-urlencoded":
        try:
            posted = _form_fields(body.decode("utf-8"))
        except UnicodeDecodeError:
            raise ServeError(400, "the form body must be UTF-8") from None
        if "query" in fields:
            raise ServeError(400, "a form POST carries the query in its body, not in the URL")
        for name, values in posted.items():
            fields.setdefault(name, []).extend(values)
        text = _one(fields, "query")
    elif method == "POST" and mime == "application/sparql-query":
        if "query" in fields:
            raise ServeError(400, "an application/sparql-query POST carries the query as its body")
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            raise ServeError(400, "the query must be UTF-8") from None
    elif method == "POST":
        raise ServeError(
            415,
            "POST a query as application/x-www-form-urlencoded (query=...) or application/sparql-query",
        )
    else:
        text = _one(fields, "query")
    if "update" in fields or "using-graph-uri" in fields or "using-named-graph-uri" in fields:
        raise ServeError(403, "SPARQL Update is not allowed: this endpoint is read-only")
    if text is None or not text.strip():
        raise ServeError(400, "no query: give query=... (the query page is at /)")
    if len(text) > MAX_QUERY_CHARS:
        raise ServeError(413, f"the query is longer than {MAX_QUERY_CHARS} characters")
    named = fields.get("named-graph-uri")
    return SparqlRequest(
        query=text,
        default_graphs=tuple(fields.get("default-graph-uri", [])),
        named_graphs=tuple(named) if named is not None else None,
        format=_one(fields, "format"),
    )


def _accept_ranges(accept: str) -> list[tuple[str, float]]:
    ranges = []
    for item in accept.split(","):
        parts = [p.strip() for p in item.split(";")]
        if not parts[0]:
            continue
        q = 1.0
        for param in parts[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        ranges.append((parts[0].lower(), q))
    return ranges


def _quality(media_type: str, ranges: list[tuple[str, float]]) -> float:
    """The q of the most specific range that matches (RFC 9110 section 12.5.1), 0 when none does."""
    major = media_type.split("/")[0]
    best: tuple[int, float] = (-1, 0.0)
    for pattern, q in ranges:
        if pattern == media_type:
            specificity = 2
        elif pattern == f"{major}/*":
            specificity = 1
        elif pattern == "*/*":
            specificity = 0
        else:
            continue
        if specificity > best[0]:
            best = (specificity, q)
    return best[1]


def negotiate(kind: str, accept: str | None, fmt: str | None) -> str | None:
    """The media type to answer a result of `kind` in; None if the client accepts none we offer.

    >>> negotiate("solutions", "text/csv;q=0.5, application/sparql-results+xml", None)
    'application/sparql-results+xml'
    >>> negotiate("graph", "*/*", None), negotiate("solutions", None, "tsv")
    ('text/turtle', 'text/tab-separated-values')
    """
    offers = OFFERS[kind]
    if fmt is not None:
        wanted = FORMAT_NAMES.get(fmt.strip().lower(), fmt.strip().lower())
        for media_type, aliases in offers:
            if wanted == media_type or wanted in aliases:
                return media_type
        return None
    if accept is None or not accept.strip():
        return offers[0][0]
    ranges = _accept_ranges(accept)
    # an alias counts only when named exactly: "text/*" must not pick XML through "text/xml"
    exact = dict(ranges)
    scored = [
        (max([_quality(media_type, ranges), *(exact.get(a, 0.0) for a in aliases)]), -i, media_type)
        for i, (media_type, aliases) in enumerate(offers)
    ]
    q, _, media_type = max(scored)
    return media_type if q > 0 else None


def not_acceptable(kind: str, accept: str | None, fmt: str | None) -> ServeError:
    offered = ", ".join(media_type for media_type, _ in OFFERS[kind])
    asked = f"format={fmt!r}" if fmt is not None else f"Accept: {accept}"
    what = {"solutions": "SELECT results", "boolean": "ASK results", "graph": "CONSTRUCT/DESCRIBE results"}
    return ServeError(406, f"cannot send {what[kind]} as {asked}; available: {offered}")
