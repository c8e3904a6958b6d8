"""Named queries over HTTP: the library as JSON, and a query run with parameters bound as RDF terms.

The existing runner does the work (`runner.rows_for`: parameter lookup by label, binding, list cells
sorted); its engine here sends each SELECT to a worker process, so the time limit and row cap hold
for the lookups as well as the query.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from typing import Any

from trialgraph.engines import Row, Term
from trialgraph.errors import QueryParameterError, UnknownQueryError
from trialgraph.queries import NamedQuery, library
from trialgraph.runner import rows_for
from trialgraph.serve.errors import ServeError
from trialgraph.serve.workers import RowsAnswer, RowsJob, WorkerPool


class WorkerEngine:
    """An engines.Engine whose SELECTs run in the pool, within one deadline for the whole request."""

    name = "serve"

    def __init__(self, pool: WorkerPool, *, timeout: float, max_rows: int) -> None:
        self.pool = pool
        self.deadline = time.monotonic() + timeout
        self.timeout = timeout
        self.max_rows = max_rows
        self.truncated = False

    def select(self, sparql: str, bindings: Mapping[str, Term] | None = None) -> list[Row]:
        # parameter values were checked (IRIs validated) by runner.resolve_parameter already
        terms = dict(bindings or {})
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise ServeError(503, f"query timed out: it ran longer than the {self.timeout:g} s limit")
        answer = self.pool.run(RowsJob(sparql, terms, self.max_rows), remaining)
        assert isinstance(answer, RowsAnswer)
        self.truncated = self.truncated or answer.truncated
        return answer.rows


def describe(query: NamedQuery) -> dict[str, Any]:
    return {
        "name": query.name,
        "title": query.title,
        "description": query.description,
        "parameters": [
            {"name": p.name, "kind": p.kind, "description": p.description, "optional": p.optional}
            for p in query.parameters
        ],
        "columns": [{"name": c.name, "list": c.is_list} for c in query.columns],
        "text": query.text,
    }


def listing() -> bytes:
    return json.dumps({"queries": [describe(q) for q in library().values()]}, ensure_ascii=False).encode()


def run_named(
    pool: WorkerPool,
    name: str,
    params: Mapping[str, list[str]],
    *,
    timeout: float,
    max_rows: int,
    max_bytes: int,
) -> tuple[bytes, str | None]:
    """The JSON answer of a named query and the cap that cut it, if any.

    {"query": name, "columns": [...], "rows": [{column: value}], "truncated": null | "max-rows=N"}
    """
    queries = library()
    if name not in queries:  # only the library: never a path on the server's disk
        raise UnknownQueryError(f"no query named {name!r}; known queries: {', '.join(queries)}")
    query = queries[name]
    single: dict[str, str] = {}
    for key, values in params.items():
        if len(values) != 1:
            raise QueryParameterError(f"give parameter {key!r} once")
        single[key] = values[0]
    engine = WorkerEngine(pool, timeout=timeout, max_rows=max_rows)
    rows = rows_for(engine, query, single)
    truncated = f"max-rows={max_rows}" if engine.truncated else None
    columns = [c.name for c in query.columns]
    head = '{"query":' + json.dumps(name) + ',"columns":' + json.dumps(columns) + ',"rows":['
    parts, size = [head], len(head) + 40
    for i, row in enumerate(rows):
        chunk = ("," if i else "") + json.dumps(row, ensure_ascii=False)
        if size + len(chunk.encode()) > max_bytes:
            truncated = f"max-bytes={max_bytes}"
            break
        parts.append(chunk)
        size += len(chunk.encode())
    parts.append('],"truncated":' + json.dumps(truncated) + "}")
    return "".join(parts).encode("utf-8"), truncated
