"""Repeatable, atomic builds: same input, same bytes; a killed or failed build leaves the previous one
untouched and usable; a rebuild after one trial changed replaces exactly that trial's statements."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

import trialgraph as tg
from paths import DATA, SEEDS
from trialgraph import pipeline
from trialgraph.cli import app
from trialgraph.publish import NotAGraphDirectoryError

#: a real input that takes a few seconds to build: long enough to be killed half-way
SLOW_INPUT = DATA / "ctgov" / "csv_v2export_anand_1000studies.csv.gz"
TEXT_OUTPUTS = ("graph.nt", "graph.nq", "graph.ttl", "rejected.jsonl", "build-report.json")


def _digests(directory: Path) -> dict[str, str]:
    """Every file of a build directory (the store's files included) by content."""
    return {
        str(path.relative_to(directory)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(directory.rglob("*"))
        if path.is_file()
    }


def _leftovers(out: Path) -> list[Path]:
    return sorted(out.parent.glob(f".{out.name}.*"))


def test_two_builds_of_the_same_input_are_byte_identical(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    tg.build([SEEDS], out=first)
    tg.build([SEEDS], out=second)
    for name in TEXT_OUTPUTS:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    assert (first / "graph.nt").stat().st_size > 100_000


def test_a_rebuild_replaces_the_previous_build_whole(tmp_path: Path) -> None:
    out = tmp_path / "graph"
    tg.build([SEEDS], out=out)
    (out / "graph.nt.gz").write_bytes(b"")  # a file the new build does not write
    graph = tg.build([SEEDS], out=out)
    assert not (out / "graph.nt.gz").exists()
    assert len(graph) == sum(1 for _ in (out / "graph.nt").open())
    assert _leftovers(out) == []


def test_a_killed_build_leaves_the_previous_build_untouched_and_usable(tmp_path: Path) -> None:
    out = tmp_path / "graph"
    tg.build([SEEDS], out=out)
    before = _digests(out)
    answer = tg.load(out).query("trials_by_phase")

    build = subprocess.Popen(
        [sys.executable, "-m", "trialgraph.cli", "build", str(SLOW_INPUT), "--out", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:  # kill it once it has written part of its graph.nt
        deadline = time.monotonic() + 120
        while not any(
            (staging / "graph.nt").is_file() and (staging / "graph.nt").stat().st_size > 100_000
            for staging in _leftovers(out)
        ):
            assert build.poll() is None, "the build ended before it could be killed: use a larger input"
            assert time.monotonic() < deadline, "the build wrote nothing in 120 s"
            time.sleep(0.01)
        build.send_signal(signal.SIGKILL)
    finally:
        build.wait()
    assert build.returncode == -signal.SIGKILL

    assert _digests(out) == before
    assert tg.load(out).query("trials_by_phase").equals(answer)
    assert _leftovers(out), "the killed build's staging directory should still be there"

    tg.build([SEEDS], out=out)  # the next build tidies up after the killed one
    assert _leftovers(out) == []
    assert _digests(out).keys() == before.keys()


def test_a_failed_build_leaves_the_previous_build_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "graph"
    tg.build([SEEDS], out=out)
    before = _digests(out)

    def fail(*_args: object, **_kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(pipeline, "_turtle_from_ntriples", fail)  # fails after the store is loaded
    with pytest.raises(OSError, match="disk full"):
        tg.build([SEEDS], out=out)
    assert _digests(out) == before
    assert _leftovers(out) == []


def _trial_graphs(nquads: Path) -> dict[str, set[str]]:
    """The statements of each named graph of graph.nq, as N-Triples lines."""
    graphs: dict[str, set[str]] = {}
    for line in nquads.read_text(encoding="utf-8").splitlines():
        statement, _, graph = line[: -len(" .")].rpartition(" ")
        graphs.setdefault(graph, set()).add(statement + " .")
    return graphs


def test_a_rebuild_after_one_trial_changed_replaces_exactly_that_trials_statements(
    tmp_path: Path,
) -> None:
    sources, out = tmp_path / "seeds", tmp_path / "graph"
    shutil.copytree(SEEDS, sources)
    tg.build([sources], out=out)
    old_triples = set((out / "graph.nt").read_text(encoding="utf-8").splitlines())
    old_graphs = _trial_graphs(out / "graph.nq")

    # One trial loses a secondary outcome (DCR) and its primary outcome's time frame changes.
    changed = sources / "001_8c8d6eab7ca31e48.txt"
    lines = changed.read_text(encoding="utf-8").split("\n")
    outcomes = lines[7].split("|")
    assert outcomes[1].startswith("Disease Control Rate")
    lines[6] = lines[6].replace("18 months", "24 months")
    lines[7] = "|".join(outcomes[:1] + outcomes[2:])
    changed.write_text("\n".join(lines), encoding="utf-8")

    graph = tg.build([sources], out=out)
    new_triples = set((out / "graph.nt").read_text(encoding="utf-8").splitlines())
    new_graphs = _trial_graphs(out / "graph.nq")

    changed_trials = [g for g in new_graphs if new_graphs[g] != old_graphs.get(g)]
    assert len(changed_trials) == 1 and old_graphs.keys() == new_graphs.keys()
    trial = changed_trials[0]
    everything_else = set().union(*(s for g, s in new_graphs.items() if g != trial))
    # The graph is everything else plus the trial's new statements: none of its old ones is left.
    assert new_triples == everything_else | new_graphs[trial]
    assert old_triples == everything_else | old_graphs[trial]
    assert old_graphs[trial] - new_graphs[trial], "the change should remove statements"
    assert not any("Disease Control" in t for t in new_graphs[trial])
    assert len(graph) == len(new_triples)  # the store holds the new graph, once


def test_a_directory_that_is_not_a_build_is_never_replaced(tmp_path: Path) -> None:
    out = tmp_path / "notes"
    out.mkdir()
    (out / "my-analysis.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(NotAGraphDirectoryError, match="holds no trialgraph build"):
        tg.build([SEEDS], out=out)
    assert [p.name for p in out.iterdir()] == ["my-analysis.txt"]

    result = CliRunner().invoke(app, ["build", str(SEEDS), "--out", str(out)])
    assert result.exit_code == 2
    assert "holds no trialgraph build" in result.output
    assert "Traceback" not in result.output
    assert os.listdir(out) == ["my-analysis.txt"]


def test_the_report_states_a_build_date_only_when_asked_the_reproducible_way(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    tg.build([SEEDS], out=tmp_path / "plain")
    plain = json.loads((tmp_path / "plain" / "build-report.json").read_text(encoding="utf-8"))
    assert "built" not in plain and plain["trialgraph_version"] == tg.__version__
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    tg.build([SEEDS], out=tmp_path / "dated")
    dated = json.loads((tmp_path / "dated" / "build-report.json").read_text(encoding="utf-8"))
    assert dated["built"] == "2023-11-14T22:13:20+00:00"
