"""The `trialgraph serve` command(s); cli.py registers them."""

from __future__ import annotations

import ipaddress
import os
import signal
from pathlib import Path
from typing import Annotated

import typer

from trialgraph.cli_errors import fail


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def register(app: typer.Typer) -> None:
    """Add this module's commands to the `trialgraph` application."""
    app.command()(serve)


def serve(
    graph_dir: Annotated[Path, typer.Argument(help="A built graph directory (trialgraph build --out).")],
    host: Annotated[
        str,
        typer.Option(
            help="Address to listen on. Anything but loopback exposes the graph: see docs/security.md."
        ),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port (0: any free port).")] = 8000,
    timeout: Annotated[
        float, typer.Option(help="Seconds a request may run; then its query is stopped.")
    ] = 30.0,
    max_rows: Annotated[int, typer.Option(help="Rows (or triples) per answer; more are cut off.")] = 100_000,
    max_bytes: Annotated[int, typer.Option(help="Bytes per answer; more rows are cut off.")] = 64
    * 1024
    * 1024,
    workers: Annotated[
        int | None, typer.Option(help="Query worker processes (default: one per core, at most 4).")
    ] = None,
    allow_host: Annotated[
        list[str] | None,
        typer.Option(help="A Host name to accept besides the listening address (behind a proxy); '*': any."),
    ] = None,
    worker_memory: Annotated[
        int | None,
        typer.Option(
            help="MB of memory a query's worker may use; then its query is stopped (default: 80% of "
            "the machine's memory shared among the workers; 0: no limit)."
        ),
    ] = None,
) -> None:
    """Serve a built graph: SPARQL 1.1 Protocol at /sparql, named queries at /api/queries, a page at /."""
    from trialgraph.errors import TrialgraphError
    from trialgraph.serve import ServeConfig, SparqlServer
    from trialgraph.serve.workers import default_memory_limit_mb

    if timeout <= 0 or max_rows < 1 or max_bytes < 1024 or (worker_memory or 0) < 0:
        raise typer.BadParameter(
            "--timeout must be > 0, --max-rows >= 1, --max-bytes >= 1024 and --worker-memory >= 0"
        )
    pool_size = workers or max(1, min(4, os.cpu_count() or 1))
    config = ServeConfig(
        host=host,
        port=port,
        timeout=timeout,
        max_rows=max_rows,
        max_bytes=max_bytes,
        workers=pool_size,
        allowed_hosts=tuple(allow_host or ()),
        worker_memory_mb=default_memory_limit_mb(pool_size) if worker_memory is None else worker_memory,
    )
    try:
        server = SparqlServer(graph_dir, config)
        server.bind()
    except (TrialgraphError, RuntimeError, OSError) as error:
        raise fail(error) from None
    typer.echo(f"trialgraph serve: {server.url} (SPARQL endpoint {server.url}sparql; Ctrl-C stops)")
    if not _loopback(server.address[0]):
        typer.echo(
            f"warning: listening on {host}: anyone who can reach it can query the graph "
            "(no authentication; see docs/security.md)",
            err=True,
        )
    # SIGTERM (systemd, docker stop) shuts down like Ctrl-C: the workers are stopped, not orphaned
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
