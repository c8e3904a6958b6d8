"""The HTTP server: the SPARQL endpoint (/sparql), the named-query API (/api/queries) and the page (/).

The standard library's ThreadingHTTPServer is enough: each connection gets a thread that parses the
request and waits on a worker process, where the real work is; no third-party web stack to keep up.
HTTP/1.1 keep-alive, a Content-Length on every answer, a deep listen backlog (200 clients connect at
once in the load test), and requests whose Host is not this server are refused (DNS rebinding:
a web page must not be able to read a loopback endpoint through a name it controls).
"""

from __future__ import annotations

import ipaddress
import json
import logging
import socket
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Any

from trialgraph import __version__
from trialgraph.errors import GraphNotFoundError, QueryParameterError, UnknownQueryError
from trialgraph.remote import TRUNCATED_HEADER  # what remote clients check: one name for both sides
from trialgraph.serve import named, protocol
from trialgraph.serve.errors import ServeError
from trialgraph.serve.querycheck import RefusedQuery, inspect_query
from trialgraph.serve.results import Body
from trialgraph.serve.workers import QueryJob, WorkerPool
from trialgraph.store import STORE_DIRNAME

log = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
MAX_BODY = 1_000_000

_STATIC = {
    "/": ("index.html", "text/html; charset=utf-8"),
    "/static/app.js": ("app.js", "text/javascript; charset=utf-8"),
    "/static/style.css": ("style.css", "text/css; charset=utf-8"),
}
_SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
_PAGE_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


@dataclass(frozen=True)
class ServeConfig:
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    timeout: float = 30.0  # seconds per request, lookups included
    max_rows: int = 100_000  # rows (or triples) per answer
    max_bytes: int = 64 * 1024 * 1024  # bytes per answer
    workers: int = 2
    queue_timeout: float = 60.0  # longest wait for a free worker before 503
    worker_memory_mb: int = 0  # resident memory a query's worker may reach before 503 (0: no limit)
    allowed_hosts: tuple[str, ...] = ()  # Host header names accepted besides this server's address
    socket_timeout: float = 60.0  # an idle or slow connection is closed after this


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024  # the kernel caps it at net.core.somaxconn
    app: SparqlServer


class _IPv6HTTPServer(_HTTPServer):
    address_family = socket.AF_INET6


