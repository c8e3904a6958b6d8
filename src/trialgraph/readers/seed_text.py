"""Reader for the seed plain-text format (seeds/*.txt): one trial record per file.

Layout, one field per line except the two free-text fields::

    title
    brief summary               (any number of lines, blank lines included)
    conditions                  ", "-separated
    interventions               "DRUG: name|BIOLOGICAL: name|..." (ClinicalTrials.gov InterventionType codes)
    primary outcomes            "measure, description, time frame|..."
    secondary outcomes          same
    detailed description        (any number of lines, to the end of the file)

How the lines are found: the interventions line is the anchor, the first line after the title whose
first "|"-entry starts with a known type code and a colon ("DRUG: ..."). The line before it is the
conditions line, everything between the title and the conditions line is the summary, and the lines
after it are, by position, the primary outcomes, the secondary outcomes and the detailed description.

Missing fields: an empty line is an empty field (no conditions, no secondary outcomes, ...), stored as
None for the summary and the description and as an empty tuple otherwise. The trailing sections may
also be absent altogether (the file ends after the interventions or an outcomes line): that is
unambiguous because they come last. A missing middle line must be written as an empty line, since
lines are told apart by position. A file without an interventions line cannot be read (nothing marks
where the summary ends), so a trial without interventions is not expressible in this format.

Text is kept as written: a byte-order mark and the line ends (LF, CRLF or CR) are removed, and each
field loses its surrounding whitespace; nothing else is changed (full-width punctuation, Unicode
numerals, duplicated interventions all stay). Decisions (is this a type code, a bracket, a time frame)
look at an NFKC-normalised copy.

Outcome entries: "measure, description, time frame" with the description optional; all three may
contain ", " themselves, so `split_outcome` is a heuristic (see there). The format has no NCT id, no
phase and no "other" outcomes: `TrialRecord.nct_id` and `TrialRecord.phases` stay None.
"""

from __future__ import annotations

import bisect
import hashlib
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from trialgraph.ctgov import INTERVENTION_TYPES
from trialgraph.errors import RecordError
from trialgraph.records import Intervention, Outcome, OutcomeRole, RejectedRecord, SourceRef, TrialRecord

_TYPED_ENTRY = re.compile(r"\s*([^:：|]{1,40}?)\s*[:：](.*)", re.DOTALL)
_SEPARATOR = ", "  # ASCII only: a full-width "，" is part of the text, never a field separator
_OPENING = "([{"
_CLOSING = ")]}"

# A piece starting with one of these lower-case words continues the previous piece ("..., or death,
# whichever comes first"): no field of an outcome starts that way.
_CONTINUATION = re.compile(r"(?:and|or|nor|but|whichever|which|whereas|respectively|etc|e\.g|i\.e)\b")
# Lists of numbers ("at 0, 3, 6 and 12 months", "day 0, 3rd, 7th", "24, 48, 72 hours"): a ", " between
# two numbers is inside the list when the number after it is followed by more of the list, or the
# number before it is itself a list item. ("RECIST 1.1, 12 months" stays a boundary.)
_ENDS_WITH_NUMBER = re.compile(r"\d(?:st|nd|rd|th)?$")
_ENDS_WITH_LIST_ITEM = re.compile(r"(?:^|, )[-+]?\d+(?:\.\d+)?(?:st|nd|rd|th)?$")
_STARTS_WITH_NUMBER = re.compile(r"[-+]?\d")
_LIST_NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?(?:st|nd|rd|th)?(?:,|\s+(?:and|or|&)\s|$)")

