"""JSON-LD with a context, written one node object per subject as the triples stream by.

pyoxigraph (0.5) writes JSON-LD only in expanded form (it ignores prefixes: no @context, every IRI in
full), and rdflib's JSON-LD serializer builds the whole graph in memory first; so this writer
compacts by itself: IRIs become CURIEs of namespaces.PREFIXES, and the ontology's own properties
become short terms (object properties coerced to IRIs). The output is a flat @graph that any JSON-LD
1.0/1.1 processor expands back to exactly the input triples (the export tests check it with PyLD).
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import groupby
from typing import IO, Any

import orjson
import pyoxigraph as ox

from trialgraph.namespaces import OWL, PREFIXES, RDF, TG, XSD
from trialgraph.ontology import ontology_ntriples

CONTEXT_FILE = "context.jsonld"
_KEYS = orjson.OPT_SORT_KEYS  # deterministic key order
_OBJECT_PROPERTY = ox.NamedNode(OWL + "ObjectProperty")
_DATATYPE_PROPERTY = ox.NamedNode(OWL + "DatatypeProperty")
_RDF_TYPE = ox.NamedNode(RDF + "type")
_XSD_STRING = XSD + "string"

JsonObject = dict[str, Any]


def build_context() -> JsonObject:
    """The @context: every prefix of namespaces.PREFIXES, and a term per ontology property
    (`"phase": {"@id": "tg:phase", "@type": "@id"}`) unless its name is already a prefix."""
    context: JsonObject = dict(PREFIXES)
    vocabulary = "".join(line + "\n" for line in ontology_ntriples()).encode("utf-8")
    for quad in ox.parse(vocabulary, format=ox.RdfFormat.N_TRIPLES):
        prop, kind = quad.subject, quad.object
        if quad.predicate != _RDF_TYPE or kind not in (_OBJECT_PROPERTY, _DATATYPE_PROPERTY):
            continue
        if not isinstance(prop, ox.NamedNode) or not prop.value.startswith(TG):
            continue
        name = prop.value[len(TG) :]
        if name in PREFIXES or not name.isidentifier():
            continue
        if kind == _OBJECT_PROPERTY:
            context[name] = {"@id": "tg:" + name, "@type": "@id"}
        else:
            # No datatype coercion: dates are xsd:date or xsd:gYearMonth as the record gives them.
            context[name] = {"@id": "tg:" + name}
    return dict(sorted(context.items()))


def context_document(context: JsonObject) -> bytes:
    """The context as a file of its own (`{"@context": ...}`) for users compacting their own data."""
    return orjson.dumps({"@context": context}, option=_KEYS | orjson.OPT_INDENT_2) + b"\n"


class _Compactor:
    def __init__(self, context: JsonObject) -> None:
        self.namespaces = sorted(
            ((iri, name) for name, iri in context.items() if isinstance(iri, str)),
            key=lambda pair: -len(pair[0]),  # the longest namespace wins
        )
        self.terms: dict[str, tuple[str, bool]] = {
            f"{TG}{definition['@id'][3:]}": (name, definition.get("@type") == "@id")
            for name, definition in context.items()
            if isinstance(definition, dict)
        }

    def iri(self, value: str) -> str:
        for namespace, name in self.namespaces:
            # A suffix starting with // would read as an absolute IRI, an empty one as the prefix
            suffix = value[len(namespace) :]
            if value.startswith(namespace) and suffix and not suffix.startswith("//"):
                return f"{name}:{suffix}"
        return value

    def node_id(self, term: ox.NamedNode | ox.BlankNode) -> str:
        return self.iri(term.value) if isinstance(term, ox.NamedNode) else f"_:{term.value}"

    def value(self, term: object) -> Any:
        if isinstance(term, ox.NamedNode | ox.BlankNode):
            return {"@id": self.node_id(term)}
        if not isinstance(term, ox.Literal):
            raise ValueError(f"JSON-LD 1.1 cannot hold the RDF 1.2 term {term}")
        if term.language:
            return {"@value": term.value, "@language": term.language}
        if term.datatype.value == _XSD_STRING:
            return term.value
        return {"@value": term.value, "@type": self.iri(term.datatype.value)}

    def node(self, subject: ox.NamedNode | ox.BlankNode, triples: Iterable[ox.Triple]) -> JsonObject:
        node: JsonObject = {"@id": self.node_id(subject)}
        for triple in triples:
            predicate, obj = triple.predicate.value, triple.object
            term = self.terms.get(predicate)
            if predicate == _RDF_TYPE.value and isinstance(obj, ox.NamedNode):
                key, value = "@type", self.iri(obj.value)
            elif term is not None and term[1] and isinstance(obj, ox.NamedNode):
                key, value = term[0], self.iri(obj.value)  # the term coerces the string to an IRI
            elif term is not None and not term[1] and isinstance(obj, ox.Literal):
                key, value = term[0], self.value(obj)
            else:
                key, value = self.iri(predicate), self.value(obj)
            node.setdefault(key, []).append(value)
        return node


def write_jsonld(triples: Iterable[ox.Triple], sink: IO[bytes], context: JsonObject) -> None:
    """`{"@context": ..., "@graph": [...]}` with one node object a line, one per run of a subject's
    triples (a subject met again later gets a second node object, which JSON-LD merges)."""
    compactor = _Compactor(context)
    sink.write(b'{"@context": ' + orjson.dumps(context, option=_KEYS) + b',\n"@graph": [')
    separator = b"\n"
    for subject, run in groupby(triples, key=lambda triple: triple.subject):
        if not isinstance(subject, ox.NamedNode | ox.BlankNode):
            raise ValueError(f"JSON-LD 1.1 cannot hold a triple term as subject: {subject}")
        sink.write(separator + orjson.dumps(compactor.node(subject, run), option=_KEYS))
        separator = b",\n"
    sink.write(b"\n]}\n")
