"""The answer-heavy queries on a built graph's on-disk store vs the same graph in pyoxigraph's
in-memory store (is the on-disk store's per-lookup cost what bounds them?).

    .venv/bin/python bench/bench_memory_store.py build/bench/full-50k --runs 3

Loads DIR/graph.nt into an in-memory store (load time and peak RSS are printed), then runs each query
--runs times on both stores through `trialgraph.runner.run_query` and prints the medians.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time
from pathlib import Path

CASES: tuple[tuple[str, dict[str, str]], ...] = (
    ("trials_by_endpoint_type", {"endpoint_type": "PFS"}),
    ("pd1_combinations_measuring_pfs", {}),
    ("trials_by_condition_group", {"group": "lung cancer"}),
    ("trials_by_phase", {}),
)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("graph_dir", type=Path, help="a `trialgraph build` output directory")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    import pyoxigraph as ox

    import trialgraph as tg
    from trialgraph.engines import OxigraphEngine
    from trialgraph.queries import get_query
    from trialgraph.runner import run_query

    disk = tg.load(args.graph_dir)
    start = time.perf_counter()
    memory = ox.Store()
    memory.bulk_load(path=str(args.graph_dir / "graph.nt"), format=ox.RdfFormat.N_TRIPLES)
    load_s = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"in-memory store: {len(memory):,} triples loaded in {load_s:.1f} s; peak RSS {peak_mb:.0f} MB")
    engines = {"on-disk": disk.engine, "in-memory": OxigraphEngine(memory)}
    print("| query | rows | on-disk median s | in-memory median s | on-disk / in-memory |")
    print("|---|---|---|---|---|")
    for name, params in CASES:
        query = get_query(name)
        medians: dict[str, float] = {}
        rows = 0
        for label, engine in engines.items():
            timings = []
            for _ in range(args.runs):
                start = time.perf_counter()
                rows = len(run_query(engine, query, params))
                timings.append(time.perf_counter() - start)
            medians[label] = statistics.median(timings)
        ratio = medians["on-disk"] / medians["in-memory"]
        print(f"| {name} | {rows} | {medians['on-disk']:.3f} | {medians['in-memory']:.3f} | {ratio:.1f} |")


if __name__ == "__main__":
    main()
