"""Oncology grouping of conditions: from the wording, and from the registry's MeSH terms."""

from __future__ import annotations

import pytest

from trialgraph.namespaces import TG
from trialgraph.normalise.condition_groups import ConditionGroups


@pytest.fixture(scope="module")
def groups() -> ConditionGroups:
    return ConditionGroups.load()


def names(iris: tuple[str, ...]) -> set[str]:
    return {iri.removeprefix(TG) for iri in iris}


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("non small cell lung cancer", {"Cancer", "SolidTumour", "LungCancer"}),
        ("nsclc", {"Cancer", "SolidTumour", "LungCancer"}),
        ("breast cancer", {"Cancer", "SolidTumour", "BreastCancer"}),
        ("soft tissue sarcoma", {"Cancer", "SolidTumour", "Sarcoma"}),
        ("solid tumor", {"Cancer", "SolidTumour"}),
        ("diffuse large b cell lymphoma", {"Cancer", "HaematologicalMalignancy"}),
        ("acute myeloid leukaemia", {"Cancer", "HaematologicalMalignancy"}),
        ("multiple myeloma", {"Cancer", "HaematologicalMalignancy"}),
        ("hepatocellular carcinoma", {"Cancer", "SolidTumour", "LiverCancer"}),
        ("cancer", {"Cancer"}),
    ],
)
def test_groups_from_the_wording(groups: ConditionGroups, label: str, expected: set[str]) -> None:
    assert names(groups.for_label(label)) == expected


@pytest.mark.parametrize(
    "label",
    [
        "lung diseases, obstructive",
        "erectile dysfunction",
        "breast feeding",
        "kidney failure",
        "malignant ascites",
    ],
)
def test_an_organ_word_alone_is_not_cancer(groups: ConditionGroups, label: str) -> None:
    assert not {"LungCancer", "BreastCancer", "KidneyCancer"} & names(groups.for_label(label))


def test_registry_mesh_terms_name_groups(groups: ConditionGroups) -> None:
    assert names(groups.for_mesh_terms(["Prostatic Neoplasms", "Neoplasms by Site"])) == {
        "Cancer",
        "SolidTumour",
        "ProstateCancer",
    }
    assert names(groups.for_mesh_terms(["Leukemia"])) == {"Cancer", "HaematologicalMalignancy"}
    assert groups.for_mesh_terms(["Erectile Dysfunction"]) == ()