_NUMBER = (
    r"(?:\d+(?:[.,/-]\d+)*(?:st|nd|rd|th)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|"
    r"twelve|twenty|thirty|sixty|ninety|first|second|third|fourth|sixth)"
)
_UNIT = r"(?:h|hrs?|hours?|d|days?|w|wks?|weeks?|m|mths?|mos?|months?|y|yrs?|years?|min|minutes?|cycles?)"
# A time point: "6 months", "3", "Baseline", "week 12", "Day 1 of cycle 2", "pre-operative", "end of study".
_TIME_POINT = re.compile(
    rf"""(?:{_NUMBER}\s*-?\s*(?:{_UNIT}\b|$|[,/(-]|\s(?:and|or|to)\b)
    |baseline|base-line|screening|day|week|wk|month|year|cycle|visit|hour
    |(?:pre|post)-\w+$
    |pre-?op\b|post-?op\b|(?:pre|post)[-\s]?(?:operative|surgery|dose|treatment|intervention|procedure
        |injection|infusion|implant|randomi|discharge|baseline)
    |end\s+of\b|follow[-\s]?up|up\s*to\b|within\b|after\b|before\b|at\b(?!\s+least)|every\b|each\b|annual
    |(?:approximately|approx|about|around)\s+{_NUMBER}
    |(?:day|time)\s+of\b|admission\b|discharge\b)""",
    re.VERBOSE,
)
_TIME_POINT_WORDS = 6
# The opening of a period ("From randomisation until progression", "Through study completion"): part of
# the time frame only when the next piece elaborates on it ("an average of 1 year") rather than stands
# alone ("2 years": then the period was the description).
_SPAN_START = re.compile(r"(?:from|through|throughout|until|untill|till|between|during|since)\b")
_ELABORATION = re.compile(
    r"(?:an\s+average|on\s+average|average|assessed|measured|evaluated|estimated|approximately|"
    r"or\b|whichever|which|up\s*to|to\b|until|for\s+up\s+to|an\s+expected|expected)"
)
# Sentence ends; a final abbreviation ("etc.", "e.g.") does not end a sentence.
_SENTENCE_END = re.compile(r"[.。]\s*$")
_ABBREVIATION_END = re.compile(r"(?:\b(?:etc|e\.g|i\.e|vs|approx|incl|no|al|fig|ca)|\b[a-z])\.\s*$")
# A list "A, B, and C": short middle items, a tail with ", and" / ", or" (measures are often lists).
_LIST_ITEM_WORDS = 2
_LIST_TAIL = re.compile(r"([^,]+), (?:and|or) ")


def _fold(text: str) -> str:
    """NFKC per character, so indices still match the original (a character whose NFKC form is
    longer than one character, e.g. "Ⅱ", is kept as is)."""
    if text.isascii():  # NFKC leaves ASCII as it is; most registry text is ASCII
        return text
    out = []
    for char in text:
        norm = unicodedata.normalize("NFKC", char)
        out.append(norm if len(norm) == 1 else char)
    return "".join(out)


def _protected_spans(folded: str) -> list[tuple[int, int]]:
    """Spans inside matched brackets: a ", " there never separates fields ("(Cavg, ss)").
    Disjoint and sorted (nested spans merged), so `_inside` can bisect."""
    spans: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    for index, char in enumerate(folded):
        if char in _OPENING:
            stack.append((char, index))
        elif char in _CLOSING:
            want = _OPENING[_CLOSING.index(char)]
            # an unmatched closer is ignored; a closer matches the nearest opener of its kind
            for depth in range(len(stack) - 1, -1, -1):
                if stack[depth][0] == want:
                    spans.append((stack[depth][1], index))
                    del stack[depth:]
                    break
    merged: list[tuple[int, int]] = []
    for lo, hi in sorted(spans):
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(hi, merged[-1][1]))
        else:
            merged.append((lo, hi))
    return merged


def _inside(position: int, spans: list[tuple[int, int]]) -> bool:
    """Is `position` strictly inside one of the (disjoint, sorted) spans? A bisection: testing every
    span at every ", " made a long entry quadratic."""
    index = bisect.bisect_left(spans, (position, position)) - 1
    return index >= 0 and spans[index][0] < position < spans[index][1]


#: how much of the text before a ", " the list checks look at: a list number is short, and searching
#: the whole prefix at every ", " made a 100 KB entry take minutes
_LOOK_BEHIND = 100


