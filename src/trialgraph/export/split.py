"""Cutting a statement stream into parts of at most N statements for parallel loaders, lazily.

A part ends where a block ends (a subject's statements in triple formats, a named graph's in
N-Quads), so a Turtle part keeps each subject whole and an N-Quads part each trial's graph; only a
block larger than N is itself cut, so the limit always holds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from itertools import groupby, islice
from typing import TypeVar

T = TypeVar("T")


def blocks(statements: Iterable[T], key: Callable[[T], object], limit: int) -> Iterator[list[T]]:
    """Runs of statements with the same key, none longer than `limit`.

    >>> list(blocks("aaabcc", key=str, limit=2))
    [['a', 'a'], ['a'], ['b'], ['c', 'c']]
    """
    for _key, run in groupby(statements, key=key):
        while chunk := list(islice(run, limit)):
            yield chunk


def split(statements: Iterable[T], key: Callable[[T], object], limit: int) -> Iterator[Iterator[T]]:
    """Parts of at most `limit` statements, cut between blocks. Each part must be consumed before
    the next is asked for (a writer does); nothing but the current block is held in memory.

    >>> [list(part) for part in split("aabbbc", key=str, limit=3)]
    [['a', 'a'], ['b', 'b', 'b'], ['c']]
    """
    if limit < 1:
        raise ValueError(f"a part holds at least one statement, not {limit}")
    pending_blocks = blocks(statements, key, limit)
    pending = next(pending_blocks, None)

    def part() -> Iterator[T]:
        nonlocal pending
        count = 0
        while pending is not None and (count == 0 or count + len(pending) <= limit):
            yield from pending
            count += len(pending)
            pending = next(pending_blocks, None)

    while pending is not None:
        yield part()
