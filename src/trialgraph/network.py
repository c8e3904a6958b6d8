"""Drug networks from the knowledge graph, for networkx, Gephi and Cytoscape.

Every network is assembled from SPARQL SELECT rows (`queries/network/*.rq`, run by the same runner
as the named queries), so it can be built on any engine: the embedded store, rdflib or a remote
SPARQL endpoint. Classes, labels and counts all come from the graph; nothing is added here.

- `combination_network`: drugs given together. A unit is an arm where the record has arms, else the
  whole trial (a record without arms is read as one regimen), as in pd1_combinations_measuring_pfs.
  Edge `weight` = `arms`: the number of units giving both drugs (a trial without arms counts as one
  arm); `trials`: the number of distinct trials. Nodes are every active agent, so an agent only ever
  given alone is an isolated node.
- `drug_endpoint_network`, `drug_condition_network`: bipartite (node attribute `bipartite`: 0 for
  drugs, 1 for the other side). Endpoints and conditions belong to the trial, not to an arm, so these
  links are trial-level: edge `weight` = `trials` giving the drug and measuring the type / studying
  the condition. Only nodes with at least one link are included.

>>> import trialgraph as tg                                                  # doctest: +SKIP
>>> from trialgraph import network                                           # doctest: +SKIP
>>> g = tg.build(["seeds/"])                                                 # doctest: +SKIP
>>> net = network.combination_network(g)                                     # doctest: +SKIP
>>> network.pd1_partners(g)                                                  # doctest: +SKIP
>>> network.write_network(network.with_analytics(net), "combination.graphml")  # doctest: +SKIP
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from itertools import combinations
from pathlib import Path

import networkx as nx
import pandas as pd
from networkx.readwrite.gexf import GEXFWriter

from trialgraph.api import TrialGraph
from trialgraph.engines import Engine, Row, Value
from trialgraph.namespaces import TG
from trialgraph.queries import LIST_SEPARATOR, NamedQuery, parse_query
from trialgraph.resources import queries_dir
from trialgraph.runner import rows_for

log = logging.getLogger(__name__)

#: the PD-1/PD-L1 axis class (anti-PD-1 and anti-PD-L1 agents), ontology/drug-classes.ttl
PD1_AXIS = TG + "PD1AxisInhibitor"
#: the networks `build_network` (and `trialgraph network --kind`) knows
KINDS = ("combination", "drug-endpoint", "drug-condition", "drug-condition-group")
#: the file formats `write_network` writes, by suffix
FILE_SUFFIXES = (".graphml", ".gexf")
#: the seed of community detection (Louvain is randomised; a fixed seed gives the same partition)
SEED = 42

GraphSource = Engine | TrialGraph


@cache
def network_query(name: str) -> NamedQuery:
    """A query of queries/network/ (not part of the named-query library)."""
    path = queries_dir() / "network" / f"{name}.rq"
    return parse_query(path.read_text(encoding="utf-8"), name, path)


def _engine(source: GraphSource) -> Engine:
    return source.engine if isinstance(source, TrialGraph) else source


def _rows(engine: Engine, name: str, **params: str) -> list[Row]:
    return rows_for(engine, network_query(name), params)


def _text(value: Value) -> str:
    return "" if value is None else str(value)


def _local_name(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


# ---------------------------------------------------------------------------------------------
# What the networks are made of


@dataclass(frozen=True)
class Agent:
    """An active agent: its label, mechanism classes (labels as the graph gives them) and flags."""

    iri: str
    label: str
    classes: tuple[str, ...]
    uncurated: bool
    pd1_axis: bool

    def attributes(self) -> dict[str, str | int | bool]:
        """Node attributes, GraphML-legal (no lists, no None): classes joined by "; "."""
        return {
            "label": self.label,
            "kind": "drug",
            "classes": LIST_SEPARATOR.join(self.classes),
            "pd1_axis": self.pd1_axis,
            "uncurated": self.uncurated,
        }


@dataclass(frozen=True)
class Regimen:
    """The agents given together in one unit: an arm, or a trial without arms (level "trial")."""

    trial: str
    unit: str
    level: str
    drugs: tuple[str, ...]


def class_members(source: GraphSource, drug_class: str = PD1_AXIS) -> frozenset[str]:
    """The active agents typed with `drug_class` (an IRI or prefixed name) or one of its subclasses."""
    rows = _rows(_engine(source), "class_members", drug_class=drug_class)
    members = frozenset(str(row["drug"]) for row in rows)
    if not members:
        log.warning("no active agent of class %s in the graph", drug_class)
    return members


def agents(source: GraphSource) -> dict[str, Agent]:
    """Every active agent of the graph by IRI."""
    engine = _engine(source)
    pd1 = class_members(engine, PD1_AXIS)
    found = {}
    for row in _rows(engine, "agents"):
        iri = str(row["drug"])
        classes = _text(row["classes"])
        found[iri] = Agent(
            iri=iri,
            label=_text(row["label"]) or _local_name(iri),
            classes=tuple(classes.split(LIST_SEPARATOR)) if classes else (),
            uncurated=bool(row["uncurated"]),
            pd1_axis=iri in pd1,
        )
    return found


def regimens(source: GraphSource) -> list[Regimen]:
    """The units that give active agents, sorted by trial and unit, each with its sorted agents."""
    grouped: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for row in _rows(_engine(source), "unit_agents"):
        grouped[(str(row["trial"]), str(row["unit"]), str(row["level"]))].append(str(row["drug"]))
    return [Regimen(t, u, level, tuple(sorted(set(d)))) for (t, u, level), d in sorted(grouped.items())]


def trial_agents(source: GraphSource) -> dict[str, frozenset[str]]:
    """Each trial's active agents (all its arms together)."""
    grouped: dict[str, set[str]] = defaultdict(set)
    for row in _rows(_engine(source), "trial_agents"):
        grouped[str(row["trial"])].add(str(row["drug"]))
    return {trial: frozenset(drugs) for trial, drugs in sorted(grouped.items())}


