"""Parsing, conversion and validation of records, in batches, in one process or spread over several.

The build's main process only reads (file bytes, archive members) and writes (N-Triples, N-Quads);
everything that costs CPU per record happens here, in worker processes when there are several
cores. Results come back in input order, so a parallel build writes the same bytes as a serial one.
At most a few batches are in flight at a time: memory does not grow with the corpus.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from multiprocessing.pool import AsyncResult
from typing import Protocol, TypeVar

from trialgraph import ntriples as nt
from trialgraph.convert import TrialConverter
from trialgraph.errors import UNEXPECTED_FIELD, RecordError
from trialgraph.readers.ctgov_json import ArchiveMember
from trialgraph.readers.registry import ReadUnit
from trialgraph.records import RejectedRecord, SourceRef, TrialRecord
from trialgraph.validate import Finding

__all__ = ["Converted", "Outcome", "TrialValidator", "WorkerSetup", "default_workers", "process_units"]


class TrialValidator(Protocol):
    """Validates one trial: the focus nodes that are subjects of `lines`, with `context` (the
    statements about the shared nodes it points to) available to the checks."""

    def validate_lines(self, lines: Iterable[str], context: Iterable[str] = ()) -> list[Finding]: ...


@dataclass(frozen=True)
class Converted:
    """One record converted: its statements as text, ready to write."""

    trial_iri: str
    source: SourceRef
    record_id: str | None
    #: the field a duplicate of this trial is rejected on ("nct_id", or "title" for records without)
    identity_field: str
    #: the trial's own statements, N-Triples lines with their line ends
    ntriples: str
    #: statements about shared nodes (conditions, uncurated drugs): written once per build
    shared: tuple[str, ...]
    #: all of the trial's statements, shared ones included, in its named graph
    nquads: str
    findings: tuple[Finding, ...] = ()


Outcome = Converted | RejectedRecord


@dataclass(frozen=True)
class WorkerSetup:
    """What every worker needs, built once in the main process (inherited by forked workers)."""

    converter: TrialConverter
    validator: TrialValidator | None = None


def _unexpected(error: Exception) -> str:
    return f"could not be processed: {type(error).__name__}: {error} (please report this as a bug)"


def _records(unit: ReadUnit) -> Iterator[TrialRecord | RejectedRecord]:
    if not isinstance(unit, ArchiveMember):
        yield unit
        return
    position = 0
    try:
        for record in unit.records():
            position = record.source.position
            yield record
    except Exception as error:  # the rest of this member is lost, not the build
        yield RejectedRecord(SourceRef(unit.where, position + 1), UNEXPECTED_FIELD, _unexpected(error))


def _process(setup: WorkerSetup, record: TrialRecord | RejectedRecord) -> Outcome:
    if isinstance(record, RejectedRecord):
        return record
    try:
        return _convert(setup, record)
    except RecordError as error:
        return RejectedRecord(record.source, error.field, error.reason, record_id=record.nct_id)
    except Exception as error:
        return RejectedRecord(record.source, UNEXPECTED_FIELD, _unexpected(error), record_id=record.nct_id)


def _convert(setup: WorkerSetup, record: TrialRecord) -> Converted:
    conversion = setup.converter.convert(record)
    statements = (*conversion.lines, *conversion.shared)
    findings = (
        ()
        if setup.validator is None
        else tuple(setup.validator.validate_lines(conversion.lines, context=conversion.shared))
    )
    return Converted(
        trial_iri=conversion.trial_iri,
        source=record.source,
        record_id=record.nct_id,
        identity_field="nct_id" if record.nct_id else "title",
        ntriples="".join(line + "\n" for line in conversion.lines),
        shared=conversion.shared,
        nquads=nt.in_graph(statements, conversion.trial_iri),
        findings=findings,
    )


def process_batch(setup: WorkerSetup, units: Sequence[ReadUnit]) -> list[Outcome]:
    """Every record of `units`, converted (and validated when the setup has a validator)."""
    return [_process(setup, record) for unit in units for record in _records(unit)]


# ---------------------------------------------------------------------------------------------
# Spreading batches over processes

_setup: WorkerSetup | None = None  # the forked workers' copy


def _process_in_worker(units: Sequence[ReadUnit]) -> list[Outcome]:
    assert _setup is not None, "worker started without its setup"
    return process_batch(_setup, units)


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


T = TypeVar("T")


def _batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def process_units(
    setup: WorkerSetup, units: Iterable[ReadUnit], *, workers: int = 1, batch_size: int = 64
) -> Iterator[Outcome]:
    """Outcomes of every unit in input order; with workers > 1 the batches run in that many forked
    processes, with at most 2 batches per worker waiting, so the input is read as fast as it is used."""
    batches = _batches(units, batch_size)
    if workers <= 1:
        for batch in batches:
            yield from process_batch(setup, batch)
        return
    global _setup
    _setup = setup  # fork copies it into every worker; nothing is pickled per batch but the units
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            pending: deque[AsyncResult[list[Outcome]]] = deque(
                pool.apply_async(_process_in_worker, (batch,)) for batch in islice(batches, 2 * workers)
            )
            while pending:
                outcomes = pending.popleft().get()
                for batch in islice(batches, 1):
                    pending.append(pool.apply_async(_process_in_worker, (batch,)))
                yield from outcomes
    finally:
        _setup = None
