"""Hypothesis strategies for hostile reader input, grown from the real records in tests/data/ctgov.

Every strategy starts from a real study, CSV row or seed file and damages it the ways real files get
damaged: fields emptied, made huge, given control characters, lone surrogates, quotes, angle brackets,
spaces and non-ASCII (above all the values that become IRIs: NCT ids, drug, condition and arm names,
MeSH ids), given the wrong JSON type or deleted; whole files truncated at a random byte, re-encoded
(UTF-16, Latin-1, with or without a byte-order mark), gzip-compressed (and cut), packed into zip and
tar archives with directories, empty, non-JSON and nested members; NCT ids repeated.

A strategy of files gives ``FuzzFile`` values (a name and bytes) that a test writes to a directory.
"""

from __future__ import annotations

import copy
import csv
import gzip
import io
import itertools
import json
import tarfile
import warnings
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from paths import SEEDS
from realdata import CTGOV, json_array_studies, tar_studies

Study = dict[str, Any]
Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class FuzzFile:
    name: str
    data: bytes


# ---------------------------------------------------------------------------------------------
# Real material (loaded once): the smallest studies of each source keep examples fast; the hostile
# values bring the size.


def _smallest(studies: list[Study], count: int) -> list[Study]:
    return sorted(studies, key=lambda s: len(json.dumps(s)))[:count]


REAL_STUDIES: list[Study] = _smallest([s for _, s in json_array_studies()], 12) + _smallest(
    [s for _, s in tar_studies()], 3
)


def _real_csv() -> tuple[list[str], list[list[str]]]:
    with gzip.open(CTGOV / "csv_v2export_anand_1000studies.csv.gz", "rt", encoding="utf-8-sig") as f:
        reader = csv.reader(f)
        header = next(reader)
        rows = [row for _, row in zip(range(40), reader, strict=False)]
    # short rows first: the hostile cells bring the size
    return header, sorted(rows, key=lambda r: len("".join(r)))[:15]


CSV_HEADER, CSV_ROWS = _real_csv()
SEED_TEXTS: list[str] = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]

# ---------------------------------------------------------------------------------------------
# Hostile values


def one_in(n: int) -> st.SearchStrategy[bool]:
    """True about once in `n` draws. (Not `integers(0, n) == 0`: Hypothesis favours 0, so that
    would damage nearly every example and the field-level damage would never be read.)"""
    return st.sampled_from([False] * (n - 1) + [True])


#: values that break naive IRI minting, N-Triples escaping or the readers' checks
NASTY_TEXT: tuple[str, ...] = (
    "",
    " ",
    "\t\n",
    "\x00",
    "a\x00b",
    "\x01\x08\x0b\x0c\x1b\x1f\x7f",
    "\ud800",
    "x\udfffy",
    "\ufeff",
    "\u2028\u2029",
    "\u202e\u200b",
    '"',
    '"quoted" \\ back\\slash',
    "'",
    "<a b>",
    "<http://example.org/x>",
    "a b c",
    " leading and trailing ",
    "%zz %20 %",
    "#frag?q=1",
    "{}|^`",
    "line\nbreak\r\nand\rcr",
    "卡瑞利珠单抗",
    "Ménétrier’s disease",
    "e\u0301\u0301\u0301",
    "𝔓𝔉𝔖 😀",
    "Ⅱ（PFS）",
    "NCT0123456",
    "NCT012345678",
    "NCT01234567 ",
    "NCT0123456７",
    "nct01234567",
    "NCT01234567\n",
    "D000000000",
    "D0123 45",
    "DRUG: ",
    'DRUG: <x>|BIOLOGICAL: "y"',
    "Overall survival, , , ",
    ", , ,",
    "|||",
    "9" * 5000,
    "2024-02-30",
    "0000",
    "WITHHELD",
)

_ANY_CHAR = st.characters(codec=None, exclude_categories=())  # surrogates and controls included


