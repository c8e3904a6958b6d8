"""A private Virtuoso for the tests (imported as `virtuoso`): start, bulk-load, query, stop.

`start()` runs Debian's `virtuoso-t` (package virtuoso-opensource, installed by
scripts/install-system-packages) in the foreground as a child process, with its own database in a
temporary directory and a generated virtuoso.ini: SQL and HTTP on free loopback ports, modest
buffers for a small machine, and the SPARQL endpoint's row limit raised (the packaged ini caps
answers at 10,000 rows, with HTTP 200). The Debian service and its database are never touched.

`Virtuoso.load()` uses Virtuoso's bulk loader through `isql-vt` (ld_add, rdf_loader_run,
checkpoint) and fails on any error the loader records in DB.DBA.load_list: rdf_loader_run() itself
succeeds on a bad file, and isql-vt exits 0 even when a statement fails (its '*** Error' is read).

`stop()` ends the server and removes its directory; the server is also told to die with the test
process (PR_SET_PDEATHSIG), so a killed pytest leaves no orphan behind.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

VIRTUOSO = "virtuoso-t"
ISQL = "isql-vt"
INSTALL_HINT = (
    "the Virtuoso round-trip tests need Debian's virtuoso-opensource package "
    "(virtuoso-t and isql-vt); run scripts/install-system-packages (`make test` does)"
)

# Loopback only, no Unix socket; CheckpointInterval 0: no timed checkpoints, load() checkpoints.
# NumberOfBuffers counts 8 KB pages: 10,000 (~80 MB, the packaged default) is plenty for test graphs
# of some 25,000 triples; the packaged ini suggests 170,000 per 2 GB of free memory for big data.
# ResultSetMaxRows: the endpoint cuts longer answers with HTTP 200 (only its X-SPARQL-MaxRows header
# tells, which trialgraph.remote checks), so it is set far above any answer a test compares.
# MaxQueryExecutionTime 0: no "anytime" partial answers; a slow query fails instead.
_INI = """\
[Database]
DatabaseFile       = {d}/virtuoso.db
ErrorLogFile       = {d}/virtuoso.log
LockFile           = {d}/virtuoso.lck
TransactionFile    = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile    = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
Striping        = 0

[Parameters]
ServerPort           = 127.0.0.1:{sql_port}
DisableUnixSocket    = 1
DisableTcpSocket     = 0
MaxClientConnections = 8
CheckpointInterval   = 0
NumberOfBuffers      = 10000
MaxDirtyBuffers      = 6000
ThreadsPerQuery      = 2
AsyncQueueMaxThreads = 4
CaseMode             = 2
DirsAllowed          = {dirs_allowed}

[HTTPServer]
ServerPort           = 127.0.0.1:{http_port}
ServerRoot           = {d}
ServerThreads        = 4
MaxClientConnections = 4
KeepAliveTimeout     = 10
Charset              = UTF-8

[SPARQL]
ResultSetMaxRows      = {max_rows}
MaxQueryExecutionTime = 0
"""


class VirtuosoError(RuntimeError):
    """Virtuoso is missing, did not start, or refused a load."""


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    """Linux: the server gets SIGTERM when the test process dies, even by SIGKILL."""
    with contextlib.suppress(Exception):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def require_binaries() -> None:
    """Fail (never skip) with what to install when Virtuoso is not on this machine."""
    missing = [name for name in (VIRTUOSO, ISQL) if shutil.which(name) is None]
    if missing:
        raise VirtuosoError(f"{', '.join(missing)} not found: {INSTALL_HINT}")


@dataclass
class Virtuoso:
    directory: Path
    sql_port: int
    http_port: int
    process: subprocess.Popen[bytes]
    loaded: dict[str, int] = field(default_factory=dict)

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/sparql"

    def endpoint_for(self, graph: str) -> str:
        """The endpoint URL whose default graph is `graph` alone (SPARQL protocol
        default-graph-uri); without it the default graph is the union of all graphs, Virtuoso's
        own system graphs included."""
        return f"{self.endpoint}?{urllib.parse.urlencode({'default-graph-uri': graph})}"

    def log_tail(self, lines: int = 30) -> str:
        log = self.directory / "virtuoso.log"
        text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def isql(self, sql: str, timeout: float = 120.0) -> str:
        """Run SQL statements through isql-vt; any '*** Error' it prints is raised."""
        result = subprocess.run(
            [ISQL, f"127.0.0.1:{self.sql_port}", "dba", "dba", "VERBOSE=OFF", "BANNER=OFF", "PROMPT=OFF"],
            input=sql.encode("utf-8"),
            capture_output=True,
            timeout=timeout,
            check=False,
        )
        out = result.stdout.decode("utf-8", "replace")
        err = result.stderr.decode("utf-8", "replace")
        if result.returncode != 0 or "*** Error" in out + err:
            raise VirtuosoError(f"isql-vt failed (exit {result.returncode}):\n{err or out}\nSQL:\n{sql}")
        return out

    def load(self, path: Path, graph: str) -> None:
        """Bulk-load one RDF file into `graph`; any loader error fails the load."""
        path = path.resolve()
        quoted, graph_q = (s.replace("'", "''") for s in (str(path), graph))
        # The loader keeps going after a bad file and only notes it in load_list (ll_error).
        # '%' is avoided in the SQL: isql expands it in its input.
        out = self.isql(
            f"ld_add('{quoted}', '{graph_q}');\n"
            "rdf_loader_run();\n"
            "checkpoint;\n"
            "select concat('load|', cast(ll_state as varchar), '|', coalesce(ll_error, ''))\n"
            f"  from DB.DBA.load_list where ll_file = '{quoted}';\n"
        )
        states = [line.split("|", 2) for line in out.splitlines() if line.startswith("load|")]
        if not states:
            raise VirtuosoError(f"{path} is not in DB.DBA.load_list after the load")
        failed = [f"state {s[1]}: {s[2]}" for s in states if s[1] != "2" or s[2].strip()]
        if failed:
            raise VirtuosoError(f"Virtuoso's bulk loader failed on {path}: {'; '.join(failed)}")
        self.loaded[graph] = self.loaded.get(graph, 0) + 1

    def stop(self, timeout: float = 20.0) -> None:
        """End the server (SIGTERM, then SIGKILL) and remove its directory; safe to call twice."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout)
        shutil.rmtree(self.directory, ignore_errors=True)