class Handler(BaseHTTPRequestHandler):
    server: _HTTPServer
    protocol_version = "HTTP/1.1"
    server_version = f"trialgraph/{__version__}"
    sys_version = ""  # no Python version in the Server header

    def setup(self) -> None:
        # StreamRequestHandler applies `timeout` to the socket: an idle or slow client is dropped
        self.connection_timeout = self.server.app.config.socket_timeout
        super().setup()
        self.connection.settimeout(self.connection_timeout)

    def log_message(self, format: str, *args: Any) -> None:
        log.info("%s %s", self.address_string(), format % args)

    # -- answers --------------------------------------------------------------------------------------

    def _send(
        self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in {**_SECURITY_HEADERS, **(headers or {})}.items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, status: int, message: str, *, api: bool, headers: dict[str, str] | None = None) -> None:
        if api:
            body = json.dumps({"error": message}, ensure_ascii=False).encode("utf-8")
            self._send(status, body, "application/json", headers)
        else:
            self._send(status, (message + "\n").encode("utf-8"), "text/plain; charset=utf-8", headers)

    # -- dispatch -------------------------------------------------------------------------------------

    def do_GET(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def do_HEAD(self) -> None:
        self._dispatch()

    def _refuse_method(self) -> None:
        self.close_connection = True
        self._error(405, f"{self.command} is not allowed", api=False, headers={"Allow": "GET, POST, HEAD"})

    do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _refuse_method

    def _host_allowed(self) -> bool:
        host = self.headers.get("Host")
        if host is None:
            return False
        host = host.strip().lower()
        name = host[1 : host.find("]")] if host.startswith("[") else host.split(":")[0]
        app = self.server.app
        return "*" in app.config.allowed_hosts or name in app.host_names

    def _dispatch(self) -> None:
        started = time.monotonic()
        split = urllib.parse.urlsplit(self.path)
        path = split.path
        api = path.startswith("/api/")
        try:
            body = self._read_body()  # first: an unread body would be taken for the next request
            if not self._host_allowed():
                raise ServeError(
                    403, f"Host {self.headers.get('Host')!r} is not served here (see --allow-host)"
                )
            if path in _STATIC and self.command in ("GET", "HEAD"):
                self._static(path)
            elif path == "/sparql":
                self._sparql(split.query, body)
            elif path == "/api/queries" and self.command in ("GET", "HEAD"):
                self._send(200, named.listing(), "application/json")
            elif path.startswith("/api/queries/") and self.command in ("GET", "HEAD"):
                self._named(urllib.parse.unquote(path.removeprefix("/api/queries/")), split.query)
            else:
                raise ServeError(404, f"nothing at {path} (the SPARQL endpoint is /sparql, the page /)")
        except ServeError as error:
            self._error(error.status, error.message, api=api)
        except UnknownQueryError as error:
            self._error(404, str(error), api=api)
        except QueryParameterError as error:
            self._error(400, str(error), api=api)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        except Exception as error:  # a bug: answer 500 and keep serving
            log.exception("error answering %s %s", self.command, self.path)
            self._error(500, f"internal error: {type(error).__name__}", api=api)
        log.debug("%s %s answered in %.1f ms", self.command, path, (time.monotonic() - started) * 1000)

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding"):
            self.close_connection = True
            raise ServeError(411, "send a Content-Length, not a chunked body")
        length_header = self.headers.get("Content-Length")
        if length_header is None:
            if self.command == "POST":
                self.close_connection = True
                raise ServeError(411, "a POST needs a Content-Length")
            return b""
        try:
            length = int(length_header)
        except ValueError:
            self.close_connection = True
            raise ServeError(400, "bad Content-Length") from None
        if length < 0 or length > MAX_BODY:
            self.close_connection = True  # the body is not read: the connection cannot be reused
            raise ServeError(413, f"the request body is larger than {MAX_BODY} bytes")
        return self.rfile.read(length)

    # -- routes ---------------------------------------------------------------------------------------

    def _static(self, path: str) -> None:
        name, content_type = _STATIC[path]
        data = resources.files("trialgraph.serve").joinpath("static", name).read_bytes()
        headers = {"Content-Security-Policy": _PAGE_POLICY, "X-Frame-Options": "DENY"}
        self._send(200, data, content_type, headers)

    def _sparql(self, url_query: str, body: bytes) -> None:
        app = self.server.app
        request = protocol.parse_request(self.command, url_query, self.headers.get("Content-Type"), body)
        try:
            info = inspect_query(request.query)
        except RefusedQuery as refusal:
            raise ServeError(403, str(refusal)) from None
        accept = self.headers.get("Accept")
        if info.form is not None:  # refuse an impossible type before spending a worker on it
            kind = protocol.FORM_KIND[info.form]
            if protocol.negotiate(kind, accept, request.format) is None:
                raise protocol.not_acceptable(kind, accept, request.format)
        job = QueryJob(
            text=request.query,
            accept=accept,
            format=request.format,
            max_rows=app.config.max_rows,
            max_bytes=app.config.max_bytes,
            default_graphs=request.default_graphs,
            named_graphs=request.named_graphs,
        )
        answer = app.pool.run(job, app.config.timeout)
        assert isinstance(answer, Body)
        headers = {"Vary": "Accept"}
        if answer.truncated:
            headers[TRUNCATED_HEADER] = answer.truncated
            log.info("answer truncated at %s", answer.truncated)
        self._send(200, answer.data, answer.content_type, headers)

    def _named(self, name: str, url_query: str) -> None:
        app = self.server.app
        params = urllib.parse.parse_qs(url_query, keep_blank_values=True)
        data, truncated = named.run_named(
            app.pool,
            name,
            params,
            timeout=app.config.timeout,
            max_rows=app.config.max_rows,
            max_bytes=app.config.max_bytes,
        )
        self._send(200, data, "application/json", {TRUNCATED_HEADER: truncated} if truncated else None)


@dataclass
class SparqlServer:
    """`trialgraph serve` as an object: start() binds and serves in a thread; close() stops it all.

    >>> with SparqlServer(Path("build/seeds"), ServeConfig(port=0)) as server:   # doctest: +SKIP
    ...     tg.query("trials_by_phase", endpoint=server.url + "sparql")
    """

    graph_dir: Path
    config: ServeConfig = field(default_factory=ServeConfig)
    pool: WorkerPool = field(init=False)
    host_names: set[str] = field(init=False, default_factory=set)
    _httpd: _HTTPServer | None = field(init=False, default=None)
    _thread: threading.Thread | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        if not (self.graph_dir / STORE_DIRNAME).is_dir():
            raise GraphNotFoundError(
                f"{self.graph_dir} has no built store (run `trialgraph build ... --out {self.graph_dir}`)"
            )
        self.pool = WorkerPool(
            self.graph_dir,
            self.config.workers,
            queue_timeout=self.config.queue_timeout,
            memory_limit_mb=self.config.worker_memory_mb,
        )

    @property
    def address(self) -> tuple[str, int]:
        assert self._httpd is not None, "the server is not started"
        host, port = self._httpd.server_address[:2]
        return str(host), int(port)

    @property
    def url(self) -> str:
        host, port = self.address
        return f"http://{f'[{host}]' if ':' in host else host}:{port}/"

    def bind(self) -> None:
        """Start the workers and bind the socket (port 0: a free port, see .url)."""
        self.pool.start()
        server_class = _IPv6HTTPServer if ":" in self.config.host else _HTTPServer
        try:
            self._httpd = server_class((self.config.host, self.config.port), Handler)
        except OSError:
            self.pool.close()
            raise
        self._httpd.app = self
        host = self.address[0]
        self.host_names = (
            {host.lower(), "localhost", "127.0.0.1", "::1"} if _is_loopback(host) else {host.lower()}
        )
        self.host_names |= {h.lower() for h in self.config.allowed_hosts}
        if not _is_loopback(host):
            log.warning("listening on %s: every host that can reach it may query it (docs/security.md)", host)

    def serve_forever(self) -> None:
        assert self._httpd is not None
        self._httpd.serve_forever(poll_interval=0.2)

    def start(self) -> str:
        """Bind and serve in a background thread; the base URL."""
        self.bind()
        self._thread = threading.Thread(target=self.serve_forever, name="trialgraph-serve", daemon=True)
        self._thread.start()
        return self.url

    def close(self) -> None:
        if self._httpd is not None:
            if self._thread is not None:
                self._httpd.shutdown()
                self._thread.join(10)
            self._httpd.server_close()
        self.pool.close()

    def __enter__(self) -> SparqlServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