def hostile_text() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(NASTY_TEXT),
        st.text(_ANY_CHAR, max_size=30),
        st.builds(
            lambda a, b, c: a + b + c,
            st.sampled_from(NASTY_TEXT),
            st.text(_ANY_CHAR, max_size=8),
            st.sampled_from(NASTY_TEXT),
        ),
        # huge fields: tens of KB in one value
        st.builds(
            lambda unit, n: unit * n,
            st.sampled_from(["x", "PFS, ", "é<\x00", "Phase II ", "(", "a, 1, "]),
            st.integers(2_000, 20_000),
        ),
    )


def wrong_type() -> st.SearchStrategy[Any]:
    scalars = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(2**70), max_value=2**70),
        st.floats(allow_nan=True, allow_infinity=True),
    )
    return st.one_of(
        scalars,
        st.lists(scalars, max_size=3),
        st.lists(hostile_text(), max_size=3),
        st.dictionaries(st.text(max_size=5), scalars, max_size=3),
        st.just([[[[[]]]]]),
        st.just({"count": 1.5}),
        st.just(""),
    )


# ---------------------------------------------------------------------------------------------
# v2 JSON studies

#: fields whose values become IRIs or IRI parts, or are checked against tables
TARGETED: tuple[Path_, ...] = (
    ("protocolSection", "identificationModule", "nctId"),
    ("protocolSection", "identificationModule", "briefTitle"),
    ("protocolSection", "conditionsModule", "conditions", 0),
    ("protocolSection", "conditionsModule", "keywords", 0),
    ("protocolSection", "armsInterventionsModule", "interventions", 0, "name"),
    ("protocolSection", "armsInterventionsModule", "interventions", 0, "type"),
    ("protocolSection", "armsInterventionsModule", "interventions", 0, "otherNames", 0),
    ("protocolSection", "armsInterventionsModule", "interventions", 0, "armGroupLabels", 0),
    ("protocolSection", "armsInterventionsModule", "armGroups", 0, "label"),
    ("protocolSection", "armsInterventionsModule", "armGroups", 0, "interventionNames", 0),
    ("protocolSection", "outcomesModule", "primaryOutcomes", 0, "measure"),
    ("protocolSection", "outcomesModule", "primaryOutcomes", 0, "timeFrame"),
    ("protocolSection", "designModule", "phases", 0),
    ("protocolSection", "designModule", "enrollmentInfo"),
    ("protocolSection", "designModule", "enrollmentInfo", "count"),
    ("protocolSection", "statusModule", "startDateStruct", "date"),
    ("protocolSection", "statusModule", "overallStatus"),
    ("protocolSection", "sponsorCollaboratorsModule", "leadSponsor"),
    ("derivedSection", "conditionBrowseModule", "meshes", 0, "id"),
    ("derivedSection", "conditionBrowseModule", "meshes", 0, "term"),
    ("derivedSection", "conditionBrowseModule", "browseLeaves", 0, "asFound"),
    ("derivedSection", "interventionBrowseModule", "meshes", 0, "id"),
    ("derivedSection", "interventionBrowseModule", "ancestors", 0, "term"),
)


def _paths(value: Any, prefix: Path_ = ()) -> Iterator[Path_]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield (*prefix, key)
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield (*prefix, index)
            yield from _paths(item, (*prefix, index))


def _set(study: Study, path: Path_, value: Any, delete: bool = False) -> None:
    """Set (or delete) the value at `path`, creating missing containers on the way."""
    node: Any = study
    for step, following in itertools.pairwise(path):
        if isinstance(node, dict) and isinstance(step, str):
            if not isinstance(node.get(step), dict | list):
                node[step] = [] if isinstance(following, int) else {}
            node = node[step]
        elif isinstance(node, list) and isinstance(step, int):
            if not node:
                node.append([] if isinstance(following, int) else {})
            node = node[min(step, len(node) - 1)]
        else:
            return
    last = path[-1]
    if isinstance(node, dict) and isinstance(last, str):
        if delete:
            node.pop(last, None)
        else:
            node[last] = value
    elif isinstance(node, list) and isinstance(last, int):
        if not node:
            node.append(value)
        elif delete:
            del node[min(last, len(node) - 1)]
        else:
            node[min(last, len(node) - 1)] = value


