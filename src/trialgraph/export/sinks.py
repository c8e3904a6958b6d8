"""Output files that record what was written: size, sha256 and statement count, computed as the
bytes go out (hashing afterwards would read a multi-gigabyte dump a second time)."""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, cast

from trialgraph.export.formats import ExportFormat

#: gzip level: 6 (gzip's own default) because a dump is compressed once and downloaded many times
GZIP_LEVEL = 6


@dataclass(frozen=True)
class WrittenFile:
    """One exported file, as the dataset description lists it."""

    name: str  # relative to the export directory
    fmt: ExportFormat
    compressed: bool
    statements: int  # triples, or quads for N-Quads
    byte_size: int
    sha256: str
    part: int | None = None  # 1-based part number when the dump is split
    parts: int | None = None


class HashingWriter:
    """A binary sink that passes bytes on to `target` and keeps their count and sha256."""

    def __init__(self, target: IO[bytes]) -> None:
        self._target = target
        self._sha256 = hashlib.sha256()
        self.byte_size = 0

    def write(self, data: bytes) -> int:
        self._sha256.update(data)
        self.byte_size += len(data)
        return self._target.write(data)

    def flush(self) -> None:
        self._target.flush()

    @property
    def sha256(self) -> str:
        return self._sha256.hexdigest()


@contextmanager
def open_output(path: Path, compress: bool) -> Iterator[tuple[IO[bytes], HashingWriter]]:
    """(stream to write the content to, the hashing writer of the file's bytes on disk)."""
    with path.open("wb") as raw:
        hashed = HashingWriter(raw)
        sink = cast(IO[bytes], hashed)  # it has all that writers call: write and flush
        if not compress:
            yield sink, hashed
            return
        # No file name and mtime 0 in the gzip header: the same content gives the same bytes.
        with gzip.GzipFile(filename="", mode="wb", fileobj=sink, compresslevel=GZIP_LEVEL, mtime=0) as packed:
            yield cast(IO[bytes], packed), hashed
