"""Paths the tests share (imported as `paths`: pytest puts tests/ on sys.path)."""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
SEEDS = ROOT / "seeds"
GOLDEN = TESTS / "golden"
DATA = TESTS / "data"
