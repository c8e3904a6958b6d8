"""Queries evaluated in worker processes that are killed when they run out of time or memory.

pyoxigraph (0.5) has no way to stop a running query: `Store.query` takes no timeout and a query
ignores Python signals while it is in Rust (oxigraph issue #1926 asks for one in the Python API).
A thread that gave up waiting would leave the query burning a core. So every query runs in a worker
process that opens the read-only store itself; on timeout the worker is killed (SIGKILL) and a new
one started in the background. A query that makes its worker's resident memory pass
`memory_limit_mb` is stopped the same way (the worker's size is read from /proc every
`MEMORY_CHECK_SECONDS`), so one query cannot take the machine's memory from the others. The pool has
a fixed number of workers; a request waits for a free one (up to `queue_timeout`) and is then refused
as busy.

A worker whose server has gone stops at its next job (the socket closes).
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Literal

import pyoxigraph as ox

from trialgraph.engines import OxigraphEngine, Row, Term
from trialgraph.serve import protocol, results
from trialgraph.serve.errors import ServeError

log = logging.getLogger(__name__)

#: how often a running query's worker has its resident memory checked
MEMORY_CHECK_SECONDS = 0.1
_PAGE_BYTES = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def resident_mb(pid: int) -> float | None:
    """A process's resident memory in MB (None where /proc cannot tell: not Linux, or it is gone)."""
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * _PAGE_BYTES / 2**20
    except (OSError, ValueError, IndexError):
        return None


def default_memory_limit_mb(workers: int) -> int:
    """80% of the machine's memory shared among the workers (no limit where /proc/meminfo is absent)."""
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            total_kb = next(int(line.split()[1]) for line in meminfo if line.startswith("MemTotal:"))
    except (OSError, ValueError, StopIteration):
        return 0
    return int(total_kb / 1024 * 0.8 / max(1, workers))


@dataclass(frozen=True)
class QueryJob:
    """One SPARQL query; the result type is negotiated once the kind of answer is known."""

    text: str
    accept: str | None
    format: str | None
    max_rows: int
    max_bytes: int
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] | None = None


@dataclass(frozen=True)
class RowsJob:
    """A SELECT for the named-query runner: rows of plain values (engines.Row), bindings as terms."""

    text: str
    bindings: Mapping[str, Term]
    max_rows: int


@dataclass(frozen=True)
class RowsAnswer:
    rows: list[Row]
    truncated: bool


@dataclass(frozen=True)
class Failure:
    status: int
    message: str


def _run(store: ox.Store, job: QueryJob | RowsJob) -> results.Body | RowsAnswer:
    if isinstance(job, RowsJob):
        rows = list(itertools.islice(OxigraphEngine(store).rows(job.text, job.bindings), job.max_rows + 1))
        return RowsAnswer(rows[: job.max_rows], len(rows) > job.max_rows)
    default: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] | None = None
    if job.default_graphs:
        default = [ox.NamedNode(iri) for iri in job.default_graphs]
    named = None if job.named_graphs is None else [ox.NamedNode(iri) for iri in job.named_graphs]
    answer = store.query(job.text, default_graph=default, named_graphs=named)  # type: ignore[arg-type]
    kind = (
        "solutions"
        if isinstance(answer, ox.QuerySolutions)
        else "boolean"
        if isinstance(answer, ox.QueryBoolean)
        else "graph"
    )
    media_type = protocol.negotiate(kind, job.accept, job.format)
    if media_type is None:
        raise protocol.not_acceptable(kind, job.accept, job.format)
    if isinstance(answer, ox.QuerySolutions):
        return results.solutions_body(answer, media_type, job.max_rows, job.max_bytes)
    if isinstance(answer, ox.QueryBoolean):
        return results.boolean_body(bool(answer), media_type)
    return results.triples_body(iter(answer), media_type, job.max_rows, job.max_bytes)


