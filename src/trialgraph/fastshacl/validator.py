"""FastValidator: the compiled shapes, the indexed ontology, and validation of batches of lines."""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from typing import Any

from rdflib import Graph

from trialgraph.fastshacl.compiler import CompiledShapes, Result, Shape, compile_shapes
from trialgraph.fastshacl.graph import RDF_TYPE, DataView, Index, class_closures
from trialgraph.fastshacl.terms import BNode, Term, Triple, from_rdflib, split_lines, to_rdflib
from trialgraph.validate import (
    Finding,
    ValidationReport,
    _namespace_manager,
    _term,
    load_ontology,
    load_shapes,
)

__all__ = ["FastValidator", "merge_findings", "validate_ntriples_fast"]

_VALUE_CACHE_MAX = 100_000


class FastValidator:
    """pyshacl's results for the project's shapes, computed with plain-Python checks.

    ``shapes`` and ``ontology`` default to :func:`trialgraph.validate.load_shapes` and
    :func:`~trialgraph.validate.load_ontology`, as for :func:`trialgraph.validate.validate_graph`: the
    data is validated with the ontology merged in. Construction compiles the shapes (raising
    :class:`~trialgraph.fastshacl.UnsupportedShapeError` for anything not implemented) and indexes
    the ontology once.

    Two ways to validate:

    - exactly like ``validate_graph(data)``: :meth:`validate_text` / :meth:`validate_graph` (every focus
      node of data and ontology together);
    - in batches (:meth:`validate_lines` reports the focus nodes that are subjects of its lines, with
      the lines laid over the ontology), merged with :func:`merge_findings`. To get what
      ``validate_graph`` gives for all the data at once, split the converter's output as it is made:

      1. :meth:`validate_vocabulary` once;
      2. per batch of trials, ``validate_lines(their Conversion.lines, context=their Conversion.shared)``;
      3. once, ``validate_lines(every distinct shared line)`` (conditions, uncurated drugs, MeSH
         labels; or in parts that each hold all the lines of their subjects).

      A shared node (a condition, an uncurated drug) is described by every trial that names it, and
      not always in the same words: two trials may give one uncurated drug two labels. Validated
      inside one batch it would show only that batch's statements; step 3 sees them all.
      Validating whole trials (``lines + shared``) per batch is exact for everything else.

    The validator pickles as its inputs (default inputs as nothing at all), so a worker process
    rebuilds it; building takes well under a second with the default shapes and ontology cached.
    """

    def __init__(self, shapes: Graph | None = None, ontology: Graph | None = None) -> None:
        self._shapes_graph = shapes
        self._ontology_graph = ontology
        compiled = compile_shapes(shapes if shapes is not None else load_shapes())
        self._compiled: CompiledShapes = compiled
        self._inverse = compiled.inverse_predicates
        self._ontology = Index(self._inverse)
        self._ontology.add_all(_graph_triples(ontology if ontology is not None else load_ontology()))
        self._supers = class_closures(self._ontology)
        self._targeting: dict[Any, list[Shape]] = {}
        self._vocabulary: list[Finding] | None = None
        self._values: dict[Term, str] = {}

    def __reduce__(self) -> tuple[Any, tuple[str | None, str | None]]:
        return (
            _rebuild,
            (
                _as_ntriples(self._shapes_graph) if self._shapes_graph is not None else None,
                _as_ntriples(self._ontology_graph) if self._ontology_graph is not None else None,
            ),
        )

    # -- public API

    def validate_lines(self, lines: Iterable[str], context: Iterable[str] = ()) -> list[Finding]:
        """Findings for the focus nodes that are subjects of ``lines`` (N-Triples or N-Quads lines,
        line ends optional), validated against ``lines`` and ``context`` merged with the ontology.

        ``context`` holds statements the checks may need but whose subjects are reported elsewhere:
        the shared statements of the batch's trials (``Conversion.shared``: the types of their
        conditions and uncurated drugs, for sh:class), validated once over all trials with
        ``validate_lines(distinct shared lines)``.
        """
        with _no_gc():
            index = Index(self._inverse)
            index.add_lines(lines)
            focus = list(index.out)
            index.add_lines(context)
            view = DataView(index, self._ontology, self._supers)
            return self._findings(self._results(view, focus))

    def validate_vocabulary(self) -> list[Finding]:
        """Findings for the ontology's own focus nodes (curated drugs, phases...), computed once."""
        if self._vocabulary is None:
            view = DataView(self._ontology, self._ontology, self._supers)
            self._vocabulary = self._findings(self._results(view, list(self._ontology.out)))
        return list(self._vocabulary)

    def validate_text(self, text: str) -> ValidationReport:
        """What :func:`trialgraph.validate.validate_ntriples` reports for ``text`` (N-Triples or
        N-Quads; graph names dropped). Blank nodes keep their labels (rdflib gives them new ones)."""
        with _no_gc():
            index = Index(self._inverse)
            index.add_lines(split_lines(text))
            return self._validate_index(index)

    def validate_graph(self, data: Graph) -> ValidationReport:
        """What :func:`trialgraph.validate.validate_graph` reports for ``data``."""
        return self._validate_all(_graph_triples(data))

    # -- internals

    def _index(self, triples: Iterable[Triple]) -> Index:
        index = Index(self._inverse)
        index.add_all(triples)
        return index

    def _validate_all(self, triples: Iterable[Triple]) -> ValidationReport:
        return self._validate_index(self._index(triples))

    def _validate_index(self, index: Index) -> ValidationReport:
        view = DataView(index, self._ontology, self._supers)
        candidates = list(index.out)
        candidates.extend(node for node in self._ontology.out if node not in index.out)
        findings = self._findings(self._results(view, candidates))
        return ValidationReport(tuple(sorted(findings, key=Finding.sort_key)))

    def _results(self, view: DataView, candidates: Iterable[Term]) -> list[Result]:
        results: list[Result] = []
        cache_ok = view.subclass_base
        targeting = self._targeting
        for node in candidates:
            po = view.po(node)
            if po is None:
                continue
            types = po.get(RDF_TYPE)
            if not types:
                continue
            key: Any = types[0] if len(types) == 1 and type(types[0]) is str else tuple(types)
            shapes = targeting.get(key) if cache_ok else None
            if shapes is None:
                shapes = self._shapes_for(view, types)
                if cache_ok:
                    targeting[key] = shapes
            for shape in shapes:
                shape.evaluate(view, node, results, po)
        return results

    def _shapes_for(self, view: DataView, types: Sequence[Term]) -> list[Shape]:
        """The shapes whose sh:targetClass is a type of the node or a superclass of one."""
        by_class = self._compiled.by_class
        found: dict[Shape, None] = {}
        for t in types:
            for cls in view.supers(t):
                for shape in by_class.get(cls, ()):
                    found[shape] = None
        return list(found)

    def _findings(self, results: list[Result]) -> list[Finding]:
        values = self._values
        if len(values) > _VALUE_CACHE_MAX:
            values.clear()
        findings = []
        for focus, shape, component, value in results:
            if value is None:
                value_text = None
            elif type(value) is str:
                value_text = value
            else:
                value_text = values.get(value)
                if value_text is None:
                    value_text = values[value] = _value_text(value)
            assert shape.message is not None  # the compiler refuses reporting shapes without one
            findings.append(
                Finding(
                    focus_node=focus if type(focus) is str else _focus_text(focus),
                    result_path=shape.path_text,
                    constraint=component,
                    source_shape=shape.label,
                    severity=shape.severity,  # type: ignore[arg-type]
                    message=shape.message,
                    value=value_text,
                )
            )
        return findings


