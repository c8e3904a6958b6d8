"""The ontology: canonical curated Turtle, a current RDF/XML rendering, and HermiT's verdict."""

from __future__ import annotations

from pathlib import Path

import owlready2
import pytest
import rdflib
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from trialgraph.namespaces import TG
from trialgraph.ontology import ONTOLOGY_FILES, OWL_RENDERING, ontology_paths, render_owl_xml
from trialgraph.resources import ontology_dir


@pytest.fixture(scope="module")
def merged() -> rdflib.Graph:
    graph = rdflib.Graph()
    for path in ontology_paths():
        graph.parse(path, format="turtle")
    return graph


def test_every_curated_file_is_present() -> None:
    assert [p.name for p in ontology_paths()] == list(ONTOLOGY_FILES)


def test_rdfxml_rendering_is_current() -> None:
    current = (ontology_dir() / OWL_RENDERING).read_bytes()
    assert current == render_owl_xml(), "ontology/trialgraph.owl is stale: run `make ontology`"


def _terms(graph: rdflib.Graph) -> set[rdflib.URIRef]:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, OWL.NamedIndividual)
    return {s for kind in kinds for s in graph.subjects(RDF.type, kind) if isinstance(s, rdflib.URIRef)}


def test_every_term_has_one_label(merged: rdflib.Graph) -> None:
    missing = sorted(
        str(t)
        for t in _terms(merged)
        if str(t).startswith("https://w3id.org/trialgraph/") and len(list(merged.objects(t, RDFS.label))) != 1
    )
    assert not missing, f"terms without exactly one rdfs:label: {missing}"


def test_every_ontology_term_has_a_definition(merged: rdflib.Graph) -> None:
    # Terms in the ontology namespace (classes, properties, phases); curated drugs carry sources instead.
    missing = sorted(
        str(t) for t in _terms(merged) if str(t).startswith(TG) and (t, SKOS.definition, None) not in merged
    )
    assert not missing, f"terms without skos:definition: {missing}"


def test_no_dangling_superclass(merged: rdflib.Graph) -> None:
    classes = set(merged.subjects(RDF.type, OWL.Class))
    dangling = sorted(str(o) for o in merged.objects(None, RDFS.subClassOf) if o not in classes)
    assert not dangling, f"rdfs:subClassOf targets that are not declared classes: {dangling}"


def test_every_type_of_an_individual_is_a_class(merged: rdflib.Graph) -> None:
    classes = set(merged.subjects(RDF.type, OWL.Class))
    structural = {
        OWL.NamedIndividual,
        OWL.Class,
        OWL.Ontology,
        OWL.ObjectProperty,
        OWL.DatatypeProperty,
        OWL.AnnotationProperty,
    }
    undeclared = sorted(
        f"{s} a {o}" for s, o in merged.subject_objects(RDF.type) if o not in classes and o not in structural
    )
    assert not undeclared, f"individuals typed with undeclared classes: {undeclared[:10]}"


def test_hermit_finds_the_ontology_consistent(tmp_path: Path) -> None:
    """Loaded into a fresh World (never owlready2's global default_world), HermiT reasons over the
    classes and the curated individuals: consistent, and no class is unsatisfiable."""
    world = owlready2.World()
    onto = world.get_ontology((ontology_dir() / OWL_RENDERING).as_uri()).load()
    with onto:
        owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
    unsatisfiable = list(world.inconsistent_classes())
    assert unsatisfiable == []
    # the reasoner saw the real hierarchy, not an empty file
    assert len(list(onto.classes())) >= 30
