"""The `trialgraph network` and `trialgraph figures` commands; cli.py registers them.

networkx and matplotlib are imported inside the commands, so `trialgraph --version` or `trialgraph
query` do not pay for them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from trialgraph import store as stores
from trialgraph.cli_errors import fail
from trialgraph.engines import OxigraphEngine
from trialgraph.errors import TrialgraphError
from trialgraph.tables import render_table


def _engine(graph_dir: Path) -> OxigraphEngine:
    try:
        return OxigraphEngine(stores.open_disk_store(graph_dir))
    except TrialgraphError as error:
        raise fail(error) from None


def network(
    graph_dir: Annotated[Path, typer.Argument(help="A built graph directory.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="The file to write: FILE.graphml or FILE.gexf.")],
    kind: Annotated[
        str,
        typer.Option(
            "--kind", "-k", help="combination, drug-endpoint, drug-condition or drug-condition-group."
        ),
    ] = "combination",
    top: Annotated[int, typer.Option(help="Rows of the tables printed.")] = 10,
) -> None:
    """Build a drug network from the graph, write it for Gephi or Cytoscape (GraphML or GEXF, with
    degree, betweenness and community on every node) and print its most central nodes; for the
    combination network also the agents most often combined with PD-1/PD-L1 inhibitors."""
    from trialgraph import network as networks

    if kind not in networks.KINDS:
        raise typer.BadParameter(f"{kind!r}: use one of {', '.join(networks.KINDS)}", param_hint="--kind")
    if out.suffix.lower() not in networks.FILE_SUFFIXES:
        raise typer.BadParameter(f"{out.name}: write a .graphml or .gexf file", param_hint="--out")
    engine = _engine(graph_dir)
    try:
        graph = networks.build_network(engine, kind)
        out.parent.mkdir(parents=True, exist_ok=True)
        networks.write_network(networks.with_analytics(graph), out)
    except (TrialgraphError, OSError) as error:
        raise fail(error) from None
    typer.echo(f"{kind} network: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges -> {out}")
    columns = ["label", "classes", "degree", "weighted_degree", "betweenness", "community"]
    typer.echo(f"\n# Most central nodes (weighted degree: sum of the weights, {graph.graph['weight']})")
    typer.echo(render_table(networks.centrality(graph)[columns].head(top)))
    if kind == "combination":
        partners = networks.pd1_partners(engine).drop(columns="partner_iri")
        typer.echo("\n# Agents most often combined with PD-1/PD-L1 inhibitors (in one arm)")
        typer.echo(render_table(partners.head(top)))


def figures(
    graph_dir: Annotated[Path, typer.Argument(help="A built graph directory.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="The directory to write the figures to.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="png or svg.")] = "png",
) -> None:
    """Draw the figures (endpoint types by drug class; PD-1/PD-L1 combination network) as files."""
    from trialgraph.figures import FORMATS, write_figures

    if fmt not in FORMATS:
        raise typer.BadParameter(f"{fmt!r}: use {' or '.join(FORMATS)}", param_hint="--format")
    engine = _engine(graph_dir)
    try:
        paths = write_figures(engine, out, fmt=fmt)
    except (TrialgraphError, OSError) as error:
        raise fail(error) from None
    for path in paths:
        typer.echo(f"wrote {path}")


def register(app: typer.Typer) -> None:
    """Add this module's commands to the `trialgraph` application."""
    app.command(name="network")(network)
    app.command(name="figures")(figures)
