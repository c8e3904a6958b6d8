"""Reader for the ClinicalTrials.gov website's CSV export ("Download" > CSV on clinicaltrials.gov).

One row per study, one column per field, under display names ("NCT Number", "Study Title", ...). The
user picks the columns, so columns are found by header name, never by position: an export with fewer
columns or another order reads the same. Columns the reader does not know are reported once per file.

Cells as the export writes them:

- multi-value cells ("Conditions", "Interventions", "Phases", the outcome columns) join values with "|";
  a value that itself contains "|" cannot be told apart and is split (the export loses that);
- interventions are "TYPE: name" ("DRUG: Pembrolizumab"); a value without a known type keeps type None;
- outcomes are "measure, description, time frame", split by the seed reader's `split_outcome`;
- enum columns (Study Status, Study Type, Phases) carry the API v2 codes; an empty Phases cell means the
  study states no phase, which is () and not None (None is for an export without the Phases column);
- dates are YYYY, YYYY-MM or YYYY-MM-DD, without the ACTUAL / ESTIMATED type the JSON gives;
- enrollment is the count alone, without its ACTUAL / ESTIMATED type.

Text is kept as written apart from surrounding whitespace; an empty cell is None, or () for a list.
A row the reader cannot use becomes a RejectedRecord naming the column and the value; the file goes
on. Rows ClinicalTrials.gov withheld (status WITHHELD: title, sponsor and content redacted) are
rejected with that reason. Broken CSV syntax (or a broken gzip stream, or bytes that are not UTF-8)
rejects the rest of the file, since nothing after it can be trusted to be aligned.

The file is streamed row by row, gzip or plain (by content), with or without a byte-order mark.
"""

from __future__ import annotations

import csv
import gzip
import io
import itertools
import logging
import re
import zlib
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Final

from trialgraph.ctgov import PHASES, STATUSES, STUDY_TYPES, is_partial_date, split_typed_name
from trialgraph.errors import RecordError
from trialgraph.readers.seed_text import split_outcome
from trialgraph.readers.sources import GZIP_MAGIC, open_binary, sha256_json
from trialgraph.records import (
    Intervention,
    Outcome,
    OutcomeRole,
    PartialDate,
    RejectedRecord,
    SourceRef,
    TrialRecord,
)

log = logging.getLogger(__name__)

NCT_NUMBER: Final = "NCT Number"
TITLE: Final = "Study Title"
STATUS: Final = "Study Status"
PHASES_COLUMN: Final = "Phases"

#: Every column the website's export offers, in its order.
KNOWN_COLUMNS: Final = (
    "NCT Number",
    "Study Title",
    "Study URL",
    "Acronym",
    "Study Status",
    "Brief Summary",
    "Study Results",
    "Conditions",
    "Interventions",
    "Primary Outcome Measures",
    "Secondary Outcome Measures",
    "Other Outcome Measures",
    "Sponsor",
    "Collaborators",
    "Sex",
    "Age",
    "Phases",
    "Enrollment",
    "Funder Type",
    "Study Type",
    "Study Design",
    "Other IDs",
    "Start Date",
    "Primary Completion Date",
    "Completion Date",
    "First Posted",
    "Results First Posted",
    "Last Update Posted",
    "Locations",
    "Study Documents",
)
#: A row cannot become a TrialRecord without these (its id and its title).
REQUIRED_COLUMNS: Final = (NCT_NUMBER, TITLE)


OUTCOME_COLUMNS: Final[tuple[tuple[str, OutcomeRole], ...]] = (
    ("Primary Outcome Measures", "primary"),
    ("Secondary Outcome Measures", "secondary"),
    ("Other Outcome Measures", "other"),
)
DATE_COLUMNS: Final = ("Start Date", "Primary Completion Date", "Completion Date")

_SEPARATOR = "|"
_WITHHELD = "WITHHELD"
_NCT_ID = re.compile(r"NCT[0-9]{8}")
_DIGITS = re.compile(r"[0-9]+")
# Cells can be tens of KB (Locations, Brief Summary); the csv default limit is 128 KiB. 2**31 - 1 is
# the largest value every platform's C long accepts.
_FIELD_SIZE_LIMIT = 2**31 - 1
# Problems in the byte stream itself: after one of these no later row can be trusted.
_STREAM_ERRORS = (csv.Error, UnicodeDecodeError, EOFError, zlib.error, gzip.BadGzipFile)

Row = Mapping[str, str]


# --- sniffing ----------------------------------------------------------------------------------------


