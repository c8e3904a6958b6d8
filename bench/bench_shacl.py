"""SHACL throughput: trialgraph's fastshacl (per trial, as the build runs it) vs pyshacl over one graph.

    .venv/bin/python bench/bench_shacl.py build/bench/corpus-50k.zip --studies 2000 --runs 3

The first N studies of a bulk zip are converted once to graph.nt (not timed); each task then
validates that file in a fresh process: `pyshacl` is trialgraph.validate.validate_ntriples (pyshacl
over the whole graph merged with the ontology), `fast` validates trial by trial as the build does
(each trial's statements with its shared ones as context, then the vocabulary and the distinct
shared statements once). Both reports must be equal (the task prints a digest of the rendered
report); the table gives medians of --runs and the ratio.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
import tempfile
from pathlib import Path

from bench_build import _subset
from measure import measure, save

HERE = Path(__file__).resolve().parent


def task_pyshacl(graph_dir: Path) -> dict[str, object]:
    from trialgraph.validate import validate_ntriples

    report = validate_ntriples((graph_dir / "graph.nt").read_text(encoding="utf-8"))
    return {"digest": hashlib.sha256(report.render().encode()).hexdigest(), "counts": report.counts}


def task_fast(graph_dir: Path) -> dict[str, object]:
    from trialgraph.fastshacl import default_validator
    from trialgraph.validate import ValidationSummary

    trials: dict[str, tuple[list[str], list[str]]] = {}
    # graph.nq names each trial's graph: its own statements and the shared ones it points to
    with (graph_dir / "graph.nq").open(encoding="utf-8") as quads:
        for line in quads:
            head, _, graph = line.rstrip(" .\n").rpartition(" <")
            own, shared = trials.setdefault(graph, ([], []))
            statement = head + " ."
            (own if statement.startswith("<" + graph[:-1]) else shared).append(statement)
    validator = default_validator()
    summary = ValidationSummary()
    distinct: dict[str, None] = {}
    ontology = "https://w3id.org/trialgraph/ontology>"
    for graph, (own, shared) in trials.items():
        if graph == ontology:
            continue
        summary.add(validator.validate_lines(own, context=shared))
        distinct.update(dict.fromkeys(shared))
    summary.add(validator.validate_vocabulary())
    summary.add(validator.validate_lines(list(distinct)))
    return {"digest": hashlib.sha256(summary.render().encode()).hexdigest(), "counts": summary.counts}


TASKS = {"pyshacl": task_pyshacl, "fast": task_fast}


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--task":
        print(json.dumps(TASKS[sys.argv[2]](Path(sys.argv[3])), sort_keys=True))
        return
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--studies", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--results", type=Path, default=Path("build/bench/results/shacl.json"))
    args = parser.parse_args()

    from trialgraph.pipeline import write_graph_files

    scratch = Path(tempfile.mkdtemp(prefix="tg-bench-shacl-"))
    try:
        write_graph_files([_subset(args.corpus, args.studies, scratch)], scratch / "graph", workers=1)
        stats = [
            measure(
                task,
                [sys.executable, str(HERE / "bench_shacl.py"), "--task", task, str(scratch / "graph")],
                args.runs,
            )
            for task in ("pyshacl", "fast")
        ]
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    pyshacl, fast = stats
    same = {r.result["digest"] for s in stats for r in s.runs}
    print(f"\n{args.studies} studies, medians of {args.runs} runs; identical reports: {len(same) == 1}\n")
    print(
        "| validator | wall s | CPU s | peak RSS MB | trials/s (wall) | speed-up |\n|---|---|---|---|---|---|"
    )
    for s in stats:
        print(
            f"| {s.name} | {s.wall:.2f} | {s.cpu:.2f} | {s.rss:.0f} | {args.studies / s.wall:,.0f} | "
            f"{pyshacl.wall / s.wall:.1f} |"
        )
    if len(same) != 1:
        raise SystemExit("the two validators' reports differ")
    save(
        args.results,
        {
            "studies": args.studies,
            "runs": args.runs,
            "tasks": [s.to_json() for s in stats],
            "fast_wall_ratio": pyshacl.wall / fast.wall,
        },
    )


if __name__ == "__main__":
    main()
