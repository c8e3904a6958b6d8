"""Named queries with user-supplied parameters -> pandas DataFrames, on any engine."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import pyoxigraph as ox

from trialgraph.engines import Engine, Row, Term, Value
from trialgraph.errors import QueryParameterError
from trialgraph.namespaces import PREFIXES, TG
from trialgraph.normalise.phases import PHASE_IRIS, phases_from_text
from trialgraph.queries import LIST_SEPARATOR, NamedQuery, Parameter

_PREFIX_BLOCK = "\n".join(f"PREFIX {k}: <{v}>" for k, v in PREFIXES.items())

# Label lookups: the user's value is bound to ?value as an RDF term, never pasted into the text; like
# every parameter it is projected. No DISTINCT or ORDER BY: resolve_parameter deduplicates and sorts
# the few candidates, and pyoxigraph's plans around them scanned every identifier (5 s instead of
# 1 ms at 560,000 trials, docs/benchmarks.md).
_LOOKUPS: dict[str, str] = {
    "drug": """SELECT ?x ?value WHERE {
        ?x a tg:Drug . { ?x rdfs:label ?l } UNION { ?x skos:altLabel ?l }
        FILTER(LCASE(STR(?l)) = LCASE(STR(?value)))
    }""",
    "endpoint_type": """SELECT ?x ?value WHERE {
        ?x rdfs:subClassOf* tg:Endpoint .
        { ?x rdfs:label ?l } UNION { ?x skos:altLabel ?l } UNION { ?x tg:abbreviation ?l }
        FILTER(LCASE(STR(?l)) = LCASE(STR(?value)))
    }""",
    "condition_group": """SELECT ?x ?value WHERE {
        ?x a tg:ConditionGroup . ?x rdfs:label ?l
        FILTER(LCASE(STR(?l)) = LCASE(STR(?value)))
    }""",
    # an exact identifier: one index lookup, whatever the size of the graph (joining "?x a tg:Trial"
    # made pyoxigraph scan every trial; only trials have a dcterms:identifier)
    "trial": """SELECT ?x ?value WHERE { ?x dcterms:identifier ?value }""",
    "phase": """SELECT ?x ?value WHERE {
        ?x a tg:Phase . { ?x rdfs:label ?l } UNION { ?x tg:ctgovCode ?l }
        FILTER(LCASE(STR(?l)) = LCASE(STR(?value)))
    }""",
}


_LOCAL_NAME_LOOKUPS = {
    "endpoint_type": "SELECT ?x WHERE { ?x rdfs:subClassOf* tg:Endpoint }",
    "condition_group": "SELECT ?x WHERE { ?x a tg:ConditionGroup }",
}


def _expand_iri(value: str) -> str | None:
    """A full IRI as is, a prefixed name (tg:PD1Inhibitor) expanded; None otherwise."""
    if value.startswith(("http://", "https://", "urn:")):
        return value
    prefix, sep, local = value.partition(":")
    if sep and prefix in PREFIXES and " " not in local:
        return PREFIXES[prefix] + local
    return None


def resolve_parameter(engine: Engine, param: Parameter, value: str) -> Term:
    """The RDF term a user's value stands for; an unknown or ambiguous label is a clear error."""
    if param.kind == "string":
        return Term("literal", value)
    iri = _expand_iri(value.strip())
    if iri is not None:
        try:  # checked here, before any query text exists: "http://x> } DELETE {" is no IRI
            ox.NamedNode(iri)
        except ValueError as error:
            raise QueryParameterError(
                f"parameter {param.name!r}: {value!r} is not a valid IRI ({error})"
            ) from None
        return Term("iri", iri)
    if param.kind == "iri":
        raise QueryParameterError(
            f"parameter {param.name!r}: {value!r} is not an IRI or a known prefixed name"
        )
    lookup = value.strip().upper() if param.kind == "trial" else value.strip()  # "nct01234567"
    candidates = [
        row["x"]
        for row in engine.select(_PREFIX_BLOCK + _LOOKUPS[param.kind], {"value": Term("literal", lookup)})
    ]
    if not candidates and param.kind in _LOCAL_NAME_LOOKUPS:  # "ProgressionFreeSurvival", "LungCancer"
        local = [row["x"] for row in engine.select(_PREFIX_BLOCK + _LOCAL_NAME_LOOKUPS[param.kind])]
        candidates = [x for x in local if isinstance(x, str) and x == TG + value.strip()]
    if not candidates and param.kind == "phase":
        codes = phases_from_text(f"phase {value.strip()}").codes or phases_from_text(value).codes
        candidates = [PHASE_IRIS[c] for c in codes[:1]]
    if len(candidates) != 1:
        found = "nothing" if not candidates else ", ".join(str(c) for c in candidates)
        raise QueryParameterError(
            f"parameter {param.name!r}: {value!r} matches {found} (a {param.kind} is needed)"
        )
    return Term("iri", str(candidates[0]))


def bind_parameters(engine: Engine, query: NamedQuery, params: Mapping[str, str]) -> dict[str, Term]:
    declared = {p.name: p for p in query.parameters}
    unknown = sorted(set(params) - set(declared))
    if unknown:
        raise QueryParameterError(
            f"query {query.name!r} has no parameter {', '.join(unknown)}; "
            f"it takes: {', '.join(declared) or 'none'}"
        )
    missing = [p.name for p in query.parameters if not p.optional and p.name not in params]
    if missing:
        raise QueryParameterError(f"query {query.name!r} needs parameter(s): {', '.join(missing)}")
    return {name: resolve_parameter(engine, declared[name], value) for name, value in params.items()}


def _sorted_list_cell(value: Value) -> Value:
    # Empty items come from COALESCE(?optional, ""), which queries use because rdflib fails on
    # GROUP_CONCAT(DISTINCT ?x) when ?x is unbound.
    if not isinstance(value, str) or not value:
        return value
    return LIST_SEPARATOR.join(sorted(set(value.split(LIST_SEPARATOR)) - {""}))


def rows_for(engine: Engine, query: NamedQuery, params: Mapping[str, str] | None = None) -> list[Row]:
    """The query's rows, columns in header order, list cells sorted (comparable across engines)."""
    bindings = bind_parameters(engine, query, params or {})
    rows = engine.select(query.text, bindings)
    list_columns = {c.name for c in query.columns if c.is_list}
    return [
        {
            c.name: (_sorted_list_cell(row.get(c.name)) if c.name in list_columns else row.get(c.name))
            for c in query.columns
        }
        for row in rows
    ]


def run_query(engine: Engine, query: NamedQuery, params: Mapping[str, str] | None = None) -> pd.DataFrame:
    rows = rows_for(engine, query, params)
    return pd.DataFrame(rows, columns=[c.name for c in query.columns])