def looks_like_ctgov_csv(head: bytes) -> bool:
    """Is this the start of a ClinicalTrials.gov CSV export? True when the first line is a CSV header
    with "NCT Number" and at least one other column of the export (a byte-order mark is allowed).

    Meant for the decompressed head of the file; a gzip head is decompressed here as far as it goes.

    >>> looks_like_ctgov_csv(b"\\xef\\xbb\\xbfNCT Number,Study Title,Phases\\r\\nNCT01234567,T,PHASE2\\r\\n")
    True
    >>> looks_like_ctgov_csv(b"NCT Number\\nNCT01234567\\n"), looks_like_ctgov_csv(b'{"studies": []}')
    (False, False)
    """
    if head.startswith(GZIP_MAGIC):
        head = _gunzip_head(head)
    text = head.decode("utf-8-sig", errors="replace")
    first_line = text.splitlines()[0] if text else ""
    try:
        names = {name.strip() for name in next(csv.reader([first_line]), [])}
    except csv.Error:
        return False
    return NCT_NUMBER in names and len(names & set(KNOWN_COLUMNS)) >= 2


def _gunzip_head(head: bytes) -> bytes:
    try:
        return zlib.decompressobj(wbits=31).decompress(head)  # 31: gzip header; partial input is fine
    except zlib.error:
        return b""


# --- reading -----------------------------------------------------------------------------------------


def read_ctgov_csv(path: Path) -> Iterator[TrialRecord | RejectedRecord]:
    """Yield a TrialRecord or a RejectedRecord for every data row of a CSV export, in file order.

    Only content problems become RejectedRecords; a file that cannot be opened raises OSError.
    """
    _raise_field_size_limit()
    position = 0  # data rows seen so far (blank lines are not rows)
    with open_binary(path) as raw, io.TextIOWrapper(raw, encoding="utf-8-sig", newline="") as text:
        # strict: a stray quote is an error, not a silently merged cell
        reader = csv.reader(text, strict=True)
        try:
            header = [name.strip() for name in next((row for row in reader if row), [])]
            problem = _header_problem(header)
            if problem is not None:
                yield RejectedRecord(SourceRef(path.name, 0), "header", problem)
                return
            _warn_about_columns(path, header)
            for cells in reader:
                if cells:
                    position += 1
                    yield _result(header, cells, path.name, position)
        except _STREAM_ERRORS as error:
            yield _broken_stream(path, position + 1, reader.line_num, error)


def _raise_field_size_limit() -> None:
    # process-wide setting of the csv module: only ever raised, never lowered
    if csv.field_size_limit() < _FIELD_SIZE_LIMIT:
        csv.field_size_limit(_FIELD_SIZE_LIMIT)


def _header_problem(header: list[str]) -> str | None:
    if not header:
        return "the file is empty: no header line (expected a ClinicalTrials.gov CSV export)"
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        return (
            f"no column {', '.join(map(repr, missing))} in the header: export the study list from "
            f"clinicaltrials.gov with at least {' and '.join(REQUIRED_COLUMNS)} "
            f"(columns found: {', '.join(map(repr, header))})"
        )
    return None


def _warn_about_columns(path: Path, header: list[str]) -> None:
    unknown = [name for name in header if name not in KNOWN_COLUMNS]
    if unknown:
        log.warning("%s: unknown columns ignored: %s", path, ", ".join(map(repr, unknown)))
    duplicated = sorted({name for name in header if header.count(name) > 1})
    if duplicated:
        log.warning("%s: columns given twice, the last one is used: %s", path, ", ".join(duplicated))


def _broken_stream(path: Path, position: int, line: int, error: Exception) -> RejectedRecord:
    reason = (
        f"the file cannot be read from data row {position} (line {line}) on: {error}; "
        "rows from there to the end of the file were not read (is the file complete, UTF-8 and "
        "unchanged since the export?)"
    )
    return RejectedRecord(SourceRef(path.name, position), "file", reason)


def _result(header: list[str], cells: list[str], file: str, position: int) -> TrialRecord | RejectedRecord:
    """One data row as a record, or as a rejection naming the column at fault."""
    # a short row lacks its last cells: they are empty, the columns still exist
    row = dict(itertools.zip_longest(header, cells[: len(header)], fillvalue=""))
    # extra cells have no column name: such a row's checksum is over its list of cells
    source = SourceRef(file, position, sha256_json(row if len(cells) <= len(header) else cells))
    nct_id = _text(row, NCT_NUMBER)
    record_id = nct_id if nct_id is not None and _NCT_ID.fullmatch(nct_id) else None
    try:
        _check_shape(header, cells)
        return _record(row, source)
    except RecordError as error:
        return RejectedRecord(source, error.field, error.reason, raw=_as_csv(cells), record_id=record_id)


def _check_shape(header: list[str], cells: list[str]) -> None:
    if len(cells) > len(header):
        raise RecordError("row", _extra_cells_reason(cells, header))
    if [cell.strip() for cell in cells] == header:
        raise RecordError("row", "repeats the header line: were two exports joined into one file?")


