"""read -> convert -> write N-Triples and Turtle -> validate -> load the embedded store.

Records stream through; a record that cannot be read or converted is rejected with its reason and
the run goes on. Every run ends with counts: read, converted, rejected.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from tqdm import tqdm

from trialgraph import store as stores
from trialgraph.convert import Conversion, TrialConverter
from trialgraph.errors import RecordError
from trialgraph.ontology import ontology_ntriples
from trialgraph.readers.registry import read_sources
from trialgraph.records import RejectedRecord, TrialRecord
from trialgraph.validate import ValidationReport, validate_ntriples

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
    validation: ValidationReport | None = None
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
        return {
            "read": self.read,
            "converted": self.converted,
            "rejected": len(self.rejected),
            "triples": self.triples,
            "conforms": None if self.validation is None else self.validation.conforms,
            "outputs": self.outputs,
        }


def _rejected_json(rejected: RejectedRecord) -> str:
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
    )


def convert_sources(
    paths: Iterable[Path], report: BuildReport, converter: TrialConverter | None = None
) -> Iterator[Conversion]:
    """Converted trials in input order; rejected records go to the report. A second record with the
    same trial IRI (a duplicate NCT id, or the same seed twice) is rejected, never merged."""
    converter = converter or TrialConverter()
    seen: dict[str, str] = {}
    for item in read_sources(paths):
        report.read += 1
        if isinstance(item, RejectedRecord):
            report.rejected.append(item)
            log.warning("rejected %s", item.message())
            continue
        conversion = _convert_one(converter, item, report)
        if conversion is None:
            continue
        first = seen.get(conversion.trial_iri)
        if first is not None:
            reject = RejectedRecord(
                item.source,
                "nct_id" if item.nct_id else "title",
                f"duplicate of {first}",
                record_id=item.nct_id,
            )
            report.rejected.append(reject)
            log.warning("rejected %s", reject.message())
            continue
        seen[conversion.trial_iri] = item.source.describe()
        report.converted += 1
        yield conversion


def _convert_one(converter: TrialConverter, record: TrialRecord, report: BuildReport) -> Conversion | None:
    try:
        return converter.convert(record)
    except RecordError as error:
        rejected = RejectedRecord(record.source, error.field, error.reason, record_id=record.nct_id)
        report.rejected.append(rejected)
        log.warning("rejected %s", rejected.message())
        return None


def in_graph(lines: Iterable[str], graph: str) -> str:
    """N-Triples lines as N-Quads lines in `graph` (each line ends " ." and has no line end).

    >>> in_graph(['<s> <p> "o" .'], "https://e.org/g")
    '<s> <p> "o" <https://e.org/g> .\\n'
    """
    suffix = f" <{graph}> .\n"
    return "".join(line[:-2] + suffix for line in lines)


class _SharedOnce:
    """Statements about shared nodes pass the first time only (a set of the distinct ones: small,
    since there are far fewer conditions and uncurated drugs than trials)."""

    def __init__(self) -> None:
        self._seen: set[str] = set()

    def new_lines(self, conversion: Conversion) -> list[str]:
        fresh = [line for line in conversion.shared if line not in self._seen]
        self._seen.update(fresh)
        return [*conversion.lines, *fresh]


def _turtle_from_ntriples(nt_path: Path, ttl_path: Path) -> None:
    triples = sorted(
        (
            ox.Triple(q.subject, q.predicate, q.object)
            for q in ox.parse(path=str(nt_path), format=ox.RdfFormat.N_TRIPLES)
        ),
        key=str,
    )
    ttl_path.write_bytes(stores.serialize(triples, ox.RdfFormat.TURTLE))


def build_graph(
    paths: Iterable[Path], out_dir: Path | None = None, *, validate: bool = True, progress: bool = False
) -> tuple[ox.Store, BuildReport]:
    """Build the graph of `paths`: into out_dir (graph.nt, graph.ttl, rejected.jsonl, build-report.json
    and the on-disk store) or, without out_dir, into an in-memory store."""
    report = BuildReport()
    conversions: Iterable[Conversion] = convert_sources(paths, report)
    if progress:
        conversions = tqdm(conversions, desc="trials", unit=" trials")
    shared = _SharedOnce()
    if out_dir is None:
        lines = list(ontology_ntriples())
        for conversion in conversions:
            lines.extend(shared.new_lines(conversion))
        report.triples = len(lines)
        text = "\n".join(lines) + "\n"
        store = stores.memory_store()
        stores.load_ntriples_text(store, text)
        if validate:
            report.validation = validate_ntriples(text)
        return store, report

    out_dir.mkdir(parents=True, exist_ok=True)
    nt_path = out_dir / GRAPH_NT
    with (
        nt_path.open("w", encoding="utf-8", newline="\n") as sink,
        (out_dir / GRAPH_NQ).open("w", encoding="utf-8", newline="\n") as quads,
    ):
        # The vocabulary goes with the data so the file answers the queries on its own.
        for line in ontology_ntriples():
            sink.write(line + "\n")
        quads.write(in_graph(ontology_ntriples(), ONTOLOGY_GRAPH))
        report.triples = len(ontology_ntriples())
        for conversion in conversions:
            trial_lines = shared.new_lines(conversion)
            sink.write("\n".join(trial_lines) + "\n")
            # In N-Quads each trial's graph holds all its statements, shared ones included, so
            # replacing the graph replaces the trial as a whole.
            quads.write(in_graph((*conversion.lines, *conversion.shared), conversion.trial_iri))
            report.triples += len(trial_lines)
    with (out_dir / REJECTED).open("w", encoding="utf-8", newline="\n") as rejected_sink:
        for rejected in report.rejected:
            rejected_sink.write(_rejected_json(rejected) + "\n")
    report.outputs = {
        "ntriples": GRAPH_NT,
        "nquads": GRAPH_NQ,
        "rejected": REJECTED,
        "store": stores.STORE_DIRNAME,
    }
    if report.triples <= TURTLE_MAX_TRIPLES:
        _turtle_from_ntriples(nt_path, out_dir / GRAPH_TTL)
        report.outputs["turtle"] = GRAPH_TTL
    else:
        log.warning("%d triples: graph.ttl not written (use graph.nt)", report.triples)
    if validate:
        report.validation = validate_ntriples(nt_path.read_text(encoding="utf-8"))
    store = stores.create_disk_store(out_dir)
    stores.load_ntriples_file(store, nt_path)
    (out_dir / REPORT).write_text(
        json.dumps(report.to_json(), indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    return store, report
