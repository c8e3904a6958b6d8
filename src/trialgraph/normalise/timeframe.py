"""Read an outcome's time frame as one xsd:duration, where the text states one unambiguously.

Rules:

1. The text is read after NFKC (full-width and other Unicode digits, full-width brackets), lower-cased,
   with Unicode dashes read as "-". Number words become digits ("two years", "twenty-four months",
   "a year"); numbers in other scripts are read as digits too.
2. A *mention* is a number, or a list or range of numbers, followed by a unit: years (y, yr), months
   (mo, mos, mth), weeks (w, wk), days (d), hours (h, hr), minutes (min), seconds (sec); hyphen or no
   space allowed ("12-months", "24months"). "Week 12" or "Day 1" (a unit followed by a number) is a
   visit, not a duration, and is not a mention, except after "up to" ("up to week 24" = 24 weeks).
3. Mentions that are frequencies ("every 8 weeks", "each 3 months", "per day"), ages ("aged 18 years")
   or visit windows ("± 15 days", "(-1 day or + 2 days)") are ignored.
4. If the text states a bound before a mention ("up to", "max", "a maximum of", "not exceeding",
   "at most", optionally with "approximately", "about" ...), that bound is the answer: it must be a
   single number, the only distinct bound, and no other mention may be longer ("Up to 4 months, 6, 12
   and 24 months" -> None).
5. Otherwise every mention must state the same duration ("12 months ... at 12 months"); a list or a
   range ("6-12 months", "3, 6, and 12 months") is ambiguous, except a range from 0 ("0 to 6 weeks"),
   which is its upper bound. A text that mentions treatment cycles ("Cycle 1 Day 1", "each cycle is
   28 days") is ambiguous: its durations are cycle lengths or visit days, and a cycle has no fixed
   length. Anything else returns None.
6. The result is an xsd:duration lexical form: years, months and days as written ("P12M", "P1Y"),
   weeks as days (xsd:duration has no week designator: 24 weeks -> "P168D"), hours, minutes and
   seconds after "T" ("PT12H"). A fraction is kept only where it is exact in a smaller unit
   (1.5 years -> "P18M", 2.5 days -> "PT60H"); "7.5 months" -> None. Zero is not a duration.

>>> parse_time_frame("Up to approximately 24months")
'P24M'
>>> parse_time_frame("up to 24 weeks")
'P168D'
>>> parse_time_frame("Baseline, Week 12, Week 24") is None
True
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from fractions import Fraction

# unit word -> (xsd designator, factor to that designator); weeks are counted in days
_UNIT_WORDS: dict[str, tuple[str, int]] = {
    **dict.fromkeys(("year", "years", "yr", "yrs", "y"), ("Y", 1)),
    **dict.fromkeys(("month", "months", "mo", "mos", "mth", "mths", "mon"), ("M", 1)),
    **dict.fromkeys(("week", "weeks", "wk", "wks", "w"), ("D", 7)),
    **dict.fromkeys(("day", "days", "d"), ("D", 1)),
    **dict.fromkeys(("hour", "hours", "hr", "hrs", "h"), ("H", 1)),
    **dict.fromkeys(("minute", "minutes", "min", "mins"), ("MIN", 1)),
    **dict.fromkeys(("second", "seconds", "sec", "secs"), ("S", 1)),
    **dict.fromkeys(("cycle", "cycles"), ("CYCLE", 1)),
}
_UNIT = "|".join(sorted(_UNIT_WORDS, key=len, reverse=True))
_NUMBER = r"\d+(?:\.\d+)?"
_LIST_SEPARATOR = r"\s*(?:,\s*(?:and|or)?|and|or|to|-|/|&|~)\s*"
_MENTION = re.compile(
    rf"(?<![\w.])(?P<numbers>{_NUMBER}(?:{_LIST_SEPARATOR}{_NUMBER})*)[\s-]*(?P<unit>{_UNIT})(?![a-z])"
)
# "up to week 24": a visit after "up to" is a bound, written unit first
_UPTO_VISIT = re.compile(rf"(?P<unit>year|month|week|day)\s*(?P<numbers>{_NUMBER})(?![\w.])")
_MAXIMUM = r"(?:a\s+)?max(?:imum)?\.?(?:\s+of)?"
_UPTO_BEFORE = re.compile(
    rf"(?:\bup\s*to(?:\s+{_MAXIMUM})?|(?:\bfor\s+)?\b{_MAXIMUM}|\bnot\s+exceeding|\bat\s+most)"
    r"\s*(?:approximately|approx\.?|about|around|ca\.?|~)?\s*$"
)
# frequencies, ages and tolerances ("every 8 weeks", "aged 18 years", "± 15 days") are not durations
_IGNORED_BEFORE = re.compile(
    r"(?:(?:\b(?:every|each|per|q|aged?|age\s+of|plus|minus)|±|\+/-|\+)\s*|(?:^|[\s(\[])-)$"
)
_CYCLE = re.compile(r"\bcycles?\b|\bc\d+d\d+\b")
_SPLIT_NUMBERS = re.compile(_LIST_SEPARATOR)
_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63", "-"))

_ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_WORD_NUMBER = re.compile(
    rf"\b(?:(?P<tens>{'|'.join(_TENS)})(?:[\s-]+(?P<unit>{'|'.join(_ONES[1:10])}))?|(?P<ones>{'|'.join(_ONES)}))\b"
)
_ARTICLE_BEFORE_UNIT = re.compile(r"\ban?\s+(?=(?:year|month|week|day|hour|minute)\b)")

#: an exact number: an int where whole (nearly always, and ~10x cheaper to compute with), else a Fraction
Exact = int | Fraction

_DAYS_PER_MONTH = Fraction(146097, 4800)  # mean Gregorian month, only to compare bounds
_LOOKBEHIND = 24  # characters before a mention searched for "up to", "every", "aged"


@dataclass(frozen=True)
class _Mention:
    values: tuple[Exact, ...]
    designator: str  # Y M D H MIN S, or CYCLE
    upto: bool

    @property
    def single(self) -> Exact | None:
        return self.values[0] if len(self.values) == 1 else None


def _number(text: str) -> Exact:
    """A decimal number in any script's digits ("٢٤" is 24): int() reads them, Fraction() does not."""
    whole, _, decimals = text.partition(".")
    value = int(whole)
    return value + Fraction(int(decimals), 10 ** len(decimals)) if decimals else value


