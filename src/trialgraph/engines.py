"""Run SPARQL SELECT queries on interchangeable engines with parameters bound as RDF terms.

The same .rq text runs on the embedded store (pyoxigraph) and on rdflib; both return rows of plain
Python values (IRIs as str, typed literals as int/float/bool, others as str) so answers can be
compared across engines. Bindings are RDF terms, never the user's text: rdflib takes them as
`initBindings`; for pyoxigraph they become a leading VALUES block written by pyoxigraph's own term
serialiser (`with_values`: validated IRIs, escaped literals), which it evaluates first.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Literal, Protocol

import pyoxigraph as ox
import rdflib
from rdflib.query import ResultRow

from trialgraph.namespaces import XSD

Value = str | int | float | bool | None
Row = dict[str, Value]

_INTEGER_TYPES = {
    XSD + t for t in ("integer", "int", "long", "short", "nonNegativeInteger", "positiveInteger")
}
_FLOAT_TYPES = {XSD + t for t in ("decimal", "double", "float")}


@dataclass(frozen=True)
class Term:
    """An RDF term to bind: an IRI or a literal (with an optional datatype IRI)."""

    kind: Literal["iri", "literal"]
    value: str
    datatype: str | None = None


def python_value(lexical: str, datatype: str | None) -> Value:
    try:
        if datatype in _INTEGER_TYPES:
            return int(lexical)
        if datatype in _FLOAT_TYPES:
            return float(lexical)
    except ValueError:
        return lexical
    if datatype == XSD + "boolean":
        return lexical in ("true", "1")
    return lexical


class Engine(Protocol):
    name: str

    def select(self, sparql: str, bindings: Mapping[str, Term] | None = None) -> list[Row]: ...


_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


def with_values(sparql: str, bindings: Mapping[str, ox.NamedNode | ox.Literal]) -> str:
    r"""The query with its parameters bound by a VALUES block at the start of its (first) WHERE.

    The values are RDF terms written by pyoxigraph's own serialiser (IRIs are validated when the
    NamedNode is made, literals escaped), never the user's text. A leading VALUES lets pyoxigraph
    start from the bound value; its `substitutions` were applied after property paths, 8x slower
    (docs/benchmarks.md).

    >>> with_values("SELECT ?x WHERE { ?x ?p ?o }", {"x": ox.Literal('a"b')})
    'SELECT ?x WHERE { VALUES (?x) { ("a\\"b") } ?x ?p ?o }'
    """
    if not bindings:
        return sparql
    for match in _WHERE.finditer(sparql):
        line_start = sparql.rfind("\n", 0, match.start()) + 1
        if sparql[line_start : match.start()].lstrip().startswith("#"):
            continue  # "WHERE {" in a comment
        names = " ".join(f"?{name}" for name in bindings)
        values = " ".join(str(term) for term in bindings.values())
        return f"{sparql[: match.end()]} VALUES ({names}) {{ ({values}) }}{sparql[match.end() :]}"
    raise ValueError("a query with parameters needs a WHERE clause")


class OxigraphEngine:
    name = "oxigraph"

    def __init__(self, store: ox.Store) -> None:
        self.store = store

    @staticmethod
    def term(term: Term) -> ox.NamedNode | ox.Literal:
        """The pyoxigraph term (an invalid IRI is refused here, before any query text exists)."""
        if term.kind == "iri":
            return ox.NamedNode(term.value)
        return ox.Literal(term.value, datatype=ox.NamedNode(term.datatype) if term.datatype else None)

    @staticmethod
    def value(term: object) -> Value:
        """The plain Python value of a pyoxigraph term (as every engine gives it)."""
        if term is None:
            return None
        if isinstance(term, ox.NamedNode):
            return term.value
        if isinstance(term, ox.Literal):
            return python_value(term.value, term.datatype.value if term.datatype else None)
        return str(term)

    def rows(self, sparql: str, bindings: Mapping[str, Term] | None = None) -> Iterator[Row]:
        """The rows as the engine yields them (a caller may stop early, as serve does at its cap)."""
        solutions = self.store.query(
            with_values(sparql, {k: self.term(v) for k, v in (bindings or {}).items()})
        )
        if not isinstance(solutions, ox.QuerySolutions):
            raise TypeError("only SELECT queries return rows")
        names = [v.value for v in solutions.variables]
        return ({name: self.value(solution[name]) for name in names} for solution in solutions)

    def select(self, sparql: str, bindings: Mapping[str, Term] | None = None) -> list[Row]:
        return list(self.rows(sparql, bindings))


class RdflibEngine:
    name = "rdflib"

    def __init__(self, graph: rdflib.Graph) -> None:
        self.graph = graph

    @staticmethod
    def term(term: Term) -> rdflib.term.Identifier:
        """The rdflib term of a bound parameter."""
        if term.kind == "iri":
            return rdflib.URIRef(term.value)
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype) if term.datatype else None)

    @staticmethod
    def _value(term: object) -> Value:
        if term is None:
            return None
        if isinstance(term, rdflib.Literal):
            datatype = str(term.datatype) if term.datatype else None
            return python_value(str(term), datatype)
        return str(term)

    def select(self, sparql: str, bindings: Mapping[str, Term] | None = None) -> list[Row]:
        init = {k: self.term(v) for k, v in (bindings or {}).items()}
        result = self.graph.query(sparql, initBindings=init)
        names = [str(v) for v in result.vars or []]
        rows: list[Row] = []
        for row in result:
            assert isinstance(row, ResultRow), "only SELECT queries return rows"
            values = row.asdict()
            rows.append({name: self._value(values.get(name)) for name in names})
        return rows
