"""export_graph: a built graph directory -> the export directory."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from trialgraph.export import jsonld, split
from trialgraph.export.description import DESCRIPTION_FILE, DescriptionInput, render_description
from trialgraph.export.formats import FORMATS, ExportFormat
from trialgraph.export.sinks import WrittenFile, open_output
from trialgraph.export.source import BuiltGraph, open_built_graph
from trialgraph.export.stats import GraphStatistics, graph_statistics
from trialgraph.namespaces import PREFIXES

log = logging.getLogger(__name__)

STEM = "graph"
#: digits of a part number: graph-00001.nt (fixed width, so names sort in order)
PART_DIGITS = 5


@dataclass(frozen=True)
class ExportOptions:
    formats: tuple[ExportFormat, ...] = tuple(FORMATS.values())
    compress: bool = False
    split: int | None = None  # at most this many statements a file
    base_url: str | None = None  # absolute download links in the description (default: relative)
    publisher: str | None = None  # dct:publisher / dct:creator IRI


@dataclass
class ExportReport:
    out_dir: Path
    files: list[WrittenFile] = field(default_factory=list)
    statistics: GraphStatistics | None = None

    def summary(self) -> str:
        size = sum(item.byte_size for item in self.files)
        return f"{len(self.files)} files, {size:,} bytes, and {DESCRIPTION_FILE} -> {self.out_dir}"


def _counted(statements: Iterable[Any], counter: list[int]) -> Iterator[Any]:
    for statement in statements:
        counter[0] += 1
        yield statement


def _writer(fmt: ExportFormat, context: jsonld.JsonObject) -> Callable[[Iterable[Any], IO[bytes]], None]:
    if fmt.rdf_format is None:
        return lambda triples, sink: jsonld.write_jsonld(triples, sink, context)
    rdf_format = fmt.rdf_format
    prefixes = PREFIXES if rdf_format == ox.RdfFormat.TURTLE else None

    def write(statements: Iterable[Any], sink: IO[bytes]) -> None:
        ox.serialize(statements, sink, rdf_format, prefixes=prefixes)

    return write


def _file_name(fmt: ExportFormat, compress: bool, part: int | None) -> str:
    stem = STEM if part is None else f"{STEM}-{part:0{PART_DIGITS}d}"
    return f"{stem}.{fmt.extension}" + (".gz" if compress else "")


def _remove_stale(out_dir: Path) -> None:
    """Files of an earlier export here (another split or format) would sit unlisted beside this one."""
    for fmt in FORMATS.values():
        for pattern in (f"{STEM}.{fmt.extension}", f"{STEM}-*.{fmt.extension}"):
            for path in [*out_dir.glob(pattern), *out_dir.glob(pattern + ".gz")]:
                path.unlink()


def _export_format(
    graph: BuiltGraph, fmt: ExportFormat, options: ExportOptions, out_dir: Path, context: jsonld.JsonObject
) -> list[WrittenFile]:
    statements: Iterator[Any] = graph.quads_stream() if fmt.quads else graph.triples_stream()
    write = _writer(fmt, context)
    if options.split is None:
        parts: Iterator[Iterator[Any]] = iter([statements])
    else:
        # a trial's graph stays in one N-Quads part, a subject's triples in one part otherwise
        key = (lambda quad: quad.graph_name) if fmt.quads else (lambda triple: triple.subject)
        parts = split.split(statements, key, options.split)
    written: list[WrittenFile] = []
    for number, part in enumerate(parts, start=1):
        name = _file_name(fmt, options.compress, None if options.split is None else number)
        counter = [0]
        with open_output(out_dir / name, options.compress) as (sink, hashed):
            write(_counted(part, counter), sink)
        # size and hash are final only now, the file (and its gzip trailer) closed
        part_number = None if options.split is None else number
        written.append(
            WrittenFile(name, fmt, options.compress, counter[0], hashed.byte_size, hashed.sha256, part_number)
        )
        log.info("wrote %s: %d statements", name, counter[0])
    if options.split is not None:
        written = [replace(item, parts=len(written)) for item in written]
    return written


def export_graph(graph_dir: Path, out_dir: Path, options: ExportOptions | None = None) -> ExportReport:
    """Export the graph built in `graph_dir` into `out_dir` (see docs/exports.md)."""
    options = options or ExportOptions()
    if options.split is not None and options.split < 1:
        raise ValueError(f"--split must be at least 1, not {options.split}")
    graph = open_built_graph(graph_dir)
    if out_dir.resolve() == graph_dir.resolve():
        raise ValueError(
            "export into another directory than the built graph's (its files would be overwritten)"
        )
    out_dir.mkdir(parents=True, exist_ok=True)
    _remove_stale(out_dir)
    context = jsonld.build_context()
    report = ExportReport(out_dir)
    for fmt in options.formats:
        report.files.extend(_export_format(graph, fmt, options, out_dir, context))
    context_file = None
    if any(fmt.rdf_format is None for fmt in options.formats):
        context_file = jsonld.CONTEXT_FILE
        (out_dir / context_file).write_bytes(jsonld.context_document(context))
    report.statistics = graph_statistics(graph.open_store())
    if report.statistics.triples != graph.triples:
        raise ValueError(
            f"{graph_dir}: the store holds {report.statistics.triples} triples, build-report.json "
            f"says {graph.triples}: rebuild the graph"
        )
    spec = DescriptionInput(
        version=graph.version,
        built=graph.built,
        statistics=report.statistics,
        files=tuple(report.files),
        context_file=context_file,
        base_url=options.base_url,
        publisher=options.publisher,
    )
    (out_dir / DESCRIPTION_FILE).write_bytes(render_description(spec))
    return report