def _wait_until_ready(server: Virtuoso, timeout: float) -> None:
    """Until the SPARQL endpoint answers an ASK (HTTP comes up after the SQL listener)."""
    deadline = time.monotonic() + timeout
    url = f"{server.endpoint}?{urllib.parse.urlencode({'query': 'ASK {}'})}"
    while True:
        if server.process.poll() is not None:
            raise VirtuosoError(
                f"virtuoso-t exited with {server.process.returncode} while starting; "
                f"its log ends:\n{server.log_tail()}"
            )
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        if time.monotonic() > deadline:
            raise VirtuosoError(f"Virtuoso did not answer within {timeout:.0f} s; log:\n{server.log_tail()}")
        time.sleep(0.2)


def start(
    dirs_allowed: Iterable[Path] = (),
    *,
    max_rows: int = 1_000_000,
    timeout: float = 60.0,
    parent: Path | None = None,
) -> Virtuoso:
    """A new Virtuoso with an empty database, answering on loopback; stop() it when done.

    dirs_allowed: the directories of the files load() will read (Virtuoso's DirsAllowed refuses
    to read anywhere else). parent: where its directory goes (pytest's basetemp in the tests, so
    that even a killed run leaves nothing behind pytest does not clean up)."""
    require_binaries()
    directory = Path(tempfile.mkdtemp(prefix="virtuoso-", dir=parent))
    allowed = ", ".join([str(directory), *(str(Path(d).resolve()) for d in dirs_allowed)])
    last_error: VirtuosoError | None = None
    for _attempt in range(3):  # a free port can be taken by someone else before the server binds it
        sql_port, http_port = _free_port(), _free_port()
        ini = directory / "virtuoso.ini"
        ini.write_text(
            _INI.format(
                d=directory, sql_port=sql_port, http_port=http_port, dirs_allowed=allowed, max_rows=max_rows
            ),
            encoding="utf-8",
        )
        output = (directory / "stdout.log").open("wb")
        process = subprocess.Popen(
            [VIRTUOSO, "+foreground", "+configfile", str(ini)],
            cwd=directory,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C in the terminal reaches pytest, which then stops it
            preexec_fn=_die_with_parent,
        )
        output.close()
        server = Virtuoso(directory, sql_port, http_port, process)
        try:
            _wait_until_ready(server, timeout)
            return server
        except VirtuosoError as error:
            last_error = error
            if process.poll() is None:
                process.kill()
                process.wait()
            for stale in directory.glob("virtuoso*"):
                if stale.name != "virtuoso.ini":
                    stale.unlink()
    shutil.rmtree(directory, ignore_errors=True)
    assert last_error is not None
    raise last_error


@contextlib.contextmanager
def running(
    dirs_allowed: Iterable[Path] = (), *, max_rows: int = 1_000_000, parent: Path | None = None
) -> Iterator[Virtuoso]:
    """start() ... stop(), whatever happens in between."""
    server = start(dirs_allowed, max_rows=max_rows, parent=parent)
    try:
        yield server
    finally:
        server.stop()


def triple_count(server: Virtuoso, graph: str) -> int:
    """How many triples `graph` holds, asked through the SPARQL endpoint."""
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    data = urllib.parse.urlencode({"query": query, "default-graph-uri": graph}).encode()
    request = urllib.request.Request(
        server.endpoint, data=data, headers={"Accept": "application/sparql-results+json"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        document = json.load(response)
    return int(document["results"]["bindings"][0]["n"]["value"])
