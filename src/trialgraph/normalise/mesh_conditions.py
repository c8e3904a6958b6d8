"""A record's conditions paired with MeSH terms, only as ClinicalTrials.gov itself pairs them.

The registry's derivedSection.conditionBrowseModule lists the record's MeSH terms ("meshes") without
saying which condition each came from; its browseLeaves (in some exports only) give "asFound", the
record's own words that the registry mapped to a term. A condition is paired with a term
(docs/decisions/0006-mesh-identifiers.md) by these rules, tried in order for each condition:

1. ``as-found``: an (asFound wording, term) pair whose wording equals the condition and whose term is
   one of the record's meshes. Wordings and terms are compared NFKC-normalised, case-folded, white
   space collapsed. A wording the registry mapped to several meshes is paired with each of them.
2. ``term-equals-wording``: only when rule 1 pairs nothing for the condition: a mesh term equal to the
   condition by the same comparison, or equal after canonical_condition_label on both sides
   ("Recurrent Glioblastoma" and "Glioblastoma").

Only meshes are used, never ancestors (a broader term is not the condition), and an asFound that is
only part of a condition ("Erectile Dysfunction" found in "Erectile Dysfunction Following Radical
Prostatectomy") pairs nothing. Matches come in the order of the record's conditions, then of its
meshes; a condition written twice is matched once.

3. ``table``: a record without the registry's MeSH data (no conditionBrowseModule, or one without
   meshes) looks up each condition's canonical label in ontology/mesh/condition-mesh.tsv, a table
   learned by rules 1-2 from real records (exact key, nothing fuzzy). The table keeps every id the
   registry paired with a label and in how many records; the fallback uses, per label, the ids paired
   in more than half as many records as its most frequent id. So a wording the registry always maps to
   two terms ("Cirrhosis": Liver Cirrhosis and Fibrosis) keeps both, and a term added in a minority of
   records ("Urinary Incontinence": Enuresis in 4 of 12) is left out.

Regenerate the table (ontology/mesh/README.md)::

    python -m trialgraph.normalise.mesh_conditions ontology/mesh/condition-mesh.tsv SOURCE...
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import logging
import shlex
import sys
import tarfile
import unicodedata
import zipfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Final, Literal

from trialgraph.errors import RecordError
from trialgraph.normalise.conditions import canonical_condition_label
from trialgraph.readers.sources import open_binary
from trialgraph.records import MeshTerm, SourceRef, TrialRecord
from trialgraph.resources import ontology_dir

log = logging.getLogger(__name__)

MatchRule = Literal["as-found", "term-equals-wording", "table"]
COLUMNS: Final = ("condition_label", "mesh_id", "mesh_term", "records", "sources")
SOURCE_SEPARATOR: Final = "|"
_SOURCE_LINE: Final = "source: "
_MODULE: Final = "trialgraph.normalise.mesh_conditions"


@dataclass(frozen=True)
class ConditionMeshMatch:
    #: the record's own wording of the condition
    condition_text: str
    mesh: MeshTerm
    rule: MatchRule


@dataclass(frozen=True, order=True)
class TableRow:
    condition_label: str
    mesh_id: str
    mesh_term: str
    #: how many distinct records (by NCT id) paired the label with this id
    records: int
    #: the source files those records came from, sorted
    sources: tuple[str, ...]


@dataclass(frozen=True)
class TableFile:
    """A parsed table: its header comment lines (without "# "), the sha256 of each source file named
    there, and its rows."""

    header: tuple[str, ...]
    sources: Mapping[str, str]
    rows: tuple[TableRow, ...]


def _key(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


# ---------------------------------------------------------------------------------------------
# Rules 1 and 2: the record's own registry data


def registry_matches(record: TrialRecord) -> tuple[ConditionMeshMatch, ...]:
    """Conditions paired with the record's own MeSH terms (rules 1 and 2 of the module docstring).

    >>> from trialgraph.records import MeshBrowse
    >>> record = TrialRecord(
    ...     "t", SourceRef("x.json"), conditions=("NSCLC", "Recurrent Glioblastoma", "Pain"),
    ...     condition_mesh=MeshBrowse(
    ...         meshes=(MeshTerm("D002289", "Carcinoma, Non-Small-Cell Lung"),
    ...                 MeshTerm("D005909", "Glioblastoma")),
    ...         ancestors=(MeshTerm("D010146", "Pain"),),
    ...         as_found=(("NSCLC", "Carcinoma, Non-Small-Cell Lung"),)))
    >>> [(m.condition_text, m.mesh.id, m.rule) for m in registry_matches(record)]
    [('NSCLC', 'D002289', 'as-found'), ('Recurrent Glioblastoma', 'D005909', 'term-equals-wording')]
    """
    browse = record.condition_mesh
    if browse is None or not browse.meshes:
        return ()
    meshes = tuple(dict.fromkeys(browse.meshes))
    found: defaultdict[str, set[str]] = defaultdict(set)
    for wording, term in browse.as_found:
        found[_key(wording)].add(_key(term))
    matches: list[ConditionMeshMatch] = []
    seen: set[str] = set()
    for condition in record.conditions:
        key = _key(condition)
        if not key or key in seen:
            continue
        seen.add(key)
        terms = found.get(key, set())
        paired = [mesh for mesh in meshes if _key(mesh.term) in terms]
        rule: MatchRule = "as-found"
        if not paired:
            label = canonical_condition_label(condition)
            paired = [
                mesh
                for mesh in meshes
                if _key(mesh.term) == key or canonical_condition_label(mesh.term) == label
            ]
            rule = "term-equals-wording"
        matches.extend(ConditionMeshMatch(condition, mesh, rule) for mesh in paired)
    return tuple(matches)


# ---------------------------------------------------------------------------------------------
# The table: learned from records with registry data, used for records without


def build_table(records: Iterable[tuple[str, TrialRecord]]) -> list[TableRow]:
    """Rows (sorted by label, then id) from (source file name, record) pairs: every (canonical
    condition label, MeSH id) that registry_matches pairs in some record, with how many records and
    which source files. A record is counted once per row, by its NCT id (else its source position)."""
    record_ids: defaultdict[tuple[str, str], set[str]] = defaultdict(set)
    sources: defaultdict[tuple[str, str], set[str]] = defaultdict(set)
    terms: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for source, record in records:
        record_id = record.nct_id or f"{source}#{record.source.position}"
        for match in registry_matches(record):
            row_key = (canonical_condition_label(match.condition_text), match.mesh.id)
            record_ids[row_key].add(record_id)
            sources[row_key].add(source)
            terms[match.mesh.id][match.mesh.term] += 1
    return sorted(
        TableRow(
            condition_label=label,
            mesh_id=mesh_id,
            # one term per id: the most frequent spelling, ties broken alphabetically
            mesh_term=min(terms[mesh_id].items(), key=lambda item: (-item[1], item[0]))[0],
            records=len(ids),
            sources=tuple(sorted(sources[label, mesh_id])),
        )
        for (label, mesh_id), ids in record_ids.items()
    )


def fallback_mapping(rows: Iterable[TableRow]) -> dict[str, tuple[MeshTerm, ...]]:
    """Label -> the MeSH terms the fallback uses: per label, the ids paired in more than half as many
    records as its most frequent id (sorted by id).

    >>> rows = [TableRow("urinary incontinence", "D004775", "Enuresis", 4, ("a.json",)),
    ...         TableRow("urinary incontinence", "D014549", "Urinary Incontinence", 12, ("a.json",))]
    >>> fallback_mapping(rows)
    {'urinary incontinence': (MeshTerm(id='D014549', term='Urinary Incontinence'),)}
    """
    by_label: defaultdict[str, list[TableRow]] = defaultdict(list)
    for row in rows:
        by_label[row.condition_label].append(row)
    mapping: dict[str, tuple[MeshTerm, ...]] = {}
    for label, label_rows in sorted(by_label.items()):
        most = max(row.records for row in label_rows)
        mapping[label] = tuple(
            MeshTerm(row.mesh_id, row.mesh_term)
            for row in sorted(label_rows, key=lambda row: row.mesh_id)
            if 2 * row.records > most
        )
    return mapping


def write_table(rows: Iterable[TableRow], path: Path, header: Sequence[str] = ()) -> None:
    """Write rows (sorted here) as TSV after the header lines, each written as a "# " comment."""
    lines = [f"# {line}".rstrip() for line in header]
    lines.append("\t".join(COLUMNS))
    for row in sorted(rows):
        fields = (
            row.condition_label,
            row.mesh_id,
            row.mesh_term,
            str(row.records),
            SOURCE_SEPARATOR.join(row.sources),
        )
        if any(("\t" in field or "\n" in field) for field in fields):
            raise ValueError(f"a tab or line break in table row {row}")
        lines.append("\t".join(fields))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def default_table_path() -> Path:
    return ontology_dir() / "mesh" / "condition-mesh.tsv"


def read_table(path: Path | None = None) -> TableFile:
    """Parse a table file (default: the shipped one); ValueError names the line that is wrong."""
    path = path or default_table_path()
    header: list[str] = []
    rows: list[TableRow] = []
    columns_seen = False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith("#") and not columns_seen:
            header.append(line[1:].strip())
        elif not columns_seen:
            if tuple(line.split("\t")) != COLUMNS:
                raise ValueError(f"{path}:{number}: expected the column line {' '.join(COLUMNS)!r}")
            columns_seen = True
        elif line:
            fields = line.split("\t")
            if len(fields) != len(COLUMNS) or not fields[3].isdigit():
                raise ValueError(f"{path}:{number}: expected {len(COLUMNS)} tab-separated fields")
            label, mesh_id, term, count, sources = fields
            rows.append(TableRow(label, mesh_id, term, int(count), tuple(sources.split(SOURCE_SEPARATOR))))
    if not columns_seen:
        raise ValueError(f"{path}: no column line")
    named = {}
    for line in header:
        if line.startswith(_SOURCE_LINE):
            name, _, digest = line.removeprefix(_SOURCE_LINE).rpartition(" sha256:")
            named[name] = digest
    return TableFile(tuple(header), named, tuple(rows))


@cache
def _load(path: Path) -> dict[str, tuple[MeshTerm, ...]]:
    return fallback_mapping(read_table(path).rows)


def load_table(path: Path | None = None) -> dict[str, tuple[MeshTerm, ...]]:
    """Canonical condition label -> MeSH terms the fallback uses (see fallback_mapping); the file is
    read once per path."""
    return dict(_load((path or default_table_path()).resolve()))


def table_matches(
    record: TrialRecord, table: Mapping[str, tuple[MeshTerm, ...]] | None = None
) -> tuple[ConditionMeshMatch, ...]:
    """Each condition's canonical label looked up in the table (default: the shipped one).

    >>> table = {"prostate cancer": (MeshTerm("D011471", "Prostatic Neoplasms"),)}
    >>> record = TrialRecord("t", SourceRef("x.csv"), conditions=("Metastatic Prostate Cancers", "ED"))
    >>> [(m.condition_text, m.mesh.id, m.rule) for m in table_matches(record, table)]
    [('Metastatic Prostate Cancers', 'D011471', 'table')]
    """
    lookup = load_table() if table is None else table
    matches: list[ConditionMeshMatch] = []
    seen: set[str] = set()
    for condition in record.conditions:
        key = _key(condition)
        if not key or key in seen:
            continue
        seen.add(key)
        for mesh in lookup.get(canonical_condition_label(condition), ()):
            matches.append(ConditionMeshMatch(condition, mesh, "table"))
    return tuple(matches)


def condition_matches(
    record: TrialRecord, table: Mapping[str, tuple[MeshTerm, ...]] | None = None
) -> tuple[ConditionMeshMatch, ...]:
    """The registry's own pairing when the record has MeSH terms for its conditions, else the table."""
    if record.condition_mesh is not None and record.condition_mesh.meshes:
        return registry_matches(record)
    return table_matches(record, table)


