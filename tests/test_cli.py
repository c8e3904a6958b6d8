"""The command line as a user runs it: counts at the end, exit codes, formats, errors without tracebacks."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from paths import SEEDS
from trialgraph import __version__
from trialgraph.cli import app

runner = CliRunner()


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"trialgraph {__version__}"


def test_build_reports_counts_and_writes_outputs(tmp_path: Path) -> None:
    result = runner.invoke(app, ["build", str(SEEDS), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "read 5, converted 5, rejected 0" in result.output
    for name in ("graph.nt", "graph.nq", "graph.ttl", "rejected.jsonl", "build-report.json", "store"):
        assert (tmp_path / name).exists(), name
    report = json.loads((tmp_path / "build-report.json").read_text())
    assert report["converted"] == 5 and report["conforms"] is True


def test_bad_record_is_rejected_and_the_batch_goes_on(tmp_path: Path) -> None:
    sources = tmp_path / "in"
    shutil.copytree(SEEDS, sources)
    (sources / "broken.txt").write_text(
        "Only a title\nand nothing that looks like a record\n", encoding="utf-8"
    )
    (sources / "empty.txt").write_text("", encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(sources), "--out", str(out)])
    assert result.exit_code == 3, result.output  # partial run
    assert "read 7, converted 5, rejected 2" in result.output
    assert "broken.txt" in result.output and "Traceback" not in result.output
    rejected = [json.loads(line) for line in (out / "rejected.jsonl").read_text().splitlines()]
    assert {r["file"] for r in rejected} == {"broken.txt", "empty.txt"}
    assert all(r["reason"] and r["field"] for r in rejected)


def test_the_same_seed_twice_is_rejected_as_duplicate(tmp_path: Path) -> None:
    sources = tmp_path / "in"
    sources.mkdir()
    seed = sorted(SEEDS.iterdir())[0]
    shutil.copy(seed, sources / "a.txt")
    shutil.copy(seed, sources / "b.txt")
    result = runner.invoke(app, ["build", str(sources), "--out", str(tmp_path / "out")])
    assert result.exit_code == 3
    assert "duplicate of a.txt" in result.output


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("cli-graph")
    assert runner.invoke(app, ["build", str(SEEDS), "--out", str(out)]).exit_code == 0
    return out


def test_validate_passes_on_the_seed_graph(built: Path) -> None:
    result = runner.invoke(app, ["validate", str(built)])
    assert result.exit_code == 0, result.output
    assert "Violation" not in result.output.split("\n")[0]


def test_validate_fails_with_exit_1_on_a_violation(built: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.nt"
    lines = [line for line in (built / "graph.nt").read_text().splitlines() if "/dc/terms/title>" not in line]
    broken.write_text("\n".join(lines) + "\n")
    result = runner.invoke(app, ["validate", str(broken)])
    assert result.exit_code == 1
    assert "title" in result.output.lower()


def test_query_formats(built: Path) -> None:
    csv = runner.invoke(
        app, ["query", "pd1_combinations_measuring_pfs", "--graph", str(built), "--format", "csv"]
    )
    assert csv.exit_code == 0, csv.output
    assert csv.output.splitlines()[0] == "trial,nct_id,title,level,arm,pd1_agents,partners,pfs_role"
    assert len(csv.output.splitlines()) == 3
    as_json = runner.invoke(app, ["query", "trials_by_phase", "--graph", str(built), "--format", "json"])
    assert {row["phase"] for row in json.loads(as_json.output)} >= {"Phase 1", "Phase 2", "not stated"}
    table = runner.invoke(
        app, ["query", "combination_partners", "-g", str(built), "--param", "drug=SHR-1210"]
    )
    assert table.exit_code == 0, table.output
    assert "paclitaxel" in table.output and "(1 row)" in table.output


def test_query_from_a_file(built: Path, tmp_path: Path) -> None:
    rq = tmp_path / "count.rq"
    rq.write_text(
        "# title: Count trials\n# columns: n\nPREFIX tg: <https://w3id.org/trialgraph/ontology#>\n"
        "SELECT (COUNT(?t) AS ?n) WHERE { ?t a tg:Trial }\n"
    )
    result = runner.invoke(app, ["query", str(rq), "--graph", str(built), "--format", "csv"])
    assert result.output == "n\n5\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["query", "no_such_query"], "no query named 'no_such_query'"),
        (["query", "combination_partners"], "needs parameter(s): drug"),
        (["query", "combination_partners", "--param", "drug=not-a-drug"], "matches nothing"),
        (["query", "endpoints", "--param", "x=1"], "has no parameter x"),
    ],
)
def test_query_errors_are_messages_not_tracebacks(built: Path, args: list[str], message: str) -> None:
    result = runner.invoke(app, [*args, "--graph", str(built)])
    assert result.exit_code == 1
    assert message in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_query_on_a_directory_without_a_store(tmp_path: Path) -> None:
    result = runner.invoke(app, ["query", "endpoints", "--graph", str(tmp_path)])
    assert result.exit_code == 1
    assert "has no built store" in result.output


def test_queries_lists_every_query() -> None:
    result = runner.invoke(app, ["queries"])
    assert result.exit_code == 0
    for name in (
        "pd1_combinations_measuring_pfs",
        "endpoints",
        "trial_drugs",
        "trials_by_endpoint_type",
        "combination_partners",
        "trials_by_phase",
    ):
        assert name in result.output
    assert "--param drug=<drug>" in result.output


def test_ontology_rendering_check() -> None:
    result = runner.invoke(app, ["ontology"])
    assert result.exit_code == 0, result.output
    assert "is current" in result.output
