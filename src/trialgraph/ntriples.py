"""N-Triples terms as strings.

The converter emits N-Triples lines directly: writing strings per trial is ~20x faster than building
rdflib objects (design brief, Engines), and strings are trivially sorted for deterministic output.
Everything here produces terms that strict parsers accept (RDF 1.1 N-Triples grammar).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from trialgraph.namespaces import RDF, XSD

# IRIREF may not contain these (N-Triples grammar, production [8]); we build IRIs from slugs and
# validated ids, so meeting one is a bug, not bad input.
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"}
# Control characters are legal inside a quoted literal only as \u escapes in strict parsers.
_NEEDS_ESCAPE = re.compile(r'[\\"\n\r\x00-\x1f\x7f]')

RDF_TYPE = f"<{RDF}type>"


def iri(value: str) -> str:
    """`<value>`, refusing anything that is not a valid absolute IRI reference."""
    if _IRI_FORBIDDEN.search(value) or ":" not in value:
        raise ValueError(f"not a valid IRI for N-Triples: {value!r}")
    return f"<{value}>"


def _escape_char(match: re.Match[str]) -> str:
    char = match.group(0)
    return _ESCAPES.get(char) or f"\\u{ord(char):04X}"


def literal(value: str, datatype: str | None = None) -> str:
    """A quoted literal; a plain (xsd:string) literal when no datatype is given.

    >>> literal('say "hi"\\n')
    '"say \\\\"hi\\\\"\\\\n"'
    >>> literal("3", XSD + "integer")
    '"3"^^<http://www.w3.org/2001/XMLSchema#integer>'
    """
    # Lone surrogates cannot be encoded as UTF-8: replace them rather than fail the whole file.
    text = value.encode("utf-8", "replace").decode("utf-8") if _has_surrogate(value) else value
    quoted = '"' + _NEEDS_ESCAPE.sub(_escape_char, text) + '"'
    if datatype is None or datatype == XSD + "string":
        return quoted
    return f"{quoted}^^{iri(datatype)}"


def integer(value: int) -> str:
    return literal(str(value), XSD + "integer")


_SURROGATE = re.compile("[\ud800-\udfff]")


def _has_surrogate(value: str) -> bool:
    # isascii() is a flag check in CPython: most literals never reach the regex
    return not value.isascii() and _SURROGATE.search(value) is not None


def triple(subject: str, predicate: str, obj: str) -> str:
    """One N-Triples statement (without the line end) from already-formatted terms."""
    return f"{subject} {predicate} {obj} ."


def in_graph(lines: Iterable[str], graph: str) -> str:
    """N-Triples statements (as `triple` makes them, without line ends) as N-Quads text in `graph`.

    >>> in_graph(['<s> <p> "o" .'], "https://e.org/g")
    '<s> <p> "o" <https://e.org/g> .\\n'
    """
    suffix = f" <{graph}> .\n"
    return "".join(line[:-2] + suffix for line in lines)
