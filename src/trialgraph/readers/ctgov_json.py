"""ClinicalTrials.gov API v2 JSON, in every shape users download it.

Accepted, chosen by content (never by file name), each also gzip-compressed:
- one study object ``{"protocolSection": …}``;
- a JSON array of studies;
- an API page ``{"studies": [...], "nextPageToken": …}``;
- JSON Lines, one study (or array, or page) per line;
- a .zip or .tar of one-study files (the registry's bulk download is a zip of NCT….json files).

Everything streams: arrays and pages through ijson (its C backend parses as fast as the json
module), archives member by member, so a file's size never decides memory. Records trimmed by the
API's ``fields=`` filter are valid input: what is there is converted.

Provenance: ``SourceRef.file`` is the file name, ``archive:member`` inside an archive; ``position``
is the study's 1-based position in that file (or member); ``checksum`` is sha256 of the study's
canonical JSON (sorted keys, no white space, UTF-8: ``sources.sha256_json``), the same whichever
container it came in.
"""

from __future__ import annotations

import io
import json
import logging
import math
import re
import tarfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import ijson

from trialgraph.ctgov import (
    ARM_GROUP_TYPES,
    DATE_TYPES,
    ENROLLMENT_TYPES,
    INTERVENTION_TYPES,
    STATUSES,
    STUDY_TYPES,
    is_partial_date,
)
from trialgraph.errors import RecordError
from trialgraph.normalise.mesh import canonical_mesh_id
from trialgraph.readers.sources import loads_json, open_binary, read_head, sha256_json
from trialgraph.records import (
    ArmGroup,
    Intervention,
    MeshBrowse,
    MeshTerm,
    Outcome,
    OutcomeRole,
    PartialDate,
    RejectedRecord,
    SourceRef,
    TrialRecord,
)

log = logging.getLogger(__name__)

ReadResult = TrialRecord | RejectedRecord
Study = dict[str, Any]

_FIRST_KEY = re.compile(rb'^\s*\{\s*"([^"]*)"')
_STUDY_KEYS = (b'"protocolSection"', b'"derivedSection"', b'"studies"')
_OUTCOME_ROLES: tuple[tuple[str, OutcomeRole], ...] = (
    ("primaryOutcomes", "primary"),
    ("secondaryOutcomes", "secondary"),
    ("otherOutcomes", "other"),
)

# ---------------------------------------------------------------------------------------------
# Sniffing


def _strip_bom(head: bytes) -> bytes:
    return head[3:] if head.startswith(b"\xef\xbb\xbf") else head


def is_zip(head: bytes) -> bool:
    return head.startswith(b"PK\x03\x04")


def is_tar(head: bytes) -> bool:
    return head[257:262] == b"ustar"


def looks_like_ctgov_json(head: bytes) -> bool:
    """True for the start of a v2 study, array, page or JSON Lines file, or of a zip/tar archive
    (whose members are checked as they are read)."""
    if is_zip(head) or is_tar(head):
        return True
    text = _strip_bom(head).lstrip()
    return text[:1] in (b"{", b"[") and any(key in text for key in _STUDY_KEYS)


# ---------------------------------------------------------------------------------------------
# Containers -> study dicts (or the reason a part could not be read)


@dataclass(frozen=True)
class _Unreadable:
    """A part of a file that is not JSON a reader can use, and the position it starts at."""

    position: int
    reason: str


def _studies_in_document(stream: IO[bytes], head: bytes) -> Iterator[Study]:
    """The studies of one JSON document: a study, an array or a page. Streams arrays and pages."""
    text = _strip_bom(head).lstrip()
    if text.startswith(b"["):
        yield from ijson.items(stream, "item", use_float=True)
        return
    first_key = _FIRST_KEY.match(text)
    if first_key is not None and first_key.group(1) not in (
        b"protocolSection",
        b"derivedSection",
        b"hasResults",
    ):
        yield from ijson.items(stream, "studies.item", use_float=True)  # an API page
        return
    yield loads_json(stream.read())