@dataclass(frozen=True, order=True)
class TrialLink:
    """A trial's link to an endpoint type, a condition or a condition group."""

    trial: str
    node: str
    label: str
    primary: bool = False  # for an endpoint type: measured as a primary endpoint


def trial_endpoint_types(source: GraphSource) -> list[TrialLink]:
    """Each trial's endpoint types as assigned (the most specific type; no roll-up), any role."""
    primary: dict[tuple[str, str], bool] = {}
    labels: dict[str, str] = {}
    for row in _rows(_engine(source), "trial_endpoint_types"):
        key = (str(row["trial"]), str(row["endpoint_type"]))
        labels[key[1]] = _text(row["label"])
        primary[key] = primary.get(key, False) or row["role"] == "primary"
    return [TrialLink(t, n, labels[n], is_primary) for (t, n), is_primary in sorted(primary.items())]


def trial_conditions(source: GraphSource, *, groups: bool = False) -> list[TrialLink]:
    """Each trial's conditions (canonical nodes), or with `groups` its condition groups."""
    name, column = (
        ("trial_condition_groups", "condition_group") if groups else ("trial_conditions", "condition")
    )
    rows = _rows(_engine(source), name)
    return sorted(TrialLink(str(r["trial"]), str(r[column]), _text(r["label"])) for r in rows)


# ---------------------------------------------------------------------------------------------
# Networks


def combination_network(source: GraphSource) -> nx.Graph:
    """Drugs given together in one arm (or trial without arms); see the module docstring."""
    engine = _engine(source)
    catalogue = agents(engine)
    node_arms: Counter[str] = Counter()
    node_trials: dict[str, set[str]] = defaultdict(set)
    edge_arms: Counter[tuple[str, str]] = Counter()
    edge_trials: dict[tuple[str, str], set[str]] = defaultdict(set)
    for regimen in regimens(engine):
        for drug in regimen.drugs:
            node_arms[drug] += 1
            node_trials[drug].add(regimen.trial)
        for pair in combinations(regimen.drugs, 2):  # drugs are sorted: each pair once, in order
            edge_arms[pair] += 1
            edge_trials[pair].add(regimen.trial)
    graph = nx.Graph(
        name="combination",
        description="drugs given together in one arm (a trial without arms is one arm)",
        weight="arms giving both drugs",
    )
    for drug in sorted(node_arms):
        graph.add_node(
            drug, **catalogue[drug].attributes(), arms=node_arms[drug], trials=len(node_trials[drug])
        )
    for (a, b), arms in sorted(edge_arms.items()):
        graph.add_edge(a, b, weight=arms, arms=arms, trials=len(edge_trials[(a, b)]))
    log.info("combination network: %d drugs, %d pairs", graph.number_of_nodes(), graph.number_of_edges())
    return graph


