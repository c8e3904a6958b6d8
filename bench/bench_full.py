"""End to end: `trialgraph build` of a bulk zip (read, convert, validate, write N-Triples/N-Quads,
load the on-disk store), then every shipped query on the built store.

    .venv/bin/python bench/bench_full.py build/bench/corpus-560k.zip --out build/bench/full-560k

Wall time, CPU time and peak RSS of the whole process tree (workers included) for the build; the
median of --query-runs runs for each query (each run a fresh read-only open of the store, the first
run included). Results are printed as Markdown and saved as JSON.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

from measure import run_once, save

# the parameters of each shipped query (those with parameters) for the timing runs
QUERY_PARAMS: dict[str, dict[str, str]] = {
    "combination_partners": {"drug": "pembrolizumab"},
    "trials_by_endpoint_type": {"endpoint_type": "PFS"},
    "trials_by_condition_group": {"group": "lung"},
}


def time_queries(graph_dir: Path, runs: int) -> dict[str, dict[str, object]]:
    import trialgraph as tg
    from trialgraph.queries import library

    results: dict[str, dict[str, object]] = {}
    for name in sorted(library()):
        params = QUERY_PARAMS.get(name, {})
        timings = []
        rows = 0
        for _ in range(runs):
            graph = tg.load(graph_dir)
            start = time.perf_counter()
            rows = len(graph.query(name, **params))
            timings.append(time.perf_counter() - start)
            del graph
        results[name] = {
            "params": params,
            "rows": rows,
            "median_s": statistics.median(timings),
            "runs": timings,
        }
        print(f"  {name} {params}: {rows} rows, median {statistics.median(timings):.3f} s", file=sys.stderr)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--query-runs", type=int, default=5)
    parser.add_argument("--results", type=Path, default=None)
    args = parser.parse_args()

    shutil.rmtree(args.out, ignore_errors=True)
    trialgraph = str(Path(sys.executable).with_name("trialgraph"))
    command = [trialgraph, "build", str(args.corpus), "--out", str(args.out), "--workers", str(args.workers)]
    print(" ".join(command), file=sys.stderr)
    load = os.getloadavg()
    build = run_once(command)
    queries = time_queries(args.out, args.query_runs)
    sizes = {p.name: p.stat().st_size for p in args.out.iterdir() if p.is_file()}
    store_bytes = sum(p.stat().st_size for p in (args.out / "store").rglob("*") if p.is_file())
    import json

    report = json.loads((args.out / "build-report.json").read_text())
    print(f"\n{args.corpus.name}: {report['converted']} trials, {report['triples']:,} triples")
    print(f"build: {build.wall_s:.0f} s wall, {build.cpu_s:.0f} s CPU, peak RSS {build.peak_rss_mb:.0f} MB")
    print(f"load average before: {load[0]:.2f}; store {store_bytes / 2**30:.2f} GiB")
    print("\n| query | rows | median s |\n|---|---|---|")
    for name, q in queries.items():
        print(f"| {name} | {q['rows']} | {q['median_s']:.3f} |")
    results = args.results or args.out.with_name(args.out.name + "-results.json")
    save(
        results,
        {
            "corpus": str(args.corpus),
            "build": {"wall_s": build.wall_s, "cpu_s": build.cpu_s, "peak_rss_mb": build.peak_rss_mb},
            "report": report,
            "loadavg_before": load,
            "file_bytes": sizes,
            "store_bytes": store_bytes,
            "queries": queries,
        },
    )


if __name__ == "__main__":
    main()