@st.composite
def mutated_study(draw: st.DrawFn) -> Study:
    """A real study with 0-4 fields replaced by hostile text or a wrong type, or deleted."""
    study = copy.deepcopy(draw(st.sampled_from(REAL_STUDIES)))
    paths = list(_paths(study))
    for _ in range(draw(st.integers(0, 4))):
        path = draw(st.one_of(st.sampled_from(TARGETED), st.sampled_from(paths)))
        kind = draw(st.sampled_from(["text", "text", "type", "delete"]))
        value = draw(hostile_text()) if kind == "text" else draw(wrong_type()) if kind == "type" else None
        _set(study, path, value, delete=kind == "delete")
    return study


def _nct_id(study: Any) -> Any:
    try:
        return study["protocolSection"]["identificationModule"]["nctId"]
    except (KeyError, TypeError, IndexError):
        return None


@st.composite
def study_list(draw: st.DrawFn) -> list[Any]:
    """1-4 studies, sometimes with a duplicate NCT id or an item that is not a study at all."""
    studies: list[Any] = draw(st.lists(mutated_study(), min_size=1, max_size=4))
    if draw(st.booleans()):  # the same NCT id twice: the second is a duplicate, never merged
        twin = copy.deepcopy(draw(st.sampled_from(REAL_STUDIES)))
        twin["protocolSection"]["identificationModule"]["briefTitle"] = draw(hostile_text())
        studies.extend([copy.deepcopy(twin), twin])
    if draw(one_in(6)):
        studies.insert(draw(st.integers(0, len(studies))), draw(wrong_type()))
    return studies


def _dumps(value: Any, ascii_only: bool) -> str:
    return json.dumps(value, ensure_ascii=ascii_only)  # NaN and Infinity as json writes them


#: mostly UTF-8 (so that the field-level damage gets read), sometimes what editors save instead
ENCODINGS = ("utf-8",) * 6 + ("utf-8-sig", "utf-16", "utf-16-le", "latin-1", "cp1252")


def _encode(text: str, encoding: str) -> bytes:
    if encoding.startswith("utf-8"):
        # a lone surrogate becomes the invalid 3-byte sequence a careless writer produces
        return text.encode(encoding, "surrogatepass")
    return text.encode(encoding, "replace")


@st.composite
def damaged(draw: st.DrawFn, data: bytes) -> bytes:
    """`data` possibly truncated, with bytes flipped or inserted, possibly gzip-compressed (and then
    possibly the compressed stream cut)."""
    if data and draw(one_in(6)):
        data = data[: draw(st.integers(0, len(data) - 1))]
    if data and draw(one_in(8)):
        at = draw(st.integers(0, len(data) - 1))
        data = data[:at] + draw(st.binary(min_size=1, max_size=4)) + data[at + 1 :]
    if draw(one_in(5)):
        data = gzip.compress(data, mtime=0)
        if draw(one_in(5)):
            data = data[: draw(st.integers(1, len(data)))]
    return data


@st.composite
def json_document(draw: st.DrawFn) -> bytes:
    """Studies as one of the text containers (study, array, page, JSON Lines), encoded and damaged."""
    studies = draw(study_list())
    ascii_only = draw(st.booleans())
    shape = draw(st.sampled_from(["study", "array", "page", "page-token-first", "lines"]))
    if shape == "study":
        text = _dumps(studies[0], ascii_only)
    elif shape == "array":
        text = _dumps(studies, ascii_only)
    elif shape == "page":
        text = _dumps({"studies": studies, "nextPageToken": "x"}, ascii_only)
    elif shape == "page-token-first":
        text = _dumps({"totalCount": len(studies), "studies": studies}, ascii_only)
    else:
        lines = [_dumps(s, ascii_only) for s in studies]
        if draw(st.booleans()):  # a line that is not JSON, or is JSON but not a study
            lines.insert(draw(st.integers(0, len(lines))), draw(st.sampled_from(JSON_LINE_JUNK)))
        text = "\n".join(lines) + draw(st.sampled_from(["", "\n", "\r\n"]))
    return draw(damaged(_encode(text, draw(st.sampled_from(ENCODINGS)))))


JSON_LINE_JUNK = ('{"protocolSection": oops}', "3", '"text"', "null", "[1, 2]", '{"studies": 5}', "[]", "{}")


