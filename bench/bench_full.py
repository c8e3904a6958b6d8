"""End to end: `trialgraph build` of a bulk zip (read, convert, validate, write N-Triples/N-Quads,
load the on-disk store), then every shipped query on the built store.

    .venv/bin/python bench/bench_full.py build/bench/corpus-560k.zip --out build/bench/full-560k

Wall time, CPU time and peak RSS of the whole process tree (workers included) for the build; for
each query, in a process of its own that opens the store once (as a notebook does), the median of
--query-runs runs and the first (cold) run. Results are printed as Markdown and saved as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
import zipfile
from pathlib import Path

from measure import Run, run_once, save

# the parameters of each shipped query (those with parameters) for the timing runs
QUERY_PARAMS: dict[str, dict[str, str]] = {
    "combination_partners": {"drug": "pembrolizumab"},
    "trials_by_endpoint_type": {"endpoint_type": "PFS"},
    "trials_by_condition_group": {"group": "lung cancer"},
}


def time_query(graph_dir: Path, name: str, runs: int, params: dict[str, str]) -> dict[str, object]:
    import trialgraph as tg
    from trialgraph.engines import with_values
    from trialgraph.queries import get_query
    from trialgraph.runner import bind_parameters

    timings: list[float] = []
    rows = 0
    graph = tg.load(graph_dir)  # once, as a notebook does: the first run reads from disk (cold)
    for _ in range(runs):
        start = time.perf_counter()
        rows = len(graph.query(name, **params))
        timings.append(time.perf_counter() - start)
    # The same query text in the engine alone: the solutions counted, never turned into Python values
    # or a DataFrame (where the time goes: the engine's evaluation or the conversion of the rows).
    query = get_query(name)
    bindings = bind_parameters(graph.engine, query, params)
    text = with_values(query.text, {k: graph.engine.term(v) for k, v in bindings.items()})
    engine: list[float] = []
    for _ in range(runs):
        start = time.perf_counter()
        sum(1 for _ in graph.store.query(text))
        engine.append(time.perf_counter() - start)
    return {
        "params": params,
        "rows": rows,
        "median_s": statistics.median(timings),
        "first_s": timings[0],
        "runs": timings,
        "engine_median_s": statistics.median(engine),
    }


def query_cases(a_trial: str) -> list[tuple[str, dict[str, str]]]:
    """Every shipped query with its usual parameters; those with an optional trial parameter also
    for one trial (what a notebook asks of a large graph) besides the listing of every trial."""
    from trialgraph.queries import get_query, library

    cases: list[tuple[str, dict[str, str]]] = []
    for name in sorted(library()):
        cases.append((name, QUERY_PARAMS.get(name, {})))
        if any(p.name == "trial" for p in get_query(name).parameters):
            cases.append((name, {"trial": a_trial}))
    return cases


def time_queries(graph_dir: Path, runs: int, timeout: float, a_trial: str) -> list[dict[str, object]]:
    """Each case in its own process, given `timeout` seconds for all its runs."""
    results: list[dict[str, object]] = []
    for name, params in query_cases(a_trial):
        command = [sys.executable, __file__, "--query", str(graph_dir), name, str(runs), json.dumps(params)]
        try:
            out = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=True).stdout
            result = json.loads(out.splitlines()[-1])
        except subprocess.TimeoutExpired:
            result = {"params": params, "timeout_s": timeout}
        result["query"] = name
        results.append(result)
        print(f"  {name}: {result}", file=sys.stderr)
    return results


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--query":
        params = json.loads(sys.argv[5])
        print(json.dumps(time_query(Path(sys.argv[2]), sys.argv[3], int(sys.argv[4]), params)))
        return
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--query-runs", type=int, default=5)
    parser.add_argument("--results", type=Path, default=None)
    parser.add_argument("--query-timeout", type=float, default=120.0)
    parser.add_argument("--skip-build", action="store_true", help="time the queries of an existing --out")
    parser.add_argument("--skip-queries", action="store_true", help="time the build only")
    args = parser.parse_args()

    trialgraph = str(Path(sys.executable).with_name("trialgraph"))
    command = [trialgraph, "build", str(args.corpus), "--out", str(args.out), "--workers", str(args.workers)]
    print(" ".join(command), file=sys.stderr)
    load = os.getloadavg()
    previous = args.out.with_name(args.out.name + "-results.json")
    if args.skip_build:
        build = Run(**json.loads(previous.read_text())["build"], result={})
    else:
        shutil.rmtree(args.out, ignore_errors=True)
        build = run_once(command)
    print(
        f"build: {build.wall_s:.0f} s wall, {build.cpu_s:.0f} s CPU, peak RSS {build.peak_rss_mb:.0f} MB",
        file=sys.stderr,
    )
    with zipfile.ZipFile(args.corpus) as archive:
        a_trial = archive.infolist()[len(archive.infolist()) // 2].filename.removesuffix(".json")
    queries = (
        [] if args.skip_queries else time_queries(args.out, args.query_runs, args.query_timeout, a_trial)
    )
    sizes = {p.name: p.stat().st_size for p in args.out.iterdir() if p.is_file()}
    store_bytes = sum(p.stat().st_size for p in (args.out / "store").rglob("*") if p.is_file())
    report = json.loads((args.out / "build-report.json").read_text())
    print(f"\n{args.corpus.name}: {report['converted']} trials, {report['triples']:,} triples")
    print(f"build: {build.wall_s:.0f} s wall, {build.cpu_s:.0f} s CPU, peak RSS {build.peak_rss_mb:.0f} MB")
    print(f"load average before: {load[0]:.2f}; store {store_bytes / 2**30:.2f} GiB")
    print(
        "\n| query | parameters | rows | median s | first (cold) s | engine alone, median s |"
        "\n|---|---|---|---|---|---|"
    )
    for q in queries:
        if "median_s" in q:
            print(
                f"| {q['query']} | {q['params']} | {q['rows']} | {q['median_s']:.3f} | {q['first_s']:.3f} "
                f"| {q['engine_median_s']:.3f} |"
            )
        else:
            print(f"| {q['query']} | {q['params']} | - | > {q['timeout_s']:.0f} (timed out) | - | - |")
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
