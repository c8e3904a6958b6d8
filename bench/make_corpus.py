"""Deterministic benchmark corpus: N ClinicalTrials.gov studies as the registry's bulk-download zip.

    python bench/make_corpus.py --size full --seed 1 --out build/bench/corpus-560k.zip
    python bench/make_corpus.py --size quick --seed 1 --out build/bench/corpus-50k.zip
    python bench/make_corpus.py --n 300 --seed 7 --out /tmp/small.zip

Every generated study is a copy of a real v2 JSON study (a "template") from the project's real records
(tests/data/ctgov by default; --sources takes files or folders, e.g. ../shared/data). Templates are the
studies trialgraph reads and converts; the legacy XML and CSV files are skipped. A copy differs from
its template only in its identity:

- the new NCT id replaces every string value in the record equal to the template's id (in the real
  records that is identificationModule.nctId only; NCT ids of other trials named in texts, links or
  expandedAccessInfo stay as they are: they are references, not this study's identity);
- identificationModule.nctIdAliases is left out: an alias is a retired id merged into that one real
  record, and hundreds of copies claiming it would make the corpus's ids ambiguous.

The content is otherwise verbatim: nothing is invented.

New ids are NCT9xxxxxxx (NCT90000000-NCT99999999), a range the registry has not reached (it issues
ids in order and is at NCT07…), so they cannot be real; ids found anywhere in the sources are also
excluded. The i-th id is 90000000 + (a*i + b) mod 10**7 with a (coprime to 10**7) and b drawn from
random.Random(seed): a permutation, so ids are unique without remembering them. The template of each
study is drawn from the same generator.

Output is byte-identical for the same sources, --n and --seed: members in generation order, named
NCTxxxxxxxx.json, compact UTF-8 JSON with the template's key order (the registry's layout), a fixed
time stamp, fixed attributes and a fixed deflate level (same zlib version). Studies are rendered and
written one at a time, so memory does not grow with the study texts (zipfile keeps one small entry per
member for the central directory).
"""

from __future__ import annotations

import argparse
import gzip
import io
import itertools
import json
import logging
import math
import random
import re
import sys
import tarfile
import time
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tqdm import tqdm

from trialgraph.convert import TrialConverter
from trialgraph.errors import RecordError
from trialgraph.readers.ctgov_json import study_to_record
from trialgraph.readers.registry import expand_sources
from trialgraph.records import SourceRef

log = logging.getLogger("make_corpus")

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCES = (ROOT / "tests" / "data" / "ctgov",)
SIZES = {"full": 560_000, "quick": 50_000}
DEFAULT_SEED = 1

#: new ids are ID_BASE + a permutation of range(ID_SPACE)
ID_BASE = 90_000_000
ID_SPACE = 10_000_000
GZIP_MAGIC = b"\x1f\x8b"
NCT_ID = re.compile(rb"NCT[0-9]{8}")
#: every member's time stamp (the earliest a zip can hold): no clock in the output
DATE_TIME = (1980, 1, 1, 0, 0, 0)
#: deflate level 1: 2.4x faster than the default 6 (measured), the zip only ~10% larger
COMPRESSLEVEL = 1
PROGRESS_STEP = 1000

#: stands in for the id while a template is serialised; JSON-escaped, so no real text produces it
_SENTINEL = "\x00trialgraph-bench-nct-id\x00"
_SENTINEL_JSON = json.dumps(_SENTINEL)[1:-1].encode("ascii")

Study = dict[str, Any]


@dataclass(frozen=True)
class Template:
    """A real study serialised once, split where its NCT id goes."""

    nct_id: str
    source: str
    parts: tuple[bytes, ...]

    def render(self, nct_id: str) -> bytes:
        """The study's JSON (UTF-8) with `nct_id` in every place the template's id was."""
        return nct_id.encode("ascii").join(self.parts)


@dataclass(frozen=True)
class Summary:
    studies: int
    templates: int
    templates_used: int
    first_id: str
    json_bytes: int
    zip_bytes: int
    seconds: float