def _json_lines(stream: IO[bytes]) -> Iterator[tuple[int, Study | _Unreadable]]:
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            value = loads_json(line)
        except _JSON_ERRORS as error:
            yield number, _Unreadable(number, f"line {number} is not JSON ({_json_error(error)})")
            continue
        if isinstance(value, dict) and isinstance(value.get("studies"), list):
            value = value["studies"]
        # anything else (a number, a string, an object without "studies") is one item: if it is not
        # a study, study_to_record rejects it
        for study in value if isinstance(value, list) else [value]:
            yield number, study


#: what parsing untrusted JSON raises besides JSONDecodeError: UnicodeDecodeError (bytes that are not
#: UTF-8) and ValueError (an integer of more than 4300 digits) are ValueErrors, RecursionError comes
#: from nesting deeper than the interpreter's recursion limit
_JSON_ERRORS = (ijson.JSONError, ValueError, RecursionError)


def _json_error(error: Exception) -> str:
    if isinstance(error, json.JSONDecodeError):
        return error.msg
    if isinstance(error, RecursionError):
        return "nested too deeply"
    return str(error)


def _is_json_lines(head: bytes) -> bool:
    """JSON Lines: the first line is a whole JSON object and more lines follow."""
    first, newline, rest = _strip_bom(head).lstrip().partition(b"\n")
    if not newline or not rest.strip() or not first.strip().startswith(b"{"):
        return False
    try:
        json.loads(first)
    except _JSON_ERRORS:
        return False
    return True


def _document_studies(stream: IO[bytes]) -> Iterator[tuple[int, Study | _Unreadable]]:
    """(position, study) for a JSON document or JSON Lines stream; a parse error ends the document
    with one _Unreadable naming where it happened."""
    head = _strip_bom(stream.read(65536))  # ijson stops silently at a byte-order mark
    whole = io.BufferedReader(_Prefixed(head, stream))
    if _is_json_lines(head):
        yield from _json_lines(whole)
        return
    position = 0
    try:
        for study in _studies_in_document(whole, head):
            position += 1
            yield position, study
    except _JSON_ERRORS as error:
        reason = f"not valid JSON after {position} studies ({_json_error(error)})"
        yield position + 1, _Unreadable(position + 1, reason)
        return
    if position == 0 and b'"studies"' not in head and not head.lstrip().startswith(b"["):
        yield 0, _Unreadable(0, "no ClinicalTrials.gov study in this JSON document")


class _Prefixed(io.RawIOBase):
    """A stream that first returns bytes already read for sniffing, then the rest of `stream`."""

    def __init__(self, prefix: bytes, stream: IO[bytes]) -> None:
        self._prefix = prefix
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._prefix:
            size = min(len(buffer), len(self._prefix))
            buffer[:size] = self._prefix[:size]
            self._prefix = self._prefix[size:]
            return size
        data = self._stream.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _archive_members(path: Path, head: bytes) -> Iterator[tuple[str, IO[bytes]]]:
    """(member name, its bytes) for every file of a zip or tar archive, in archive order."""
    if is_zip(head):
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                if not info.is_dir():
                    yield info.filename, archive.open(info)
        return
    with open_binary(path) as raw, tarfile.open(fileobj=raw, mode="r|*") as archive:
        for member in archive:
            if member.isfile():
                extracted = archive.extractfile(member)
                if extracted is not None:
                    yield member.name, extracted


def _not_json_reason(head: bytes) -> str:
    if b"<clinical_study" in head[:4096]:
        return (
            "legacy ClinicalTrials.gov XML (<clinical_study>) is not read: download the study as API v2 JSON"
        )
    return "archive member is not ClinicalTrials.gov v2 JSON"


