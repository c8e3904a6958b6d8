"""read -> convert -> write N-Triples and Turtle -> validate -> load the embedded store.

Records stream through; a record that cannot be read or converted is rejected with its reason and
the run goes on. Every run ends with counts: read, converted, rejected.
"""

from __future__ import annotations

import gzip
import json
import logging
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

import pyoxigraph as ox
from tqdm import tqdm

from trialgraph import __version__, publish
from trialgraph import ntriples as nt
from trialgraph import store as stores
from trialgraph.convert import TrialConverter
from trialgraph.fastshacl import default_validator
from trialgraph.ontology import ontology_ntriples
from trialgraph.readers.registry import expand_sources, read_units
from trialgraph.readers.sources import open_binary
from trialgraph.records import RejectedRecord, SourceRef
from trialgraph.validate import ValidationReport, ValidationSummary
from trialgraph.workers import Converted, Outcome, WorkerSetup, default_workers, process_units

log = logging.getLogger(__name__)

GRAPH_NT = "graph.nt"
GRAPH_TTL = "graph.ttl"
GRAPH_NQ = "graph.nq"
#: the named graph of the ontology and curated vocabularies in N-Quads output
ONTOLOGY_GRAPH = "https://w3id.org/trialgraph/ontology"
REJECTED = "rejected.jsonl"
REPORT = "build-report.json"
#: above this, pretty Turtle is skipped: it needs the whole graph in memory (design brief, anti-patterns)
TURTLE_MAX_TRIPLES = 2_000_000


@dataclass
class BuildReport:
    read: int = 0
    converted: int = 0
    rejected: list[RejectedRecord] = field(default_factory=list)
    triples: int = 0
    validation: ValidationReport | ValidationSummary | None = None
    outputs: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.validation is None or self.validation.conforms

    def summary(self) -> str:
        return (
            f"read {self.read}, converted {self.converted}, rejected {len(self.rejected)}; "
            f"{self.triples} triples"
        )

    def to_json(self) -> dict[str, object]:
        report: dict[str, object] = {
            "trialgraph_version": __version__,
            "read": self.read,
            "converted": self.converted,
            "rejected": len(self.rejected),
            "triples": self.triples,
            "conforms": None if self.validation is None else self.validation.conforms,
            "outputs": self.outputs,
        }
        # No wall-clock time, so that rebuilds are byte-identical; a release build states its date
        # the reproducible-builds way (https://reproducible-builds.org/specs/source-date-epoch/).
        epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
        if epoch.isdigit():
            report["built"] = datetime.fromtimestamp(int(epoch), tz=UTC).isoformat()
        return report


#: line breaks to Unicode (and Python's str.splitlines) that JSON leaves unescaped in strings: a
#: record's text holding one would split its line of rejected.jsonl for many readers
_UNICODE_LINE_BREAKS = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def _rejected_json(rejected: RejectedRecord) -> str:
    """One line of rejected.jsonl (JSON Lines: whatever the record held, one line)."""
    return json.dumps(
        {
            "file": rejected.source.file,
            "position": rejected.source.position,
            "record_id": rejected.record_id,
            "field": rejected.field,
            "reason": rejected.reason,
            "message": rejected.message(),
            "raw": rejected.raw,
        },
        ensure_ascii=False,
        sort_keys=True,
    ).translate(_UNICODE_LINE_BREAKS)


def _accepted(outcomes: Iterable[Outcome], report: BuildReport) -> Iterator[Converted]:
    """Outcomes in input order -> the converted trials to write; rejections go to the report, and so
    does a second record with the same trial IRI (a duplicate NCT id, the same seed twice): rejected,
    never merged."""
    first_source: dict[str, SourceRef] = {}
    for outcome in outcomes:
        report.read += 1
        if isinstance(outcome, Converted):
            first = first_source.setdefault(outcome.trial_iri, outcome.source)
            if first is outcome.source:
                report.converted += 1
                yield outcome
                continue
            outcome = RejectedRecord(
                outcome.source,
                outcome.identity_field,
                f"duplicate of {first.describe()}",
                record_id=outcome.record_id,
            )
        report.rejected.append(outcome)
        log.warning("rejected %s", outcome.message())


