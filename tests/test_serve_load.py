"""`trialgraph serve` under a bounded load: 200 concurrent clients on loopback, no error.

The server runs as a user runs it (`trialgraph serve DIR --port 0`, its own process and workers);
the clients are threads of this process with keep-alive connections, each request counted, timed and
its row count checked against the embedded store. The full 200 x 30 s run with the figures of
docs/benchmarks.md is bench/bench_serve.py; here the duration is cut to keep `make test` short.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import trialgraph as tg
from trialgraph.serve.loadgen import LoadRequest, run_load

CLIENTS = 200
DURATION = 8.0

#: named queries of every shape (lookups, aggregates, the PD-1/PFS join) and one ad-hoc SPARQL POST
MIX: list[tuple[str, dict[str, str]]] = [
    ("pd1_combinations_measuring_pfs", {}),
    ("trials_by_phase", {}),
    ("combination_partners", {"drug": "pembrolizumab"}),
    ("trials_by_endpoint_type", {"endpoint_type": "PFS"}),
    ("trial_drugs", {"trial": "NCT04736823"}),
    ("trials_by_condition_group", {"group": "lung cancer"}),
]
SPARQL = "SELECT ?trial ?id WHERE { ?trial <http://purl.org/dc/terms/identifier> ?id }"


def load_mix(graph_dir: Path) -> list[LoadRequest]:
    """The requests, each with its expected row count from the embedded store."""
    import urllib.parse

    graph = tg.load(graph_dir)
    mix = [
        LoadRequest(
            f"{name} {params}",
            f"/api/queries/{name}" + ("?" + urllib.parse.urlencode(params) if params else ""),
            len(graph.query(name, **params)),
        )
        for name, params in MIX
    ]
    mix.append(LoadRequest("sparql POST", "/sparql", len(graph.sparql(SPARQL)), sparql=SPARQL))
    assert all(r.expected_rows > 0 for r in mix), "every request must select something"
    return mix


def start_cli_server(graph_dir: Path, *extra: str) -> tuple[subprocess.Popen[str], str, int]:
    """`trialgraph serve GRAPH_DIR --port 0`, waited for until it prints its address."""
    command = [sys.executable, "-m", "trialgraph.cli", "serve", str(graph_dir), "--port", "0", *extra]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout is not None
    line = process.stdout.readline()
    if "http://" not in line:
        process.kill()
        raise AssertionError(f"trialgraph serve did not start: {line!r} {process.stderr.read()!r}")  # type: ignore[union-attr]
    url = line.split()[2]
    host, port = url.removeprefix("http://").rstrip("/").rsplit(":", 1)
    return process, host, int(port)


@pytest.fixture(scope="module")
def cli_server(nsclc_dir: Path) -> Iterator[tuple[str, int]]:
    process, host, port = start_cli_server(nsclc_dir)
    try:
        yield host, port
    finally:
        process.terminate()
        process.wait(30)


@pytest.mark.slow
def test_200_concurrent_clients_get_every_answer_right(
    cli_server: tuple[str, int], nsclc_dir: Path, record_property: Callable[[str, object], None]
) -> None:
    host, port = cli_server
    assert host == "127.0.0.1"
    result = run_load(host, port, load_mix(nsclc_dir), clients=CLIENTS, duration=DURATION)
    print(result.summary())
    record_property("load", result.summary())
    assert not result.errors, f"{len(result.errors)} errors, e.g. {result.errors[:5]}"
    assert result.requests >= CLIENTS, "every client must have been answered at least once"
    assert result.percentile(99) < 30_000, "p99 above 30 s"
