"""Small text helpers shared by the normalisers: NFKC with an offset map, slugs."""

from __future__ import annotations

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def nfkc_with_map(text: str) -> tuple[str, list[int]]:
    """NFKC-normalise `text` character by character, returning the normalised string and, for each
    of its characters, the index of the source character it came from.

    Matching runs on the normalised copy (full-width "（PFS）" and Roman numeral "Ⅱ" become ASCII)
    while the span reported as evidence is cut from the original text.

    >>> nfkc_with_map("phaseⅡ")
    ('phaseII', [0, 1, 2, 3, 4, 5, 5])
    """
    out: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        normalised = unicodedata.normalize("NFKC", char)
        out.append(normalised)
        origin.extend([index] * len(normalised))
    return "".join(out), origin


def original_span(text: str, origin: list[int], start: int, end: int) -> str:
    """The part of the original `text` that normalised characters [start, end) came from."""
    if start >= end:
        return ""
    return text[origin[start] : origin[end - 1] + 1]


def slugify(text: str) -> str:
    """A deterministic IRI-safe slug: NFKC, accents folded to ASCII, lower case, runs of anything
    else turned into single hyphens.

    >>> slugify("Albumin-Bound  Paclitaxel (Abraxane®)")
    'albumin-bound-paclitaxel-abraxane'
    >>> slugify("Ménétrier's disease")
    'menetrier-s-disease'
    """
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text))
    ascii_only = folded.encode("ascii", "ignore").decode("ascii").lower()
    return _NON_ALNUM.sub("-", ascii_only).strip("-")


def collapse_whitespace(text: str) -> str:
    """Runs of white space (including line breaks and NBSP) to one space, stripped."""
    return " ".join(text.split())
