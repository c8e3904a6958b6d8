"""Condition groups (cancer; solid tumour or haematological malignancy; organ site) for conditions
and trials, from ontology/condition-groups.ttl.

Rules: a canonical condition label is in a group when it contains one of the group's keywords as
whole words (a plural "s" allowed); an organ group (one under tg:SolidTumour) also needs a cancer
keyword in the same label, so "Lung Diseases" is not lung cancer. A trial is in a group when one of
its conditions is, or when the registry's MeSH terms or ancestors for its conditions include one of
the group's MeSH terms. Membership comes with every broader group (lung cancer -> solid tumour ->
cancer), so queries need no path expressions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import rdflib
from rdflib.namespace import RDF, SKOS

from trialgraph.namespaces import TG
from trialgraph.resources import ontology_dir

CANCER = TG + "Cancer"
SOLID = TG + "SolidTumour"


@dataclass(frozen=True)
class _Group:
    iri: str
    keywords: re.Pattern[str] | None
    mesh_terms: frozenset[str]
    closure: tuple[str, ...]  # the group and all broader groups
    needs_cancer: bool


def _pattern(words: Iterable[str]) -> re.Pattern[str] | None:
    alternatives = sorted({re.escape(w.lower()) for w in words}, key=len, reverse=True)
    return re.compile(rf"\b(?:{'|'.join(alternatives)})s?\b") if alternatives else None


class ConditionGroups:
    def __init__(self, groups: tuple[_Group, ...]) -> None:
        self._groups = groups
        self._cancer = next(g for g in groups if g.iri == CANCER)

    @classmethod
    @cache
    def load(cls, path: Path | None = None) -> ConditionGroups:
        graph = rdflib.Graph().parse(path or ontology_dir() / "condition-groups.ttl", format="turtle")
        group_type = rdflib.URIRef(TG + "ConditionGroup")
        broader = {str(s): str(o) for s, o in graph.subject_objects(SKOS.broader)}

        def closure(iri: str) -> tuple[str, ...]:
            chain = [iri]
            while chain[-1] in broader:
                chain.append(broader[chain[-1]])
            return tuple(chain)

        groups = []
        for subject in sorted(graph.subjects(RDF.type, group_type), key=str):
            iri = str(subject)
            groups.append(
                _Group(
                    iri=iri,
                    keywords=_pattern(
                        str(k) for k in graph.objects(subject, rdflib.URIRef(TG + "groupKeyword"))
                    ),
                    mesh_terms=frozenset(
                        str(t) for t in graph.objects(subject, rdflib.URIRef(TG + "meshTerm"))
                    ),
                    closure=closure(iri),
                    needs_cancer=broader.get(iri) == SOLID,
                )
            )
        return cls(tuple(groups))

    def for_label(self, canonical_label: str) -> tuple[str, ...]:
        """Groups of one canonical condition label, with their broader groups, sorted.

        >>> groups = ConditionGroups.load()
        >>> [g.rsplit("#", 1)[1] for g in groups.for_label("non small cell lung cancer")]
        ['Cancer', 'LungCancer', 'SolidTumour']
        >>> groups.for_label("lung diseases, obstructive")
        ()
        """
        label = canonical_label.lower()
        is_cancer = bool(self._cancer.keywords and self._cancer.keywords.search(label))
        found: set[str] = set()
        for group in self._groups:
            if group.keywords is None or (group.needs_cancer and not is_cancer):
                continue
            if group.keywords.search(label):
                found.update(group.closure)
        return tuple(sorted(found))

    def for_mesh_terms(self, terms: Iterable[str]) -> tuple[str, ...]:
        """Groups named by MeSH terms (the registry's terms and ancestors), with broader groups."""
        names = set(terms)
        found: set[str] = set()
        for group in self._groups:
            if group.mesh_terms & names:
                found.update(group.closure)
        return tuple(sorted(found))
