"""The .rq files are self-contained and their headers tell the truth about them."""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest

from trialgraph.errors import QueryParameterError, UnknownQueryError
from trialgraph.queries import NamedQuery, library, parse_query
from trialgraph.runner import bind_parameters

QUERIES = sorted(library().values(), key=lambda q: q.name)


def test_the_library_has_the_main_queries() -> None:
    assert {
        "pd1_combinations_measuring_pfs",
        "endpoints",
        "trial_drugs",
        "trials_by_endpoint_type",
        "combination_partners",
        "trials_by_phase",
    } <= set(library())


@pytest.mark.parametrize("query", QUERIES, ids=[q.name for q in QUERIES])
def test_query_parses_and_projects_its_columns(query: NamedQuery) -> None:
    assert query.title and query.description
    # Self-contained: parses with no prefixes given by the caller.
    ox.Store().query(query.text)
    projection = re.search(r"SELECT\s+(.*?)\s*WHERE", query.text, re.S)
    assert projection is not None
    for column in query.columns:
        assert re.search(rf"\?{column.name}\b", projection.group(1)), f"column {column.name} is not projected"


@pytest.mark.parametrize("query", QUERIES, ids=[q.name for q in QUERIES])
def test_declared_parameters_are_variables_of_the_query(query: NamedQuery) -> None:
    for param in query.parameters:
        assert re.search(rf"\?{param.name}\b", query.text), f"{param.name} is not used in {query.name}"


def test_bad_headers_name_the_file() -> None:
    with pytest.raises(UnknownQueryError, match=r"x\.rq"):
        parse_query("SELECT * WHERE {}", "x")
    with pytest.raises(UnknownQueryError, match="bad '# param:'"):
        parse_query("# title: t\n# param: drug (medicine) d\n# columns: a\nSELECT", "x")


class _NoLookups:
    name = "none"

    def select(self, sparql: str, bindings: object = None) -> list[dict[str, object]]:
        return []


def test_iri_and_prefixed_values_bypass_lookup() -> None:
    query = library()["combination_partners"]
    bound = bind_parameters(_NoLookups(), query, {"drug": "drug:camrelizumab"})  # type: ignore[arg-type]
    assert bound["drug"].value == "https://w3id.org/trialgraph/id/drug/camrelizumab"
    with pytest.raises(QueryParameterError):
        bind_parameters(_NoLookups(), query, {"drug": "camrelizumab"})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "query", [q for q in QUERIES if q.parameters], ids=[q.name for q in QUERIES if q.parameters]
)
def test_parameters_are_projected(query: NamedQuery) -> None:
    """pyoxigraph binds only projected variables (SEP-0007): an unprojected parameter would be ignored."""
    projection = re.search(r"SELECT\s+(.*?)\s*WHERE", query.text, re.S)
    assert projection is not None
    for param in query.parameters:
        assert re.search(rf"\?{param.name}\b", projection.group(1)), (
            f"parameter {param.name} is not projected"
        )
