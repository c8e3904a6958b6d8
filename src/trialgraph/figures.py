"""Figures of the knowledge graph, as matplotlib Figures (for notebooks) and PNG or SVG files.

Figures are made with `matplotlib.figure.Figure` directly, never pyplot: no window, no global figure
list to leak, and files are rendered by the Agg (PNG) or SVG canvas whatever backend a notebook uses.
Files are deterministic: PNG without the software stamp, SVG without a date and with a fixed hash
salt for its element ids.

>>> import trialgraph as tg                                          # doctest: +SKIP
>>> from trialgraph import figures                                   # doctest: +SKIP
>>> g = tg.build(["seeds/"])                                         # doctest: +SKIP
>>> figures.endpoint_types_by_drug_class(g)                          # doctest: +SKIP
>>> figures.write_figures(g, "build/figures", fmt="svg")             # doctest: +SKIP
"""

from __future__ import annotations

import logging
import math
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import matplotlib as mpl
import networkx as nx
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from trialgraph import network
from trialgraph.network import GraphSource

log = logging.getLogger(__name__)

FORMATS = ("png", "svg")
#: the figures `write_figures` writes, by file stem
FIGURES = ("endpoint-types-by-drug-class", "pd1-combination-network")

_METADATA: dict[str, dict[str, str | None]] = {"png": {"Software": None}, "svg": {"Date": None}}
_PD1_COLOUR = "#c0392b"
_PARTNER_COLOUR = "#2e86c1"


def _message(fig: Figure, text: str) -> Figure:
    """A figure that says there is nothing to draw, rather than an empty or failing one."""
    fig.text(0.5, 0.5, text, ha="center", va="center", fontsize=11, color="0.3")
    return fig


def endpoint_types_by_drug_class_table(
    source: GraphSource, *, drug_classes: int = 8, endpoint_types: int = 6
) -> pd.DataFrame:
    """Trials giving a drug of each class (rows) that measure each endpoint type (columns).

    The unit is the trial: endpoints belong to a trial, not to an arm. A trial counts for every class
    of the agents it gives (classes as the graph assigns them) and for every endpoint type of its
    endpoints in any role (types as assigned, no roll-up). The `drug_classes` classes with the most
    trials and, among their trials, the `endpoint_types` most measured types are kept (ties by
    label); column `trials` is the number of trials of the class.
    """
    catalogue = network.agents(source)
    trials_of_class: dict[str, set[str]] = defaultdict(set)
    for trial, drugs in network.trial_agents(source).items():
        for drug in drugs:
            for label in catalogue[drug].classes:
                trials_of_class[label].add(trial)
    types_of_trial: dict[str, set[str]] = defaultdict(set)
    for link in network.trial_endpoint_types(source):
        types_of_trial[link.trial].add(link.label)

    classes = sorted(trials_of_class, key=lambda c: (-len(trials_of_class[c]), c))[:drug_classes]
    counted = set().union(*(trials_of_class[c] for c in classes)) if classes else set()
    type_trials: dict[str, int] = defaultdict(int)
    for trial in counted:
        for label in types_of_trial.get(trial, ()):
            type_trials[label] += 1
    types = sorted(type_trials, key=lambda t: (-type_trials[t], t))[:endpoint_types]

    rows = [
        {
            "drug class": c,
            "trials": len(trials_of_class[c]),
            **{t: sum(t in types_of_trial.get(trial, ()) for trial in trials_of_class[c]) for t in types},
        }
        for c in classes
    ]
    return pd.DataFrame(rows, columns=["drug class", "trials", *types]).set_index("drug class")