def _is_boundary(folded: str, start: int, spans: list[tuple[int, int]]) -> bool:
    """May the ", " at `start` separate two fields?"""
    after = start + len(_SEPARATOR)  # matched in place: a slice per ", " copies the rest each time
    if _inside(start, spans) or _CONTINUATION.match(folded, after):
        return False
    before = folded[max(0, start - _LOOK_BEHIND) : start]
    if _ENDS_WITH_LIST_ITEM.search(before) and _STARTS_WITH_NUMBER.match(folded, after):
        return False
    return not (_ENDS_WITH_NUMBER.search(before) and _LIST_NUMBER.match(folded, after))


def _pieces(entry: str) -> list[str]:
    """Cut an entry at every ", " that may separate two fields."""
    folded = _fold(entry)
    spans = _protected_spans(folded)
    cuts = [0]
    start = entry.find(_SEPARATOR)
    while start != -1:
        if _is_boundary(folded, start, spans):
            cuts.append(start + len(_SEPARATOR))
        start = entry.find(_SEPARATOR, start + len(_SEPARATOR))
    cuts.append(len(entry) + len(_SEPARATOR))
    return [entry[cuts[i] : cuts[i + 1] - len(_SEPARATOR)] for i in range(len(cuts) - 1)]


def _decide(piece: str) -> str:
    """The copy of a piece that decisions look at: NFKC, case-folded, stripped."""
    return unicodedata.normalize("NFKC", piece).casefold().strip()


def _ends_sentence(piece: str) -> bool:
    text = _decide(piece)
    return bool(_SENTENCE_END.search(text)) and not _ABBREVIATION_END.search(text)


def _is_time_point(piece: str) -> bool:
    text = _decide(piece)
    return len(text.split()) <= _TIME_POINT_WORDS and bool(_TIME_POINT.match(text))


def _time_frame_start(pieces: list[str]) -> int:
    """Index of the piece where the time frame starts (never 0: the first piece is the measure)."""
    last = len(pieces) - 1
    # a description usually ends a sentence: what follows the last sentence end is the time frame
    for index in range(last - 1, 0, -1):
        if _ends_sentence(pieces[index]):
            return index + 1
    start = last
    while start > 1:
        before, current = _decide(pieces[start - 1]), _decide(pieces[start])
        if _is_time_point(before) or (_SPAN_START.match(before) and _ELABORATION.match(current)):
            start -= 1
        else:
            break
    return start


def _is_list_item(piece: str) -> bool:
    return len(piece.split()) <= _LIST_ITEM_WORDS and not _is_time_point(piece) and not _ends_sentence(piece)


def _measure_end(pieces: list[str], limit: int) -> int:
    """Index of the last piece of the measure, among the pieces before `limit` (the time frame).

    The first piece, unless the measure is a sentence that goes on past a ", " (a sentence end with
    more text before the time frame: descriptions seldom contain ".,"), or the pieces after it
    complete a list "A, B, and C" that starts in the measure."""
    if not _ends_sentence(pieces[0]):
        for index in range(1, limit - 1):
            if _ends_sentence(pieces[index]):
                return index
    for index in range(1, limit):
        tail = _LIST_TAIL.match(_decide(pieces[index]))
        if tail and _is_list_item(tail.group(1)):
            return index
        if not _is_list_item(pieces[index]):
            break
    return 0


