"""RDF terms as plain Python values, and an N-Triples/N-Quads line parser that gives rdflib's terms.

A term is an IRI (``str``), a blank node (:class:`BNode`) or a literal (a ``(lexical, datatype,
language)`` tuple, ``datatype`` and ``language`` None when absent). Terms are equal exactly when the
rdflib terms pyshacl works on are equal, so sets and counts come out the same:

- a simple literal ``"x"`` is ``("x", None, None)`` and ``"x"^^xsd:string`` is ``("x", XSD_STRING,
  None)``: rdflib keeps them apart (and pyshacl reports them differently), so this does too;
- the lexical form of a typed literal is rdflib's normalised one (``"01"^^xsd:integer`` is ``"1"``,
  ``"P24M"^^xsd:duration`` is ``"P2Y"``), computed by rdflib itself and cached; the common forms the
  converter writes (``"7"^^xsd:integer``, plain strings) skip rdflib;
- escapes are undone with rdflib's own function, and lines are split where rdflib splits them
  (``\\r\\n``, ``\\r``, ``\\n``; never at U+2028 or U+0085, which may stand raw inside a literal).

>>> list(parse_lines(['<http://e.org/s> <http://e.org/p> "7"^^<http://www.w3.org/2001/XMLSchema#integer> .']))
[('http://e.org/s', 'http://e.org/p', ('7', 'http://www.w3.org/2001/XMLSchema#integer', None))]
>>> list(parse_lines(['<http://e.org/s> <http://e.org/p> "say \\\\"hi\\\\""@en .']))
[('http://e.org/s', 'http://e.org/p', ('say "hi"', None, 'en'))]
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator
from typing import Final, TypeAlias

from rdflib import BNode as RDFBNode
from rdflib import Literal as RDFLiteral
from rdflib import URIRef
from rdflib.compat import decodeUnicodeEscape
from rdflib.term import Node as RDFNode

from trialgraph.errors import TrialgraphError

__all__ = [
    "XSD_INTEGER",
    "XSD_STRING",
    "BNode",
    "Lit",
    "NTriplesError",
    "Term",
    "from_rdflib",
    "literal",
    "parse_lines",
    "split_lines",
    "to_rdflib",
]

XSD: Final = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING: Final = XSD + "string"
XSD_INTEGER: Final = XSD + "integer"


class BNode:
    """A blank node, by its label (``_:label`` in the input)."""

    __slots__ = ("id",)

    def __init__(self, id: str) -> None:
        self.id = id

    def __eq__(self, other: object) -> bool:
        return type(other) is BNode and other.id == self.id

    def __hash__(self) -> int:
        return hash(("_:", self.id))

    def __repr__(self) -> str:
        return f"BNode({self.id!r})"

    def __reduce__(self) -> tuple[type[BNode], tuple[str]]:
        return (BNode, (self.id,))


#: a literal: (lexical form, datatype IRI or None, language tag or None)
Lit: TypeAlias = tuple[str, str | None, str | None]
Term: TypeAlias = str | BNode | Lit
Triple: TypeAlias = tuple[str | BNode, str, Term]


class NTriplesError(TrialgraphError, ValueError):
    """A line that is not N-Triples (or N-Quads) as rdflib reads it."""


# ---------------------------------------------------------------------------------------------
# Literals


#: (lexical, datatype) -> the literal rdflib makes of it; only typed literals outside the fast forms
_TYPED: dict[tuple[str, str], Lit] = {}
_TYPED_MAX = 500_000


def literal(lexical: str, datatype: str | None = None, language: str | None = None) -> Lit:
    """The literal rdflib's parser makes of ``lexical`` with ``datatype`` or ``language``.

    >>> literal("+05", XSD_INTEGER)
    ('5', 'http://www.w3.org/2001/XMLSchema#integer', None)
    >>> literal("x", XSD_STRING)
    ('x', 'http://www.w3.org/2001/XMLSchema#string', None)
    """
    if datatype is None or language:
        return (lexical, None, language or None)
    if datatype == XSD_STRING:
        return (lexical, datatype, None)
    if datatype == XSD_INTEGER and _canonical_natural(lexical):
        return (lexical, datatype, None)
    key = (lexical, datatype)
    known = _TYPED.get(key)
    if known is None:
        if len(_TYPED) >= _TYPED_MAX:
            _TYPED.clear()
        rdf = RDFLiteral(lexical, datatype=URIRef(datatype))
        _TYPED[key] = known = (str(rdf), datatype, None)
    return known


def _canonical_natural(lexical: str) -> bool:
    """``0`` or a positive decimal integer without a leading zero: rdflib keeps it as it is."""
    return lexical.isascii() and lexical.isdigit() and (lexical[0] != "0" or lexical == "0")


def to_rdflib(term: Term) -> RDFNode:
    """The rdflib term (for rendering and for the rare checks done with rdflib's own semantics)."""
    if type(term) is str:
        return URIRef(term)
    if type(term) is BNode:
        return RDFBNode(term.id)
    assert type(term) is tuple
    lexical, datatype, language = term
    return RDFLiteral(lexical, lang=language, datatype=URIRef(datatype) if datatype else None)


def from_rdflib(node: RDFNode) -> Term:
    """A term of the shapes or ontology graph (parsed by rdflib) in this module's form."""
    if isinstance(node, URIRef):
        return str(node)
    if isinstance(node, RDFBNode):
        return BNode(str(node))
    if isinstance(node, RDFLiteral):
        datatype = str(node.datatype) if node.datatype is not None else None
        return (str(node), datatype, node.language)
    raise TypeError(f"not an RDF term: {node!r}")


# ---------------------------------------------------------------------------------------------
# Lines

# rdflib.plugins.parsers.ntriples / nquads, read token by token as rdflib does
_R_URIREF = re.compile(r'<([^:]+:[^\s"<>]*)>')
_R_NODEID = re.compile(r"_:([A-Za-z0-9_:]([-A-Za-z0-9_:\.]*[-A-Za-z0-9_:])?)")
_R_LITERAL = re.compile(
    r'"([^"\\]*(?:\\.[^"\\]*)*)"(?:@([a-zA-Z]+(?:-[a-zA-Z0-9]+)*)|\^\^<([^:]+:[^\s"<>]*)>)?'
)
_R_WSPACE = re.compile(r"[ \t]*")
_R_TAIL = re.compile(r"[ \t]*\.[ \t]*(#.*)?")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")

# The fast path: the form the converter writes (single spaces, IRIs without escapes, no blank
# nodes). A token it does not recognise sends the line to the rdflib-like reader above, so the
# fast path accepts a subset of what rdflib accepts and reads it the same way.
_IRI_TOKEN = re.compile(r'<([^:<>"\s\\]+:[^\s"<>\\]*)>')
_LEXICAL = re.compile(r'[^"\\]*(?:\\.[^"\\]*)*')
_LANGUAGE = re.compile(r"[a-zA-Z]+(?:-[a-zA-Z0-9]+)*")
#: "<iri>" token -> the IRI (interned), for tokens seen before
_IRIS: dict[str, str] = {}
_IRIS_MAX = 200_000


def iri_token(token: str) -> str | None:
    """The IRI of an ``<iri>`` token of the fast form, or None (then the rdflib-like reader decides)."""
    known = _IRIS.get(token)
    if known is None:
        m = _IRI_TOKEN.fullmatch(token)
        if m is None:
            return None
        if len(_IRIS) >= _IRIS_MAX:
            _IRIS.clear()
        _IRIS[token] = known = sys.intern(m.group(1))
    return known


def object_token(token: str) -> Term | None:
    """The term of an object token of the fast form (an IRI or a literal), or None."""
    if token[:1] == "<":
        return iri_token(token)
    if token[:1] != '"':
        return None
    end = token.rfind('"')
    if end == 0:
        return None
    lexical = token[1:end]
    if '"' in lexical or "\\" in lexical or "\r" in lexical or "\n" in lexical:
        if "\r" in lexical or "\n" in lexical or _LEXICAL.fullmatch(lexical) is None:
            return None
        lexical = decodeUnicodeEscape(lexical)
    suffix = token[end + 1 :]
    if not suffix:
        return (lexical, None, None)
    if suffix[:2] == "^^":
        datatype = iri_token(suffix[2:])
        return None if datatype is None else literal(lexical, datatype)
    if suffix[:1] == "@" and _LANGUAGE.fullmatch(suffix, 1) is not None:
        return (lexical, None, suffix[1:])
    return None


def split_lines(text: str) -> list[str]:
    """``text`` cut into lines where rdflib's N-Triples reader cuts it (not ``str.splitlines``)."""
    return _LINE_BREAK.split(text)


def parse_lines(lines: Iterable[str]) -> Iterator[Triple]:
    """The triples of N-Triples (or N-Quads: the graph is dropped) lines; blank and comment lines
    are skipped. A line may still end with its line break. Raises NTriplesError on a bad line."""
    for line in lines:
        triple = parse_fast(line)
        if triple is not None:
            yield triple
        else:
            yield from parse_general(line)


def parse_fast(line: str) -> Triple | None:
    """The triple of a line in the fast form, or None."""
    parts = line.split(" ", 2)
    if len(parts) != 3:
        return None
    subject_token, predicate_token, rest = parts
    if rest[-2:] != " .":
        return None
    s = iri_token(subject_token)
    p = iri_token(predicate_token)
    o = object_token(rest[:-2])
    if s is None or p is None or o is None:
        return None
    return (s, p, o)


def parse_general(line: str) -> Iterator[Triple]:
    """rdflib's N-Quads line reader (W3CNTriplesParser / NQuadsParser.parseline), for any line."""
    for part in _LINE_BREAK.split(line):
        triple = _Reader(part).statement()
        if triple is not None:
            yield triple


class _Reader:
    __slots__ = ("line", "pos")

    def __init__(self, line: str) -> None:
        self.line = line
        self.pos = 0

    def fail(self, what: str) -> NTriplesError:
        return NTriplesError(f"{what} at {self.line[self.pos :]!r} in {self.line!r}")

    def eat(self, pattern: re.Pattern[str]) -> re.Match[str] | None:
        m = pattern.match(self.line, self.pos)
        if m is not None:
            self.pos = m.end()
        return m

    def statement(self) -> Triple | None:
        self.eat(_R_WSPACE)
        rest = self.line[self.pos :]
        if not rest or rest.startswith("#"):
            return None
        subject = self.uriref() or self.nodeid()
        if subject is None:
            raise self.fail("subject must be an IRI or a blank node")
        self.eat(_R_WSPACE)
        predicate = self.uriref()
        if predicate is None:
            raise self.fail("predicate must be an IRI")
        self.eat(_R_WSPACE)
        obj: Term | None = self.uriref() or self.nodeid() or self.literal()
        if obj is None:
            raise self.fail("unrecognised object")
        self.eat(_R_WSPACE)
        _graph = self.uriref() or self.nodeid()
        if self.eat(_R_TAIL) is None or self.pos != len(self.line):
            raise self.fail("trailing garbage")
        return (subject, predicate, obj)

    def uriref(self) -> str | None:
        if not self.line.startswith("<", self.pos):
            return None
        m = self.eat(_R_URIREF)
        if m is None:
            raise self.fail("bad IRI")
        return decodeUnicodeEscape(m.group(1))

    def nodeid(self) -> BNode | None:
        if not self.line.startswith("_", self.pos):
            return None
        m = self.eat(_R_NODEID)
        if m is None:
            raise self.fail("bad blank node")
        return BNode(m.group(1))

    def literal(self) -> Lit | None:
        if not self.line.startswith('"', self.pos):
            return None
        m = self.eat(_R_LITERAL)
        if m is None:
            raise self.fail("bad literal")
        lexical, language, datatype = m.groups()
        text = decodeUnicodeEscape(lexical)
        if datatype:
            return literal(text, decodeUnicodeEscape(datatype))
        return (text, None, language or None)
