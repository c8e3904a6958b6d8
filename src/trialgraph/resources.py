"""Where the curated files (ontology/, shapes/, queries/) are, in a checkout or an installed wheel."""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


@cache
def data_dir(name: str) -> Path:
    """The directory `name` (ontology, shapes or queries).

    An installed wheel carries them under trialgraph/_data/ (pyproject force-include); a checkout or
    an editable install uses the top-level folders, the single source of truth.
    """
    for candidate in (_PACKAGE_DIR / "_data" / name, _PACKAGE_DIR.parents[1] / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"trialgraph data directory {name!r} not found next to {_PACKAGE_DIR}")


def ontology_dir() -> Path:
    return data_dir("ontology")


def shapes_dir() -> Path:
    return data_dir("shapes")


def queries_dir() -> Path:
    return data_dir("queries")
