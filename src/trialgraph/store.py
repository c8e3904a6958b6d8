"""The embedded default store: pyoxigraph, in memory for small graphs, on disk for a built DIR."""

from __future__ import annotations

import contextlib
import os
import shutil
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

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


def load_ntriples_text(store: ox.Store, text: str) -> None:
    store.bulk_load(text.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)


@contextmanager
def loading_from_stream(store: ox.Store) -> Iterator[IO[str] | None]:
    """A text stream whose N-Triples go into `store` as they are written, or None where this cannot
    be done (no /dev/fd: load the file afterwards).

    pyoxigraph's bulk loader reads one end of a pipe in a thread (it releases the GIL), so loading
    overlaps conversion instead of following it. The pipe is opened before the thread starts, so
    neither side can wait for the other to open it; a loader that fails closes its end, and the
    writer's next write fails (BrokenPipeError), which is turned into the loader's own error.
    """
    if not Path("/dev/fd").is_dir():
        yield None
        return
    read_fd, write_fd = os.pipe()
    errors: list[BaseException] = []

    def load() -> None:
        try:
            store.bulk_load(path=f"/dev/fd/{read_fd}", format=ox.RdfFormat.N_TRIPLES)
        except BaseException as error:  # re-raised in the writer's thread
            errors.append(error)
        finally:
            os.close(read_fd)

    loader = threading.Thread(target=load, name="trialgraph-store-load", daemon=True)
    loader.start()
    sink = os.fdopen(write_fd, "w", encoding="utf-8", newline="\n")
    try:
        yield sink
        sink.close()
    except BrokenPipeError:
        loader.join()
        if errors:
            raise errors[0] from None
        raise
    finally:
        with contextlib.suppress(BrokenPipeError):
            sink.close()
        loader.join()
    if errors:
        raise errors[0]