def _word_to_digits(match: re.Match[str]) -> str:
    if match.group("ones"):
        return str(_ONES.index(match.group("ones")))
    value = 20 + 10 * _TENS.index(match.group("tens"))
    return str(value + (_ONES.index(match.group("unit")) if match.group("unit") else 0))


def _prepare(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower().translate(_DASHES)
    text = _WORD_NUMBER.sub(_word_to_digits, text)
    return _ARTICLE_BEFORE_UNIT.sub("1 ", text)


def _mention(numbers: str, unit: str, upto: bool) -> _Mention:
    designator, factor = _UNIT_WORDS[unit]
    values = tuple(_number(n) * factor for n in _SPLIT_NUMBERS.split(numbers.strip()))
    return _Mention(values, designator, upto)


def _mentions(text: str) -> list[_Mention]:
    found: list[_Mention] = []
    for m in _MENTION.finditer(text):
        before = text[max(0, m.start() - _LOOKBEHIND) : m.start()]
        if _IGNORED_BEFORE.search(before):
            continue
        found.append(_mention(m.group("numbers"), m.group("unit"), _UPTO_BEFORE.search(before) is not None))
    for m in _UPTO_VISIT.finditer(text):
        if _UPTO_BEFORE.search(text[max(0, m.start() - _LOOKBEHIND) : m.start()]):
            found.append(_mention(m.group("numbers"), m.group("unit"), True))
    return found


def _key(value: Exact, designator: str) -> tuple[Exact, Exact]:
    """Exact (months, seconds) of a duration, so "2 years" and "24 months" are the same value."""
    months = {"Y": 12, "M": 1}.get(designator)
    if months is not None:
        return value * months, 0
    seconds = {"D": 86400, "H": 3600, "MIN": 60, "S": 1}[designator]
    return 0, value * seconds


def _approximate_days(value: Exact, designator: str) -> Fraction:
    months, seconds = _key(value, designator)
    return months * _DAYS_PER_MONTH + Fraction(seconds, 86400)


def _iso(value: Exact, designator: str) -> str | None:
    """xsd:duration lexical form, or None where the value is not exact in any designator."""
    if value <= 0:
        return None
    if value.denominator == 1:
        return f"PT{value}{designator[0]}" if designator in ("H", "MIN", "S") else f"P{value}{designator}"
    smaller = {"Y": ("M", 12), "D": ("H", 24), "H": ("MIN", 60), "MIN": ("S", 60)}.get(designator)
    if smaller is not None:
        return _iso(value * smaller[1], smaller[0])
    if designator == "S":
        return f"PT{float(value)}S" if (value * 1000).denominator == 1 else None
    return None  # fractional months: no exact smaller unit


def _from_upto(upto: list[_Mention], others: list[_Mention]) -> str | None:
    if any(m.single is None or m.designator == "CYCLE" for m in upto):
        return None
    bounds = {_key(m.values[0], m.designator): m for m in upto}
    if len(bounds) != 1:
        return None
    bound = upto[0]
    limit = _approximate_days(bound.values[0], bound.designator)
    for m in others:
        if m.designator != "CYCLE" and max(_approximate_days(v, m.designator) for v in m.values) > limit:
            return None
    return _iso(bound.values[0], bound.designator)


def _single_value(mention: _Mention) -> Exact | None:
    if mention.single is not None:
        return mention.single
    if len(mention.values) == 2 and mention.values[0] == 0:  # "0 to 6 weeks"
        return mention.values[1]
    return None


def _from_all(mentions: list[_Mention]) -> str | None:
    values: dict[tuple[Exact, Exact], tuple[Exact, str]] = {}
    for m in mentions:
        value = _single_value(m)
        if value is None or m.designator == "CYCLE":
            return None
        values.setdefault(_key(value, m.designator), (value, m.designator))
    if len(values) != 1:
        return None
    return _iso(*next(iter(values.values())))


def parse_time_frame(text: str) -> str | None:
    """The single duration ``text`` states, as an xsd:duration lexical form, else None.

    >>> parse_time_frame("From date of enrollment until death, assessed up to 24 months")
    'P24M'
    >>> parse_time_frame("two years")
    'P2Y'
    """
    prepared = _prepare(text)
    mentions = _mentions(prepared)
    if not mentions:
        return None
    upto = [m for m in mentions if m.upto]
    if upto:
        return _from_upto(upto, [m for m in mentions if not m.upto])
    if _CYCLE.search(prepared):  # durations next to cycles are cycle lengths or visit days
        return None
    return _from_all(mentions)
