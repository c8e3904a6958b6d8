"""SHACL validation of a trial graph, with a report grouped for people.

The shapes (shapes/trialgraph.shacl.ttl) are checked by pyshacl, the reference implementation, on the
data graph merged with the ontology (ontology/*.ttl), so that targets and ``sh:class`` follow the class
hierarchy (a drug typed with a mechanism class is a ``tg:Drug``). No inference beyond that is used.

Shapes are local to a trial (plus the vocabulary it points to), so large inputs are best validated in
batches of trials; :func:`validate_graph` validates whatever graph it is given.

>>> from rdflib import Graph
>>> report = validate_graph(Graph())  # the vocabulary alone
>>> report.conforms
True
"""

from __future__ import annotations

import bisect
import logging
import warnings
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Literal, cast

import pyshacl
from rdflib import BNode, Dataset, Graph, URIRef
from rdflib import Literal as RDFLiteral
from rdflib.collection import Collection
from rdflib.namespace import RDF, NamespaceManager
from rdflib.term import Node

from trialgraph.namespaces import PREFIXES, SH
from trialgraph.resources import ontology_dir, shapes_dir

__all__ = [
    "SHAPES_FILE",
    "Finding",
    "Severity",
    "ValidationReport",
    "ValidationSummary",
    "load_ontology",
    "load_shapes",
    "validate_graph",
    "validate_ntriples",
]

log = logging.getLogger(__name__)

Severity = Literal["Violation", "Warning", "Info"]

#: the shapes file's name inside the shapes directory
SHAPES_FILE = "trialgraph.shacl.ttl"
#: the namespace of the shapes themselves (tgsh:TrialShape, tgsh:Trial-title-required, ...)
SHAPES_NS = "https://w3id.org/trialgraph/shapes#"

#: the order findings and report groups are listed in
SEVERITY_ORDER: tuple[Severity, ...] = ("Violation", "Warning", "Info")
_SEVERITY_RANK = {severity: rank for rank, severity in enumerate(SEVERITY_ORDER)}
_PLURAL = {"Violation": "violations", "Warning": "warnings", "Info": "infos"}


def _count(n: int, severity: Severity) -> str:
    return f"{n} {severity.lower()}" if n == 1 else f"{n} {_PLURAL[severity]}"


_SH_PATH_KEYS: dict[URIRef, str] = {
    URIRef(SH + "inversePath"): "^{}",
    URIRef(SH + "zeroOrMorePath"): "{}*",
    URIRef(SH + "oneOrMorePath"): "{}+",
    URIRef(SH + "zeroOrOnePath"): "{}?",
}


@dataclass(frozen=True)
class Finding:
    """One SHACL validation result, as plain strings.

    ``focus_node`` and ``value`` are full IRIs, ``_:id`` for blank nodes, or (``value`` only) a literal
    in N-Triples/Turtle form with a compacted datatype (``"P3X"^^xsd:duration``). ``result_path`` is
    the SHACL path in SPARQL property-path syntax with the project prefixes (``tg:measure``,
    ``^tg:hasEndpoint``). ``constraint`` is the local name of ``sh:sourceConstraintComponent``
    (``MinCountConstraintComponent``); ``source_shape`` the shape's compact name (``tgsh:...``).
    """

    focus_node: str
    result_path: str | None
    constraint: str
    source_shape: str
    severity: Severity
    message: str
    value: str | None

    def sort_key(self) -> tuple[int, str, str, str, str, str, str]:
        return (
            _SEVERITY_RANK[self.severity],
            self.source_shape,
            self.constraint,
            self.result_path or "",
            self.focus_node,
            self.value or "",
            self.message,
        )


@dataclass(frozen=True)
class ValidationReport:
    """The findings of one validation run, sorted (severity, shape, constraint, path, focus node)."""

    findings: tuple[Finding, ...]

    @property
    def conforms(self) -> bool:
        """True when there is no sh:Violation (warnings and infos do not make a graph invalid)."""
        return not any(f.severity == "Violation" for f in self.findings)

    @property
    def counts(self) -> dict[Severity, int]:
        """How many findings of each severity, every severity present (0 when none)."""
        counter = Counter(f.severity for f in self.findings)
        return {severity: counter.get(severity, 0) for severity in SEVERITY_ORDER}

    def of_severity(self, severity: Severity) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == severity)

    def render(self, max_examples: int = 3) -> str:
        """A readable text report (see ValidationSummary.render); the same findings always give
        the same text.

        >>> ValidationReport(()).render()
        'SHACL validation: conforms (0 violations, 0 warnings, 0 infos)'
        """
        return ValidationSummary(max_examples).add(self.findings).render()

    def __str__(self) -> str:
        return self.render()


@dataclass
class _Group:
    count: int = 0
    #: the smallest (focus node, value) pairs seen, sorted, with a finding for each
    examples: list[tuple[tuple[str, str], Finding]] = field(default_factory=list)


