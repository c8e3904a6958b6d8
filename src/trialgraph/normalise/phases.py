"""Trial phases: ClinicalTrials.gov phase codes, and phases read from free text.

The seed format has no phase field; its records state the phase in prose ("phase II", "Phase I",
"phaseⅠb", "Phase 1/2"). Rules:

- look in the title, then the brief summary, then the detailed description, and use the first
  mention found (a later "previous phase III trial" does not override the study's own phase);
- a mention is "phase" followed by 0-4 or a Roman numeral I-IV (ASCII or Unicode, after NFKC), an
  optional sub-phase letter (1b is phase 1) and optionally a second numeral after "/", "-", "to" or
  "and" ("Phase 1/2", "phase Ib/II"): a two-phase mention gives both phases;
- phase 0 is EARLY_PHASE1 (ClinicalTrials.gov lists phase 0 studies as Early Phase 1);
- nothing found is "not stated": no phase, never NA.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from trialgraph.ctgov import PHASES
from trialgraph.errors import RecordError
from trialgraph.namespaces import TG
from trialgraph.text import nfkc_with_map, original_span

#: ClinicalTrials.gov API v2 Phase enum -> ontology individual
PHASE_IRIS: dict[str, str] = {
    "EARLY_PHASE1": TG + "EarlyPhase1",
    "PHASE1": TG + "Phase1",
    "PHASE2": TG + "Phase2",
    "PHASE3": TG + "Phase3",
    "PHASE4": TG + "Phase4",
    "NA": TG + "PhaseNotApplicable",
}
assert set(PHASE_IRIS) == PHASES, "every ClinicalTrials.gov phase code has an ontology individual"

_NUMERAL_CODES: dict[str, str] = {
    "0": "EARLY_PHASE1",
    "1": "PHASE1",
    "i": "PHASE1",
    "2": "PHASE2",
    "ii": "PHASE2",
    "3": "PHASE3",
    "iii": "PHASE3",
    "4": "PHASE4",
    "iv": "PHASE4",
}
_NUMERAL = r"(?:iv|iii|ii|i|[0-4])"
_PHASE_MENTION = re.compile(
    rf"\bphase\s*-?\s*(?P<first>{_NUMERAL})[ab]?"
    rf"(?:\s*(?:/|-|–|\bto\b|\band\b|\bor\b|&)\s*(?:phase\s*)?(?P<second>{_NUMERAL})[ab]?)?"
    r"(?![a-z0-9])",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class PhaseReading:
    codes: tuple[str, ...]
    #: the text the phase was read from (None when it came from a phase field or was not found)
    evidence: str | None = None


def phases_from_field(codes: tuple[str, ...]) -> tuple[str, ...]:
    """Validate ClinicalTrials.gov phase codes; an unknown code is a record error."""
    for code in codes:
        if code not in PHASE_IRIS:
            raise RecordError("phases", f"unknown phase code {code!r} (known: {', '.join(PHASE_IRIS)})")
    return tuple(sorted(set(codes), key=list(PHASE_IRIS).index))


def phases_from_text(*texts: str | None) -> PhaseReading:
    """The phases stated in the first of `texts` that mentions one.

    >>> phases_from_text("A phaseⅠb trial")
    PhaseReading(codes=('PHASE1',), evidence='phaseⅠb')
    >>> phases_from_text("Pembrolizumab in NSCLC", "An open-label Phase 1/2 study")
    PhaseReading(codes=('PHASE1', 'PHASE2'), evidence='Phase 1/2')
    >>> phases_from_text("This study is divided into two phases.")
    PhaseReading(codes=(), evidence=None)
    """
    for text in texts:
        if not text:
            continue
        normalised, origin = nfkc_with_map(text)
        match = _PHASE_MENTION.search(normalised)
        if match is None:
            continue
        numerals = [n for n in (match.group("first"), match.group("second")) if n]
        codes = phases_from_field(tuple(_NUMERAL_CODES[n.lower()] for n in numerals))
        return PhaseReading(codes, original_span(text, origin, match.start(), match.end()))
    return PhaseReading(())
