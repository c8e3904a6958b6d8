"""Phase from free text (seed format) and from ClinicalTrials.gov phase codes."""

from __future__ import annotations

import pytest

from trialgraph.errors import RecordError
from trialgraph.normalise.phases import phases_from_field, phases_from_text


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("an open, two-stage, multi-center, phase II clinical trial", ("PHASE2",)),
        ("exploratory Phase I clinical study", ("PHASE1",)),
        ("non-randomized phaseⅠb trail", ("PHASE1",)),  # Unicode Roman numeral, no space
        ("a Phase 1/2 study", ("PHASE1", "PHASE2")),
        ("A Phase Ib/II Trial", ("PHASE1", "PHASE2")),
        ("phase Ⅱ/Ⅲ", ("PHASE2", "PHASE3")),
        ("Phase 2b study", ("PHASE2",)),
        ("a phase-3 trial", ("PHASE3",)),
        ("Phase IV", ("PHASE4",)),
        ("a phase 0 study", ("EARLY_PHASE1",)),
        ("PHASE I AND II", ("PHASE1", "PHASE2")),
        ("Ｐｈａｓｅ　２", ("PHASE2",)),  # full-width letters and space
    ],
)
def test_phase_mentions(text: str, codes: tuple[str, ...]) -> None:
    assert phases_from_text(text).codes == codes


@pytest.mark.parametrize(
    "text",
    [
        "This study is divided into two phases.",
        "the expansion phase includes 30 patients",
        "phase In this part",  # "I" followed by letters is not a numeral
        "phase 12 of the programme",
        "",
    ],
)
def test_no_phase_stays_not_stated(text: str) -> None:
    reading = phases_from_text(text)
    assert reading.codes == ()
    assert reading.evidence is None


def test_evidence_is_the_original_text() -> None:
    assert phases_from_text("This is a phaseⅠb trail").evidence == "phaseⅠb"


def test_title_wins_over_later_texts() -> None:
    reading = phases_from_text("A Phase 3 Study of X", "after a previous phase 2 trial showed")
    assert reading.codes == ("PHASE3",)


def test_first_text_with_a_mention_is_used() -> None:
    assert phases_from_text("Study of X", None, "This phase II trial").codes == ("PHASE2",)


def test_field_codes_are_checked_and_ordered() -> None:
    assert phases_from_field(("PHASE2", "PHASE1")) == ("PHASE1", "PHASE2")
    assert phases_from_field(()) == ()
    with pytest.raises(RecordError) as error:
        phases_from_field(("PHASE5",))
    assert error.value.field == "phases"
    assert "PHASE5" in str(error.value)
