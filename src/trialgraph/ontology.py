"""The ontology and curated vocabularies as one graph: loading, N-Triples lines, the RDF/XML rendering.

ontology/*.ttl (hand-edited) are the single source of truth; trialgraph.owl is generated from them
(`trialgraph ontology --write`, or `make ontology`) for owlready2 and Protégé, which do not read
Turtle. A test checks the rendering is current and that HermiT finds it consistent.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pyoxigraph as ox

from trialgraph.resources import ontology_dir
from trialgraph.store import serialize

#: the curated files, in the order they build on each other
ONTOLOGY_FILES = (
    "trialgraph.ttl",
    "drug-classes.ttl",
    "endpoint-types.ttl",
    "drugs.ttl",
    "condition-groups.ttl",
    "regimens.ttl",
)
OWL_RENDERING = "trialgraph.owl"


def ontology_paths(directory: Path | None = None) -> list[Path]:
    base = directory or ontology_dir()
    return [base / name for name in ONTOLOGY_FILES if (base / name).exists()]


def _triples(directory: Path | None = None) -> list[ox.Triple]:
    triples: set[ox.Triple] = set()
    for path in ontology_paths(directory):
        for quad in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
            if isinstance(quad.subject, ox.BlankNode) or isinstance(quad.object, ox.BlankNode):
                # Blank nodes would get new labels on every parse: output would not be deterministic.
                raise ValueError(f"{path.name}: blank node in {quad}; write OWL axioms without blank nodes")
            triples.add(ox.Triple(quad.subject, quad.predicate, quad.object))
    return sorted(triples, key=str)


@cache
def ontology_ntriples() -> tuple[str, ...]:
    """All ontology and vocabulary statements as sorted N-Triples lines (no line ends)."""
    return tuple(f"{t} ." for t in _triples())


def render_owl_xml(directory: Path | None = None) -> bytes:
    """The merged ontology as RDF/XML, deterministic (sorted statements, fixed prefixes)."""
    return serialize(_triples(directory), ox.RdfFormat.RDF_XML)


def write_owl_xml(directory: Path | None = None) -> Path:
    base = directory or ontology_dir()
    target = base / OWL_RENDERING
    target.write_bytes(render_owl_xml(base))
    return target