def _extra_cells_reason(cells: list[str], header: list[str]) -> str:
    extra = [cell for cell in cells[len(header) :] if cell.strip()]
    shown = f" (extra: {', '.join(repr(cell[:60]) for cell in extra[:3])})" if extra else ""
    return (
        f"{len(cells)} cells but the header has {len(header)} columns{shown}: a cell with a comma "
        "that is not inside quotes shifts every later column; re-export or quote the cell"
    )


def _as_csv(cells: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(cells)
    return out.getvalue()


# --- one row -----------------------------------------------------------------------------------------


def _record(row: Row, source: SourceRef) -> TrialRecord:
    nct_id = _nct_id(row)
    status = _enum(row, STATUS, STATUSES)
    if status == _WITHHELD:
        raise RecordError(STATUS, _withheld_reason(row))
    title = _text(row, TITLE)
    if title is None:
        raise RecordError(TITLE, "empty: a trial needs its title")
    return TrialRecord(
        title=title,
        source=source,
        nct_id=nct_id,
        acronym=_text(row, "Acronym"),
        overall_status=status,
        brief_summary=_text(row, "Brief Summary"),
        conditions=_values(row, "Conditions"),
        interventions=tuple(_intervention(value) for value in _values(row, "Interventions")),
        outcomes=_outcomes(row),
        lead_sponsor=_text(row, "Sponsor"),
        phases=_phases(row),
        enrollment=_enrollment(row),
        study_type=_enum(row, "Study Type", STUDY_TYPES),
        start_date=_date(row, DATE_COLUMNS[0]),
        primary_completion_date=_date(row, DATE_COLUMNS[1]),
        completion_date=_date(row, DATE_COLUMNS[2]),
    )


def _text(row: Row, column: str) -> str | None:
    """The cell stripped of surrounding whitespace; None when empty or when the column is absent."""
    return row.get(column, "").strip() or None


def _values(row: Row, column: str) -> tuple[str, ...]:
    """The "|"-separated values of a cell, stripped, empty ones dropped."""
    return tuple(part for part in (value.strip() for value in row.get(column, "").split(_SEPARATOR)) if part)


def _nct_id(row: Row) -> str:
    nct_id = _text(row, NCT_NUMBER)
    if nct_id is None:
        raise RecordError(NCT_NUMBER, "empty: every row of the export needs the study's NCT id")
    if not _NCT_ID.fullmatch(nct_id):
        raise RecordError(NCT_NUMBER, f"{nct_id!r} is not an NCT id (NCT followed by 8 digits)")
    return nct_id


def _withheld_reason(row: Row) -> str:
    shown = _text(row, TITLE) or ""
    return (
        f"ClinicalTrials.gov withheld this record (status WITHHELD; title shown as {shown!r}): "
        "the registry redacts its content, so there is no trial to convert"
    )


def _enum(row: Row, column: str, allowed: Iterable[str]) -> str | None:
    value = _text(row, column)
    if value is not None:
        _check_code(column, value, allowed)
    return value


def _check_code(column: str, value: str, allowed: Iterable[str]) -> None:
    if value not in allowed:
        raise RecordError(
            column, f"{value!r} is not a ClinicalTrials.gov code; allowed: {', '.join(sorted(allowed))}"
        )


def _phases(row: Row) -> tuple[str, ...] | None:
    if PHASES_COLUMN not in row:
        return None  # the export has no Phases column: unknown, not "no phase"
    codes = _values(row, PHASES_COLUMN)
    for code in codes:
        _check_code(PHASES_COLUMN, code, PHASES)
    return codes


def _intervention(value: str) -> Intervention:
    kind, name = split_typed_name(value)
    return Intervention(name=name, type=kind)


def _outcomes(row: Row) -> tuple[Outcome, ...]:
    found: list[Outcome] = []
    for column, role in OUTCOME_COLUMNS:
        for entry in _values(row, column):
            measure, description, time_frame = split_outcome(entry)
            found.append(Outcome(measure=measure, role=role, description=description, time_frame=time_frame))
    return tuple(found)


def _enrollment(row: Row) -> int | None:
    value = _text(row, "Enrollment")
    if value is None:
        return None
    if not _DIGITS.fullmatch(value):
        raise RecordError("Enrollment", f"{value!r} is not a whole number of participants")
    try:
        return int(value)
    except ValueError:  # more digits than int() converts (sys.get_int_max_str_digits(), 4300)
        raise RecordError(
            "Enrollment", f"{value[:20]!r}… has {len(value)} digits: not a number of participants"
        ) from None


def _date(row: Row, column: str) -> PartialDate | None:
    value = _text(row, column)
    if value is None:
        return None
    if not is_partial_date(value):
        raise RecordError(column, f"{value!r} is not a date written YYYY, YYYY-MM or YYYY-MM-DD")
    return PartialDate(value, None)  # the CSV does not say whether a date is ACTUAL or ESTIMATED