class _Stream:
    """One build's converted trials, in input order, each with the N-Triples text to write: its own
    statements, plus the statements about shared nodes (conditions, uncurated drugs) that no earlier
    trial or the vocabulary made. With `validate`, each trial is validated in its worker as it is
    converted; the vocabulary and the distinct shared statements once, at the end (finish)."""

    def __init__(self, paths: Iterable[Path], *, validate: bool, workers: int | None, progress: bool) -> None:
        self.report = BuildReport()
        self.files = list(expand_sources(paths))
        self.workers = workers or _auto_workers(self.files)
        self.progress = progress
        self.validator = default_validator() if validate else None
        self.summary = ValidationSummary() if validate else None
        self._seen: set[str] = set(ontology_ntriples())
        self._shared: list[str] = []  # the distinct shared statements, in order of first appearance

    def __iter__(self) -> Iterator[tuple[Converted, str]]:
        setup = WorkerSetup(TrialConverter(), self.validator)
        outcomes = process_units(setup, read_units(self.files), workers=self.workers)
        trials: Iterable[Converted] = _accepted(outcomes, self.report)
        if self.progress:
            trials = tqdm(trials, desc="trials", unit=" trials", mininterval=1.0)
        for trial in trials:
            if self.summary is not None:
                self.summary.add(trial.findings)
            fresh = [line for line in trial.shared if line not in self._seen]
            self._seen.update(fresh)
            self._shared.extend(fresh)
            yield trial, trial.ntriples + "".join(line + "\n" for line in fresh)

    def finish(self) -> BuildReport:
        if self.validator is not None and self.summary is not None:
            self.summary.add(self.validator.validate_vocabulary())
            self.summary.add(self.validator.validate_lines(self._shared))
            self.report.validation = self.summary
        return self.report


def _turtle_from_ntriples(nt_path: Path, ttl_path: Path) -> None:
    with open_binary(nt_path) as ntriples:  # gzip or not
        triples = sorted(
            (
                ox.Triple(q.subject, q.predicate, q.object)
                for q in ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES)
            ),
            key=str,
        )
    ttl_path.write_bytes(stores.serialize(triples, ox.RdfFormat.TURTLE))


def build_graph(
    paths: Iterable[Path],
    out_dir: Path | None = None,
    *,
    validate: bool = True,
    progress: bool = False,
    workers: int | None = None,
    compress: bool = False,
) -> tuple[ox.Store, BuildReport]:
    """Build the graph of `paths`: into out_dir (graph.nt, graph.nq, graph.ttl when not too large,
    rejected.jsonl, build-report.json and the on-disk store) or, without out_dir, into an in-memory
    store. `workers` processes convert (default: one per core for large inputs, else 1);
    `compress` writes graph.nt.gz and graph.nq.gz instead."""
    if out_dir is None:
        stream = _Stream(paths, validate=validate, workers=workers, progress=progress)
        parts = ["".join(line + "\n" for line in ontology_ntriples())]
        parts.extend(text for _trial, text in stream)
        report = stream.finish()
        text = "".join(parts)
        report.triples = text.count("\n")
        store = stores.memory_store()
        stores.load_ntriples_text(store, text)
        return store, report

    # Everything is written beside out_dir and then takes its place whole (publish.py): a build that
    # fails or is killed leaves the previous build as it was.
    staging = publish.staging_dir(out_dir)
    try:
        report = _build_into(
            paths, staging, validate=validate, workers=workers, progress=progress, compress=compress
        )
    except BaseException:
        publish.discard(staging)
        raise
    publish.publish(staging, out_dir)
    return stores.open_disk_store(out_dir), report


