"""Every literal and IRI the converter writes must be accepted by strict parsers."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
import rdflib

from trialgraph import ntriples as nt

NASTY = [
    'quotes " and \\ backslash',
    "line\nbreak and\r\ncarriage return",
    "tab\tand control \x01\x1f\x7f",
    "full width （PFS） and Ⅱ and emoji 🧬",
    "angle <brackets> {braces} |pipe| ^caret `tick`",
    "",
]


@pytest.mark.parametrize("value", NASTY)
def test_literals_round_trip_through_strict_parsers(value: str) -> None:
    line = (
        nt.triple(nt.iri("https://example.org/s"), nt.iri("https://example.org/p"), nt.literal(value)) + "\n"
    )
    [quad] = list(ox.parse(line.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES))
    assert isinstance(quad.object, ox.Literal)
    assert quad.object.value == value
    graph = rdflib.Graph().parse(data=line, format="nt")
    assert str(next(iter(graph.objects()))) == value


def test_lone_surrogate_is_replaced_not_fatal() -> None:
    line = nt.triple(nt.iri("https://e.org/s"), nt.iri("https://e.org/p"), nt.literal("bad \udcff")) + "\n"
    assert list(ox.parse(line.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES))


@pytest.mark.parametrize("bad", ["no scheme", "https://e.org/a b", "https://e.org/<x>", 'https://e.org/"'])
def test_invalid_iris_are_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="not a valid IRI"):
        nt.iri(bad)


def test_typed_literal() -> None:
    assert nt.integer(3) == '"3"^^<http://www.w3.org/2001/XMLSchema#integer>'
