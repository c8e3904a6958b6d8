"""Shared fixtures: the seed graph is built once per session, on disk, as a user would build it."""

from __future__ import annotations

from pathlib import Path

import pytest

import trialgraph as tg
from paths import SEEDS


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite golden answer files from the current output (then check them by hand!)",
    )


@pytest.fixture(scope="session")
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def seed_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("seed-graph")
    tg.build([SEEDS], out=out)
    return out


@pytest.fixture(scope="session")
def seed_graph(seed_dir: Path) -> tg.TrialGraph:
    return tg.load(seed_dir)


@pytest.fixture(scope="session")
def nsclc_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 100 real NSCLC records built on disk (graph.nt, graph.nq, store) as a user would."""
    from query_cases import NSCLC

    out = tmp_path_factory.mktemp("nsclc-graph")
    tg.build([NSCLC], out=out)
    return out
