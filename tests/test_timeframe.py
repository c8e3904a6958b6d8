"""Time frames as xsd:duration: each rule of trialgraph.normalise.timeframe with small inline cases, the
seeds' time frames, and every time frame of the real ClinicalTrials.gov records."""

from __future__ import annotations

import doctest
import re
from collections.abc import Iterator

import pytest

from realdata import json_array_studies, outcomes
from trialgraph.normalise import timeframe
from trialgraph.normalise.timeframe import parse_time_frame

# The xsd:duration lexical space (XML Schema 1.1 Part 2, 3.3.6.2): no week designator, a fraction
# only on seconds, "T" only before a time part, and at least one part.
XSD_DURATION = re.compile(
    r"-?P(?=[0-9T])(?:[0-9]+Y)?(?:[0-9]+M)?(?:[0-9]+D)?"
    r"(?:T(?=[0-9])(?:[0-9]+H)?(?:[0-9]+M)?(?:[0-9]+(?:\.[0-9]+)?S)?)?"
)


def case(text: str, expected: str | None, guards: str) -> object:
    return pytest.param(text, expected, id=guards)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the brief's examples
        case("12 months from first study treatment", "P12M", "months-as-written"),
        case("Up to approximately 24months", "P24M", "up-to-approximately-no-space"),
        case("up to 24 weeks", "P168D", "weeks-become-days"),
        case(
            "From date of enrollment until the date of first documented progression or date of death "
            "from any cause, whichever came first, assessed up to 24 months",
            "P24M",
            "up-to-after-long-prose",
        ),
        case("Until 28 days after the last dose of treatment", "P28D", "days"),
        case("1 year", "P1Y", "years"),
        case("two years", "P2Y", "number-word"),
        case("Twenty-four months", "P24M", "compound-number-word"),
        case("a year after surgery", "P1Y", "article-as-one"),
        case("２４ months", "P24M", "full-width-digits"),
        case("٢٤ months", "P24M", "arabic-indic-digits"),
        case("Baseline, Week 12, Week 24", None, "visits-are-not-durations"),
        # units
        case("From predose until 12 hr post dose", "PT12H", "hours-after-T"),
        case("24hours", "PT24H", "hours-no-space"),
        case("30 minutes", "PT30M", "minutes-not-months"),
        case("12-months post-operative", "P12M", "hyphenated-unit"),
        case("6 mths", "P6M", "month-abbreviation"),
        case("3 doses", None, "d-is-not-days-inside-a-word"),
        # fractions
        case("1.5 years", "P18M", "fractional-years-to-months"),
        case("2.5 days", "PT60H", "fractional-days-to-hours"),
        case(
            "Approximately 7.5 months following the last patient enrolled", None, "fractional-months-inexact"
        ),
        case("0 days", None, "zero-is-no-duration"),
        # up to and other bounds
        case("up to week 24", "P168D", "up-to-a-visit"),
        case("tumor assessment every 8 weeks，up to two years", "P2Y", "frequency-ignored-up-to-wins"),
        case("Up to 4 months, 6, 12 and 24 months", None, "up-to-shorter-than-another-mention"),
        case("Up to 40 days after the last dose (Up to 461 days)", None, "two-different-up-to"),
        case("up to 12 or 24 months", None, "up-to-a-list"),
        case("until 90 days after the final dose (max 18 months)", "P18M", "max-is-a-bound"),
        case("6 weeks or until resolved, but not exceeding 12 months.", "P12M", "not-exceeding-is-a-bound"),
        case("up to a maximum of 2 years", "P2Y", "up-to-a-maximum-of"),
        case("day1, day2 of cycle1; day1, day4 of cycle2; up to 9 weeks", "P63D", "up-to-beats-cycles"),
        # agreement of all mentions
        case("Treatment period: 2 years (24 months)", "P2Y", "same-value-in-two-units"),
        case("12 months after surgery; 24 months after surgery", None, "different-durations"),
        case("6-12 months", None, "range"),
        case("6, 12, 18, and 24 months", None, "list-with-oxford-comma"),
        case("2/3/5 years", None, "slash-list"),
        case("15~20min", None, "tilde-range"),
        case("0 to 6 weeks", "P42D", "range-from-zero-is-its-end"),
        case("Measured at 0, 3, 6, and 12 months", None, "list-from-zero-is-still-a-list"),
        # ignored mentions
        case("Every 3 weeks", None, "frequency-only"),
        case("At the age of 1 year", None, "age"),
        case("3 month (± 1 month)", "P3M", "tolerance-window"),
        case("Day 4 ( -1 day or + 2 days)", None, "signed-window"),
        # cycles
        case("At the end of Cycle 1 (each cycle is 28 days)", None, "cycle-length-is-not-the-frame"),
        case("Cycle 1 day 1, cycle 1 day 8 and cycle 1 day 15", None, "cycle-day-visits"),
        case("6 cycles", None, "cycles-have-no-length"),
        # nothing stated
        case("", None, "empty"),
        case("Up to August 1, 2022", None, "date-not-duration"),
        case("2019.7-2022.7", None, "date-range"),
        case("During pregnancy", None, "no-number"),
    ],
)
def test_time_frame_rules(text: str, expected: str | None) -> None:
    assert parse_time_frame(text) == expected


