"""bench/bench_build.py, as a small smoke run: every task runs on a real-record corpus, the naive
rdflib converter writes the same graph as trialgraph (the script refuses to compare otherwise), and
the floor tasks write less than the full conversion."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from paths import ROOT

STUDIES = 40


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, capture_output=True, text=True, timeout=600, check=False
    )


def test_every_task_runs_and_naive_writes_the_same_graph(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.zip"
    made = _run(
        [str(ROOT / "bench" / "make_corpus.py"), "--n", "60", "--seed", "3", "--out", str(corpus), "--quiet"],
        ROOT,
    )
    assert made.returncode == 0, made.stderr
    results = tmp_path / "build.json"
    bench = [str(ROOT / "bench" / "bench_build.py"), str(corpus), "--studies", str(STUDIES)]
    ran = _run([*bench, "--runs", "1", "--floors", "--results", str(results)], ROOT)
    assert ran.returncode == 0, ran.stderr

    tasks = {t["name"]: t["runs"][0]["result"] for t in json.loads(results.read_text())["tasks"]}
    assert set(tasks) == {"parse", "convert-1", "convert-2", "read-only-2", "no-endpoints-2", "naive"}
    assert all(result["studies"] == STUDIES for result in tasks.values())
    full = tasks["convert-1"]["triples"]
    assert tasks["convert-2"]["triples"] == tasks["naive"]["triples"] == full
    assert tasks["read-only-2"]["triples"] < tasks["no-endpoints-2"]["triples"] < full
    assert "| naive |" in ran.stdout and "| no-endpoints-2 |" in ran.stdout
