"""The neutral, typed trial record every reader produces and every converter consumes.

No RDF here: readers know only their input format and this module; the converter knows only this
module and the normalisers. Records are immutable so a converter is a pure function of one record.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

OutcomeRole = Literal["primary", "secondary", "other"]
OUTCOME_ROLES: tuple[OutcomeRole, ...] = ("primary", "secondary", "other")


@dataclass(frozen=True)
class SourceRef:
    """Where a record came from: file name (no directory, so builds are path-independent),
    1-based position of the record in that file, and a checksum of the record's raw bytes."""

    file: str
    position: int = 1
    checksum: str | None = None

    def describe(self) -> str:
        return f"{self.file} (record {self.position})"


@dataclass(frozen=True)
class Outcome:
    measure: str
    role: OutcomeRole
    description: str | None = None
    time_frame: str | None = None


@dataclass(frozen=True)
class Intervention:
    name: str
    #: ClinicalTrials.gov InterventionType code (DRUG, BIOLOGICAL, ...); None when the source has none.
    type: str | None = None
    description: str | None = None
    other_names: tuple[str, ...] = ()
    arm_group_labels: tuple[str, ...] = ()


@dataclass(frozen=True)
class ArmGroup:
    label: str
    #: ClinicalTrials.gov ArmGroupType code (EXPERIMENTAL, ACTIVE_COMPARATOR, ...).
    type: str | None = None
    description: str | None = None
    intervention_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class PartialDate:
    """A date with the precision the source gives: "2024", "2024-12" or "2024-12-16" (never a
    made-up day), and ClinicalTrials.gov's ACTUAL / ESTIMATED type when stated."""

    value: str
    type: str | None = None


@dataclass(frozen=True)
class MeshTerm:
    """A MeSH descriptor (D…) or supplementary concept (C…) as ClinicalTrials.gov states it."""

    id: str
    term: str


@dataclass(frozen=True)
class MeshBrowse:
    """One browse module of the registry's derivedSection (conditions or interventions)."""

    meshes: tuple[MeshTerm, ...] = ()
    ancestors: tuple[MeshTerm, ...] = ()
    #: (source wording, MeSH term) pairs from browseLeaves' "asFound": which of the record's own
    #: words the registry mapped to which term
    as_found: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class TrialRecord:
    title: str
    source: SourceRef
    brief_summary: str | None = None
    detailed_description: str | None = None
    conditions: tuple[str, ...] = ()
    interventions: tuple[Intervention, ...] = ()
    outcomes: tuple[Outcome, ...] = ()
    arms: tuple[ArmGroup, ...] = ()
    nct_id: str | None = None
    #: ClinicalTrials.gov phase codes (EARLY_PHASE1, PHASE1..PHASE4, NA). None means the source has no
    #: phase field at all (the seed format): the converter then looks for the phase in the text.
    #: An empty tuple means the field exists and states nothing.
    phases: tuple[str, ...] | None = None
    keywords: tuple[str, ...] = field(default=())
    official_title: str | None = None
    acronym: str | None = None
    #: ClinicalTrials.gov enum codes (StudyType, Status), as the source gives them
    study_type: str | None = None
    overall_status: str | None = None
    start_date: PartialDate | None = None
    primary_completion_date: PartialDate | None = None
    completion_date: PartialDate | None = None
    enrollment: int | None = None
    #: ACTUAL or ESTIMATED
    enrollment_type: str | None = None
    lead_sponsor: str | None = None
    #: the registry's own MeSH mapping (derivedSection); None when the record has none
    condition_mesh: MeshBrowse | None = None
    intervention_mesh: MeshBrowse | None = None

    @property
    def label(self) -> str:
        """How to name this record in a message: its NCT id, else where it came from."""
        return self.nct_id or self.source.describe()


@dataclass(frozen=True)
class RejectedRecord:
    """A record a reader or converter could not use, kept with a reason a user can act on."""

    source: SourceRef
    field: str
    reason: str
    raw: str = ""
    record_id: str | None = None

    def message(self) -> str:
        who = f"{self.record_id} in {self.source.describe()}" if self.record_id else self.source.describe()
        return f"{who}: field '{self.field}': {self.reason}"
