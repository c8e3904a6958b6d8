"""The notebook API.

>>> import trialgraph as tg                                          # doctest: +SKIP
>>> g = tg.build(["seeds/"])                                          # doctest: +SKIP
>>> g.query("pd1_combinations_measuring_pfs")                         # doctest: +SKIP
>>> g.query("combination_partners", drug="pembrolizumab")             # doctest: +SKIP
>>> tg.query("pd1_combinations_measuring_pfs", endpoint="http://localhost:8890/sparql")  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd
import pyoxigraph as ox
import rdflib

from trialgraph import store as stores
from trialgraph.engines import OxigraphEngine, Row
from trialgraph.pipeline import BuildReport, build_graph
from trialgraph.queries import get_query, library
from trialgraph.remote import SparqlEndpointEngine
from trialgraph.runner import run_query
from trialgraph.validate import ValidationReport, validate_ntriples


class TrialGraph:
    """A built trial graph in the embedded store, queried by name."""

    def __init__(self, store: ox.Store, *, report: BuildReport | None = None, directory: Path | None = None):
        self.store = store
        self.report = report
        self.directory = directory
        self.engine = OxigraphEngine(store)

    def query(self, name: str, **params: str) -> pd.DataFrame:
        """Run a named query (or a .rq file) with parameters bound as RDF terms."""
        return run_query(self.engine, get_query(name), params)

    def sparql(self, text: str) -> pd.DataFrame:
        """Run ad-hoc SPARQL SELECT text (no parameters; use a .rq file with a header for those)."""
        rows: list[Row] = self.engine.select(text)
        return pd.DataFrame(rows)

    @staticmethod
    def queries() -> pd.DataFrame:
        """The named queries with their descriptions and parameters."""
        return pd.DataFrame(
            [
                {
                    "name": q.name,
                    "title": q.title,
                    "parameters": ", ".join(p.name for p in q.parameters),
                    "description": q.description,
                }
                for q in library().values()
            ]
        )

    def ntriples(self) -> str:
        return stores.serialize(self.store, ox.RdfFormat.N_QUADS).decode("utf-8")

    def to_rdflib(self) -> rdflib.Graph:
        """A copy of the graph in rdflib (for pyshacl, rdflib tooling; small graphs only)."""
        graph = rdflib.Graph()
        graph.parse(data=self.ntriples(), format="nt")
        return graph

    def validate(self) -> ValidationReport:
        return validate_ntriples(self.ntriples())

    def __len__(self) -> int:
        return len(self.store)

    def __repr__(self) -> str:
        where = f" at {self.directory}" if self.directory else " in memory"
        return f"<TrialGraph{where}: {len(self)} triples>"


def build(paths: Iterable[str | Path], out: str | Path | None = None, *, validate: bool = True) -> TrialGraph:
    """Read, convert and validate records into a graph: in memory, or written to `out` as files and
    an on-disk store that `load(out)` reopens."""
    out_dir = Path(out) if out is not None else None
    store, report = build_graph([Path(p) for p in paths], out_dir, validate=validate)
    return TrialGraph(store, report=report, directory=out_dir)


def load(directory: str | Path) -> TrialGraph:
    """Open a graph directory written by `build(..., out=...)` or `trialgraph build --out`."""
    path = Path(directory)
    return TrialGraph(stores.open_disk_store(path), directory=path)


def query(name: str, *, endpoint: str, timeout: float = 60.0, **params: str) -> pd.DataFrame:
    """Run a named query (or a .rq file) against any SPARQL 1.1 endpoint holding a trialgraph export:
    the same text, parameters bound as RDF terms, and the same DataFrame as `TrialGraph.query`."""
    return run_query(SparqlEndpointEngine(endpoint, timeout=timeout), get_query(name), params)
