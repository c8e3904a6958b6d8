"""The streaming build: worker processes give the same bytes as one process, and the store loaded
while the files are written holds what the files hold."""

from __future__ import annotations

import gzip
from pathlib import Path

import pyoxigraph as ox
import pytest

from paths import DATA
from trialgraph.pipeline import GRAPH_NQ, GRAPH_NT, build_graph
from trialgraph.store import loading_from_stream
from trialgraph.validate import validate_ntriples

SOURCES = [
    DATA / "ctgov" / "v2json_nsclcbench_ctg-studies.json.gz",
    DATA / "ctgov" / "v2json_urology_ED_ctg-studies.json.zip",  # archive members: parsed in workers
    DATA / "ctgov" / "csv_v2export_anand_1000studies.csv.gz",
]


def test_parallel_build_writes_the_same_bytes_as_a_serial_one(tmp_path: Path) -> None:
    serial_store, serial = build_graph(SOURCES, tmp_path / "serial", validate=False, workers=1)
    parallel_store, parallel = build_graph(SOURCES, tmp_path / "parallel", validate=False, workers=2)
    assert (serial.read, serial.converted, serial.triples) == (
        parallel.read,
        parallel.converted,
        parallel.triples,
    )
    assert serial.converted > 1500
    assert [r.message() for r in serial.rejected] == [r.message() for r in parallel.rejected]
    for name in (GRAPH_NT, GRAPH_NQ):
        assert (tmp_path / "serial" / name).read_bytes() == (tmp_path / "parallel" / name).read_bytes()
    # the store was loaded while graph.nt was written: it holds exactly the file's statements
    in_file = ox.Store()
    in_file.bulk_load(path=str(tmp_path / "serial" / GRAPH_NT), format=ox.RdfFormat.N_TRIPLES)
    assert len(parallel_store) == len(serial_store) == len(in_file) == serial.triples  # no line twice


def test_streamed_load_fills_the_store() -> None:
    store = ox.Store()
    with loading_from_stream(store) as sink:
        assert sink is not None
        for i in range(50_000):  # more than a pipe's buffer
            sink.write(f'<https://e.org/s{i}> <https://e.org/p> "{i}" .\n')
    assert len(store) == 50_000


def test_streamed_load_reports_the_loader_error_instead_of_hanging() -> None:
    store = ox.Store()
    with pytest.raises(SyntaxError), loading_from_stream(store) as sink:
        assert sink is not None
        for i in range(50_000):
            sink.write("not n-triples\n" if i == 10 else f'<https://e.org/s{i}> <https://e.org/p> "{i}" .\n')


def test_streamed_validation_reports_what_pyshacl_reports_on_the_whole_graph(tmp_path: Path) -> None:
    """Each trial validated in its worker, the vocabulary and the shared statements once: the same
    report as pyshacl over the whole graph (the reference)."""
    sources = [DATA / "ctgov" / "v2json_nsclcbench_ctg-studies.json.gz"]
    _, report = build_graph(sources, tmp_path, validate=True, workers=2)
    assert report.validation is not None
    reference = validate_ntriples((tmp_path / GRAPH_NT).read_text(encoding="utf-8"))
    assert report.validation.render() == reference.render()  # every group, its count, its first examples
    # a report with something in it to compare: 23 warnings and 76 infos (uncurated agents) on 2026-11-21
    assert reference.counts["Warning"] > 10 and reference.counts["Info"] > 50


def test_compressed_build_writes_the_same_statements_gzipped(tmp_path: Path) -> None:
    sources = [DATA / "ctgov" / "v2json_nsclcbench_ctg-studies.json.gz"]
    plain_store, _ = build_graph(sources, tmp_path / "plain", validate=False)
    packed_store, report = build_graph(sources, tmp_path / "packed", validate=False, compress=True)
    assert report.outputs["ntriples"] == GRAPH_NT + ".gz"
    assert not (tmp_path / "packed" / GRAPH_NT).exists()
    for name in (GRAPH_NT, GRAPH_NQ):
        packed = gzip.decompress((tmp_path / "packed" / (name + ".gz")).read_bytes())
        assert packed == (tmp_path / "plain" / name).read_bytes()
    assert len(packed_store) == len(plain_store)
    assert (tmp_path / "packed" / "graph.ttl").read_bytes() == (tmp_path / "plain" / "graph.ttl").read_bytes()
