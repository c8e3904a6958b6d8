"""Run a command several times and report wall time, CPU time and peak RSS (medians).

Each run is a fresh process, so runs do not share caches or memory. Peak RSS is the largest sum of
resident memory over the process and all its descendants (sampled every 50 ms with psutil), so a
parallel build's workers are counted; CPU time is user + system of the whole tree (from the
kernel's accounting of waited-for children, not sampled).
"""

from __future__ import annotations

import contextlib
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import psutil

SAMPLE_SECONDS = 0.05


@dataclass(frozen=True)
class Run:
    wall_s: float
    cpu_s: float
    peak_rss_mb: float
    #: what the measured task printed last on stdout (a JSON object of its own counts)
    result: dict[str, object]


@dataclass(frozen=True)
class Stats:
    name: str
    runs: list[Run]

    @property
    def wall(self) -> float:
        return statistics.median(r.wall_s for r in self.runs)

    @property
    def cpu(self) -> float:
        return statistics.median(r.cpu_s for r in self.runs)

    @property
    def rss(self) -> float:
        return statistics.median(r.peak_rss_mb for r in self.runs)

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "median_wall_s": self.wall,
            "median_cpu_s": self.cpu,
            "median_peak_rss_mb": self.rss,
            "runs": [asdict(r) for r in self.runs],
        }


def _tree_rss(process: psutil.Process) -> int:
    total = 0
    for p in [process, *process.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):  # a worker that just exited
            total += p.memory_info().rss
    return total


def run_once(command: list[str]) -> Run:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    with tempfile.TemporaryFile("w+", encoding="utf-8") as stdout:  # a pipe could fill and block
        child = subprocess.Popen(command, stdout=stdout, text=True)
        process = psutil.Process(child.pid)
        peak = 0
        while child.poll() is None:
            peak = max(peak, _tree_rss(process))
            time.sleep(SAMPLE_SECONDS)
        wall = time.perf_counter() - start
        stdout.seek(0)
        out = stdout.read()
    if child.returncode not in (0, 3):  # 3: the build was partial (rejected records), still measured
        raise SystemExit(f"{' '.join(command)} failed with exit code {child.returncode}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    lines = [line for line in out.splitlines() if line.startswith("{")]
    return Run(wall, cpu, peak / 2**20, json.loads(lines[-1]) if lines else {})


def measure(name: str, command: list[str], runs: int) -> Stats:
    results = []
    for i in range(runs):
        run = run_once(command)
        print(
            f"  {name} run {i + 1}/{runs}: {run.wall_s:.1f} s wall, {run.cpu_s:.1f} s CPU, "
            f"{run.peak_rss_mb:.0f} MB",
            file=sys.stderr,
        )
        results.append(run)
    return Stats(name, results)


def save(path: Path, payload: dict[str, object]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, indent=2, sort_keys=True) + "\n", encoding="utf-8")