@dataclass(frozen=True)
class ArchiveMember:
    """One archive member's bytes, read but not yet parsed. A parallel build reads members in one
    process and parses them where they are converted, so JSON parsing is spread over the cores."""

    where: str
    data: bytes

    def records(self) -> Iterator[ReadResult]:
        head = self.data[:65536]
        if not looks_like_ctgov_json(head):
            yield RejectedRecord(SourceRef(self.where, 0), "json", _not_json_reason(head))
            return
        for position, item in _document_studies(io.BytesIO(self.data)):
            yield _result(item, SourceRef(self.where, position))


def read_ctgov_json(path: Path) -> Iterator[ReadResult]:
    """Records of a v2 JSON file of any accepted shape; bad parts become RejectedRecords."""
    for unit in read_ctgov_json_units(path):
        if isinstance(unit, ArchiveMember):
            yield from unit.records()
        else:
            yield unit


def read_ctgov_json_units(path: Path) -> Iterator[ReadResult | ArchiveMember]:
    """As read_ctgov_json, but the members of a zip or tar archive come unparsed (ArchiveMember)."""
    head = read_head(path)
    try:
        if is_zip(head) or is_tar(head):
            for member, stream in _archive_members(path, head):
                with stream:
                    yield ArchiveMember(f"{path.name}:{member}", stream.read())
            return
        with open_binary(path) as stream:
            for position, item in _document_studies(stream):
                yield _result(item, SourceRef(path.name, position))
    except (OSError, EOFError, zipfile.BadZipFile, tarfile.TarError) as error:
        yield RejectedRecord(SourceRef(path.name, 0), "file", f"cannot read the rest of the file: {error}")


def _result(item: Study | _Unreadable, source: SourceRef) -> ReadResult:
    if isinstance(item, _Unreadable):
        return RejectedRecord(source, "json", item.reason)
    return _record_or_rejection(item, source)


def _record_or_rejection(study: Any, source: SourceRef) -> ReadResult:
    nct_id = _nct_id_of(study)
    try:
        try:
            checksum = sha256_json(study)
        except RecursionError:  # ijson builds what json.dumps cannot write back
            raise RecordError("json", "nested too deeply to be a ClinicalTrials.gov study") from None
        return study_to_record(study, SourceRef(source.file, source.position, checksum))
    except RecordError as error:
        return RejectedRecord(source, error.field, error.reason, raw=_raw(study), record_id=nct_id)


def _raw(study: Any) -> str:
    """The start of a rejected study as JSON text (for rejected.jsonl)."""
    try:
        raw = json.dumps(study, ensure_ascii=False) if isinstance(study, dict) else repr(study)
    except RecursionError:
        raw = repr(type(study))
    return raw[:2000]


def _nct_id_of(study: Any) -> str | None:
    try:
        value = study["protocolSection"]["identificationModule"]["nctId"]
    except (KeyError, TypeError):
        return None
    return value if isinstance(value, str) else None


# ---------------------------------------------------------------------------------------------
# One study -> TrialRecord


def _module(study: Study, name: str) -> dict[str, Any]:
    value = study["protocolSection"].get(name)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise RecordError(f"protocolSection.{name}", "is not an object")
    return value


def _text(obj: dict[str, Any], key: str, field: str) -> str | None:
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise RecordError(field, f"is not text: {value!r:.80}")
    return value.strip() or None


def _texts(obj: dict[str, Any], key: str, field: str) -> tuple[str, ...]:
    value = obj.get(key)
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RecordError(field, "is not a list of texts")
    return tuple(v.strip() for v in value if v.strip())


def _objects(obj: dict[str, Any], key: str, field: str) -> list[dict[str, Any]]:
    value = obj.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise RecordError(field, "is not a list of objects")
    return value


def _enum(value: str | None, allowed: frozenset[str], field: str) -> str | None:
    if value is not None and value not in allowed:
        raise RecordError(field, f"unknown value {value!r} (known: {', '.join(sorted(allowed))})")
    return value


