"""What a SPARQL text is before it runs: its query form, or a refusal (an update, a SERVICE call).

pyoxigraph exposes no parser, so this is a small lexical scan that is built to fail closed. It hides
only what the engine itself cannot read as keywords: comments, string literals, IRIs in angle
brackets and variables; then any "service", in any case and glued to anything, in what is left is
refused. The engine splits keywords off neighbouring tokens (`?s ?p trueSERVICE <x> {}` and
`"x"SERVICE<x>{}` both call the service in pyoxigraph 0.5; tests/test_serve.py keeps the list),
so a word-boundary test would be fooled. The price is that a prefixed name containing "service"
(`schema:serviceType`) is refused too: write that IRI in full.

Every hiding rule errs towards showing more text than the engine hides: a backslash outside a
string escapes the next character (`ex:o\\# SERVICE` is a prefixed name, then a SERVICE),
comments end at any line break Python knows (the engine stops at LF and CR), variables take
ASCII name characters only, and an IRI is hidden only when it matches the grammar's IRIREF, which
cannot hold the `{` a SERVICE clause needs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

QueryForm = Literal["SELECT", "ASK", "CONSTRUCT", "DESCRIBE"]

UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
)
_FORMS: dict[str, QueryForm] = {
    "SELECT": "SELECT",
    "ASK": "ASK",
    "CONSTRUCT": "CONSTRUCT",
    "DESCRIBE": "DESCRIBE",
}

_LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_IRIREF = re.compile(r'<(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>')
_VARIABLE = re.compile(r"[?$][A-Za-z0-9_]+")
_PROLOGUE = re.compile(r"\s*(?:(?:PREFIX\s*[^\s:]*:|BASE)\s*)*", re.IGNORECASE)
_FIRST_WORD = re.compile(r"[A-Za-z]+")


class RefusedQuery(Exception):
    """A query this read-only endpoint will not run (an update, a SERVICE call)."""


@dataclass(frozen=True)
class QueryInfo:
    form: QueryForm | None  # None: not a query the scan recognises; the engine's parser will say why


def _string_end(text: str, start: int) -> int:
    """The index just after the string literal opening at `start` (or the end of the text)."""
    quote = text[start]
    long = text.startswith(quote * 3, start)
    i = start + (3 if long else 1)
    while i < len(text):
        char = text[i]
        if char == "\\":
            i += 2
            continue
        if long:
            if text.startswith(quote * 3, i):
                return i + 3
        elif char == quote:
            return i + 1
        elif char in "\n\r":  # a short string cannot span lines: the engine rejects it; show the rest
            return i
        i += 1
    return len(text)


def code_only(text: str) -> str:
    """The text with comments, strings, IRIs and variables each replaced by one space."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char == "\\":  # an escape in a prefixed name (ex:a\#b): the next character is not syntax
            out.append(text[i : i + 2])
            i += 2
        elif char == "#":
            while i < n and text[i] not in _LINE_BREAKS:
                i += 1
            out.append(" ")
        elif char in "\"'":
            i = _string_end(text, i)
            out.append(" ")
        elif char == "<" and (iri := _IRIREF.match(text, i)):
            i = iri.end()
            out.append(" ")
        elif char in "?$" and (variable := _VARIABLE.match(text, i)):
            i = variable.end()
            out.append(" ")
        else:
            out.append(char)
            i += 1
    return "".join(out)


def inspect_query(text: str) -> QueryInfo:
    """The query form, or RefusedQuery for an update or a SERVICE clause.

    >>> inspect_query("PREFIX ex: <http://example.org/> # a comment\\nASK { ?s ex:p 'SERVICE' }")
    QueryInfo(form='ASK')
    >>> inspect_query("SELECT * { ?s ?p ?o SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    Traceback (most recent call last):
    ...
    trialgraph.serve.querycheck.RefusedQuery: SERVICE (a federated query to another endpoint) is not ...
    """
    code = code_only(text)
    prologue = _PROLOGUE.match(code)
    first = _FIRST_WORD.match(code, prologue.end() if prologue else 0)
    word = first.group().upper() if first else ""
    # a prefix, not the whole word: the engine reads keywords glued together ("SELECTDISTINCT")
    update = next((k for k in sorted(UPDATE_KEYWORDS) if word.startswith(k)), None)
    if update:
        raise RefusedQuery(f"SPARQL Update ({update}) is not allowed: this endpoint is read-only")
    if "service" in code.lower():
        raise RefusedQuery(
            'SERVICE (a federated query to another endpoint) is not allowed here; if "service" is '
            "part of a prefixed name, write that IRI in full"
        )
    return QueryInfo(next((form for key, form in _FORMS.items() if word.startswith(key)), None))
