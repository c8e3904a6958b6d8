"""SPARQL results written row by row, so that a row or byte cap can stop them (in the worker process).

pyoxigraph's own `QuerySolutions.serialize` writes every solution or none; the formats are small
enough to write here (SPARQL 1.1 Query Results JSON, XML, CSV and TSV), and the tests read every
one back with pyoxigraph's and rdflib's parsers. Graphs (CONSTRUCT, DESCRIBE) are capped by triples
and serialised by pyoxigraph.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from trialgraph.namespaces import PREFIXES

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

JSON = "application/sparql-results+json"
XML = "application/sparql-results+xml"
CSV = "text/csv"
TSV = "text/tab-separated-values"
TURTLE = "text/turtle"
NTRIPLES = "application/n-triples"

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


@dataclass(frozen=True)
class Body:
    """A serialised answer; `truncated` names the cap that cut it ("max-rows=N", "max-bytes=N")."""

    content_type: str
    data: bytes
    count: int
    truncated: str | None = None


def _json_term(term: Term) -> dict[str, Any]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {
        "type": "triple",
        "value": {
            "subject": _json_term(term.subject),
            "predicate": _json_term(term.predicate),
            "object": _json_term(term.object),
        },
    }


def _xml_term(term: Term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    return (
        f"<triple><subject>{_xml_term(term.subject)}</subject><predicate>{_xml_term(term.predicate)}"
        f"</predicate><object>{_xml_term(term.object)}</object></triple>"
    )


def _csv_cell(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term.value
    return str(term)  # "_:b0", "<< s p o >>"


def _csv_line(cells: Iterable[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(list(cells))
    return buffer.getvalue()


class _Writer:
    """Header, one chunk per row, footer; the caps are checked row by row."""

    def __init__(self, fmt: str, variables: list[str]) -> None:
        self.fmt = fmt
        self.variables = variables

    def header(self) -> str:
        names = self.variables
        if self.fmt == JSON:
            return '{"head":{"vars":' + json.dumps(names) + '},"results":{"bindings":['
        if self.fmt == XML:
            head = "".join(f"<variable name={quoteattr(v)}/>" for v in names)
            return (
                '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                f"<head>{head}</head><results>\n"
            )
        if self.fmt == CSV:
            return _csv_line(names)
        return "\t".join(f"?{v}" for v in names) + "\n"

    def row(self, solution: ox.QuerySolution, first: bool) -> str:
        terms = [(name, solution[name]) for name in self.variables]
        if self.fmt == JSON:
            bound = {name: _json_term(term) for name, term in terms if term is not None}
            return ("" if first else ",") + json.dumps(bound, ensure_ascii=False)
        if self.fmt == XML:
            cells = "".join(
                f"<binding name={quoteattr(name)}>{_xml_term(term)}</binding>"
                for name, term in terms
                if term is not None
            )
            return f"<result>{cells}</result>\n"
        if self.fmt == CSV:
            return _csv_line(_csv_cell(term) for _, term in terms)
        return "\t".join("" if term is None else str(term) for _, term in terms) + "\n"

    def footer(self) -> str:
        if self.fmt == JSON:
            return "]}}"
        if self.fmt == XML:
            return "</results></sparql>\n"
        return ""


def solutions_body(solutions: ox.QuerySolutions, fmt: str, max_rows: int, max_bytes: int) -> Body:
    """SELECT results in `fmt`, at most max_rows rows and about max_bytes bytes (whole rows)."""
    writer = _Writer(fmt, [v.value for v in solutions.variables])
    parts = [writer.header().encode("utf-8")]
    footer = writer.footer().encode("utf-8")
    size = len(parts[0]) + len(footer)
    count, truncated = 0, None
    for solution in solutions:
        if count == max_rows:
            truncated = f"max-rows={max_rows}"
            break
        chunk = writer.row(solution, count == 0).encode("utf-8")
        if size + len(chunk) > max_bytes:
            truncated = f"max-bytes={max_bytes}"
            break
        parts.append(chunk)
        size += len(chunk)
        count += 1
    parts.append(footer)
    return Body(_charset(fmt), b"".join(parts), count, truncated)


def boolean_body(value: bool, fmt: str) -> Body:
    text = "true" if value else "false"
    if fmt == JSON:
        data = '{"head":{},"boolean":' + text + "}"
    else:
        data = (
            '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head/><boolean>{text}</boolean></sparql>\n"
        )
    return Body(_charset(fmt), data.encode("utf-8"), 1)


def triples_body(triples: Iterator[ox.Triple], fmt: str, max_rows: int, max_bytes: int) -> Body:
    """CONSTRUCT/DESCRIBE results: at most max_rows triples and max_bytes bytes counted as N-Triples
    (Turtle, with its prefixes, is usually shorter)."""
    kept: list[ox.Triple] = []
    size, truncated = 0, None
    for triple in islice(triples, max_rows + 1):
        if len(kept) == max_rows:
            truncated = f"max-rows={max_rows}"
            break
        line = len(str(triple).encode("utf-8")) + 3
        if size + line > max_bytes:
            truncated = f"max-bytes={max_bytes}"
            break
        kept.append(triple)
        size += line
    rdf_format = ox.RdfFormat.TURTLE if fmt == TURTLE else ox.RdfFormat.N_TRIPLES
    data = ox.serialize(kept, format=rdf_format, prefixes=PREFIXES if fmt == TURTLE else None)
    return Body(_charset(fmt), data or b"", len(kept), truncated)


def _charset(fmt: str) -> str:
    return fmt if fmt in (JSON, XML) else f"{fmt}; charset=utf-8"