def endpoint_types_by_drug_class(
    source: GraphSource, *, drug_classes: int = 8, endpoint_types: int = 6
) -> Figure:
    """Horizontal grouped bar chart of `endpoint_types_by_drug_class_table`."""
    table = endpoint_types_by_drug_class_table(
        source, drug_classes=drug_classes, endpoint_types=endpoint_types
    )
    types = [c for c in table.columns if c != "trials"]
    fig = Figure(figsize=(8.0, 1.0 + 0.55 * max(len(table), 2) + 0.1 * len(types)), layout="constrained")
    if table.empty or not types:
        return _message(fig, "no trial with a classed drug and a typed endpoint")
    ax: Axes = fig.add_subplot()
    colours = mpl.colormaps["tab10"]
    height = 0.8 / len(types)
    rows = list(reversed(table.index))  # the class with most trials on top
    for i, endpoint_type in enumerate(types):
        offsets = [r - 0.4 + height * (len(types) - 1 - i + 0.5) for r in range(len(rows))]
        ax.barh(
            offsets,
            [table.loc[c, endpoint_type] for c in rows],
            height=height,
            color=colours(i % 10),
            label=endpoint_type,
        )
    ax.set_yticks(range(len(rows)), [f"{c} (n={table.loc[c, 'trials']})" for c in rows])
    ax.set_xlabel("trials giving a drug of the class that measure the endpoint type (any role)")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title("Endpoint types by drug class", loc="left", fontsize=12)
    ax.legend(title="endpoint type", fontsize=8, title_fontsize=8, loc="lower right", frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def _column_order(graph: nx.Graph, pd1: list[str], partners: list[str]) -> tuple[list[str], list[str]]:
    """PD-1 agents and partners ordered to cross few links: each side sorted by the weighted mean
    position of its neighbours on the other (the barycentre heuristic), a few passes, ties by label."""

    def by_barycentre(side: list[str], other: list[str]) -> list[str]:
        index = {n: i for i, n in enumerate(other)}

        def key(node: str) -> tuple[float, str]:
            links = [(index[m], graph.edges[node, m]["weight"]) for m in graph[node] if m in index]
            total = sum(w for _, w in links)
            return (sum(i * w for i, w in links) / total if total else len(other), graph.nodes[node]["label"])

        return sorted(side, key=key)

    for _ in range(4):
        partners = by_barycentre(partners, pd1)
        pd1 = by_barycentre(pd1, partners)
    return pd1, partners


def pd1_network_figure(source: GraphSource, *, partners: int = 20) -> Figure:
    """The PD-1/PD-L1 inhibitors (left) and their `partners` most frequent combination partners
    (right, by arms, with their classes), each link one or more arms giving both.

    Two columns rather than a spring layout: the partners share most PD-1 agents (carboplatin,
    pemetrexed, paclitaxel... go with the same ones), which a force layout draws as one knot. Links
    between two partners are not drawn. Deterministic: no random layout.
    """
    top = network.pd1_partners(source).head(partners)
    graph = network.pd1_subnetwork(network.combination_network(source), top["partner_iri"])
    pd1 = sorted(
        (n for n, d in graph.nodes(data=True) if d["pd1_axis"]), key=lambda n: graph.nodes[n]["label"]
    )
    others = sorted((n for n in graph if n not in set(pd1)), key=lambda n: graph.nodes[n]["label"])
    fig = Figure(figsize=(8.0, 1.4 + 0.32 * max(len(pd1), len(others), 3)), layout="constrained")
    if not pd1 or not others:
        return _message(fig, "no PD-1/PD-L1 inhibitor is given together with another agent here")
    pd1, others = _column_order(graph, pd1, others)
    pos = {n: (0.0, 1.0 - i / max(len(pd1) - 1, 1)) for i, n in enumerate(pd1)}
    pos |= {n: (1.0, 1.0 - i / max(len(others) - 1, 1)) for i, n in enumerate(others)}
    links = [(u, v) for u, v in graph.edges if graph.nodes[u]["pd1_axis"] != graph.nodes[v]["pd1_axis"]]
    ax: Axes = fig.add_subplot()
    ax.set_axis_off()
    nx.draw_networkx_edges(
        graph,
        pos,
        ax=ax,
        edgelist=links,
        edge_color="0.45",
        alpha=0.7,
        width=[0.6 + 1.4 * math.sqrt(graph.edges[e]["weight"]) for e in links],
    )
    for nodes, colour in ((pd1, _PD1_COLOUR), (others, _PARTNER_COLOUR)):
        nx.draw_networkx_nodes(
            graph,
            pos,
            ax=ax,
            nodelist=nodes,
            node_color=colour,
            node_size=[30 + 12 * graph.nodes[n]["arms"] for n in nodes],
        )
    for node in pd1:
        ax.text(-0.04, pos[node][1], graph.nodes[node]["label"], ha="right", va="center", fontsize=9)
    for node in others:
        data = graph.nodes[node]
        classes = f"  ({data['classes']})" if data["classes"] else ""
        ax.text(1.04, pos[node][1], data["label"] + classes, ha="left", va="center", fontsize=9)
    ax.set_xlim(-0.75, 2.0)
    handles = [
        Line2D([], [], marker="o", linestyle="", color=colour, markersize=7, label=name)
        for colour, name in ((_PD1_COLOUR, "PD-1/PD-L1 inhibitor"), (_PARTNER_COLOUR, "partner"))
    ]
    ax.legend(
        handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncols=2, fontsize=8, frameon=False
    )
    ax.set_title(
        f"PD-1/PD-L1 inhibitors and their {len(others)} most frequent combination partners\n"
        "a link: given together in one arm (a trial without arms is one arm); "
        "width and node size grow with the arms",
        loc="left",
        fontsize=10,
    )
    return fig


def save_figure(fig: Figure, path: str | Path, *, dpi: int = 100) -> Path:
    """Write the figure as PNG or SVG (by suffix), reproducibly (no date or version stamp)."""
    target = Path(path)
    fmt = target.suffix.lstrip(".").lower()
    if fmt not in FORMATS:
        raise ValueError(f"{target.name}: write a {' or '.join('.' + f for f in FORMATS)} file")
    with mpl.rc_context({"svg.hashsalt": "trialgraph"}):
        fig.savefig(target, format=fmt, dpi=dpi, metadata=_METADATA[fmt])
    log.info("wrote %s", target)
    return target


def write_figures(source: GraphSource, out_dir: str | Path, *, fmt: str = "png") -> list[Path]:
    """Write every figure of FIGURES into out_dir as `<name>.<fmt>`; returns the paths."""
    if fmt not in FORMATS:
        raise ValueError(f"format {fmt!r}: use one of {', '.join(FORMATS)}")
    directory = Path(out_dir)
    directory.mkdir(parents=True, exist_ok=True)
    makers: dict[str, Callable[[GraphSource], Figure]] = {
        "endpoint-types-by-drug-class": endpoint_types_by_drug_class,
        "pd1-combination-network": pd1_network_figure,
    }
    return [save_figure(makers[name](source), directory / f"{name}.{fmt}") for name in FIGURES]