def worker_main(conn: Connection, graph_dir: str) -> None:
    """A worker process: open the store, then answer jobs until told to stop (None) or killed."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    from trialgraph.store import open_disk_store

    try:
        store = open_disk_store(Path(graph_dir))
    except Exception as error:  # reported to the parent, which refuses to start
        conn.send(Failure(500, f"cannot open the store: {error}"))
        return
    conn.send(("ready", os.getpid()))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        answer: results.Body | RowsAnswer | Failure
        try:
            answer = _run(store, job)
        except ServeError as error:
            answer = Failure(error.status, error.message)
        except (SyntaxError, ValueError) as error:
            answer = Failure(400, f"{type(error).__name__}: {error}")
        except Exception as error:  # an evaluation error is the client's answer, not the worker's end
            answer = Failure(500, f"query evaluation failed: {type(error).__name__}: {error}")
        conn.send(answer)


@dataclass
class _Worker:
    process: subprocess.Popen[bytes]
    conn: Connection
    pid: int = 0


class WorkerPool:
    """`size` worker processes over the store of `graph_dir`.

    Workers are separate interpreters (`python -m trialgraph.serve.worker_main`) talking over a
    socket pair, not multiprocessing's "spawn", which re-runs the caller's main module in each
    child (a script without an `if __name__ == "__main__"` guard would start servers recursively),
    and not "fork", which is unsafe in a threaded server that may hold an open store.
    """

    def __init__(
        self, graph_dir: Path, size: int, *, queue_timeout: float = 60.0, memory_limit_mb: int = 0
    ) -> None:
        self.graph_dir = graph_dir
        self.size = size
        self.queue_timeout = queue_timeout
        self.memory_limit_mb = memory_limit_mb  # 0: no limit
        self.killed: list[int] = []  # pids of workers killed on a limit (the tests check they are gone)
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._workers: dict[int, _Worker] = {}
        self._lock = threading.Lock()
        self._closed = False

    def _spawn(self) -> _Worker:
        parent, child = socket.socketpair()
        with child:
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "trialgraph.serve.worker_main",
                    str(child.fileno()),
                    str(self.graph_dir),
                ],
                pass_fds=[child.fileno()],
                stdin=subprocess.DEVNULL,
            )
        conn = Connection(parent.detach())
        worker = _Worker(process, conn, process.pid)
        try:
            if not conn.poll(120):
                raise RuntimeError("a query worker did not start within 120 s")
            hello = conn.recv()
        except (EOFError, OSError, RuntimeError) as error:
            process.kill()
            process.wait()
            conn.close()
            raise RuntimeError(
                f"a query worker failed to start (exit code {process.returncode}): {error}"
            ) from None
        if isinstance(hello, Failure):
            process.wait(5)
            conn.close()
            raise RuntimeError(hello.message)
        with self._lock:
            self._workers[worker.pid] = worker
        return worker

    def start(self) -> None:
        """Start every worker (in parallel) and wait until each has opened the store."""
        started: list[_Worker] = []
        errors: list[BaseException] = []

        def one() -> None:
            try:
                started.append(self._spawn())
            except BaseException as error:
                errors.append(error)

        threads = [threading.Thread(target=one) for _ in range(self.size)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if errors:
            self.close()
            raise errors[0]
        for worker in started:
            self._idle.put(worker)
        log.info("%d query workers ready: pids %s", len(started), [w.pid for w in started])

    def _replace(self, worker: _Worker, why: str) -> None:
        """Kill a worker now; start its replacement in the background."""
        worker.process.kill()
        worker.process.wait(10)
        worker.conn.close()
        with self._lock:
            self._workers.pop(worker.pid, None)
        log.warning("query worker %d killed (%s); starting a new one", worker.pid, why)

        def respawn() -> None:
            if self._closed:
                return
            try:
                self._idle.put(self._spawn())
            except Exception:
                log.exception("a replacement query worker failed to start")

        threading.Thread(target=respawn, name="trialgraph-serve-respawn", daemon=True).start()

    def run(self, job: QueryJob | RowsJob, timeout: float) -> results.Body | RowsAnswer:
        """The job's answer; ServeError 503 on timeout (the worker is killed) or when every worker
        stays busy for queue_timeout, 4xx/500 for a query the engine refuses."""
        try:
            worker = self._idle.get(timeout=self.queue_timeout)
        except queue.Empty:
            raise ServeError(
                503, f"the server is busy: no query worker free within {self.queue_timeout:g} s"
            ) from None
        try:
            worker.conn.send(job)
            waited = self._wait(worker, timeout)
            answer = worker.conn.recv() if waited == "ready" else None
        except (EOFError, OSError):
            self._replace(worker, "it died")
            raise ServeError(
                500, "the query worker died (out of memory?); the query was not answered"
            ) from None
        if answer is None:
            self.killed.append(worker.pid)
            if waited == "memory":
                why = f"query over {self.memory_limit_mb} MB"
                message = f"query stopped: it needed more than the {self.memory_limit_mb} MB a query may use"
            else:
                why = f"query over {timeout:g} s"
                message = f"query timed out: it ran longer than the {timeout:g} s limit and was stopped"
            self._replace(worker, why)
            raise ServeError(503, message)
        self._idle.put(worker)
        if isinstance(answer, Failure):
            raise ServeError(answer.status, answer.message)
        assert isinstance(answer, results.Body | RowsAnswer)
        return answer

    def _wait(self, worker: _Worker, timeout: float) -> Literal["ready", "timeout", "memory"]:
        """Whether the worker answered ("ready") or passed a limit first ("timeout", "memory")."""
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return "timeout"
            if worker.conn.poll(min(remaining, MEMORY_CHECK_SECONDS)):
                return "ready"
            used = resident_mb(worker.pid) if self.memory_limit_mb else None
            if used is not None and used > self.memory_limit_mb:
                return "memory"

    def pids(self) -> list[int]:
        with self._lock:
            return sorted(self._workers)

    def close(self) -> None:
        self._closed = True
        with self._lock:
            workers = list(self._workers.values())
            self._workers.clear()
        for worker in workers:
            with contextlib.suppress(OSError, ValueError):
                worker.conn.send(None)
        for worker in workers:
            try:
                worker.process.wait(2)
            except subprocess.TimeoutExpired:
                worker.process.kill()
                worker.process.wait(5)
            worker.conn.close()
