"""The `trialgraph export` command(s); cli.py registers them."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from trialgraph.cli_errors import fail
from trialgraph.errors import TrialgraphError
from trialgraph.export import FORMATS, ExportOptions, export_graph
from trialgraph.export.formats import parse_formats


def export(
    graph_dir: Annotated[Path, typer.Argument(help="A built graph directory (trialgraph build --out).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Directory for the exported files.")],
    formats: Annotated[
        str, typer.Option("--format", "-f", help=f"Comma-separated, of {','.join(FORMATS)}.")
    ] = ",".join(FORMATS),
    gzip: Annotated[bool, typer.Option("--gzip", help="Compress every file (gzip -6).")] = False,
    split: Annotated[
        int | None,
        typer.Option(min=1, help="At most N statements a file: graph-00001.nt, ... for parallel loaders."),
    ] = None,
    base_url: Annotated[
        str | None,
        typer.Option(help="Absolute URL the files will be published under (default: relative links)."),
    ] = None,
    publisher: Annotated[
        str | None, typer.Option(help="IRI of the publisher, for the dataset description.")
    ] = None,
) -> None:
    """Export a built graph for triple stores, with a dataset description (docs/exports.md)."""
    try:
        options = ExportOptions(
            formats=tuple(parse_formats(formats)),
            compress=gzip,
            split=split,
            base_url=base_url,
            publisher=publisher,
        )
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--format") from None
    try:
        report = export_graph(graph_dir, out, options)
    except (TrialgraphError, ValueError, OSError) as error:
        raise fail(error) from None
    typer.echo(report.summary())


def register(app: typer.Typer) -> None:
    """Add this module's commands to the `trialgraph` application."""
    app.command(name="export")(export)
