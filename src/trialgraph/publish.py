"""Atomic builds: a graph directory is replaced whole, or not at all.

A build writes into a staging directory beside its target (same file system) and, once everything
is written and closed, takes the target's place in one step: Linux's renameat2(RENAME_EXCHANGE)
swaps the two directories atomically, so a reader sees the previous build or the new one, never a
mix, and a build killed at any point leaves the previous build untouched. Where the exchange is not
available (another OS, a file system without it) two renames are used; a crash between them leaves
the previous build beside the target as `.NAME.previous-*`, which the next build puts back.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import logging
import os
import shutil
import tempfile
from pathlib import Path

from trialgraph.errors import TrialgraphError

log = logging.getLogger(__name__)

#: files that mark a directory as a trialgraph build (so that it may be replaced)
BUILD_MARKERS = ("build-report.json", "store", "graph.nt", "graph.nt.gz")
_STAGING = ".building-"
_PREVIOUS = ".previous-"
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


class NotAGraphDirectoryError(TrialgraphError):
    """An output directory that holds something other than a trialgraph build."""


def _hidden(out_dir: Path, mark: str) -> str:
    return f".{out_dir.name}{mark}"


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def _tidy(out_dir: Path) -> None:
    """Remove what killed builds left beside out_dir; put back a previous build lost between two
    renames (fallback path only)."""
    for path in out_dir.parent.glob(_hidden(out_dir, _PREVIOUS) + "*"):
        if not out_dir.exists():
            log.warning("restoring %s from %s (a build stopped while replacing it)", out_dir, path.name)
            os.rename(path, out_dir)
        else:
            shutil.rmtree(path, ignore_errors=True)
    for path in out_dir.parent.glob(_hidden(out_dir, _STAGING) + "*"):
        pid = path.name.removeprefix(_hidden(out_dir, _STAGING)).partition("-")[0]
        if pid.isdigit() and not _process_alive(int(pid)):  # a live one is a concurrent build
            log.info("removing %s, left by a build that did not finish", path.name)
            shutil.rmtree(path, ignore_errors=True)


def check_replaceable(out_dir: Path) -> None:
    """Refuse to replace a directory that is not a trialgraph build (a mistyped --out . or ~)."""
    if not out_dir.exists():
        return
    if not out_dir.is_dir():
        raise NotAGraphDirectoryError(f"{out_dir} exists and is not a directory")
    if any(True for _ in out_dir.iterdir()) and not any((out_dir / m).exists() for m in BUILD_MARKERS):
        raise NotAGraphDirectoryError(
            f"{out_dir} is not empty and holds no trialgraph build (no build-report.json, store or "
            "graph.nt): a build replaces its output directory whole, so choose a new or empty one"
        )


def staging_dir(out_dir: Path) -> Path:
    """A new, empty directory beside out_dir for a build that will replace it."""
    out_dir = out_dir.absolute()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    _tidy(out_dir)
    check_replaceable(out_dir)
    prefix = f"{_hidden(out_dir, _STAGING)}{os.getpid()}-"
    return Path(tempfile.mkdtemp(prefix=prefix, dir=out_dir.parent))


def _exchange(first: Path, second: Path) -> bool:
    """Swap two directories atomically; False where the system cannot."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(second))


def publish(staging: Path, out_dir: Path) -> None:
    """Put the finished build in staging in out_dir's place (atomically where the system can)."""
    out_dir = out_dir.absolute()
    if not out_dir.exists():
        os.rename(staging, out_dir)
    elif _exchange(staging, out_dir):
        shutil.rmtree(staging)  # it now holds the previous build
    else:
        previous = Path(tempfile.mkdtemp(prefix=_hidden(out_dir, _PREVIOUS), dir=out_dir.parent))
        previous.rmdir()
        os.rename(out_dir, previous)
        os.rename(staging, out_dir)
        shutil.rmtree(previous, ignore_errors=True)


def discard(staging: Path) -> None:
    """Remove the staging directory of a build that failed (its target stays as it was)."""
    with contextlib.suppress(FileNotFoundError):
        shutil.rmtree(staging)