@contextmanager
def _no_gc() -> Iterator[None]:
    """The cyclic garbage collector paused: a batch allocates many small dicts, lists and tuples
    (none in a cycle, so reference counting frees them), and each collection would walk the whole
    heap again; pausing it makes validation about a third faster."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _value_text(value: Term) -> str:
    if type(value) is BNode:
        return f"_:{value.id}"
    return _term(to_rdflib(value), _namespace_manager(), compact=True)


def _focus_text(focus: Term) -> str:
    if type(focus) is BNode:
        return f"_:{focus.id}"
    return _term(to_rdflib(focus), _namespace_manager())


def _graph_triples(graph: Graph) -> Iterable[Triple]:
    for s, p, o in graph:
        subject = from_rdflib(s)
        assert not isinstance(subject, tuple), "a literal subject"
        yield (subject, str(p), from_rdflib(o))


def _as_ntriples(graph: Graph) -> str:
    return graph.serialize(format="nt")


def _rebuild(shapes: str | None, ontology: str | None) -> FastValidator:
    if shapes is None and ontology is None:
        return default_validator()
    return FastValidator(
        Graph().parse(data=shapes, format="nt") if shapes is not None else None,
        Graph().parse(data=ontology, format="nt") if ontology is not None else None,
    )


@cache
def default_validator() -> FastValidator:
    """The validator of the project's shapes and ontology (built once per process)."""
    return FastValidator()


def merge_findings(*batches: Iterable[Finding]) -> ValidationReport:
    """One report of several batches' findings (and the vocabulary's): a finding reported by
    several batches (a shared condition node) counts once."""
    merged: set[Finding] = set()
    for findings in batches:
        merged.update(findings)
    return ValidationReport(tuple(sorted(merged, key=Finding.sort_key)))


def validate_ntriples_fast(text: str) -> ValidationReport:
    """:func:`trialgraph.validate.validate_ntriples` with the fast validator.

    >>> validate_ntriples_fast("").conforms
    True
    """
    return default_validator().validate_text(text)
