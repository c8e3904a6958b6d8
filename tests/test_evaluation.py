"""The evaluation's arithmetic on small hand-made cases (the real figures are in docs/quality.md)."""

from __future__ import annotations

from trialgraph.evaluation import Evaluation, Score, compare_endpoints, render_markdown


def test_score_precision_and_recall() -> None:
    score = Score()
    for predicted, gold in [(True, True), (True, False), (False, True), (False, False), (True, True)]:
        score.add(predicted, gold)
    assert (score.tp, score.fp, score.fn) == (2, 1, 1)
    assert score.precision == 2 / 3 and score.recall == 2 / 3
    assert Score().precision is None


def test_endpoints_are_compared_per_code() -> None:
    result = Evaluation()
    trial = "https://w3id.org/trialgraph/id/trial/NCT00000001"
    gold = [
        {"nct_id": "NCT00000001", "role": "primary", "ordinal": "1", "types": "PFS"},
        {"nct_id": "NCT00000001", "role": "secondary", "ordinal": "1", "types": "ORR;DCR"},
        {"nct_id": "NCT00000001", "role": "secondary", "ordinal": "2", "types": ""},
    ]
    predicted = {
        f"{trial}/endpoint/primary-1": {"PFS"},
        f"{trial}/endpoint/secondary-1": {"ORR"},
        f"{trial}/endpoint/secondary-2": {"OS"},
    }
    compare_endpoints(result, gold, predicted)
    assert (result.endpoints["PFS"].tp, result.endpoints["PFS"].fp) == (1, 0)
    assert result.endpoints["DCR"].fn == 1
    assert result.endpoints["OS"].fp == 1
    assert len(result.errors["endpoints"]) == 2
    assert "| PFS | 1.000 | 1.000 | 1 | 0 | 0 |" in render_markdown(result)
