"""Canonical condition nodes keep the source wording next to them."""

from __future__ import annotations

import pytest

from trialgraph.namespaces import CONDITION
from trialgraph.normalise.conditions import normalise_condition


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Solid Tumor", "solid tumor"),
        ("Advanced Solid Tumors", "solid tumor"),
        ("Breast Cancer Recurrent", "breast cancer"),
        ("Metastatic, Recurrent Breast Cancer", "breast cancer"),
        ("Locally Advanced Non-small Cell Lung Cancer", "non small cell lung cancer"),
        ("Soft Tissue Sarcoma", "soft tissue sarcoma"),
        ("Malignant Ascites", "malignant ascites"),
        ("Hematologic Malignancies", "hematologic malignancy"),
        ("Advanced", "advanced"),  # nothing but a qualifier stays as written
        ("Ｃａｎｃｅｒ", "cancer"),  # full width
    ],
)
def test_canonical_label(text: str, label: str) -> None:
    result = normalise_condition(text)
    assert result is not None
    assert result.label == label
    assert result.source_text == text


def test_variants_meet_in_one_node() -> None:
    a, b = normalise_condition("Solid Tumor"), normalise_condition("Advanced Solid Tumors")
    assert a is not None and b is not None
    assert a.iri == b.iri == CONDITION + "solid-tumor"


def test_distinct_conditions_stay_distinct() -> None:
    a, b = normalise_condition("Breast Cancer"), normalise_condition("Lung Cancer")
    assert a is not None and b is not None and a.iri != b.iri


def test_spelling_variants_share_iri_and_label() -> None:
    a, b = (
        normalise_condition("Non-Small Cell Lung Cancer"),
        normalise_condition("Non Small-Cell Lung Cancer"),
    )
    assert a is not None and b is not None
    assert (a.iri, a.label) == (b.iri, b.label)
    assert (a.source_text, b.source_text) == ("Non-Small Cell Lung Cancer", "Non Small-Cell Lung Cancer")


def test_empty_entry_is_no_condition() -> None:
    assert normalise_condition("  ") is None


def test_unfoldable_script_still_gets_a_stable_iri() -> None:
    result = normalise_condition("肺癌")
    assert result is not None
    assert result.iri == normalise_condition("肺癌").iri  # type: ignore[union-attr]
    assert result.iri.startswith(CONDITION + "u-")