def test_module_doctests() -> None:
    assert doctest.testmod(timeframe).failed == 0


def test_seed_time_frames() -> None:
    # the distinct time frames of seeds/*.txt, hand-copied
    seeds = {
        "12 months from first study treatment": "P12M",
        "18 months from first study treatment": "P18M",
        "18 months": "P18M",
        "Until 28 days after the last dose of treatment": "P28D",
        "up to 12 months": "P12M",
        "up to 12months": "P12M",
        "Up to approximately 24months": "P24M",
        "up to 24 weeks": "P168D",
        "From date of enrollment until the date of first documented progression or date of death from any "
        "cause, whichever came first, assessed up to 24 months": "P24M",
        "From date of enrollment until the date of death from any cause, assessed up to 24 months": "P24M",
        "up to 90 days after the last QL1706 injection is administered.": "P90D",
    }
    assert {text: parse_time_frame(text) for text in seeds} == seeds


def real_time_frames() -> Iterator[str]:
    for outcome in outcomes(json_array_studies()):
        if outcome.get("timeFrame"):
            yield outcome["timeFrame"]


@pytest.fixture(scope="module")
def parsed_real() -> list[tuple[str, str | None]]:
    return [(text, parse_time_frame(text)) for text in real_time_frames()]


def test_every_real_time_frame_parses_to_a_valid_xsd_duration_or_none(
    parsed_real: list[tuple[str, str | None]],
) -> None:
    assert len(parsed_real) >= 1800  # 1,868 when measured
    for text, duration in parsed_real:
        assert duration is None or XSD_DURATION.fullmatch(duration), (text, duration)


def test_real_time_frames_parse_share(parsed_real: list[tuple[str, str | None]]) -> None:
    # measured: 1,305 of 1,868 parse; the rest are visit lists, cycles, dates and prose without numbers
    parsed = sum(1 for _, duration in parsed_real if duration)
    assert 0.6 <= parsed / len(parsed_real) <= 0.8


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "From randomization till the date of progression on osimertinib or death, an average of 2 years.",
            "P2Y",
        ),
        ("Time assessed from the date of enrolment until death (max 36 months)", "P36M"),
        ("Every 6-8 weeks through study completion, an average of 2 years", "P2Y"),
        (
            "Up to 24 months from treatment initiation (with OS rates assessed at 12, 18, and 24 months)",
            "P24M",
        ),
        ("Week 2, Week 6, Month 3, Month 6, and Month 12", None),
        ("pre-operative, 6 week, 3 month, 6 month, 12 month, 24 month", None),
        (
            "Blood samples will be collected on 3 occasions for each patient throughout study: "
            "cycle 1 day 1, cycle 1 day 8 and cycle 1 day 15.",
            None,
        ),
        (
            "The NDI scores will be assessed at each study point (before surgery,1.5, 3, 6, 12, 24, "
            "36, 60, and 84 months after the surgical treatments).",
            None,
        ),
    ],
)
def test_real_time_frames_read_by_hand(
    parsed_real: list[tuple[str, str | None]], text: str, expected: str | None
) -> None:
    assert text in {t for t, _ in parsed_real}  # a real string, hand-copied
    assert parse_time_frame(text) == expected