def _build_into(
    paths: Iterable[Path],
    out_dir: Path,
    *,
    validate: bool,
    workers: int | None,
    progress: bool,
    compress: bool,
) -> BuildReport:
    """Write the whole build into out_dir; the store is closed on return, so the directory can move."""
    store = stores.create_disk_store(out_dir)
    with stores.loading_from_stream(store) as store_sink:
        report = write_graph_files(
            paths,
            out_dir,
            validate=validate,
            workers=workers,
            progress=progress,
            also=store_sink,
            compress=compress,
        )
    nt_path = out_dir / report.outputs["ntriples"]
    if store_sink is None:
        with open_binary(nt_path) as ntriples:
            store.bulk_load(ntriples, format=ox.RdfFormat.N_TRIPLES)
    # The bulk loader leaves many small files (265 for 560,000 trials); compacting them once makes
    # index lookups ~40x faster (docs/benchmarks.md)
    store.optimize()
    store.flush()
    del store  # the last reference: closes the store before its directory is renamed
    report.outputs["store"] = stores.STORE_DIRNAME
    if report.triples <= TURTLE_MAX_TRIPLES:
        _turtle_from_ntriples(nt_path, out_dir / GRAPH_TTL)
        report.outputs["turtle"] = GRAPH_TTL
    else:
        log.warning("%d triples: graph.ttl not written (use graph.nt)", report.triples)
    (out_dir / REPORT).write_text(
        json.dumps(report.to_json(), indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    return report


def _open_text(path: Path, compress: bool) -> IO[str]:
    if compress:  # level 1: most of the size gain at a fraction of the CPU of the default 9
        return gzip.open(path, "wt", encoding="utf-8", newline="\n", compresslevel=1)
    return path.open("w", encoding="utf-8", newline="\n")


def write_graph_files(
    paths: Iterable[Path],
    out_dir: Path,
    *,
    validate: bool = False,
    workers: int | None = None,
    progress: bool = False,
    also: IO[str] | None = None,
    compress: bool = False,
) -> BuildReport:
    """Read, convert (and validate) `paths`, writing graph.nt, graph.nq (graph.nt.gz, graph.nq.gz
    with `compress`) and rejected.jsonl into out_dir as the trials come (the first stage of
    build_graph); the N-Triples go to `also` as well (the store's loader)."""
    stream = _Stream(paths, validate=validate, workers=workers, progress=progress)
    out_dir.mkdir(parents=True, exist_ok=True)
    suffix = ".gz" if compress else ""
    for stale in (GRAPH_NT, GRAPH_NQ, GRAPH_NT + ".gz", GRAPH_NQ + ".gz"):
        (out_dir / stale).unlink(missing_ok=True)  # a file of an earlier build's other form
    with (
        _open_text(out_dir / (GRAPH_NT + suffix), compress) as sink,
        _open_text(out_dir / (GRAPH_NQ + suffix), compress) as quads,
    ):
        # The vocabulary goes with the data so the file answers the queries on its own.
        vocabulary = "".join(line + "\n" for line in ontology_ntriples())
        for target in (sink, also):
            if target is not None:
                target.write(vocabulary)
        quads.write(nt.in_graph(ontology_ntriples(), ONTOLOGY_GRAPH))
        triples = len(ontology_ntriples())
        for trial, text in stream:
            sink.write(text)
            if also is not None:
                also.write(text)
            # In N-Quads each trial's graph holds all its statements, shared ones included, so
            # replacing the graph replaces the trial as a whole.
            quads.write(trial.nquads)
            triples += text.count("\n")
    report = stream.finish()
    report.triples = triples
    # backslashreplace: a lone surrogate (JSON "\ud800", a tar member name that is not UTF-8) is
    # written as the JSON escape it came from, instead of failing the build at its very end
    with (out_dir / REJECTED).open(
        "w", encoding="utf-8", errors="backslashreplace", newline="\n"
    ) as rejected_sink:
        for rejected in report.rejected:
            rejected_sink.write(_rejected_json(rejected) + "\n")
    report.outputs = {"ntriples": GRAPH_NT + suffix, "nquads": GRAPH_NQ + suffix, "rejected": REJECTED}
    return report


#: inputs smaller than this are converted in the main process (starting workers costs ~1 s)
PARALLEL_MIN_BYTES = 8_000_000


def _auto_workers(paths: list[Path]) -> int:
    size = sum(path.stat().st_size for path in paths if path.is_file())
    return default_workers() if size >= PARALLEL_MIN_BYTES else 1
