"""Which interventions each arm gives, joined in both directions the registry records it.

ClinicalTrials.gov links arms and interventions twice: an intervention lists its arms
(``armGroupLabels``) and an arm lists its interventions (``interventionNames``, in the display form
"Drug: Pembrolizumab"). Records fill one side, the other or both, not always consistently; an arm
gives an intervention when either side says so. Labels and names are compared with white space
collapsed and case folded; a typed name must also match the intervention's type.
"""

from __future__ import annotations

from trialgraph.ctgov import split_typed_name
from trialgraph.records import ArmGroup, Intervention
from trialgraph.text import collapse_whitespace


def _key(text: str) -> str:
    return collapse_whitespace(text).casefold()


def arm_interventions(arms: tuple[ArmGroup, ...], interventions: tuple[Intervention, ...]) -> list[list[int]]:
    """For each arm, the indices of the interventions it gives, in intervention order.

    >>> arms = (ArmGroup("A", intervention_names=("Drug: Pembrolizumab",)), ArmGroup("B"))
    >>> items = (Intervention("Pembrolizumab", "DRUG"),
    ...          Intervention("Docetaxel", "DRUG", arm_group_labels=("b",)))
    >>> arm_interventions(arms, items)
    [[0], [1]]
    """
    linked: list[list[int]] = []
    for arm in arms:
        label = _key(arm.label)
        named = [split_typed_name(name) for name in arm.intervention_names]
        wanted = {(kind, _key(name)) for kind, name in named}
        indices = []
        for index, item in enumerate(interventions):
            by_label = label in {_key(a) for a in item.arm_group_labels}
            name = _key(item.name)
            by_name = (item.type, name) in wanted or (None, name) in wanted
            if by_label or by_name:
                indices.append(index)
        linked.append(indices)
    return linked
