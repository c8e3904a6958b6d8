"""Every input format's reader, in one explicit table, chosen by content rather than file name
(gzip is undone before sniffing, so any format may be gzip-compressed).

A new input format is one reader module plus a row here; tests/test_readers_registry.py fails when a
module in trialgraph.readers is not registered.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from trialgraph.errors import UNEXPECTED_FIELD
from trialgraph.readers import ctgov_csv, ctgov_json, seed_text
from trialgraph.readers.sources import read_head
from trialgraph.records import RejectedRecord, SourceRef, TrialRecord

log = logging.getLogger(__name__)

ReadResult = TrialRecord | RejectedRecord
#: what a reader yields when parsing can wait: a record, a rejection, or raw bytes to parse later
ReadUnit = ReadResult | ctgov_json.ArchiveMember


@dataclass(frozen=True)
class Reader:
    name: str
    module: str
    description: str
    sniff: Callable[[bytes], bool]
    read: Callable[[Path], Iterator[ReadResult]]
    #: a variant of `read` that may leave parsing to the consumer (see read_units)
    read_units: Callable[[Path], Iterator[ReadUnit]] | None = None


def _sniff_seed_text(head: bytes) -> bool:
    return seed_text.looks_like_seed_text(head.decode("utf-8-sig", errors="replace"))


READERS: tuple[Reader, ...] = (
    Reader(
        name="ctgov-json",
        module=ctgov_json.__name__,
        description="ClinicalTrials.gov API v2 JSON: study, array, page, JSON Lines, zip or tar of studies",
        sniff=ctgov_json.looks_like_ctgov_json,
        read=ctgov_json.read_ctgov_json,
        read_units=ctgov_json.read_ctgov_json_units,
    ),
    Reader(
        name="ctgov-csv",
        module=ctgov_csv.__name__,
        description="the ClinicalTrials.gov website's CSV export (any subset of its columns)",
        sniff=ctgov_csv.looks_like_ctgov_csv,
        read=ctgov_csv.read_ctgov_csv,
    ),
    Reader(
        name="seed-text",
        module=seed_text.__name__,
        description="plain-text seed format: title, summary, conditions, interventions, outcomes",
        sniff=_sniff_seed_text,
        read=seed_text.read_seed_file,
    ),
)


def reader_for(path: Path) -> Reader | None:
    """The first registered reader whose sniffer accepts the start of the (decompressed) file."""
    head = read_head(path)
    return next((reader for reader in READERS if reader.sniff(head)), None)


def expand_sources(paths: Iterable[Path]) -> Iterator[Path]:
    """Files as given; directories expanded to their files (sorted, hidden files skipped)."""
    for path in paths:
        if path.is_dir():
            # Hidden means hidden below the given directory: "../data" itself is not hidden.
            yield from sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        else:
            yield path


def read_sources(paths: Iterable[Path]) -> Iterator[ReadResult]:
    """Every record of every source, in order; an unreadable file is one rejected entry, not a crash."""
    for unit in read_units(paths):
        if isinstance(unit, ctgov_json.ArchiveMember):
            yield from unit.records()
        else:
            yield unit


def read_units(paths: Iterable[Path]) -> Iterator[ReadUnit]:
    """As read_sources, but archive members may come unparsed (ArchiveMember.records() parses
    them), so that a parallel build can parse in its worker processes."""
    for path in expand_sources(paths):
        source = SourceRef(file=path.name, position=0)
        if not path.exists():
            yield RejectedRecord(source, "file", f"no such file: {path}")
            continue
        try:
            reader = reader_for(path)
        except OSError as error:
            yield RejectedRecord(source, "file", f"cannot read the file: {error.strerror or error}")
            continue
        if reader is None:
            known = ", ".join(r.name for r in READERS)
            yield RejectedRecord(
                source,
                "file",
                f"no reader recognises this file's content (known formats: {known}){_encoding_hint(path)}",
            )
            continue
        log.debug("reading %s as %s", path, reader.name)
        yield from _guarded((reader.read_units or reader.read)(path), path.name)


def _encoding_hint(path: Path) -> str:
    """Why a file of a known format may not be recognised: every reader reads UTF-8 only."""
    head = read_head(path, 512)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head:
        return "; it looks like UTF-16 text: save it as UTF-8"
    return ""


def _guarded(units: Iterator[ReadUnit], file: str) -> Iterator[ReadUnit]:
    """A reader's units; an exception nobody expected (a bug) rejects the rest of that file, not
    the whole run."""
    position = 0
    try:
        for unit in units:
            if not isinstance(unit, ctgov_json.ArchiveMember):
                position = unit.source.position
            yield unit
    except Exception as error:
        reason = (
            f"could not be read from record {position + 1} on: {type(error).__name__}: {error} "
            "(please report this as a bug)"
        )
        yield RejectedRecord(SourceRef(file, position + 1), UNEXPECTED_FIELD, reason)