def _bipartite(
    engine: Engine, links: Iterable[TrialLink], *, name: str, kind: str, description: str
) -> nx.Graph:
    # weight = trials: endpoints and conditions belong to the trial, not to an arm
    """Drugs (bipartite 0) linked to `kind` nodes (bipartite 1) through the trials that have both."""
    catalogue = agents(engine)
    drugs_of = trial_agents(engine)
    edge_trials: dict[tuple[str, str], set[str]] = defaultdict(set)
    edge_primary: dict[tuple[str, str], set[str]] = defaultdict(set)
    labels: dict[str, str] = {}
    for link in links:
        labels[link.node] = link.label
        for drug in drugs_of.get(link.trial, ()):
            edge_trials[(drug, link.node)].add(link.trial)
            if link.primary:
                edge_primary[(drug, link.node)].add(link.trial)
    graph = nx.Graph(name=name, description=description, weight=f"trials giving the drug with the {kind}")
    node_trials: dict[str, set[str]] = defaultdict(set)
    for (drug, other), trials in edge_trials.items():
        node_trials[drug] |= trials
        node_trials[other] |= trials
    for drug in sorted({d for d, _ in edge_trials}):
        graph.add_node(drug, **catalogue[drug].attributes(), bipartite=0, trials=len(node_trials[drug]))
    for other in sorted({o for _, o in edge_trials}):
        graph.add_node(other, label=labels[other], kind=kind, bipartite=1, trials=len(node_trials[other]))
    for (drug, other), trials in sorted(edge_trials.items()):
        attributes: dict[str, int] = {"weight": len(trials), "trials": len(trials)}
        if kind == "endpoint_type":
            attributes["primary_trials"] = len(edge_primary[(drug, other)])
        graph.add_edge(drug, other, **attributes)
    log.info("%s network: %d nodes, %d links", name, graph.number_of_nodes(), graph.number_of_edges())
    return graph


def drug_endpoint_network(source: GraphSource) -> nx.Graph:
    """Drugs and the endpoint types their trials measure; `primary_trials` counts primary endpoints."""
    engine = _engine(source)
    return _bipartite(
        engine,
        trial_endpoint_types(engine),
        name="drug-endpoint",
        kind="endpoint_type",
        description="drug - endpoint type (as assigned, no roll-up), any role; primary_trials: "
        "trials where it is a primary endpoint",
    )


def drug_condition_network(source: GraphSource, *, groups: bool = False) -> nx.Graph:
    """Drugs and the conditions (or, with `groups`, the condition groups) of their trials."""
    engine = _engine(source)
    kind = "condition_group" if groups else "condition"
    return _bipartite(
        engine,
        trial_conditions(engine, groups=groups),
        name="drug-condition-group" if groups else "drug-condition",
        kind=kind,
        description=f"drug - {kind.replace('_', ' ')} of its trials",
    )


def build_network(source: GraphSource, kind: str) -> nx.Graph:
    """The network of one of KINDS."""
    if kind == "combination":
        return combination_network(source)
    if kind == "drug-endpoint":
        return drug_endpoint_network(source)
    if kind in ("drug-condition", "drug-condition-group"):
        return drug_condition_network(source, groups=kind == "drug-condition-group")
    raise ValueError(f"unknown network kind {kind!r}; use one of {', '.join(KINDS)}")


# ---------------------------------------------------------------------------------------------
# Analytics


def communities(graph: nx.Graph, *, seed: int = SEED) -> list[list[str]]:
    """Louvain communities on edge weights (fixed seed), largest first, each sorted."""
    if graph.number_of_edges() == 0:
        return [[node] for node in sorted(graph)]
    found = nx.community.louvain_communities(graph, weight="weight", seed=seed)
    return sorted((sorted(community) for community in found), key=lambda c: (-len(c), c[0]))


def _analytics(graph: nx.Graph, seed: int) -> dict[str, dict[str, int | float]]:
    degree = dict(graph.degree())
    strength = dict(graph.degree(weight="weight"))
    # hops, not weights: weights count arms or trials (closeness, not distance)
    betweenness = nx.betweenness_centrality(graph)
    community = {node: i for i, members in enumerate(communities(graph, seed=seed)) for node in members}
    return {
        node: {
            "degree": int(degree[node]),
            "weighted_degree": int(strength[node]),
            "betweenness": round(float(betweenness[node]), 4),
            "community": community[node],
        }
        for node in graph
    }


