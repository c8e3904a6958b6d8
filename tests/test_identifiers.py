"""Stable, deterministic IRIs."""

from __future__ import annotations

import pytest

from trialgraph.errors import RecordError
from trialgraph.identifiers import trial_iri
from trialgraph.namespaces import TRIAL
from trialgraph.records import SourceRef, TrialRecord


def record(**fields: object) -> TrialRecord:
    return TrialRecord(**{"title": "A Trial", "source": SourceRef("f.txt"), **fields})  # type: ignore[arg-type]


def test_nct_id_is_the_trial_iri() -> None:
    assert trial_iri(record(nct_id="NCT01234567")) == TRIAL + "NCT01234567"


@pytest.mark.parametrize("bad", ["NCT123", "nct01234567", "NCT01234567 ", "NCT0123456<"])
def test_malformed_nct_id_is_a_record_error(bad: str) -> None:
    with pytest.raises(RecordError) as error:
        trial_iri(record(nct_id=bad))
    assert error.value.field == "nct_id"


def test_content_id_ignores_layout_and_source() -> None:
    a = record(title="A  Trial", brief_summary="Summary\nhere", source=SourceRef("a.txt"))
    b = record(title="a trial", brief_summary="summary here", source=SourceRef("b.txt", 7))
    assert trial_iri(a) == trial_iri(b)
    assert trial_iri(a).startswith(TRIAL + "tgx-")


def test_content_id_differs_for_different_trials() -> None:
    assert trial_iri(record(title="A")) != trial_iri(record(title="B"))
