"""The graph's statistics for the dataset description, by the SPARQL queries of the HCLS profile
(https://www.w3.org/TR/hcls-dataset/, 6.6 Statistics), run on the built store (in Rust, streaming
its indexes; nothing is loaded into Python)."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

# HCLS 6.6.1 core statistics; one pass each over the default graph (the build loads it there).
_CORE = {
    "triples": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    # an entity must have an IRI and a type (HCLS: `?s a []`)
    "entities": "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a [] FILTER(isIRI(?s)) }",
    "distinct_subjects": "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }",
    "properties": "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?s ?p ?o }",
    # HCLS counts non-literal objects here and literals in the rdfs:Literal partition
    "distinct_objects": "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?s ?p ?o FILTER(!isLiteral(?o)) }",
}
# Not counted: distinct literals (HCLS's rdfs:Literal partition). The store keeps typed literals by
# value, not as written (xsd:duration "P12M" comes back as "P1Y"), so its count would be wrong, and
# counting them from the files needs a set of every literal in memory.
# HCLS 6.6.2: the classes and their instances, the properties and their triples
_CLASSES = "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c"
_PROPERTIES = "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p"


@dataclass(frozen=True)
class GraphStatistics:
    triples: int
    entities: int
    distinct_subjects: int
    properties: int
    distinct_objects: int  # IRIs and blank nodes: HCLS leaves literals out of this count
    class_partitions: tuple[tuple[str, int], ...]  # (class IRI, distinct instances), by IRI
    property_partitions: tuple[tuple[str, int], ...]  # (property IRI, triples), by IRI

    @property
    def classes(self) -> int:
        return len(self.class_partitions)


def _count(store: ox.Store, query: str) -> int:
    solutions = store.query(query)
    assert isinstance(solutions, ox.QuerySolutions)
    (solution,) = list(solutions)
    value = solution["n"]
    assert isinstance(value, ox.Literal)
    return int(value.value)


def _grouped(store: ox.Store, query: str, variable: str) -> tuple[tuple[str, int], ...]:
    solutions = store.query(query)
    assert isinstance(solutions, ox.QuerySolutions)
    rows = []
    for solution in solutions:
        key, count = solution[variable], solution["n"]
        assert isinstance(count, ox.Literal)
        if isinstance(key, ox.NamedNode):  # the data has no blank-node classes; skip any
            rows.append((key.value, int(count.value)))
    return tuple(sorted(rows))


def graph_statistics(store: ox.Store) -> GraphStatistics:
    counts = {name: _count(store, query) for name, query in _CORE.items()}
    return GraphStatistics(
        **counts,
        class_partitions=_grouped(store, _CLASSES, "c"),
        property_partitions=_grouped(store, _PROPERTIES, "p"),
    )
