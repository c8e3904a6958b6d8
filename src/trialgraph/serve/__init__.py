"""`trialgraph serve`: a read-only SPARQL 1.1 Protocol endpoint and query page over a built graph.

protocol.py   where the query is in a request, content negotiation
querycheck.py what a query is before it runs (form; updates and SERVICE refused)
workers.py    evaluation in killable worker processes (the time limit)
results.py    SPARQL results written row by row under the row and byte caps
named.py      the named-query API, parameters bound as RDF terms by the runner
server.py     the HTTP server; static/ the page
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["ServeConfig", "SparqlServer"]

if TYPE_CHECKING:
    from trialgraph.serve.server import ServeConfig, SparqlServer


def __getattr__(name: str) -> Any:
    # Imported on first use: a query worker imports trialgraph.serve.workers and should not pay for
    # the server's imports (pandas, through the runner), which doubled its start-up time.
    if name in __all__:
        from trialgraph.serve import server

        return getattr(server, name)
    raise AttributeError(f"module 'trialgraph.serve' has no attribute {name!r}")