class ValidationSummary:
    """Findings as they stream in (a large build validates trial by trial): the count of each
    (severity, shape, constraint, path, message) group and its first examples in sort order, in
    memory that does not grow with the number of findings."""

    def __init__(self, max_examples: int = 3) -> None:
        self.max_examples = max_examples
        self._groups: dict[tuple[Severity, GroupKey], _Group] = {}

    def add(self, findings: Iterable[Finding]) -> ValidationSummary:
        for f in findings:
            group = self._groups.setdefault(
                (f.severity, (f.source_shape, f.constraint, f.result_path or "", f.message)), _Group()
            )
            group.count += 1
            key = (f.focus_node, f.value or "")
            examples = group.examples
            smaller = len(examples) < self.max_examples or (examples and key < examples[-1][0])
            if smaller and all(key != seen for seen, _ in examples):
                bisect.insort(examples, (key, f), key=lambda item: item[0])
                del examples[self.max_examples :]
        return self

    @property
    def conforms(self) -> bool:
        return not any(severity == "Violation" for severity, _ in self._groups)

    @property
    def counts(self) -> dict[Severity, int]:
        counts = dict.fromkeys(SEVERITY_ORDER, 0)
        for (severity, _), group in self._groups.items():
            counts[severity] += group.count
        return counts

    def render(self) -> str:
        """One block per group, with its count and a few example focus nodes; violations first,
        then warnings, then infos; within a severity the largest groups first."""
        counts = self.counts
        summary = ", ".join(_count(counts[s], s) for s in SEVERITY_ORDER)
        status = "conforms" if self.conforms else "DOES NOT CONFORM"
        lines = [f"SHACL validation: {status} ({summary})"]
        for severity in SEVERITY_ORDER:
            groups = sorted(
                ((key, group) for (sev, key), group in self._groups.items() if sev == severity),
                key=lambda item: (-item[1].count, item[0]),
            )
            if not groups:
                continue
            lines += ["", f"{_PLURAL[severity].upper()} ({counts[severity]})"]
            for (shape, constraint, path, message), group in groups:
                where = f"{shape} · {constraint}" + (f" · path {path}" if path else "")
                lines += ["", f"  [{group.count}] {message}", f"      {where}"]
                shown = [_example(f) for _, f in group.examples]
                lines += [f"      - {text}" for text in shown]
                if group.count > len(shown):
                    lines.append(f"      ... and {group.count - len(shown)} more")
        return "\n".join(lines)


GroupKey = tuple[str, str, str, str]


def _example(f: Finding) -> str:
    if f.value is None or f.value == f.focus_node:
        return f.focus_node
    shown = f.value if f.value.startswith(('"', "_:")) else _compact(URIRef(f.value), _namespace_manager())
    return f"{f.focus_node}  value {shown}"


# ---------------------------------------------------------------------------------------------
# Loading the shapes and the ontology


def load_shapes(path: Path | str | None = None) -> Graph:
    """The shapes graph: ``path``, or the project's shapes/trialgraph.shacl.ttl (parsed once, cached).

    The returned graph is shared between calls: do not modify it.
    """
    resolved = Path(path) if path is not None else shapes_dir() / SHAPES_FILE
    return _load_shapes(resolved.resolve())


@lru_cache(maxsize=8)
def _load_shapes(path: Path) -> Graph:
    graph = Graph()
    graph.parse(path, format="turtle")
    log.debug("loaded %d shape triples from %s", len(graph), path)
    return graph


@cache
def load_ontology() -> Graph:
    """The ontology: every ontology/*.ttl merged into one graph (parsed once, cached).

    The returned graph is shared between calls: do not modify it.
    """
    graph = Graph()
    files = sorted(ontology_dir().glob("*.ttl"))
    for file in files:
        graph.parse(file, format="turtle")
    log.debug("loaded %d ontology triples from %d files", len(graph), len(files))
    return graph


# ---------------------------------------------------------------------------------------------
# Validation


def validate_graph(
    data: Graph, *, shapes: Graph | None = None, ontology: Graph | None = None
) -> ValidationReport:
    """Validate ``data`` against the shapes, with the ontology merged in for the class hierarchy.

    ``shapes`` and ``ontology`` default to :func:`load_shapes` and :func:`load_ontology`. ``data`` is
    not modified (pyshacl validates a copy with the ontology mixed in).
    """
    shapes_graph = shapes if shapes is not None else load_shapes()
    ontology_graph = ontology if ontology is not None else load_ontology()
    _conforms, results_graph, _text = pyshacl.validate(
        data,
        shacl_graph=shapes_graph,
        ont_graph=ontology_graph,
        inference="none",
        advanced=False,
        abort_on_first=False,
        allow_infos=True,
        allow_warnings=True,
        meta_shacl=False,
        debug=False,
    )
    report = ValidationReport(tuple(sorted(_findings(cast(Graph, results_graph)), key=Finding.sort_key)))
    counts = report.counts
    log.info(
        "SHACL validation of %d triples: %d violations, %d warnings, %d infos",
        len(data),
        counts["Violation"],
        counts["Warning"],
        counts["Info"],
    )
    return report