def centrality(graph: nx.Graph, *, seed: int = SEED) -> pd.DataFrame:
    """Per node: degree (partners), weighted degree (sum of edge weights), betweenness and community.

    Betweenness counts hops: edge weights are counts of arms or trials (closeness, not distance), so
    they are not used as path lengths. Sorted by weighted degree, degree, then label.
    """
    analytics = _analytics(graph, seed)
    columns = ["label", "kind", "classes", "degree", "weighted_degree", "betweenness", "community", "node"]
    frame = pd.DataFrame(
        [
            {
                "label": data.get("label", node),
                "kind": data.get("kind", ""),
                "classes": data.get("classes", ""),
                **analytics[node],
                "node": node,
            }
            for node, data in graph.nodes(data=True)
        ],
        columns=columns,
    )
    frame = frame.sort_values(
        ["weighted_degree", "degree", "label", "node"], ascending=[False, False, True, True], kind="stable"
    )
    return frame.reset_index(drop=True)


def with_analytics(graph: nx.Graph, *, seed: int = SEED) -> nx.Graph:
    """A copy of the graph with degree, weighted_degree, betweenness and community on every node
    (for Gephi and Cytoscape, which then need not recompute them)."""
    annotated = graph.copy()
    for node, values in _analytics(graph, seed).items():
        annotated.nodes[node].update(values)
    return annotated


def pd1_partners(source: GraphSource, drug_class: str = PD1_AXIS) -> pd.DataFrame:
    """Which agents are most often given together with an agent of `drug_class` (default: PD-1/PD-L1
    inhibitors), counted in arms (a trial without arms is one arm) and in trials.

    A partner is an agent outside the class in the same arm, as in pd1_combinations_measuring_pfs
    (but whatever the endpoints). `combined_with` lists the class's agents it was given with.
    """
    engine = _engine(source)
    members = class_members(engine, drug_class)
    catalogue = agents(engine)
    arms: Counter[str] = Counter()
    trials: dict[str, set[str]] = defaultdict(set)
    together: dict[str, set[str]] = defaultdict(set)
    for regimen in regimens(engine):
        anchors = [d for d in regimen.drugs if d in members]
        if not anchors:
            continue
        for partner in (d for d in regimen.drugs if d not in members):
            arms[partner] += 1
            trials[partner].add(regimen.trial)
            together[partner].update(catalogue[a].label for a in anchors)
    frame = pd.DataFrame(
        [
            {
                "partner": catalogue[p].label,
                "partner_classes": LIST_SEPARATOR.join(catalogue[p].classes),
                "combined_with": LIST_SEPARATOR.join(sorted(together[p])),
                "arms": arms[p],
                "trials": len(trials[p]),
                "partner_iri": p,
            }
            for p in arms
        ],
        columns=["partner", "partner_classes", "combined_with", "arms", "trials", "partner_iri"],
    )
    frame = frame.sort_values(
        ["arms", "trials", "partner"], ascending=[False, False, True], kind="stable"
    ).reset_index(drop=True)
    return frame.astype({"arms": "int64", "trials": "int64"})


def pd1_subnetwork(graph: nx.Graph, partners: Iterable[str]) -> nx.Graph:
    """The combination network restricted to the given partners and the PD-1-axis agents given with
    them (edges among them included)."""
    keep = {p for p in partners if p in graph}
    keep |= {n for p in keep for n in graph[p] if graph.nodes[n].get("pd1_axis")}
    return graph.subgraph(sorted(keep)).copy()


# ---------------------------------------------------------------------------------------------
# Export


def _check_attributes(graph: nx.Graph) -> None:
    """GraphML and GEXF take str, int, float and bool values only (no lists, no None)."""
    items: list[tuple[str, Mapping[str, object]]] = [("graph", graph.graph)]
    items += [(f"node {n}", d) for n, d in graph.nodes(data=True)]
    items += [(f"edge {u} - {v}", d) for u, v, d in graph.edges(data=True)]
    for where, data in items:
        for key, value in data.items():
            if not isinstance(value, str | int | float | bool):
                raise TypeError(f"{where}: attribute {key!r} is {type(value).__name__}, not GraphML-legal")


def write_network(graph: nx.Graph, path: str | Path) -> Path:
    """Write GraphML (.graphml) or GEXF (.gexf), chosen by the suffix; the same graph gives the same
    bytes (nodes and edges in the graph's sorted order; GEXF without its last-modified date)."""
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in FILE_SUFFIXES:
        raise ValueError(f"{target.name}: write a {' or '.join(FILE_SUFFIXES)} file")
    _check_attributes(graph)
    if suffix == ".graphml":
        nx.write_graphml(graph, target)
    else:
        writer = GEXFWriter(encoding="utf-8", prettyprint=True)
        meta = writer.xml.find("meta")
        if meta is not None:  # the writer stamps today's date: the file would change every day
            meta.attrib.pop("lastmodifieddate", None)
        writer.add_graph(graph)
        writer.write(target)
    return target