def json_files() -> st.SearchStrategy[FuzzFile]:
    return st.builds(FuzzFile, st.sampled_from(["studies.json", "page.json", "x.jsonl"]), json_document())


# ---------------------------------------------------------------------------------------------
# Archives

NON_JSON_MEMBERS: tuple[bytes, ...] = (
    b"",
    b"not json",
    b'<?xml version="1.0"?><clinical_study><id_info/></clinical_study>',
    b"\x00\x01\x02\xff\xfe",
    b"NCT Number,Study Title\nNCT01234567,T\n",
    b'{"protocolSection": {',
    b'{"protocolSection": {}}',
    b"[]",
)


@st.composite
def archive_member(draw: st.DrawFn) -> tuple[str, bytes]:
    kind = draw(st.sampled_from(["study", "study", "document", "junk", "nested"]))
    name = draw(
        st.sampled_from(["NCT01234567.json", "a b/<c>.json", "dir/x.json", "é.json", "README", "n.zip"])
    )
    if kind == "study":
        return name, _encode(_dumps(draw(mutated_study()), draw(st.booleans())), "utf-8")
    if kind == "document":
        return name, draw(json_document())
    if kind == "junk":
        return name, draw(st.one_of(st.sampled_from(NON_JSON_MEMBERS), st.binary(max_size=64)))
    inner = _zip([("NCT09999999.json", json.dumps(draw(st.sampled_from(REAL_STUDIES))).encode())], [])
    return "nested.zip", inner