def split_outcome(entry: str) -> tuple[str, str | None, str | None]:
    """Split one "measure, description, time frame" entry into (measure, description, time frame).

    The parts may contain ", " themselves, so this is a heuristic, built on what real entries show:

    1. a ", " never separates two parts inside brackets, before a word that continues a sentence
       ("or", "and", "whichever", ...), or between two numbers of a list ("at 0, 3, 6 and 12 months");
    2. of the remaining pieces, the last one is the time frame (ClinicalTrials.gov requires one). When
       an earlier piece (not the first) ends a sentence, the time frame starts right after the last
       such piece: descriptions are usually sentences, time frames rarely are. Otherwise the time
       frame grows leftwards over time points ("Baseline, week 12, week 24") and over the opening of
       a period that the next piece elaborates ("Through study completion, an average of 1 year");
    3. the first piece is the measure, extended when it is a sentence that runs on past a ", " (an
       earlier sentence end than the description's) or starts a list "A, B, and C"; anything between
       the measure and the time frame is the description.

    With one piece the entry is a measure alone. The parts, joined again with ", ", always give the
    entry back. On the 310 real v2 records in tests/data/ctgov, rendered to this format, the split
    gives back the three JSON fields exactly for 95.4% of the outcome entries (a split at the first
    and last ", " manages 74.6%); the misses are mostly measures that contain ", ".

    >>> split_outcome("Overall survival, Time from randomization to death., Up to 5 years")
    ('Overall survival', 'Time from randomization to death.', 'Up to 5 years')
    >>> split_outcome("ORR, Baseline, week 8, week 16")
    ('ORR', None, 'Baseline, week 8, week 16')
    >>> split_outcome("PFS, PFS per RECIST 1.1, Through study completion, an average of 1 year")
    ('PFS', 'PFS per RECIST 1.1', 'Through study completion, an average of 1 year')
    >>> split_outcome("Removal, revision, or fixation, Reoperation at the index level, 12 months")
    ('Removal, revision, or fixation', 'Reoperation at the index level', '12 months')
    """
    pieces = _pieces(entry.strip())
    if len(pieces) == 1:
        return pieces[0], None, None
    start = _time_frame_start(pieces)
    end = _measure_end(pieces, start)
    description = _SEPARATOR.join(pieces[end + 1 : start]) or None
    return _SEPARATOR.join(pieces[: end + 1]), description, _SEPARATOR.join(pieces[start:])


def split_conditions(line: str) -> tuple[str, ...]:
    """The conditions of a conditions line: split at ", " except inside brackets.

    A condition that itself contains ", " outside brackets ("Diabetes Mellitus, Type 2") cannot be
    told from two conditions and is split; joining the result with ", " gives the line back.

    >>> split_conditions("Solid Tumor, Mental Health Issue (E.G., Depression)")
    ('Solid Tumor', 'Mental Health Issue (E.G., Depression)')
    """
    folded = _fold(line)
    spans = _protected_spans(folded)
    parts, begin = [], 0
    start = line.find(_SEPARATOR)
    while start != -1:
        if not _inside(start, spans):
            parts.append(line[begin:start].strip())
            begin = start + len(_SEPARATOR)
        start = line.find(_SEPARATOR, start + len(_SEPARATOR))
    parts.append(line[begin:].strip())
    return tuple(p for p in parts if p)


def _entry_type(entry: str) -> tuple[str, str] | None:
    """(type code, name) when the entry starts with a known type code and a colon, else None."""
    match = _TYPED_ENTRY.match(entry)
    if match is None:
        return None
    code = unicodedata.normalize("NFKC", match.group(1)).strip()
    return (code, match.group(2).strip()) if code in INTERVENTION_TYPES else None


def _starts_with_type(line: str) -> bool:
    return _entry_type(line.split("|", 1)[0]) is not None


def _parse_interventions(line: str) -> tuple[Intervention, ...]:
    found = []
    for number, entry in enumerate(line.split("|"), start=1):
        typed = _entry_type(entry)
        if typed is None:
            known = ", ".join(sorted(INTERVENTION_TYPES))
            raise RecordError(
                "interventions",
                f"entry {number} {entry.strip()!r} does not start with a known type ({known})",
            )
        code, name = typed
        if not name:
            raise RecordError("interventions", f"entry {number} {entry.strip()!r} has a type but no name")
        found.append(Intervention(name=name, type=code))
    return tuple(found)


def _parse_outcomes(line: str, role: OutcomeRole) -> tuple[Outcome, ...]:
    if not line:
        return ()
    found = []
    for number, entry in enumerate(line.split("|"), start=1):
        measure, description, time_frame = split_outcome(entry)
        if not measure:
            raise RecordError(f"{role}_outcomes", f"entry {number} {entry.strip()!r} has no measure")
        found.append(Outcome(measure=measure, role=role, description=description, time_frame=time_frame))
    return tuple(found)


