"""`trialgraph serve` under load: 200 concurrent clients for 30 s on loopback, three runs.

    .venv/bin/python bench/bench_serve.py                      # builds the NSCLC sample in a temp dir
    .venv/bin/python bench/bench_serve.py --graph build/nsclc --clients 200 --duration 30 --runs 3

The server is started as a user starts it (`trialgraph serve DIR --port 0`, default workers: one
per core, at most 4) and restarted for each run; the clients are threads of this process, each with
a keep-alive connection, sending the mix of tests/test_serve_load.py (six named queries with and
without parameters, one SPARQL POST), each answer checked for status 200 and its row count. Prints
requests, errors, throughput, p50 and p99 per run and their medians.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import trialgraph as tg  # noqa: E402
from query_cases import NSCLC  # noqa: E402
from test_serve_load import load_mix, start_cli_server  # noqa: E402
from trialgraph.serve.loadgen import run_load  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--graph", type=Path, help="a built graph directory (default: build the NSCLC sample)"
    )
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--duration", type=float, default=30.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, help="query worker processes (default: the server's)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-serve-") as scratch:
        graph = args.graph
        if graph is None:
            graph = Path(scratch) / "nsclc"
            tg.build([NSCLC], out=graph)
        mix = load_mix(graph)
        extra = ["--workers", str(args.workers)] if args.workers else []
        results = []
        for run in range(1, args.runs + 1):
            process, host, port = start_cli_server(graph, *extra)
            try:
                result = run_load(host, port, mix, clients=args.clients, duration=args.duration)
            finally:
                process.terminate()
                process.wait(30)
            results.append(result)
            print(f"run {run}: {result.summary()}", flush=True)
            for error in result.errors[:5]:
                print(f"    error: {error}")

    def median(values: list[float]) -> float:
        return statistics.median(values)

    print(
        f"median of {args.runs}: {median([float(r.requests) for r in results]):.0f} requests, "
        f"{median([float(len(r.errors)) for r in results]):.0f} errors, "
        f"{median([r.throughput for r in results]):.0f} req/s, "
        f"p50 {median([r.percentile(50) for r in results]):.0f} ms, "
        f"p99 {median([r.percentile(99) for r in results]):.0f} ms"
    )
    if any(r.errors for r in results):
        sys.exit(1)


if __name__ == "__main__":
    main()