# ---------------------------------------------------------------------------------------------
# Generating the table from raw v2 JSON files


def _documents(value: Any) -> Iterator[Any]:
    """The studies of one parsed JSON document: an array, an API page or one study."""
    if isinstance(value, list):
        yield from value
    elif isinstance(value, dict) and isinstance(value.get("studies"), list):
        yield from value["studies"]
    else:
        yield value


def _raw_studies(path: Path) -> Iterator[Any]:
    """Every study of a v2 JSON file (plain or gzip), a zip or a tar of study files, in a stable order."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            for name in sorted(archive.namelist()):
                if name.endswith(".json"):
                    yield from _documents(json.loads(archive.read(name)))
    elif tarfile.is_tarfile(path):
        with tarfile.open(path) as archive:
            for member in sorted(archive.getmembers(), key=lambda m: m.name):
                handle = (
                    archive.extractfile(member) if member.isfile() and member.name.endswith(".json") else None
                )
                if handle is not None:
                    yield from _documents(json.load(handle))
    else:
        with open_binary(path) as handle:
            yield from _documents(json.load(handle))


def table_records(
    sources: Sequence[Path], counts: dict[str, int] | None = None
) -> Iterator[tuple[str, TrialRecord]]:
    """(source file name, record) for every study of the files, made by the v2 JSON reader; studies it
    rejects are skipped with a warning. `counts` (if given) gets read / rejected / with_mesh totals."""
    from trialgraph.readers.ctgov_json import study_to_record  # the generator's only use of a reader

    tally = counts if counts is not None else {}
    for key in ("read", "rejected", "with_mesh"):
        tally.setdefault(key, 0)
    for path in sources:
        for position, study in enumerate(_raw_studies(path), start=1):
            tally["read"] += 1
            try:
                record = study_to_record(study, SourceRef(path.name, position))
            except RecordError as error:
                tally["rejected"] += 1
                log.warning("%s study %d skipped: %s", path.name, position, error)
                continue
            if record.condition_mesh is not None and record.condition_mesh.meshes:
                tally["with_mesh"] += 1
            yield path.name, record


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def generate_table(
    out: Path, sources: Sequence[Path], command: str | None = None, date: str | None = None
) -> list[TableRow]:
    """Build the table from the v2 JSON files `sources` and write it to `out` with its provenance
    header (command, date, each source's sha256, record counts)."""
    sources = sorted(sources, key=lambda p: p.name)
    names = [p.name for p in sources]
    if len(set(names)) != len(names):
        raise ValueError(f"two sources share a file name: {names}")
    counts: dict[str, int] = {}
    rows = build_table(table_records(sources, counts))
    header = [
        "condition-mesh.tsv: condition wordings paired with MeSH terms by ClinicalTrials.gov itself.",
        "Generated; do not edit (ontology/mesh/README.md). Rules: trialgraph.normalise.mesh_conditions.",
        "Row: canonical condition label, MeSH id (canonical form) and term that the registry's",
        "derivedSection paired it with (asFound, or term equal to the wording), number of records",
        "(distinct NCT ids) that did, and their source files (|-separated).",
        "Fallback use: per label, the ids with more than half the records of its most frequent id.",
        f"command: {command or 'python -m ' + _MODULE + ' ' + shlex.join([str(out), *map(str, sources)])}",
        f"date: {date or datetime.datetime.now(datetime.UTC).date().isoformat()}",
        f"records: {counts['read']} read, {counts['rejected']} rejected, "
        f"{counts['with_mesh']} with condition MeSH terms; {len(rows)} rows, "
        f"{len({row.condition_label for row in rows})} labels",
        *(f"{_SOURCE_LINE}{path.name} sha256:{_sha256(path)}" for path in sources),
    ]
    write_table(rows, out, header)
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog=f"python -m {_MODULE}", description="Regenerate the condition -> MeSH fallback table."
    )
    parser.add_argument("out", type=Path, help="the TSV to write (ontology/mesh/condition-mesh.tsv)")
    parser.add_argument("sources", type=Path, nargs="+", help="ClinicalTrials.gov v2 JSON files")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    command = "python -m " + _MODULE + " " + shlex.join(sys.argv[1:] if argv is None else list(argv))
    rows = generate_table(args.out, args.sources, command=command)
    labels = len({row.condition_label for row in rows})
    sys.stdout.write(f"wrote {len(rows)} rows ({labels} condition labels) to {args.out}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
