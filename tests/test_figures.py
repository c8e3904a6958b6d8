"""Figures (trialgraph.figures) and `trialgraph figures`: the chart's counts checked against the named
queries, files written and byte-stable, the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from matplotlib.figure import Figure
from typer.testing import CliRunner

import trialgraph as tg
from trialgraph import figures
from trialgraph.cli import app
from trialgraph.queries import LIST_SEPARATOR

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def test_endpoint_table_counts_trials_as_the_named_queries_do(seed_graph: tg.TrialGraph) -> None:
    table = figures.endpoint_types_by_drug_class_table(seed_graph, drug_classes=20, endpoint_types=50)
    drugs = seed_graph.query("trial_drugs")
    endpoints = seed_graph.query("endpoints")
    types_of: dict[str, set[str]] = {}
    for row in endpoints.itertuples():
        types_of.setdefault(row.trial, set()).update(t for t in row.endpoint_type.split(LIST_SEPARATOR) if t)
    trials_of: dict[str, set[str]] = {}
    for row in drugs.itertuples():
        for label in filter(None, row.drug_class.split(LIST_SEPARATOR)):
            trials_of.setdefault(label, set()).add(row.trial)
    assert set(table.index) == set(trials_of)
    assert set(table.columns) - {"trials"} == set().union(*types_of.values())
    for drug_class, trials in trials_of.items():
        assert table.loc[drug_class, "trials"] == len(trials)
        for endpoint_type in table.columns.drop("trials"):
            expected = sum(endpoint_type in types_of.get(t, set()) for t in trials)
            assert table.loc[drug_class, endpoint_type] == expected, (drug_class, endpoint_type)
    # the two PD-1 inhibitor trials (QL1706, camrelizumab) both measure PFS
    assert table.loc["PD-1 inhibitor", "progression-free survival"] == 2


def test_endpoint_table_keeps_the_most_frequent(nsclc_dir: Path) -> None:
    table = figures.endpoint_types_by_drug_class_table(tg.load(nsclc_dir), drug_classes=5, endpoint_types=4)
    assert table.shape == (5, 5)
    assert table["trials"].is_monotonic_decreasing
    assert {"progression-free survival", "objective response rate"} <= set(table.columns)
    assert "PD-1 inhibitor" in table.index


def test_figures_are_matplotlib_figures_with_content(seed_graph: tg.TrialGraph) -> None:
    chart = figures.endpoint_types_by_drug_class(seed_graph)
    assert isinstance(chart, Figure)
    [ax] = chart.axes
    assert len(ax.patches) > 0
    assert "PD-1 inhibitor (n=2)" in [t.get_text() for t in ax.get_yticklabels()]
    drawing = figures.pd1_network_figure(seed_graph)
    texts = {t.get_text() for t in drawing.axes[0].texts}
    assert {"camrelizumab", "iparomlimab", "nab-paclitaxel  (taxane)"} <= texts


def test_a_graph_without_pd1_combinations_draws_a_message(tmp_path: Path) -> None:
    seed = sorted(Path(__file__).resolve().parents[1].joinpath("seeds").glob("*.txt"))
    without_pd1 = [p for p in seed if "amrelizumab" not in p.read_text() and "QL1706" not in p.read_text()]
    fig = figures.pd1_network_figure(tg.build(without_pd1))
    assert not fig.axes
    assert "no PD-1/PD-L1 inhibitor" in fig.texts[0].get_text()


@pytest.mark.parametrize("fmt", ["png", "svg"])
def test_written_files_are_non_empty_and_byte_stable(
    seed_graph: tg.TrialGraph, tmp_path: Path, fmt: str
) -> None:
    first = figures.write_figures(seed_graph, tmp_path / "a", fmt=fmt)
    second = figures.write_figures(seed_graph, tmp_path / "b", fmt=fmt)
    assert [p.name for p in first] == [f"{name}.{fmt}" for name in figures.FIGURES]
    for a, b in zip(first, second, strict=True):
        data = a.read_bytes()
        assert len(data) > 5000
        assert data == b.read_bytes(), a.name
        if fmt == "png":
            assert data.startswith(PNG_SIGNATURE)
        else:
            assert data.lstrip().startswith(b"<?xml") and b"<svg" in data
            assert b"<dc:date>" not in data


def test_save_figure_refuses_other_formats(seed_graph: tg.TrialGraph, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"\.png or \.svg"):
        figures.save_figure(figures.endpoint_types_by_drug_class(seed_graph), tmp_path / "x.pdf")


def test_cli_figures(nsclc_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "figures"
    result = CliRunner().invoke(app, ["figures", str(nsclc_dir), "--out", str(out), "--format", "svg"])
    assert result.exit_code == 0, result.output
    written = sorted(out.iterdir())
    assert [p.name for p in written] == sorted(f"{name}.svg" for name in figures.FIGURES)
    assert all(p.stat().st_size > 5000 for p in written)
    assert result.output.splitlines() == [f"wrote {out / f'{name}.svg'}" for name in figures.FIGURES]


def test_cli_figures_errors(seed_dir: Path, tmp_path: Path) -> None:
    bad_format = CliRunner().invoke(app, ["figures", str(seed_dir), "--out", str(tmp_path), "-f", "pdf"])
    assert bad_format.exit_code == 2
    assert "use png or svg" in bad_format.output
    no_graph = CliRunner().invoke(app, ["figures", str(tmp_path), "--out", str(tmp_path / "f")])
    assert no_graph.exit_code == 1
    assert "has no built store" in no_graph.output
    assert not (tmp_path / "f").exists()
