"""Triples indexed for SHACL: by subject then predicate, and by object for the inverse paths.

A :class:`DataView` is what the shapes see: a batch of triples laid over the ontology, as pyshacl sees
the data graph with the ontology mixed in. Lookups go to the batch first; a subject (or object) the
batch and the ontology both describe gets one merged entry when the view is built, so every lookup
is one dictionary access.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final, TypeAlias

from trialgraph.fastshacl import terms
from trialgraph.fastshacl.terms import BNode, Term, Triple, iri_token, object_token, parse_general

__all__ = ["RDFS_SUBCLASS_OF", "RDF_TYPE", "DataView", "Index"]


def _iri_cache() -> dict[str, str]:
    return terms._IRIS


RDF_TYPE: Final = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_SUBCLASS_OF: Final = "http://www.w3.org/2000/01/rdf-schema#subClassOf"

#: predicate -> its values, without repeats, in input order
PredicateMap: TypeAlias = dict[str, list[Term]]
Node: TypeAlias = str | BNode


class Index:
    """Triples by subject and predicate (``out``) and, for ``inverse`` predicates only, by object
    (``inv``). A triple given twice is kept once, as in an rdflib graph."""

    __slots__ = ("has_subclass_of", "inv", "inverse", "out")

    def __init__(self, inverse: frozenset[str]) -> None:
        self.inverse = inverse
        self.out: dict[Term, PredicateMap] = {}
        self.inv: dict[Term, PredicateMap] = {}
        self.has_subclass_of = False

    def add_all(self, triples: Iterable[Triple]) -> None:
        for s, p, o in triples:
            self.add(s, p, o)

    def add(self, s: Node, p: str, o: Term) -> None:
        po = self.out.get(s)
        if po is None:
            self.out[s] = {p: [o]}
        else:
            values = po.get(p)
            if values is None:
                po[p] = [o]
            elif o in values:
                return
            else:
                values.append(o)
        if p in self.inverse:
            ps = self.inv.get(o)
            if ps is None:
                self.inv[o] = {p: [s]}
            else:
                subjects = ps.get(p)
                if subjects is None:
                    ps[p] = [s]
                else:
                    subjects.append(s)
        if p == RDFS_SUBCLASS_OF:
            self.has_subclass_of = True

    def add_lines(self, lines: Iterable[str]) -> None:
        """Parse N-Triples (or N-Quads) lines into the index: the converter's form inline, anything
        else through the rdflib-like reader (terms.parse_general)."""
        out = self.out
        inverse = self.inverse
        iris = _iri_cache()
        for line in lines:
            parts = line.split(" ", 2)
            if len(parts) == 3:
                subject_token, predicate_token, rest = parts
                s = iris.get(subject_token) or iri_token(subject_token)
                p = iris.get(predicate_token) or iri_token(predicate_token)
                if s is not None and p is not None and rest[-2:] == " .":
                    first = rest[:1]
                    o: Term | None
                    if first == "<":
                        o_token = rest[:-2]
                        o = iris.get(o_token) or iri_token(o_token)
                    elif first == '"' and rest[-3:] == '" .' and len(rest) > 3:
                        lexical = rest[1:-3]
                        if '"' in lexical or "\\" in lexical or "\r" in lexical or "\n" in lexical:
                            o = object_token(rest[:-2])
                        else:
                            o = (lexical, None, None)
                    else:
                        o = object_token(rest[:-2])
                    if o is not None:
                        if p in inverse or p == RDFS_SUBCLASS_OF:
                            self.add(s, p, o)
                            continue
                        po = out.get(s)
                        if po is None:
                            out[s] = {p: [o]}
                        else:
                            values = po.get(p)
                            if values is None:
                                po[p] = [o]
                            elif o not in values:
                                values.append(o)
                        continue
            for triple in parse_general(line):
                self.add(*triple)


def _merge(base: PredicateMap, extra: PredicateMap) -> PredicateMap:
    merged = {p: list(values) for p, values in base.items()}
    for p, values in extra.items():
        have = merged.get(p)
        if have is None:
            merged[p] = list(values)
        else:
            have.extend(v for v in values if v not in have)
    return merged


class DataView:
    """The batch laid over the ontology (either may be empty)."""

    __slots__ = ("_base_inv", "_base_out", "_memo", "_supers", "batch", "inv", "out", "subclass_base")

    def __init__(self, batch: Index, base: Index, base_supers: dict[Term, frozenset[Term]]) -> None:
        self.batch = batch
        self.out = batch.out
        self.inv = batch.inv
        self._base_out = base.out
        self._base_inv = base.inv
        if batch is not base:
            for node, po in self.out.items():
                shared = base.out.get(node)
                if shared is not None:
                    self.out[node] = _merge(shared, po)
            for node, ps in self.inv.items():
                shared = base.inv.get(node)
                if shared is not None:
                    self.inv[node] = _merge(shared, ps)
        # the class hierarchy: the ontology's, unless the batch adds rdfs:subClassOf statements
        self.subclass_base = not batch.has_subclass_of or batch is base
        self._supers: dict[Term, frozenset[Term]] = base_supers if self.subclass_base else {}
        #: per-view cache of closure paths: (path id, node) -> value nodes
        self._memo: dict[tuple[int, Term], frozenset[Term]] = {}

    def po(self, node: Term) -> PredicateMap | None:
        """Predicate -> values of ``node`` (None when it is no subject)."""
        found = self.out.get(node)
        return found if found is not None else self._base_out.get(node)

    def ps(self, node: Term) -> PredicateMap | None:
        """Inverse predicate -> subjects of ``node`` (inverse predicates only)."""
        found = self.inv.get(node)
        return found if found is not None else self._base_inv.get(node)

    def supers(self, cls: Term) -> frozenset[Term]:
        """``cls`` and every class it reaches by rdfs:subClassOf (rdflib's transitive_objects)."""
        found = self._supers.get(cls)
        if found is None:
            found = closure(self, cls)
            if not self.subclass_base:
                self._supers[cls] = found
        return found

    def memo(self) -> dict[tuple[int, Term], frozenset[Term]]:
        return self._memo


def closure(view: DataView, start: Term) -> frozenset[Term]:
    seen = {start}
    todo = [start]
    while todo:
        po = view.po(todo.pop())
        if po is None:
            continue
        for parent in po.get(RDFS_SUBCLASS_OF, ()):
            if parent not in seen:
                seen.add(parent)
                todo.append(parent)
    return frozenset(seen)


def class_closures(index: Index) -> dict[Term, frozenset[Term]]:
    """The closure of every class of ``index`` that has a superclass."""
    view = DataView(index, index, {})
    return {node: closure(view, node) for node, po in index.out.items() if RDFS_SUBCLASS_OF in po}
