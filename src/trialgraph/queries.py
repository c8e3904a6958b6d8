"""The named query library: queries/*.rq, each self-contained, with a header that documents it.

Header lines (comments before the first PREFIX):

    # title: PD-1 combinations measuring PFS
    # description: one line (several "# description:" lines are joined)
    # param: drug (drug) The drug whose partners to list.
    # columns: trial, title, pd1_agents (list), partners (list), pfs_role

A parameter is a SPARQL variable of the same name, and must be projected (and grouped by, in an
aggregate query): engines substitute only projected variables. Columns not in the header are
dropped. Its kind says how a user's value becomes an RDF term: `iri` (an IRI or a prefixed name),
`string` (a literal), or a lookup by label in the graph: `drug` (a tg:Drug by label or synonym),
`endpoint_type` (a subclass of tg:Endpoint by label, abbreviation or local name), `phase` (a
tg:Phase by label or ClinicalTrials.gov code), `condition_group` (a tg:ConditionGroup by label or
local name). Values are bound as RDF terms by the engine, never
pasted into the query text.
A `(list)` column holds several values joined by "; "; they are sorted so that every engine gives
the same cell. Aggregate an OPTIONAL variable as GROUP_CONCAT(DISTINCT COALESCE(?x, "") ...):
rdflib fails on an unbound ?x there; the runner drops the empty items.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from trialgraph.errors import UnknownQueryError
from trialgraph.resources import queries_dir

PARAMETER_KINDS = ("iri", "string", "drug", "endpoint_type", "phase", "condition_group", "trial")
LIST_SEPARATOR = "; "

_HEADER = re.compile(r"^#\s*(?P<key>title|description|param|columns)\s*:\s*(?P<value>.*)$")
_PARAM = re.compile(r"^(?P<name>[A-Za-z_]\w*)\s*\((?P<kind>\w+)(?P<optional>,\s*optional)?\)\s*(?P<doc>.*)$")
_COLUMN = re.compile(r"^(?P<name>[A-Za-z_]\w*)(?P<list>\s*\(list\))?$")


@dataclass(frozen=True)
class Parameter:
    name: str
    kind: str
    description: str
    optional: bool = False


@dataclass(frozen=True)
class Column:
    name: str
    is_list: bool = False


@dataclass(frozen=True)
class NamedQuery:
    name: str
    title: str
    description: str
    parameters: tuple[Parameter, ...]
    columns: tuple[Column, ...]
    text: str
    path: Path | None = None


def parse_query(text: str, name: str, path: Path | None = None) -> NamedQuery:
    """Read the header of a query; a malformed header is an error naming the file and line."""
    fields: dict[str, list[str]] = {"title": [], "description": [], "param": [], "columns": []}
    where = path.name if path else f"{name}.rq"
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        match = _HEADER.match(line)
        if match:
            fields[match["key"]].append(match["value"].strip())
    parameters = []
    for spec in fields["param"]:
        param = _PARAM.match(spec)
        if not param or param["kind"] not in PARAMETER_KINDS:
            raise UnknownQueryError(
                f"{where}: bad '# param:' line {spec!r}; write '# param: NAME (KIND[, optional]) "
                f"description' with KIND one of {', '.join(PARAMETER_KINDS)}"
            )
        parameters.append(Parameter(param["name"], param["kind"], param["doc"], bool(param["optional"])))
    columns = []
    for spec in ",".join(fields["columns"]).split(","):
        column = _COLUMN.match(spec.strip())
        if spec.strip() and not column:
            raise UnknownQueryError(f"{where}: bad column {spec.strip()!r} in '# columns:'")
        if column:
            columns.append(Column(column["name"], bool(column["list"])))
    if not fields["title"] or not columns:
        raise UnknownQueryError(f"{where}: a query needs '# title:' and '# columns:' header lines")
    return NamedQuery(
        name=name,
        title=fields["title"][0],
        description=" ".join(fields["description"]),
        parameters=tuple(parameters),
        columns=tuple(columns),
        text=text,
        path=path,
    )


@cache
def library(directory: Path | None = None) -> dict[str, NamedQuery]:
    """All named queries, by name (the file name without .rq), sorted."""
    base = directory or queries_dir()
    return {p.stem: parse_query(p.read_text(encoding="utf-8"), p.stem, p) for p in sorted(base.glob("*.rq"))}


def get_query(name_or_path: str) -> NamedQuery:
    """A query of the library by name, or a .rq file by path."""
    queries = library()
    if name_or_path in queries:
        return queries[name_or_path]
    path = Path(name_or_path)
    if path.suffix == ".rq" and path.is_file():
        return parse_query(path.read_text(encoding="utf-8"), path.stem, path)
    raise UnknownQueryError(
        f"no query named {name_or_path!r} and no such .rq file; known queries: {', '.join(queries)}"
    )