def _zip(members: list[tuple[str, bytes]], directories: list[str]) -> bytes:
    """A zip of the members, the same bytes every time: a member named by a string would carry the
    clock's time, and a zip nested in a tar.gz would then compress to a size that changes between
    runs, which Hypothesis reports as a flaky strategy."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate member names are meant
        for directory in directories:
            archive.writestr(_zip_info(directory.rstrip("/") + "/"), b"")
        for name, data in members:
            archive.writestr(_zip_info(name), data)
    return buffer.getvalue()


def _zip_info(name: str) -> zipfile.ZipInfo:
    """What ZipFile.writestr makes of a name, at a fixed time."""
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.external_attr = (0o40775 << 16 | 0x10) if name.endswith("/") else 0o600 << 16
    return info


def _tar(members: list[tuple[str, bytes]], directories: list[str]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        for directory in directories:
            info = tarfile.TarInfo(directory)
            info.type = tarfile.DIRTYPE
            archive.addfile(info)
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
        link = tarfile.TarInfo("link.json")  # not a regular file: skipped
        link.type = tarfile.SYMTYPE
        link.linkname = "NCT01234567.json"
        archive.addfile(link)
    return buffer.getvalue()


@st.composite
def archive_files(draw: st.DrawFn) -> FuzzFile:
    """A zip or tar (plain or gzip) of study files with directories, junk, empty and nested members,
    duplicate member names; sometimes cut short."""
    members = draw(st.lists(archive_member(), min_size=1, max_size=5))
    directories = draw(st.lists(st.sampled_from(["dir", "dir/sub", "empty/"]), max_size=2))
    kind = draw(st.sampled_from(["zip", "tar", "tar.gz"]))
    if kind == "zip":
        data = _zip(members, directories)
    else:
        data = _tar(members, directories)
        if kind == "tar.gz":
            data = gzip.compress(data, mtime=0)  # tarfile's "w:gz" would write the clock's time
    if draw(one_in(5)):
        data = data[: draw(st.integers(1, len(data)))]
    return FuzzFile(f"bulk.{kind}", data)


# ---------------------------------------------------------------------------------------------
# CSV export


def _csv_text(rows: list[list[str]], line_end: str) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator=line_end).writerows(rows)
    return out.getvalue()


@st.composite
def csv_files(draw: st.DrawFn) -> FuzzFile:
    """A real export's header (a subset, reordered, with unknown or doubled columns) and real rows
    with hostile cells, extra or missing cells, broken quoting, repeated header or NCT id, in some
    encoding, damaged."""
    chosen = draw(st.lists(st.integers(0, len(CSV_HEADER) - 1), min_size=1, max_size=12, unique=True))
    if not draw(one_in(6)):  # mostly with the required columns: else only the header is read
        chosen = [0, 1, *[c for c in chosen if c > 1]]
    header = [CSV_HEADER[i] for i in chosen]
    extra = draw(st.sampled_from([[], ["Unknown Column"], [header[0]], [draw(hostile_text())]]))
    rows = []
    for _ in range(draw(st.integers(1, 4)) if not draw(one_in(8)) else 0):
        source = draw(st.sampled_from(CSV_ROWS))
        row = [source[i] for i in chosen] + ["x" for _ in extra]
        for _ in range(draw(st.integers(0, 3))):
            row[draw(st.integers(0, len(row) - 1))] = draw(hostile_text())
        shape = draw(st.sampled_from(["as is", "as is", "as is", "extra", "short"]))
        if shape == "extra":
            row = [*row, draw(hostile_text())]  # an extra cell
        elif shape == "short" and len(row) > 1:
            row = row[: draw(st.integers(1, len(row) - 1))]  # missing cells
        rows.append(row)
    if rows and draw(one_in(5)):
        rows.append(list(rows[0]))  # the same NCT id twice
    if draw(one_in(9)):
        rows.insert(draw(st.integers(0, len(rows))), header + extra)  # header repeated
    text = _csv_text([header + extra, *rows], draw(st.sampled_from(["\r\n", "\n", "\r"])))
    if text and draw(one_in(4)):  # broken quoting: a stray quote anywhere
        at = draw(st.integers(0, len(text) - 1))
        text = text[:at] + draw(st.sampled_from(['"', '""', '",', ',"'])) + text[at:]
    data = _encode(text, draw(st.sampled_from(ENCODINGS)))
    return FuzzFile("ctg-studies.csv", draw(damaged(data)))


# ---------------------------------------------------------------------------------------------
# Seed text


@st.composite
def seed_files(draw: st.DrawFn) -> FuzzFile:
    """A real seed file with lines dropped, emptied, replaced by hostile text; hostile intervention
    names and outcome entries; encoded and damaged."""
    lines = draw(st.sampled_from(SEED_TEXTS)).split("\n")
    anchor = next((i for i, line in enumerate(lines) if line.startswith(("DRUG:", "BIOLOGICAL:"))), 3)
    for _ in range(draw(st.integers(0, 4))):
        action = draw(st.sampled_from(["drop", "empty", "replace", "intervention", "outcome"]))
        index = draw(st.integers(0, max(len(lines) - 1, 0)))
        if not lines:
            break
        if action == "drop":
            del lines[index]
        elif action == "empty":
            lines[index] = ""
        elif action == "replace":
            lines[index] = draw(hostile_text())
        elif action == "intervention" and anchor < len(lines):
            names = draw(st.lists(hostile_text(), min_size=1, max_size=3))
            kind = draw(st.sampled_from(["DRUG", "BIOLOGICAL", "OTHER", "Drug", "DRUG "]))
            lines[anchor] = "|".join(f"{kind}: {name}" for name in names)
        elif action == "outcome" and anchor + 1 < len(lines):
            lines[anchor + 1] = ", ".join(draw(st.lists(hostile_text(), min_size=1, max_size=4)))
    line_end = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    data = _encode(line_end.join(lines), draw(st.sampled_from(ENCODINGS)))
    return FuzzFile("seed.txt", draw(damaged(data)))


# ---------------------------------------------------------------------------------------------
# Any file a user may hand over


def any_file() -> st.SearchStrategy[FuzzFile]:
    return st.one_of(
        json_files(),
        archive_files(),
        csv_files(),
        seed_files(),
        st.builds(FuzzFile, st.just("random.bin"), st.binary(max_size=200)),
    )


def file_sets(
    files: Callable[[], st.SearchStrategy[FuzzFile]] = any_file,
) -> st.SearchStrategy[list[FuzzFile]]:
    """1-5 files, given unique names (a directory holds them)."""
    return st.lists(files(), min_size=1, max_size=5).map(
        lambda fs: [FuzzFile(f"{i:02d}-{f.name}", f.data) for i, f in enumerate(fs)]
    )