def _lines(text: str) -> list[str]:
    """The lines of a record, without BOM, line ends or trailing blank lines.

    Only LF, CRLF and CR end a line (str.splitlines would also cut at U+2028, form feeds, ...)."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    return lines


def _find_interventions_line(lines: list[str]) -> int:
    """Index of the interventions line: the first line after the title that starts with "TYPE:"."""
    for index in range(1, len(lines)):
        if _starts_with_type(lines[index]):
            if index < 2:
                raise RecordError("conditions", "no conditions line between the title and the interventions")
            return index
    raise RecordError(
        "interventions", "no interventions line found (a line like 'DRUG: name|BIOLOGICAL: name')"
    )


def _block(lines: list[str]) -> str | None:
    return "\n".join(lines).strip() or None


def _read(text: str, source: SourceRef) -> TrialRecord:
    lines = _lines(text)
    if not lines or not lines[0].strip():
        raise RecordError("title", "the file is empty" if not lines else "line 1 (the title) is empty")
    anchor = _find_interventions_line(lines)
    tail = [*lines[anchor + 1 :], "", ""]  # absent trailing outcome lines read as empty
    outcomes = _parse_outcomes(tail[0].strip(), "primary") + _parse_outcomes(tail[1].strip(), "secondary")
    return TrialRecord(
        title=lines[0].strip(),
        source=source,
        brief_summary=_block(lines[1 : anchor - 1]),
        detailed_description=_block(lines[anchor + 3 :]),
        conditions=split_conditions(lines[anchor - 1].strip()),
        interventions=_parse_interventions(lines[anchor]),
        outcomes=outcomes,
    )


def read_seed_text(text: str, source: SourceRef) -> TrialRecord:
    """Read one record from seed text; raise RecordError naming the source and the field.

    >>> record = read_seed_text("T\\nS\\nC1, C2\\nDRUG: a|DRUG: a\\nM, 1 year\\n", SourceRef("x.txt"))
    >>> record.conditions, [i.name for i in record.interventions], record.outcomes[0].time_frame
    (('C1', 'C2'), ['a', 'a'], '1 year')
    """
    try:
        return _read(text, source)
    except RecordError as error:
        raise RecordError(error.field, f"{error.reason} (in {source.describe()})") from None


def read_seed_file(path: Path) -> Iterator[TrialRecord | RejectedRecord]:
    """Yield the one record of a seed file, or a RejectedRecord when its content cannot be read.

    Only content problems become RejectedRecords; a file that cannot be opened raises OSError.
    """
    data = path.read_bytes()
    source = SourceRef(file=path.name, position=1, checksum="sha256:" + hashlib.sha256(data).hexdigest())
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        reason = f"not UTF-8 text: byte {error.start} cannot be decoded"
        yield RejectedRecord(source, "file", reason, raw=data.decode("utf-8", "replace"))
        return
    try:
        yield _read(text, source)
    except RecordError as error:
        yield RejectedRecord(source, error.field, error.reason, raw=text)


def looks_like_seed_text(head: str) -> bool:
    """Cheap content sniffing on the start of a file: is this the seed format?

    True when a line after the first two (title, then summary or conditions) starts with
    "TYPE: " for a ClinicalTrials.gov intervention type and the text does not start like JSON or XML.
    Give it enough of the file to reach the interventions line (summaries run to a few KB).

    >>> looks_like_seed_text("Title\\nSummary.\\nCancer\\nDRUG: x|OTHER: y\\n")
    True
    >>> looks_like_seed_text('{"protocolSection": {}}')
    False
    """
    lines = _lines(head)
    if not lines or lines[0].lstrip().startswith(("{", "[", "<")):  # JSON, XML
        return False
    return any(_starts_with_type(line) for line in lines[2:])