def dump_study(study: Study) -> bytes:
    """One study as the registry's bulk files hold it: compact JSON, UTF-8, keys in record order."""
    return json.dumps(study, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _with_id(value: Any, old_id: str, new_id: str) -> tuple[Any, int]:
    """A deep copy of `value` with every string equal to `old_id` replaced, and how many were."""
    if isinstance(value, str):
        return (new_id, 1) if value == old_id else (value, 0)
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        total = 0
        for key, item in value.items():
            out[key], count = _with_id(item, old_id, new_id)
            total += count
        return out, total
    if isinstance(value, list):
        items = [_with_id(item, old_id, new_id) for item in value]
        return [item for item, _ in items], sum(count for _, count in items)
    return value, 0


def _renamed(study: Study, new_id: str) -> tuple[Study, int]:
    old_id = study["protocolSection"]["identificationModule"]["nctId"]
    copy: Study
    copy, count = _with_id(study, old_id, new_id)
    copy["protocolSection"]["identificationModule"].pop("nctIdAliases", None)
    return copy, count


def copy_with_id(study: Study, new_id: str) -> Study:
    """A deep copy of a real study as a new study `new_id`: the reference implementation of a
    generated record (Template.render gives the same bytes without copying per study)."""
    return _renamed(study, new_id)[0]


def make_template(study: Study, source: str) -> Template:
    old_id = study["protocolSection"]["identificationModule"]["nctId"]
    marked, count = _renamed(study, _SENTINEL)
    parts = tuple(dump_study(marked).split(_SENTINEL_JSON))
    if len(parts) != count + 1:  # the sentinel text occurs in the record itself: cannot happen
        raise ValueError(f"{source}: id placeholder found {len(parts) - 1} times, expected {count}")
    return Template(old_id, source, parts)


def _nct_id(study: Study) -> str | None:
    try:
        value = study["protocolSection"]["identificationModule"]["nctId"]
    except (KeyError, TypeError):
        return None
    return value if isinstance(value, str) and NCT_ID.fullmatch(value.encode("utf-8")) else None


def _converts(study: Study, where: SourceRef, converter: TrialConverter) -> bool:
    try:
        converter.convert(study_to_record(study, where))
    except RecordError as error:
        log.info("not a template: %s: %s", where.describe(), error)
        return False
    return True


def _json_studies(data: bytes) -> list[Study]:
    """The studies of one JSON document (a study, an array or an API page); [] when it is not JSON
    (CSV, legacy XML, a README)."""
    text = data.removeprefix(b"\xef\xbb\xbf").lstrip()
    if text[:1] not in (b"{", b"["):
        return []
    try:
        value = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return []
    if isinstance(value, dict):
        value = value.get("studies", [value])
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _documents(path: Path) -> Iterator[tuple[str, bytes]]:
    """(where, bytes) of each JSON document a file holds: the file itself (gzip undone) or each
    member of a zip or tar archive. Sources are small, so each is read whole."""
    data = path.read_bytes()
    if data.startswith(GZIP_MAGIC):
        data = gzip.decompress(data)
    if data.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in archive.infolist():
                if not info.is_dir():
                    yield f"{path.name}:{info.filename}", archive.read(info)
    elif data[257:262] == b"ustar":
        with tarfile.open(fileobj=io.BytesIO(data)) as archive:
            for member in archive:
                extracted = archive.extractfile(member) if member.isfile() else None
                if extracted is not None:
                    yield f"{path.name}:{member.name}", extracted.read()
    else:
        yield path.name, data


def source_studies(
    paths: Iterable[Path], ids_seen: set[str] | None = None
) -> Iterator[tuple[SourceRef, Study]]:
    """Every v2 JSON study of the sources (files or folders): JSON arrays, API pages and single-study
    files, also gzip-compressed, and zip or tar archives of them. CSV and legacy XML give no study,
    but every NCT id in any source file (CSV and XML too) is added to `ids_seen`."""
    for path in expand_sources(paths):
        found = 0
        for where, data in _documents(path):
            if ids_seen is not None:
                ids_seen.update(match.decode("ascii") for match in NCT_ID.findall(data))
            for position, study in enumerate(_json_studies(data), start=1):
                found += 1
                yield SourceRef(where, position), study
        if not found:
            log.info("no v2 JSON study (ids only): %s", path)


def load_templates(paths: Iterable[Path]) -> tuple[list[Template], frozenset[str]]:
    """The templates (studies trialgraph converts, first of each NCT id, sorted by id) and every NCT
    id found anywhere in the sources (which new ids must avoid)."""
    converter = TrialConverter()
    by_id: dict[str, Template] = {}
    ids_seen: set[str] = set()
    for where, study in source_studies(paths, ids_seen):
        nct_id = _nct_id(study)
        if nct_id is None or nct_id in by_id or not _converts(study, where, converter):
            continue
        by_id[nct_id] = make_template(study, where.describe())
    return [by_id[key] for key in sorted(by_id)], frozenset(ids_seen)


def corpus_ids(n: int, rng: random.Random, exclude: frozenset[str]) -> Iterator[str]:
    """`n` distinct ids NCT9xxxxxxx, none in `exclude`: an affine permutation of the id range.
    The permutation is drawn from `rng` now, before the first id is asked for."""
    if n > ID_SPACE - len(exclude):
        raise ValueError(f"at most {ID_SPACE - len(exclude)} studies (asked for {n})")
    stride = rng.randrange(1, ID_SPACE)
    while math.gcd(stride, ID_SPACE) != 1:
        stride = rng.randrange(1, ID_SPACE)
    offset = rng.randrange(ID_SPACE)
    candidates = (f"NCT{ID_BASE + (stride * index + offset) % ID_SPACE:08d}" for index in range(ID_SPACE))
    return itertools.islice((nct_id for nct_id in candidates if nct_id not in exclude), n)


def _member(nct_id: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(f"{nct_id}.json", date_time=DATE_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 0  # as the registry's zip; ZipInfo's default depends on the platform
    info.external_attr = 0
    return info


def write_corpus(
    out: Path,
    n: int,
    seed: int,
    templates: Sequence[Template],
    exclude: frozenset[str] = frozenset(),
    *,
    progress: bool = False,
    compresslevel: int = COMPRESSLEVEL,
) -> Summary:
    """Write `n` studies to the zip `out` (through a temporary file next to it, then renamed)."""
    if not templates:
        raise ValueError("no template studies: no source had a v2 JSON study trialgraph converts")
    if n < 1:
        raise ValueError("n must be at least 1")
    started = time.perf_counter()
    rng = random.Random(seed)
    ids = corpus_ids(n, rng, exclude | {t.nct_id for t in templates})
    used: set[int] = set()
    first_id = ""
    json_bytes = 0
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".part")
    bar = tqdm(total=n, unit=" studies", unit_scale=True, disable=not progress, mininterval=1.0)
    try:
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for count, nct_id in enumerate(ids, start=1):
                pick = rng.randrange(len(templates))
                used.add(pick)
                data = templates[pick].render(nct_id)
                json_bytes += len(data)
                archive.writestr(
                    _member(nct_id), data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=compresslevel
                )
                first_id = first_id or nct_id
                if count % PROGRESS_STEP == 0:
                    bar.update(PROGRESS_STEP)
            bar.update(n - bar.n)
        partial.replace(out)
    finally:
        bar.close()
        partial.unlink(missing_ok=True)
    return Summary(
        studies=n,
        templates=len(templates),
        templates_used=len(used),
        first_id=first_id,
        json_bytes=json_bytes,
        zip_bytes=out.stat().st_size,
        seconds=time.perf_counter() - started,
    )


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--n", type=int, help="number of studies (default: the full size)")
    size.add_argument(
        "--size", choices=sorted(SIZES), help=", ".join(f"{k} = {v:,}" for k, v in SIZES.items())
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed (default %(default)s)")
    parser.add_argument("--out", type=Path, required=True, help="the zip to write")
    parser.add_argument(
        "--sources",
        type=Path,
        nargs="+",
        default=list(DEFAULT_SOURCES),
        help="files or folders of real v2 JSON studies (default: tests/data/ctgov)",
    )
    parser.add_argument("--compresslevel", type=int, default=COMPRESSLEVEL, choices=range(10), metavar="0-9")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    logging.getLogger("trialgraph").setLevel(logging.WARNING)
    n = args.n if args.n is not None else SIZES[args.size or "full"]
    templates, seen_ids = load_templates(args.sources)
    log.info("%d template studies from %s", len(templates), ", ".join(map(str, args.sources)))
    summary = write_corpus(
        args.out,
        n,
        args.seed,
        templates,
        seen_ids,
        progress=not args.quiet,
        compresslevel=args.compresslevel,
    )
    log.info(
        "%s: %d studies (seed %d) from %d of %d templates; JSON %.1f MB, zip %.1f MB; %.1f s (%.0f/s)",
        args.out,
        summary.studies,
        args.seed,
        summary.templates_used,
        summary.templates,
        summary.json_bytes / 1e6,
        summary.zip_bytes / 1e6,
        summary.seconds,
        summary.studies / summary.seconds,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
