"""The built graph directory an export reads: its N-Triples and N-Quads files, its store and what
build-report.json records."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from trialgraph import __version__
from trialgraph import store as stores
from trialgraph.errors import GraphNotFoundError
from trialgraph.pipeline import GRAPH_NQ, GRAPH_NT, REPORT
from trialgraph.readers.sources import open_binary

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BuiltGraph:
    directory: Path
    ntriples: Path
    nquads: Path
    triples: int  # as build-report.json states it
    version: str  # of trialgraph that built the graph (the exporter's when the report has none)
    built: str | None  # the build's recorded date (ISO 8601), None when the report has none

    def triples_stream(self) -> Iterator[ox.Triple]:
        """The graph's triples in the build's order (per trial, so subjects come in blocks)."""
        with open_binary(self.ntriples) as data:  # gzip or not
            for quad in ox.parse(data, format=ox.RdfFormat.N_TRIPLES):
                yield quad.triple

    def quads_stream(self) -> Iterator[ox.Quad]:
        """Each trial's statements in its named graph, the vocabulary in the ontology graph."""
        with open_binary(self.nquads) as data:
            yield from ox.parse(data, format=ox.RdfFormat.N_QUADS)

    def open_store(self) -> ox.Store:
        return stores.open_disk_store(self.directory)


def _one_of(directory: Path, name: str) -> Path:
    for candidate in (directory / name, directory / (name + ".gz")):
        if candidate.is_file():
            return candidate
    raise GraphNotFoundError(
        f"{directory} has no {name} (run `trialgraph build ... --out {directory}` first)"
    )


def open_built_graph(directory: Path) -> BuiltGraph:
    """The graph built in `directory`; GraphNotFoundError when a file the export needs is missing."""
    report_path = directory / REPORT
    if not report_path.is_file():
        raise GraphNotFoundError(f"{directory} has no {REPORT}: not a built graph directory")
    report = json.loads(report_path.read_text(encoding="utf-8"))
    built = report.get("built")
    if built is None:
        # Without it the description carries no date rather than the export's wall-clock time
        # (output must be the same bytes for the same build).
        log.info("%s records no build date (SOURCE_DATE_EPOCH): the description will have none", report_path)
    return BuiltGraph(
        directory=directory,
        ntriples=_one_of(directory, GRAPH_NT),
        nquads=_one_of(directory, GRAPH_NQ),
        triples=int(report["triples"]),
        version=str(report.get("trialgraph_version") or __version__),
        built=None if built is None else str(built),
    )
