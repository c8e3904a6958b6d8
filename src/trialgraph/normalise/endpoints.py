"""Type a free-text outcome measure with endpoint types from ontology/endpoint-types.ttl.

The vocabulary (labels, synonyms, abbreviations, hierarchy) is read from the Turtle once per process;
this module holds no term lists of its own, only the matching rules:

1. **Normalisation.** Text is matched after NFKC (full-width letters, digits and brackets become ASCII:
   "（PFS）" reads "(PFS)", "Ⅱ" reads "II") with Unicode dashes read as "-" and the fraction slash as
   "/". ``matched_text`` is always the span of the *original* text.
2. **Full names** (rdfs:label, skos:altLabel, skos:hiddenLabel) match case-insensitively, on word
   boundaries (no ASCII letter or digit either side), hyphens and spaces between words interchangeable
   or absent ("Progression-Free Survival" = "progression free survival"); an English plural "s" may
   follow.
3. **Abbreviations** (tg:abbreviation) match case-sensitively as whole tokens, a plural "s" allowed
   ("TEAEs"), so "OS" never matches inside a word and "PCR" (the laboratory test) is never "pCR"
   (pathological complete response). Abbreviations of pharmacokinetic parameters (subclasses of
   tg:PharmacokineticEndpoint) may run on into a subscript: "AUC0-last", "AUCinf", "Cmax,ss".
   tg:ambiguousAbbreviation values (TTP, TTR, PD, ...) are never matched.
4. **Longest match wins**: overlapping matches are resolved longest first, so "dose-limiting toxicity"
   is not also "toxicity", "time to Cmax" is not also Cmax and "pathological complete response rate"
   is not also "complete response rate".
5. **Vetoes**: a match is dropped where its field uses the wording for something else: the
   abbreviation OS next to "osteosarcoma (OS)", DOR in a "diagnostic odds ratio", any area under
   the curve of a ROC curve (``_ABBREVIATION_VETOES``, ``_TYPE_VETOES``).
6. **Measure first, description refines.** Types come from the measure. The description is used only
   - as a *fallback* when the measure gives no type at all: every type it names is used
     ("Tumor response", "... expressed as Objective Response Rate (ORR)" -> ORR), except that
     pharmacokinetic parameters (AUC, Cmax, Tmax ...) count only if the description also names
     pharmacokinetics: the same symbols describe pharmacodynamic curves ("Plasma glucose",
     "AUC0-4h, Cmax") and a measure that does not say pharmacokinetic is not assumed to be one; or
   - to *refine* a broad type (one with subclasses, e.g. safety, pharmacokinetics) that the measure
     names without naming any of its subclasses: the description's mentions of that type's
     descendants are added ("Pharmacokinetic (PK) characteristics" + "To evaluate the Cmax" -> PK and
     Cmax). Nothing else in the description counts, so the "CR or PR" of an ORR definition never adds
     a type to an ORR endpoint, and a specific measure is never changed by its description.
7. One assignment per type, in order of first appearance (measure before description). ``rule`` says
   how it was made: ``label`` or ``abbreviation``, prefixed by ``fallback:`` or ``refine:`` when it
   came from the description.

>>> [a.type_iri.rsplit("#", 1)[1] for a in type_outcome("ORR and DCR", None)]
['ObjectiveResponseRate', 'DiseaseControlRate']
>>> a = type_outcome("Progression-Free Survival（PFS）", None)
>>> [(x.type_iri.rsplit("#", 1)[1], x.matched_text, x.rule) for x in a]
[('ProgressionFreeSurvival', 'Progression-Free Survival', 'label')]
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Literal

from rdflib import Graph, URIRef
from rdflib import Literal as RDFLiteral
from rdflib.namespace import RDFS, SKOS

from trialgraph.namespaces import TG
from trialgraph.resources import ontology_dir

MatchedIn = Literal["measure", "description"]

RULE_LABEL = "label"
RULE_ABBREVIATION = "abbreviation"
FALLBACK = "fallback:"
REFINE = "refine:"

ENDPOINT = TG + "Endpoint"
PHARMACOKINETIC = TG + "PharmacokineticEndpoint"

_TG_ABBREVIATION = URIRef(TG + "abbreviation")
_LABEL_PROPERTIES = (RDFS.label, SKOS.altLabel, SKOS.hiddenLabel)

# Unicode dashes -> "-", fraction slash -> "/": one character for one, so offsets are kept.
_TRANSLATE = str.maketrans(
    {c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63"} | {"\u2044": "/"}
)
# Between the words of a full name: any run of spaces and hyphens, or none.
_SEPARATOR = r"[\s\-]*"
_SEPARATOR_RE = re.compile(r"[\s\-]+")
_BOUNDARY_BEFORE = r"(?<![A-Za-z0-9])"
_BOUNDARY_AFTER = r"(?![A-Za-z0-9])"
# What may follow a pharmacokinetic symbol: "AUC0-last", "AUCinf", "AUCτ,ss", "Cmax, ss".
_SUBSCRIPT = r"[0-9A-Za-zτ∞\-]*(?:,\s?ss)?"

# Vetoes, by type local name: a field matching the pattern uses the type's wording for something
# else. Abbreviation vetoes drop only abbreviation matches ("Overall survival in osteosarcoma (OS)" is
# still overall survival); type vetoes drop every match (an area under a ROC curve is never PK).
_ABBREVIATION_VETOES: dict[str, re.Pattern[str]] = {
    "OverallSurvival": re.compile(r"osteosarcoma\s*\(\s*OS\s*\)", re.IGNORECASE),
    "DurationOfResponse": re.compile(r"diagnostic\s+odds\s+ratio", re.IGNORECASE),
}
_TYPE_VETOES: dict[str, re.Pattern[str]] = {
    "AreaUnderCurve": re.compile(r"\bROC\b|receiver[\s\-]+operating", re.IGNORECASE),
}


@dataclass(frozen=True)
class EndpointTypeAssignment:
    """One endpoint type given to one outcome, with how it was found."""

    type_iri: str
    matched_text: str
    matched_in: MatchedIn
    rule: str


@dataclass(frozen=True)
class _Hit:
    type_iri: str
    start: int
    end: int
    kind: str  # RULE_LABEL or RULE_ABBREVIATION


@dataclass(frozen=True)
class _Vocabulary:
    label_re: re.Pattern[str]
    abbreviation_re: re.Pattern[str]
    by_label: dict[str, str]  # label key (see _label_key) -> type IRI
    by_abbreviation: dict[str, str]
    descendants: dict[str, frozenset[str]]  # type IRI -> all its subclasses in the vocabulary


def _label_key(text: str) -> str:
    """Case- and separator-insensitive key: "Progression-Free Survival" -> "progressionfreesurvival"."""
    return _SEPARATOR_RE.sub("", text).casefold()


def _label_atoms(label: str) -> list[str]:
    """A full name as regex atoms: one per (lower-cased) character, _SEPARATOR between words."""
    atoms: list[str] = []
    for word in _SEPARATOR_RE.split(label.strip().lower()):
        if word:
            if atoms:
                atoms.append(_SEPARATOR)
            atoms.extend(re.escape(ch) for ch in word)
    return atoms


def _abbreviation_atoms(abbreviation: str) -> list[str]:
    return [re.escape(ch) for ch in abbreviation]


_Trie = dict[str, "_Trie"]
_END = ""  # key marking that a term ends at this node (atoms are never empty)


def _trie_pattern(terms: Iterable[list[str]]) -> str:
    """One regex matching any of the terms, as a trie of their atoms.

    Sharing prefixes ("progression-free survival", "progression-free survival 2") lets the engine
    reject a position after one character instead of trying every term: about ten times faster than a
    flat alternation over this vocabulary. An ending term's optional tail is greedy, so the longest
    term that fits is preferred, as with a longest-first alternation.
    """
    root: _Trie = {}
    for atoms in terms:
        node = root
        for atom in atoms:
            node = node.setdefault(atom, {})
        node[_END] = {}
    return _node_pattern(root)


def _node_pattern(node: _Trie) -> str:
    branches = [atom + _node_pattern(child) for atom, child in sorted(node.items()) if atom != _END]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if _END in node:
        return f"(?:{body})?"
    return body


def _subclasses(graph: Graph) -> dict[str, set[str]]:
    children: dict[str, set[str]] = {}
    for child, parent in graph.subject_objects(RDFS.subClassOf):
        if isinstance(child, URIRef) and isinstance(parent, URIRef):
            children.setdefault(str(parent), set()).add(str(child))
    return children


def _all_below(children: dict[str, set[str]], iri: str) -> frozenset[str]:
    seen: set[str] = set()
    stack = [iri]
    while stack:
        for child in children.get(stack.pop(), ()):
            if child not in seen:
                seen.add(child)
                stack.append(child)
    return frozenset(seen)


def _strings(graph: Graph, subject: str, properties: Iterable[URIRef]) -> list[str]:
    return [
        str(value)
        for prop in properties
        for value in graph.objects(URIRef(subject), prop)
        if isinstance(value, RDFLiteral)
    ]


@cache
def _vocabulary() -> _Vocabulary:
    """Read endpoint-types.ttl once and compile the two matching regexes."""
    graph = Graph()
    graph.parse(ontology_dir() / "endpoint-types.ttl", format="turtle")
    children = _subclasses(graph)
    types = sorted(_all_below(children, ENDPOINT))
    pk_types = _all_below(children, PHARMACOKINETIC)

    by_label: dict[str, str] = {}
    by_abbreviation: dict[str, str] = {}
    labels: list[list[str]] = []
    strict: list[list[str]] = []
    run_on: list[list[str]] = []
    for iri in types:
        for label in _strings(graph, iri, _LABEL_PROPERTIES):
            by_label[_label_key(label)] = iri
            labels.append(_label_atoms(label))
        for abbreviation in _strings(graph, iri, (_TG_ABBREVIATION,)):
            by_abbreviation[abbreviation] = iri
            (run_on if iri in pk_types else strict).append(_abbreviation_atoms(abbreviation))

    label_re = re.compile(
        f"{_BOUNDARY_BEFORE}(?P<t>{_trie_pattern(labels)})s?{_BOUNDARY_AFTER}", re.IGNORECASE
    )
    abbreviation_re = re.compile(
        f"{_BOUNDARY_BEFORE}(?:(?P<t>{_trie_pattern(strict)})s?{_BOUNDARY_AFTER}"
        f"|(?P<p>{_trie_pattern(run_on)}){_SUBSCRIPT})"
    )
    descendants = {iri: _all_below(children, iri) for iri in types}
    return _Vocabulary(label_re, abbreviation_re, by_label, by_abbreviation, descendants)


def endpoint_types() -> tuple[str, ...]:
    """Every endpoint type IRI in the vocabulary, sorted."""
    return tuple(sorted(_vocabulary().descendants))


def broader_types(type_iri: str) -> frozenset[str]:
    """The endpoint types ``type_iri`` is a subclass of, tg:Endpoint itself not included."""
    return frozenset(t for t, below in _vocabulary().descendants.items() if type_iri in below)


def _normalise(text: str) -> tuple[str, list[int] | None]:
    """Text to match in, and for each of its characters the index of the original character
    (None when the two are the same string, the common ASCII case)."""
    if text.isascii():
        return text, None
    if unicodedata.is_normalized("NFKC", text):
        return text.translate(_TRANSLATE), None
    # Character by character so each output character knows where it came from (NFKC may expand one
    # character into several, e.g. "½" -> "1⁄2").
    pieces = [unicodedata.normalize("NFKC", ch) for ch in text]
    origin = [i for i, piece in enumerate(pieces) for _ in piece]
    return "".join(pieces).translate(_TRANSLATE), origin


def _original_span(origin: list[int] | None, start: int, end: int) -> tuple[int, int]:
    if origin is None:
        return start, end
    return origin[start], origin[end - 1] + 1


def _raw_hits(vocab: _Vocabulary, text: str) -> Iterator[_Hit]:
    for m in vocab.label_re.finditer(text):
        iri = vocab.by_label.get(_label_key(m.group("t")))
        if iri is not None:  # the span includes a plural "s"
            yield _Hit(iri, m.start(), m.end(), RULE_LABEL)
    for m in vocab.abbreviation_re.finditer(text):
        group = "t" if m.group("t") is not None else "p"
        iri = vocab.by_abbreviation.get(m.group(group))
        if iri is not None:  # the span includes a plural "s" or a subscript
            yield _Hit(iri, m.start(), m.end(), RULE_ABBREVIATION)


def _longest_first(hits: Iterable[_Hit]) -> list[_Hit]:
    """Drop every hit that overlaps a longer one; the survivors in text order."""
    kept: list[_Hit] = []
    for hit in sorted(hits, key=lambda h: (h.start - h.end, h.start)):
        if all(hit.end <= k.start or hit.start >= k.end for k in kept):
            kept.append(hit)
    return sorted(kept, key=lambda h: h.start)


def _vetoed(hit: _Hit, text: str) -> bool:
    name = hit.type_iri.removeprefix(TG)
    veto = _TYPE_VETOES.get(name) or (
        _ABBREVIATION_VETOES.get(name) if hit.kind == RULE_ABBREVIATION else None
    )
    return veto is not None and veto.search(text) is not None


def _find(text: str) -> list[tuple[_Hit, str]]:
    """The first hit of each type in ``text``, in text order, with the original matched span."""
    vocab = _vocabulary()
    normalised, origin = _normalise(text)
    found: list[tuple[_Hit, str]] = []
    seen: set[str] = set()
    for hit in _longest_first(_raw_hits(vocab, normalised)):
        if hit.type_iri in seen or _vetoed(hit, normalised):
            continue
        seen.add(hit.type_iri)
        start, end = _original_span(origin, hit.start, hit.end)
        found.append((hit, text[start:end]))
    return found


def _refinable(measure_types: set[str]) -> frozenset[str]:
    """Types the description may add: descendants of each broad measure type that the measure does
    not already narrow down."""
    descendants = _vocabulary().descendants
    allowed: set[str] = set()
    for iri in measure_types:
        below = descendants.get(iri, frozenset())
        if below and not below & measure_types:
            allowed |= below
    return frozenset(allowed)


def _fallback_types(description_types: set[str]) -> frozenset[str]:
    """Types a description may give an untyped measure: all it names, less pharmacokinetic
    parameters when it does not name pharmacokinetics."""
    if PHARMACOKINETIC in description_types:
        return frozenset(description_types)
    return frozenset(description_types - _vocabulary().descendants[PHARMACOKINETIC])


def type_outcome(measure: str, description: str | None) -> tuple[EndpointTypeAssignment, ...]:
    """The endpoint types of one outcome (see the module docstring for the rules).

    >>> found = type_outcome("Pharmacokinetic (PK) characteristics", "To evaluate the Cmax")
    >>> [(a.type_iri.rsplit("#", 1)[1], a.matched_text, a.matched_in, a.rule) for a in found]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('PharmacokineticEndpoint', 'Pharmacokinetic', 'measure', 'label'),
     ('MaximumConcentration', 'Cmax', 'description', 'refine:abbreviation')]
    """
    assignments = [
        EndpointTypeAssignment(hit.type_iri, matched, "measure", hit.kind) for hit, matched in _find(measure)
    ]
    if not description:
        return tuple(assignments)
    measure_types = {a.type_iri for a in assignments}
    found = _find(description)
    if measure_types:
        allowed, prefix = _refinable(measure_types), REFINE
    else:
        allowed, prefix = _fallback_types({hit.type_iri for hit, _ in found}), FALLBACK
    for hit, matched in found:
        if hit.type_iri in allowed and hit.type_iri not in measure_types:
            assignments.append(
                EndpointTypeAssignment(hit.type_iri, matched, "description", prefix + hit.kind)
            )
    return tuple(assignments)
