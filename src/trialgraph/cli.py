"""The `trialgraph` command line.

Exit codes: 0 success; 1 invalid data (a SHACL violation) or a failed query; 2 usage error;
3 a partial run (some records rejected, everything else converted and valid).
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Annotated

import typer

from trialgraph import __version__, cli_export, cli_network, cli_serve
from trialgraph import store as stores
from trialgraph.cli_errors import EXIT_INVALID, EXIT_PARTIAL, EXIT_USAGE, fail
from trialgraph.engines import Engine, OxigraphEngine
from trialgraph.errors import TrialgraphError
from trialgraph.fastshacl import validate_ntriples_fast
from trialgraph.ontology import OWL_RENDERING, render_owl_xml, write_owl_xml
from trialgraph.pipeline import GRAPH_NT, REJECTED, build_graph
from trialgraph.publish import NotAGraphDirectoryError
from trialgraph.queries import get_query, library
from trialgraph.readers.sources import open_binary
from trialgraph.remote import SparqlEndpointEngine
from trialgraph.resources import ontology_dir
from trialgraph.runner import run_query
from trialgraph.tables import FORMATS, render
from trialgraph.validate import validate_ntriples

app = typer.Typer(
    help="Clinical-trial records as a validated, queryable RDF knowledge graph.", no_args_is_help=True
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"trialgraph {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Log each rejected record and step.")
    ] = False,
) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.ERROR, format="%(levelname)s %(name)s: %(message)s"
    )


@app.command()
def build(
    sources: Annotated[list[Path], typer.Argument(help="Record files or directories.")],
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Directory for graph.nt, graph.ttl and the store.")
    ],
    validate: Annotated[bool, typer.Option(help="Validate with the SHACL shapes.")] = True,
    progress: Annotated[bool, typer.Option(help="Show a progress bar.")] = False,
    workers: Annotated[
        int | None,
        typer.Option(help="Processes converting records (default: one per core for large inputs)."),
    ] = None,
    gzip: Annotated[bool, typer.Option(help="Write graph.nt.gz and graph.nq.gz (gzip level 1).")] = False,
) -> None:
    """Read, convert, validate and write the graph; load the embedded store in OUT."""
    try:
        _, report = build_graph(
            sources, out, validate=validate, progress=progress, workers=workers, compress=gzip
        )
    except NotAGraphDirectoryError as error:
        raise fail(error, EXIT_USAGE) from None
    for rejected in report.rejected[:20]:
        typer.echo(f"rejected: {rejected.message()}", err=True)
    if len(report.rejected) > 20:
        typer.echo(f"... {len(report.rejected) - 20} more in {out / REJECTED}", err=True)
    if report.validation is not None:
        typer.echo(report.validation.render())
    typer.echo(f"{report.summary()} -> {out}")
    if not report.ok:
        raise typer.Exit(EXIT_INVALID)
    if report.rejected:
        raise typer.Exit(EXIT_PARTIAL)


@app.command()
def validate(
    target: Annotated[Path, typer.Argument(help="A graph directory (its graph.nt) or an N-Triples file.")],
    engine: Annotated[
        str,
        typer.Option(
            help="fast (trialgraph.fastshacl, the build's validator) or pyshacl (the reference); "
            "the same findings either way."
        ),
    ] = "fast",
) -> None:
    """Validate a graph with the SHACL shapes; exit 1 on any violation."""
    if engine not in ("fast", "pyshacl"):
        raise typer.BadParameter(f"{engine!r}: use fast or pyshacl", param_hint="--engine")
    path = target / GRAPH_NT if target.is_dir() else target
    if target.is_dir() and not path.is_file():
        path = target / (GRAPH_NT + ".gz")
    if not path.is_file():
        raise fail(FileNotFoundError(f"{path} not found (build the graph first)"))
    with open_binary(path) as ntriples:
        text = ntriples.read().decode("utf-8")
    report = validate_ntriples_fast(text) if engine == "fast" else validate_ntriples(text)
    typer.echo(report.render())
    if not report.conforms:
        raise typer.Exit(EXIT_INVALID)


def _parse_params(values: list[str]) -> dict[str, str]:
    params = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise typer.BadParameter(f"{item!r}: write --param NAME=VALUE")
        params[name.strip()] = value
    return params


@app.command()
def query(
    name: Annotated[str, typer.Argument(help="A query name (see `trialgraph queries`) or a .rq file.")],
    graph: Annotated[Path | None, typer.Option("--graph", "-g", help="A built graph directory.")] = None,
    endpoint: Annotated[
        str | None,
        typer.Option(help="A SPARQL endpoint URL holding a trialgraph export (instead of --graph)."),
    ] = None,
    param: Annotated[list[str] | None, typer.Option("--param", "-p", help="NAME=VALUE, repeatable.")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help=f"One of {', '.join(FORMATS)}.")] = "table",
) -> None:
    """Run a named query on a built graph or on a SPARQL endpoint."""
    if fmt not in FORMATS:
        raise typer.BadParameter(f"--format must be one of {', '.join(FORMATS)}")
    if (graph is None) == (endpoint is None):
        raise typer.BadParameter("give either --graph DIR or --endpoint URL")
    try:
        named = get_query(name)
        engine: Engine = (
            OxigraphEngine(stores.open_disk_store(graph))
            if graph is not None
            else SparqlEndpointEngine(str(endpoint))
        )
        frame = run_query(engine, named, _parse_params(param or []))
    except TrialgraphError as error:
        raise fail(error) from None
    if fmt == "table":
        typer.echo(f"# {named.title}")
    typer.echo(render(frame, fmt), nl=fmt != "csv")


@app.command()
def queries() -> None:
    """List the named queries with their parameters and descriptions."""
    for named in library().values():
        params = " ".join(f"--param {p.name}=<{p.kind}>" for p in named.parameters)
        typer.echo(f"{named.name}  {params}".rstrip())
        typer.echo(f"    {named.title}. {named.description}")


@app.command()
def ontology(
    write: Annotated[bool, typer.Option("--write", help=f"Regenerate ontology/{OWL_RENDERING}.")] = False,
) -> None:
    """Check (default) or regenerate the RDF/XML rendering of the ontology for owlready2 / Protégé."""
    target = ontology_dir() / OWL_RENDERING
    if write:
        typer.echo(f"wrote {write_owl_xml()}")
        return
    if not target.exists() or target.read_bytes() != render_owl_xml():
        typer.echo(f"{target} is out of date: run `trialgraph ontology --write`", err=True)
        raise typer.Exit(EXIT_INVALID)
    typer.echo(f"{target} is current")


@app.command(name="eval")
def evaluate_command(
    gold: Annotated[Path, typer.Option(help="The gold-set directory.")] = Path("tests/gold"),
    data: Annotated[Path, typer.Option(help="The real records the gold set was labelled on.")] = Path(
        "tests/data/ctgov"
    ),
    coverage: Annotated[
        list[Path] | None, typer.Option(help="Records for the oncology coverage figure (default: --data).")
    ] = None,
    errors: Annotated[bool, typer.Option(help="Also list every disagreement with the gold set.")] = False,
) -> None:
    """Precision and recall against the hand-labelled gold set, as Markdown tables."""
    from trialgraph.evaluation import evaluate, render_errors, render_markdown

    result = evaluate(gold, data, coverage or [data])
    typer.echo(render_markdown(result))
    if errors:
        typer.echo(render_errors(result))


# Commands that live in modules of their own.
for _commands in (cli_export, cli_network, cli_serve):
    _commands.register(app)


def run() -> None:  # pragma: no cover - console entry point wrapper
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
