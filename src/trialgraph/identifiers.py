"""Stable IRIs for trials and their children (docs/decisions/0001-namespaces.md)."""

from __future__ import annotations

import hashlib
import re

from trialgraph.errors import RecordError
from trialgraph.namespaces import TRIAL
from trialgraph.records import OutcomeRole, TrialRecord
from trialgraph.text import collapse_whitespace

NCT_ID = re.compile(r"^NCT[0-9]{8}$")  # not \\d: it also matches full-width digits


def content_id(record: TrialRecord) -> str:
    """Id of a record without an NCT id: a hash of its title and brief summary (white space and case
    folded), so re-reading or re-formatting the same record keeps its id, and editing the detailed
    description or outcomes does not change it.

    >>> from trialgraph.records import SourceRef
    >>> content_id(TrialRecord(title="A  Trial", brief_summary="x", source=SourceRef("f")))
    'tgx-16455a5b5668723b'
    """
    key = (
        collapse_whitespace(record.title).casefold()
        + "\n"
        + collapse_whitespace(record.brief_summary or "").casefold()
    )
    return "tgx-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def trial_iri(record: TrialRecord) -> str:
    if record.nct_id is None:
        return TRIAL + content_id(record)
    if not NCT_ID.match(record.nct_id):
        raise RecordError("nct_id", f"{record.nct_id!r} is not an NCT id (NCT followed by 8 digits)")
    return TRIAL + record.nct_id


def endpoint_iri(trial: str, role: OutcomeRole, ordinal: int) -> str:
    return f"{trial}/endpoint/{role}-{ordinal}"


def intervention_iri(trial: str, ordinal: int) -> str:
    return f"{trial}/intervention/{ordinal}"


def condition_entry_iri(trial: str, ordinal: int) -> str:
    return f"{trial}/condition/{ordinal}"


def arm_iri(trial: str, ordinal: int) -> str:
    return f"{trial}/arm/{ordinal}"


def typing_iri(endpoint: str, type_iri: str) -> str:
    return f"{endpoint}/typing/{type_iri.rsplit('#', 1)[-1]}"
