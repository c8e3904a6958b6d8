"""Every shipped query on the embedded on-disk store vs rdflib's in-memory store, same graph.

    .venv/bin/python bench/bench_queries.py build/bench/corpus-50k.zip --studies 10000

The first N studies of a bulk zip are built once (`trialgraph build`); the same graph.nt is parsed
into an rdflib Graph. Each query runs --runs times on each engine (rdflib: a run slower than
--slow seconds is not repeated) and the answers must be equal (rows compared as Python values).
Medians and the ratio rdflib / store; rdflib's parse time and memory for context.

Each engine is timed twice: as `tg.query` uses it (the rows turned into Python values), and alone
(the same bound query evaluated and its solutions counted, never converted), which says how much of
the time is the engine's evaluation and how much the conversion of the rows, on both engines.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench_build import _subset
from bench_full import QUERY_PARAMS
from measure import save


def _timed(run: object, runs: int, slow: float) -> tuple[float, list[float], object]:
    timings: list[float] = []
    result: object = None
    for _ in range(runs):
        start = time.perf_counter()
        result = run()  # type: ignore[operator]
        timings.append(time.perf_counter() - start)
        if timings[-1] > slow:
            break
    return statistics.median(timings), timings, result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--studies", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--slow", type=float, default=60.0)
    parser.add_argument("--results", type=Path, default=Path("build/bench/results/queries.json"))
    args = parser.parse_args()

    import rdflib

    import trialgraph as tg
    from trialgraph.engines import RdflibEngine, with_values
    from trialgraph.pipeline import build_graph
    from trialgraph.queries import get_query, library
    from trialgraph.runner import bind_parameters, rows_for

    scratch = Path(tempfile.mkdtemp(prefix="tg-bench-queries-"))
    try:
        build_graph([_subset(args.corpus, args.studies, scratch)], scratch / "graph", validate=False)
        store = tg.load(scratch / "graph")
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        start = time.perf_counter()
        graph = rdflib.Graph()
        graph.parse(scratch / "graph" / "graph.nt", format="nt")
        parse_s = time.perf_counter() - start
        rdflib_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
        rdflib_engine = RdflibEngine(graph)
        print(
            f"rdflib: {len(graph):,} triples parsed in {parse_s:.0f} s, +{rdflib_mb:.0f} MB", file=sys.stderr
        )
        rows = []
        for name in sorted(library()):
            query, params = get_query(name), QUERY_PARAMS.get(name, {})
            store_s, store_runs, store_rows = _timed(
                lambda q=query, p=params: rows_for(store.engine, q, p), args.runs, args.slow
            )
            rdflib_s, rdflib_runs, rdflib_rows = _timed(
                lambda q=query, p=params: rows_for(rdflib_engine, q, p), args.runs, args.slow
            )
            same = store_rows == rdflib_rows
            bound = bind_parameters(store.engine, query, params)
            store_text = with_values(query.text, {k: store.engine.term(v) for k, v in bound.items()})
            store_alone_s, _, _ = _timed(
                lambda t=store_text: sum(1 for _ in store.store.query(t)), args.runs, args.slow
            )
            init = {k: rdflib_engine.term(v) for k, v in bound.items()}
            rdflib_alone_s, _, _ = _timed(
                lambda q=query, i=init: sum(1 for _ in graph.query(q.text, initBindings=i)),
                args.runs,
                args.slow,
            )
            print(f"  {name}: store {store_s:.3f} s, rdflib {rdflib_s:.2f} s, same {same}", file=sys.stderr)
            rows.append(
                {
                    "query": name,
                    "params": params,
                    "rows": len(store_rows),  # type: ignore[arg-type]
                    "same_answer": same,
                    "store_median_s": store_s,
                    "store_runs": store_runs,
                    "rdflib_median_s": rdflib_s,
                    "rdflib_runs": rdflib_runs,
                    "store_alone_median_s": store_alone_s,
                    "rdflib_alone_median_s": rdflib_alone_s,
                }
            )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    print(
        f"\n{args.studies} studies, {len(graph):,} triples; rdflib parse {parse_s:.0f} s, +{rdflib_mb:.0f} MB"
    )
    print(
        "| query | rows | store median s | rdflib median s (runs) | rdflib / store "
        "| engines alone: store s | rdflib s | rdflib / store | same answer |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        ratio = r["rdflib_median_s"] / r["store_median_s"]  # type: ignore[operator]
        alone = r["rdflib_alone_median_s"] / r["store_alone_median_s"]  # type: ignore[operator]
        print(
            f"| {r['query']} | {r['rows']} | {r['store_median_s']:.3f} | {r['rdflib_median_s']:.2f} "
            f"({len(r['rdflib_runs'])}) | {ratio:,.0f} | {r['store_alone_median_s']:.3f} "
            f"| {r['rdflib_alone_median_s']:.2f} | {alone:,.0f} | {r['same_answer']} |"
        )
    save(
        args.results,
        {
            "studies": args.studies,
            "triples": len(graph),
            "rdflib_parse_s": parse_s,
            "rdflib_mb": rdflib_mb,
            "queries": rows,
        },
    )
    if not all(r["same_answer"] for r in rows):
        raise SystemExit("the engines' answers differ")


if __name__ == "__main__":
    main()
