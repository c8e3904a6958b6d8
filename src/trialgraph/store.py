"""The embedded default store: pyoxigraph, in memory for small graphs, on disk for a built DIR."""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from trialgraph.errors import GraphNotFoundError
from trialgraph.namespaces import PREFIXES

STORE_DIRNAME = "store"


def memory_store() -> ox.Store:
    return ox.Store()


def create_disk_store(graph_dir: Path) -> ox.Store:
    """A new, empty on-disk store in graph_dir/store (an older one there is replaced)."""
    path = graph_dir / STORE_DIRNAME
    if path.exists():
        shutil.rmtree(path)
    return ox.Store(str(path))


def open_disk_store(graph_dir: Path) -> ox.Store:
    """The store of a built graph directory, read-only (several notebooks may open it at once)."""
    path = graph_dir / STORE_DIRNAME
    if not path.is_dir():
        raise GraphNotFoundError(
            f"{graph_dir} has no built store (run `trialgraph build ... --out {graph_dir}`)"
        )
    return ox.Store.read_only(str(path))


def serialize(triples: Iterable[ox.Triple] | ox.Store, fmt: ox.RdfFormat) -> bytes:
    """pyoxigraph's serialize, to bytes (it returns None only when given an output file)."""
    data = ox.serialize(triples, format=fmt, prefixes=PREFIXES)
    assert data is not None
    return data


def load_ntriples_file(store: ox.Store, path: Path) -> None:
    store.bulk_load(path=str(path), format=ox.RdfFormat.N_TRIPLES)


def load_ntriples_text(store: ox.Store, text: str) -> None:
    store.bulk_load(text.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