def _date(module: dict[str, Any], key: str) -> PartialDate | None:
    field = f"protocolSection.statusModule.{key}"
    struct = module.get(key)
    if struct is None:
        return None
    if not isinstance(struct, dict):
        raise RecordError(field, "is not an object")
    value = _text(struct, "date", field + ".date")
    if value is None:
        return None
    if not is_partial_date(value):
        raise RecordError(field + ".date", f"{value!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    return PartialDate(value, _enum(_text(struct, "type", field + ".type"), DATE_TYPES, field + ".type"))


def _enrollment(design: dict[str, Any]) -> tuple[int | None, str | None]:
    info = design.get("enrollmentInfo") or {}
    field = "protocolSection.designModule.enrollmentInfo"
    if not isinstance(info, dict):
        raise RecordError(field, "is not an object")
    count = info.get("count")
    if count is not None and (
        isinstance(count, bool)
        or not isinstance(count, int | float)
        or not math.isfinite(count)  # json reads NaN and Infinity, and int() refuses them
        or count != int(count)
    ):
        raise RecordError(field + ".count", f"is not a whole number: {count!r:.40}")
    kind = _enum(_text(info, "type", field + ".type"), ENROLLMENT_TYPES, field + ".type")
    return (None if count is None else int(count)), kind


def _interventions(arms_module: dict[str, Any]) -> tuple[Intervention, ...]:
    items = []
    for index, item in enumerate(_objects(arms_module, "interventions", "interventions")):
        field = f"interventions[{index}]"
        name = _text(item, "name", field + ".name")
        if name is None:
            raise RecordError(field + ".name", "an intervention has no name")
        items.append(
            Intervention(
                name=name,
                # an unknown code is rejected here, as the CSV and seed readers do, not left to SHACL
                type=_enum(_text(item, "type", field + ".type"), INTERVENTION_TYPES, field + ".type"),
                description=_text(item, "description", field + ".description"),
                other_names=_texts(item, "otherNames", field + ".otherNames"),
                arm_group_labels=_texts(item, "armGroupLabels", field + ".armGroupLabels"),
            )
        )
    return tuple(items)


def _arms(arms_module: dict[str, Any]) -> tuple[ArmGroup, ...]:
    arms = []
    for index, item in enumerate(_objects(arms_module, "armGroups", "armGroups")):
        field = f"armGroups[{index}]"
        label = _text(item, "label", field + ".label")
        if label is None:
            raise RecordError(field + ".label", "an arm group has no label")
        arms.append(
            ArmGroup(
                label=label,
                type=_enum(_text(item, "type", field + ".type"), ARM_GROUP_TYPES, field + ".type"),
                description=_text(item, "description", field + ".description"),
                intervention_names=_texts(item, "interventionNames", field + ".interventionNames"),
            )
        )
    return tuple(arms)


def _outcomes(module: dict[str, Any]) -> tuple[Outcome, ...]:
    outcomes = []
    for key, role in _OUTCOME_ROLES:
        for index, item in enumerate(_objects(module, key, key)):
            field = f"{key}[{index}]"
            measure = _text(item, "measure", field + ".measure")
            if measure is None:
                raise RecordError(field + ".measure", "an outcome has no measure")
            outcomes.append(
                Outcome(
                    measure=measure,
                    role=role,
                    description=_text(item, "description", field + ".description"),
                    time_frame=_text(item, "timeFrame", field + ".timeFrame"),
                )
            )
    return tuple(outcomes)


def _mesh_terms(module: dict[str, Any], key: str, field: str) -> tuple[MeshTerm, ...]:
    terms = []
    for index, item in enumerate(_objects(module, key, f"{field}.{key}")):
        raw_id, term = item.get("id"), item.get("term")
        mesh_id = canonical_mesh_id(raw_id) if isinstance(raw_id, str) else None
        if mesh_id is None or not isinstance(term, str):
            raise RecordError(f"{field}.{key}[{index}]", f"not a MeSH id and term: {item!r:.80}")
        terms.append(MeshTerm(mesh_id, term))
    return tuple(dict.fromkeys(terms))


def _mesh_browse(study: Study, name: str) -> MeshBrowse | None:
    derived = study.get("derivedSection")
    if not isinstance(derived, dict) or not isinstance(derived.get(name), dict):
        return None
    module = derived[name]
    field = f"derivedSection.{name}"
    as_found = tuple(
        (leaf["asFound"].strip(), leaf["name"].strip())
        for leaf in _objects(module, "browseLeaves", field + ".browseLeaves")
        if isinstance(leaf.get("asFound"), str) and isinstance(leaf.get("name"), str)
    )
    return MeshBrowse(
        meshes=_mesh_terms(module, "meshes", field),
        ancestors=_mesh_terms(module, "ancestors", field),
        as_found=as_found,
    )


def study_to_record(study: Any, source: SourceRef) -> TrialRecord:
    """One v2 study as a TrialRecord; RecordError names the JSON field that is missing or wrong."""
    if not isinstance(study, dict) or not isinstance(study.get("protocolSection"), dict):
        raise RecordError("protocolSection", "missing: this is not a ClinicalTrials.gov v2 study")
    ident = _module(study, "identificationModule")
    nct_id = _text(ident, "nctId", "identificationModule.nctId")
    if nct_id is None:
        raise RecordError("identificationModule.nctId", "missing")
    title = _text(ident, "briefTitle", "identificationModule.briefTitle") or _text(
        ident, "officialTitle", "identificationModule.officialTitle"
    )
    if title is None:
        raise RecordError("identificationModule.briefTitle", "missing (and no officialTitle)")
    status = _module(study, "statusModule")
    design = _module(study, "designModule")
    description = _module(study, "descriptionModule")
    conditions = _module(study, "conditionsModule")
    arms_module = _module(study, "armsInterventionsModule")
    sponsor = _module(study, "sponsorCollaboratorsModule").get("leadSponsor") or {}
    enrollment, enrollment_type = _enrollment(design)
    return TrialRecord(
        title=title,
        source=source,
        nct_id=nct_id,
        official_title=_text(ident, "officialTitle", "identificationModule.officialTitle"),
        acronym=_text(ident, "acronym", "identificationModule.acronym"),
        brief_summary=_text(description, "briefSummary", "descriptionModule.briefSummary"),
        detailed_description=_text(
            description, "detailedDescription", "descriptionModule.detailedDescription"
        ),
        conditions=_texts(conditions, "conditions", "conditionsModule.conditions"),
        keywords=_texts(conditions, "keywords", "conditionsModule.keywords"),
        interventions=_interventions(arms_module),
        arms=_arms(arms_module),
        outcomes=_outcomes(_module(study, "outcomesModule")),
        # The registry's phase list is authoritative: absent means not stated, never read from text.
        phases=_texts(design, "phases", "designModule.phases"),
        study_type=_enum(
            _text(design, "studyType", "designModule.studyType"), STUDY_TYPES, "designModule.studyType"
        ),
        overall_status=_enum(
            _text(status, "overallStatus", "statusModule.overallStatus"),
            STATUSES,
            "statusModule.overallStatus",
        ),
        start_date=_date(status, "startDateStruct"),
        primary_completion_date=_date(status, "primaryCompletionDateStruct"),
        completion_date=_date(status, "completionDateStruct"),
        enrollment=enrollment,
        enrollment_type=enrollment_type,
        lead_sponsor=_text(sponsor, "name", "sponsorCollaboratorsModule.leadSponsor.name")
        if isinstance(sponsor, dict)
        else None,
        condition_mesh=_mesh_browse(study, "conditionBrowseModule"),
        intervention_mesh=_mesh_browse(study, "interventionBrowseModule"),
    )
