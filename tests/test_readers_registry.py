"""Every reader module is registered, and readers are chosen by content, not by file name."""

from __future__ import annotations

import pkgutil
from pathlib import Path

import trialgraph.readers
from paths import SEEDS
from trialgraph.readers.registry import READERS, read_sources, reader_for
from trialgraph.records import RejectedRecord, TrialRecord

NOT_READERS = {"registry", "sources"}


def test_every_reader_module_is_registered() -> None:
    modules = {m.name for m in pkgutil.iter_modules(trialgraph.readers.__path__)} - NOT_READERS
    registered = {r.module.rsplit(".", 1)[-1] for r in READERS}
    assert modules == registered, "add the reader to READERS in trialgraph/readers/registry.py"


def test_seed_files_are_recognised_whatever_their_name(tmp_path: Path) -> None:
    for seed in sorted(SEEDS.iterdir()):
        renamed = tmp_path / (seed.stem + ".data")
        renamed.write_bytes(seed.read_bytes())
        reader = reader_for(renamed)
        assert reader is not None and reader.name == "seed-text"


def test_unrecognised_and_missing_files_are_rejected_not_raised(tmp_path: Path) -> None:
    binary = tmp_path / "image.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    results = list(read_sources([binary, tmp_path / "missing.txt"]))
    assert all(isinstance(r, RejectedRecord) for r in results)
    assert [r.field for r in results if isinstance(r, RejectedRecord)] == ["file", "file"]
    assert "no reader recognises" in results[0].reason  # type: ignore[union-attr]


def test_a_directory_given_through_dot_dot_is_read(tmp_path: Path) -> None:
    """Regression: '..' in the given path counted as a hidden directory and nothing was read."""
    inner = tmp_path / "a" / "b"
    inner.mkdir(parents=True)
    (tmp_path / "seeds").symlink_to(SEEDS)
    (inner / ".hidden.txt").write_text("x")
    via_dot_dot = inner / ".." / ".." / "seeds"
    assert len([r for r in read_sources([via_dot_dot]) if isinstance(r, TrialRecord)]) == 5
    assert list(read_sources([inner])) == []  # the hidden file below the directory is skipped


def test_directories_are_read_in_sorted_order() -> None:
    records = [r for r in read_sources([SEEDS]) if isinstance(r, TrialRecord)]
    assert [r.source.file for r in records] == sorted(p.name for p in SEEDS.iterdir())