def validate_ntriples(text: str) -> ValidationReport:
    """Validate a graph given as N-Triples or N-Quads text (what the converter's sinks write).

    Graph names are dropped: the statements of all named graphs are validated together (N-Triples
    is a subset of N-Quads, so both parse the same way).

    >>> validate_ntriples("").conforms
    True
    """
    data = Graph()
    if text.strip():
        dataset = Dataset()
        with warnings.catch_warnings():
            # rdflib's own N-Quads parser calls its deprecated Dataset.default_context
            warnings.simplefilter("ignore", DeprecationWarning)
            dataset.parse(data=text, format="nquads")
        for s, p, o, _graph in dataset.quads((None, None, None, None)):
            data.add((s, p, o))
    return validate_graph(data)


def _findings(results: Graph) -> Iterable[Finding]:
    nm = _namespace_manager()
    sh = _SHTerms
    for result in sorted(results.subjects(RDF.type, sh.ValidationResult), key=str):
        focus = results.value(result, sh.focusNode)
        path = results.value(result, sh.resultPath)
        component = results.value(result, sh.sourceConstraintComponent)
        shape = results.value(result, sh.sourceShape)
        severity = results.value(result, sh.resultSeverity)
        value = results.value(result, sh.value)
        messages = sorted(str(m) for m in results.objects(result, sh.resultMessage))
        yield Finding(
            focus_node=_term(focus, nm) if focus is not None else "",
            result_path=_path(results, path, nm) if path is not None else None,
            constraint=_local_name(component),
            source_shape=_compact(shape, nm) if shape is not None else "",
            severity=_severity(severity),
            message=messages[0] if messages else _default_message(component),
            value=_term(value, nm, compact=True) if value is not None else None,
        )


class _SHTerms:
    ValidationResult = URIRef(SH + "ValidationResult")
    focusNode = URIRef(SH + "focusNode")
    resultPath = URIRef(SH + "resultPath")
    sourceConstraintComponent = URIRef(SH + "sourceConstraintComponent")
    sourceShape = URIRef(SH + "sourceShape")
    resultSeverity = URIRef(SH + "resultSeverity")
    resultMessage = URIRef(SH + "resultMessage")
    value = URIRef(SH + "value")
    alternativePath = URIRef(SH + "alternativePath")


@cache
def _namespace_manager() -> NamespaceManager:
    nm = NamespaceManager(Graph(bind_namespaces="none"), bind_namespaces="none")
    for prefix, namespace in sorted(PREFIXES.items()):
        nm.bind(prefix, namespace, override=True, replace=True)
    nm.bind("tgsh", SHAPES_NS, override=True, replace=True)
    nm.bind("sh", SH, override=True, replace=True)
    return nm


def _severity(node: Node | None) -> Severity:
    name = _local_name(node)
    for severity in SEVERITY_ORDER:
        if name == severity:
            return severity
    # SHACL allows other severities; a result with one is not ignorable, so count it as a violation
    log.warning("unknown SHACL severity %s, reported as Violation", node)
    return "Violation"


def _local_name(node: Node | None) -> str:
    if node is None:
        return ""
    text = str(node)
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1] if isinstance(node, URIRef) else text


def _default_message(component: Node | None) -> str:
    return f"{_local_name(component) or 'constraint'} not satisfied"


def _compact(node: Node, nm: NamespaceManager) -> str:
    if isinstance(node, URIRef):
        try:
            prefix, _namespace, local = nm.compute_qname_strict(str(node), generate=False)
        except (KeyError, ValueError):
            return str(node)
        return f"{prefix}:{local}" if prefix else str(node)
    if isinstance(node, BNode):
        return f"_:{node}"
    return str(node)


def _term(node: Node, nm: NamespaceManager, *, compact: bool = False) -> str:
    if isinstance(node, URIRef):
        return str(node)
    if isinstance(node, BNode):
        return f"_:{node}"
    if isinstance(node, RDFLiteral):
        return node.n3(nm) if compact else node.n3()
    return str(node)


def _path(graph: Graph, node: Node, nm: NamespaceManager) -> str:
    """A SHACL path node as a SPARQL property path (``tg:measure``, ``^tg:hasEndpoint``, ``a/b``)."""
    if isinstance(node, URIRef):
        return _compact(node, nm)
    if graph.value(node, RDF.first) is not None or node == RDF.nil:
        items = [_path_item(graph, item, nm) for item in Collection(graph, node)]
        return "/".join(items)
    for key, template in _SH_PATH_KEYS.items():
        inner = graph.value(node, key)
        if inner is not None:
            return template.format(_path_item(graph, inner, nm))
    alternatives = graph.value(node, _SHTerms.alternativePath)
    if alternatives is not None:
        return "|".join(_path_item(graph, item, nm) for item in Collection(graph, alternatives))
    return _compact(node, nm)


def _path_item(graph: Graph, node: Node, nm: NamespaceManager) -> str:
    text = _path(graph, node, nm)
    return f"({text})" if not isinstance(node, URIRef) and ("/" in text or "|" in text) else text
