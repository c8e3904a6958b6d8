"""ClinicalTrials.gov API v2 enumerations, in constant tables.

Values as the API's data model lists them (https://clinicaltrials.gov/data-api/about-api/study-data-structure);
tests/test_ctgov_enums.py checks that every value in the real records in tests/data is covered.
An unknown value in a record is kept as written and reported, never guessed at.
"""

from __future__ import annotations

import datetime
import re
from typing import Final

#: InterventionType
INTERVENTION_TYPES: Final = frozenset(
    {
        "DRUG",
        "DEVICE",
        "BIOLOGICAL",
        "PROCEDURE",
        "RADIATION",
        "BEHAVIORAL",
        "GENETIC",
        "DIETARY_SUPPLEMENT",
        "COMBINATION_PRODUCT",
        "DIAGNOSTIC_TEST",
        "OTHER",
    }
)

#: Phase
PHASES: Final = frozenset({"EARLY_PHASE1", "PHASE1", "PHASE2", "PHASE3", "PHASE4", "NA"})

#: ArmGroupType
ARM_GROUP_TYPES: Final = frozenset(
    {"EXPERIMENTAL", "ACTIVE_COMPARATOR", "PLACEBO_COMPARATOR", "SHAM_COMPARATOR", "NO_INTERVENTION", "OTHER"}
)

#: StudyType
STUDY_TYPES: Final = frozenset({"EXPANDED_ACCESS", "INTERVENTIONAL", "OBSERVATIONAL"})

#: Status (overallStatus)
STATUSES: Final = frozenset(
    {
        "ACTIVE_NOT_RECRUITING",
        "COMPLETED",
        "ENROLLING_BY_INVITATION",
        "NOT_YET_RECRUITING",
        "RECRUITING",
        "SUSPENDED",
        "TERMINATED",
        "WITHDRAWN",
        "AVAILABLE",
        "NO_LONGER_AVAILABLE",
        "TEMPORARILY_NOT_AVAILABLE",
        "APPROVED_FOR_MARKETING",
        "WITHHELD",
        "UNKNOWN",
    }
)

#: EnrollmentType and DateType
ENROLLMENT_TYPES: Final = frozenset({"ACTUAL", "ESTIMATED"})
DATE_TYPES: Final = frozenset({"ACTUAL", "ESTIMATED"})

_DISPLAY_PREFIX = re.compile(r"^\s*([A-Za-z][A-Za-z_ ]*?)\s*:\s*(.+?)\s*$", re.DOTALL)
_PARTIAL_DATE = re.compile(r"^[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?$")


def intervention_type_code(display: str) -> str | None:
    """The InterventionType code for its display form ("Drug", "Dietary Supplement") or the code
    itself; None when it is neither.

    >>> intervention_type_code("Combination Product"), intervention_type_code("DRUG")
    ('COMBINATION_PRODUCT', 'DRUG')
    """
    code = "_".join(display.strip().upper().split())
    return code if code in INTERVENTION_TYPES else None


def split_typed_name(text: str) -> tuple[str | None, str]:
    """ "Drug: Pembrolizumab" -> ("DRUG", "Pembrolizumab"); a name without a known type prefix is
    returned whole, with no type ("Arm A: chemo" stays as written).

    >>> split_typed_name("Drug: Pembrolizumab")
    ('DRUG', 'Pembrolizumab')
    >>> split_typed_name("BIOLOGICAL: Nivolumab (BMS-936558)")
    ('BIOLOGICAL', 'Nivolumab (BMS-936558)')
    >>> split_typed_name("DIETARY_SUPPLEMENT: Vitamin D"), split_typed_name("Dietary Supplement: Vitamin D")
    (('DIETARY_SUPPLEMENT', 'Vitamin D'), ('DIETARY_SUPPLEMENT', 'Vitamin D'))
    >>> split_typed_name("Stage: II")
    (None, 'Stage: II')
    """
    match = _DISPLAY_PREFIX.match(text)
    if match:
        code = intervention_type_code(match.group(1))
        if code is not None:
            return code, match.group(2)
    return None, text.strip()


def is_partial_date(value: str) -> bool:
    """YYYY, YYYY-MM or YYYY-MM-DD, the precisions ClinicalTrials.gov uses, naming a month and day
    that exist (an impossible date would become an invalid xsd:date literal).

    >>> is_partial_date("2024-12"), is_partial_date("December 2024"), is_partial_date("2024-02-30")
    (True, False, False)
    """
    if not _PARTIAL_DATE.match(value):
        return False
    try:
        datetime.date.fromisoformat(value + "-01" * (2 - value.count("-")))
    except ValueError:
        return False
    return True
