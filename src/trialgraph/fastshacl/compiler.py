"""The shapes graph compiled into plain-Python checks that give pyshacl's results.

Each shape becomes a :class:`Shape`: its value nodes (the focus node itself, or a compiled property
path) and its constraints as small functions. What pyshacl does that SHACL leaves open is mirrored,
not improved on; the points that matter here:

- results: one per failing value node (sh:value set) for value-type, string, range, sh:in, sh:class,
  sh:or/sh:and/sh:not constraints (a node shape's only value node is its focus node); one per focus
  node without sh:value for sh:minCount, sh:maxCount and sh:hasValue. A shape with several values
  of one parameter (two sh:pattern, two sh:class...) checks each separately, a result per failing one;
- sh:or, sh:and and sh:not report on the shape that has them, with its message; the member shapes'
  own results are dropped. A member conforms as pyshacl decides with infos and warnings allowed: a
  member whose sh:severity is sh:Info or sh:Warning always conforms, otherwise it conforms when it
  (and the property shapes under it) produce no result of another severity;
- sh:datatype: rdflib's datatype and ill-typed flag, then pyshacl's extra value check for xsd:string,
  integer, decimal, float, boolean, date, time and dateTime; other datatypes (xsd:gYear,
  xsd:duration...) pass when rdflib could parse them or has no parser for them;
- sh:pattern and sh:minLength/maxLength: an IRI's text or a literal's (rdflib-normalised) lexical
  form, a blank node fails; sh:flags honours only "i" and "m", as pyshacl does;
- sh:minInclusive & co.: rdflib's comparison through pyshacl's compare_literal (canonical integers
  are compared directly, which gives the same answer);
- paths: predicate, sh:inversePath, sequence, sh:alternativePath, sh:zeroOrMorePath,
  sh:oneOrMorePath, sh:zeroOrOnePath, with pyshacl's reading of an inverse over a compound path
  (every step inverted, in the same order).

Anything else in the shapes graph that pyshacl would act on (another constraint component, a target
other than sh:targetClass, an implicit class target, SPARQL, custom components, a shape that reports
without sh:message) is refused at compile time with :class:`UnsupportedShapeError`.
"""

from __future__ import annotations

import itertools
import re
import sys
from collections.abc import Callable, Collection, Iterable
from datetime import date, datetime, time
from decimal import Decimal
from functools import lru_cache
from typing import Final, TypeAlias

from pyshacl.rdfutil.compare import compare_literal
from rdflib import BNode as RDFBNode
from rdflib import Graph, URIRef
from rdflib import Literal as RDFLiteral
from rdflib.collection import Collection as RDFCollection
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node as RDFNode

from trialgraph.errors import TrialgraphError
from trialgraph.fastshacl.graph import RDF_TYPE, DataView
from trialgraph.fastshacl.terms import XSD_INTEGER, XSD_STRING, Lit, Term, from_rdflib, to_rdflib
from trialgraph.namespaces import SH
from trialgraph.validate import _compact, _local_name, _namespace_manager, _path, _severity

__all__ = ["CompiledShapes", "Result", "Shape", "UnsupportedShapeError", "compile_shapes"]


class UnsupportedShapeError(TrialgraphError):
    """The shapes use something the fast validator does not implement (or implement like pyshacl)."""


#: (focus node, the shape that reports, constraint component local name, sh:value or None)
Result: TypeAlias = "tuple[Term, Shape, str, Term | None]"
PathFn: TypeAlias = Callable[[DataView, Term], Collection[Term]]
ValueTest: TypeAlias = Callable[[DataView, Term], bool]
FocusTest: TypeAlias = Callable[[Collection[Term]], bool]

_EMPTY: Final[tuple[Term, ...]] = ()
_MIN_COUNT: Final = "MinCountConstraintComponent"
_MAX_COUNT: Final = "MaxCountConstraintComponent"
_NO_MAP: Final[dict[str, list[Term]]] = {}


def _sh(name: str) -> URIRef:
    return URIRef(SH + name)


_XSD = "http://www.w3.org/2001/XMLSchema#"
_RDF_LANGSTRING = str(RDF.langString)
_RDFS_LITERAL = str(RDFS.Literal)
_RDFS_DATATYPE = str(RDFS.Datatype)
_ALLOWED_SEVERITIES = frozenset({str(_sh("Info")), str(_sh("Warning"))})

# Predicates of a shape that pyshacl does not evaluate as constraints.
_DESCRIPTIVE = frozenset(
    _sh(name)
    for name in (
        "name",
        "description",
        "message",
        "severity",
        "path",
        "targetClass",
        "deactivated",
        "order",
        "group",
        "defaultValue",
        "flags",
    )
)
_SUPPORTED = frozenset(
    _sh(name)
    for name in (
        "class",
        "datatype",
        "nodeKind",
        "minCount",
        "maxCount",
        "minLength",
        "maxLength",
        "pattern",
        "in",
        "hasValue",
        "minInclusive",
        "maxInclusive",
        "minExclusive",
        "maxExclusive",
        "or",
        "and",
        "not",
        "property",
    )
)
# rdf:first/rdf:rest of lists and path keywords may sit on nodes of the shapes graph too
_PATH_KEYS = frozenset(
    _sh(name)
    for name in ("inversePath", "alternativePath", "zeroOrMorePath", "oneOrMorePath", "zeroOrOnePath")
)


class Shape:
    """One compiled shape: how to get its value nodes and which checks to run on them."""

    __slots__ = (
        "allowed",
        "deactivated",
        "empty_failures",
        "focus_tests",
        "label",
        "max_count",
        "message",
        "min_count",
        "node",
        "other_properties",
        "path",
        "path_text",
        "predicate",
        "properties",
        "severity",
        "simple_properties",
        "value_tests",
    )

    def __init__(self, node: RDFNode, label: str) -> None:
        self.node = node
        self.label = label
        self.severity = "Violation"
        self.allowed = False
        self.message: str | None = None
        self.deactivated = False
        #: value nodes from the focus node; None for a node shape (the focus node itself)
        self.path: PathFn | None = None
        #: the simple predicate of ``path`` when it is one (the common case, read directly)
        self.predicate: str | None = None
        self.path_text: str | None = None
        #: sh:minCount and sh:maxCount (0 and sys.maxsize when absent)
        self.min_count = 0
        self.max_count = sys.maxsize
        #: other checks on the set of value nodes (sh:hasValue)
        self.focus_tests: list[tuple[str, FocusTest]] = []
        self.value_tests: list[tuple[str, ValueTest]] = []
        self.properties: list[Shape] = []
        #: ``properties`` split for the node shape's loop: (predicate, shape) of the active property
        #: shapes with a predicate path, and the others (set by the compiler when it is done)
        self.simple_properties: list[tuple[str, Shape]] = []
        self.other_properties: list[Shape] = []
        #: the components that fail for a focus node without value nodes (sh:minCount, sh:hasValue)
        self.empty_failures: tuple[str, ...] = ()

    def __repr__(self) -> str:
        return f"<Shape {self.label}>"

    def evaluate(
        self, view: DataView, focus: Term, results: list[Result], po: dict[str, list[Term]] | None = None
    ) -> None:
        """Append the results of validating ``focus`` against this shape (``po``: the focus node's
        predicate map when the caller has it)."""
        if self.deactivated:
            return
        if self.path is not None:
            values: Collection[Term]
            if self.predicate is not None:
                if po is None:
                    po = view.po(focus)
                values = po.get(self.predicate, _EMPTY) if po is not None else _EMPTY
            else:
                values = self.path(view, focus)
            self.check(view, focus, values, results)
            return
        # a node shape: the focus node is the only value node
        for component, focus_test in self.focus_tests:
            if not focus_test((focus,)):
                results.append((focus, self, component, None))
        for component, test in self.value_tests:
            if not test(view, focus):
                results.append((focus, self, component, focus))
        if not self.properties:
            return
        if po is None:
            po = view.po(focus)
            if po is None:
                po = _NO_MAP
        for predicate, prop in self.simple_properties:
            found = po.get(predicate)
            if not found:
                for component in prop.empty_failures:
                    results.append((focus, prop, component, None))
                continue
            # prop.check(view, focus, found, results), inlined: the hot loop of a validation
            count = len(found)
            if count < prop.min_count:
                results.append((focus, prop, _MIN_COUNT, None))
            if count > prop.max_count:
                results.append((focus, prop, _MAX_COUNT, None))
            for component, focus_test in prop.focus_tests:
                if not focus_test(found):
                    results.append((focus, prop, component, None))
            for component, test in prop.value_tests:
                for value in found:
                    if not test(view, value):
                        results.append((focus, prop, component, value))
            for nested in prop.properties:
                for value in found:
                    nested.evaluate(view, value, results)
        for prop in self.other_properties:
            prop.evaluate(view, focus, results)

    def check(self, view: DataView, focus: Term, values: Collection[Term], results: list[Result]) -> None:
        """Append the results of this property shape for ``focus`` with value nodes ``values``."""
        count = len(values)
        if count < self.min_count:
            results.append((focus, self, _MIN_COUNT, None))
        if count > self.max_count:
            results.append((focus, self, _MAX_COUNT, None))
        for component, focus_test in self.focus_tests:
            if not focus_test(values):
                results.append((focus, self, component, None))
        if values:
            for component, test in self.value_tests:
                for value in values:
                    if not test(view, value):
                        results.append((focus, self, component, value))
            for prop in self.properties:
                for value in values:
                    prop.evaluate(view, value, results)

    def conforms(self, view: DataView, focus: Term) -> bool:
        """pyshacl's conformance of ``focus`` to this shape used inside sh:or, sh:and, sh:not."""
        if self.deactivated or self.allowed:
            return True
        if self.properties:
            results: list[Result] = []
            self.evaluate(view, focus, results)
            return all(result[1].allowed for result in results)
        values: Collection[Term]
        if self.path is None:
            values = (focus,)
        elif self.predicate is not None:
            po = view.po(focus)
            values = po.get(self.predicate, _EMPTY) if po is not None else _EMPTY
        else:
            values = self.path(view, focus)
        if not self.min_count <= len(values) <= self.max_count:
            return False
        for _component, focus_test in self.focus_tests:
            if not focus_test(values):
                return False
        for _component, test in self.value_tests:
            for value in values:
                if not test(view, value):
                    return False
        return True


class CompiledShapes:
    """The targeted shapes of a shapes graph, by target class, and what indexing they need."""

    def __init__(
        self, by_class: dict[Term, list[Shape]], inverse_predicates: frozenset[str], shapes: list[Shape]
    ) -> None:
        #: sh:targetClass -> the shapes targeting it (each shape once per class, file order aside)
        self.by_class = by_class
        #: predicates that some path follows backwards (the index keeps their objects too)
        self.inverse_predicates = inverse_predicates
        #: every compiled shape
        self.shapes = shapes


def compile_shapes(shapes: Graph) -> CompiledShapes:
    """Compile ``shapes``; raises UnsupportedShapeError for anything not implemented exactly."""
    return _Compiler(shapes).run()


class _Compiler:
    def __init__(self, graph: Graph) -> None:
        self.g = graph
        self.nm = _namespace_manager()
        self.compiled: dict[RDFNode, Shape] = {}
        self.in_progress: set[RDFNode] = set()
        self.inverse: set[str] = set()
        self.path_ids = itertools.count()

    # -- entry

    def run(self) -> CompiledShapes:
        g = self.g
        self._refuse_unsupported()
        by_class: dict[Term, list[Shape]] = {}
        for node in sorted(set(g.subjects(_sh("targetClass"), None)), key=str):
            shape = self.shape(node)
            if shape.deactivated:
                continue
            self._require_messages(shape, set())
            for cls in sorted(g.objects(node, _sh("targetClass")), key=str):
                targeted = by_class.setdefault(from_rdflib(cls), [])
                if shape not in targeted:
                    targeted.append(shape)
        for shape in self.compiled.values():
            for prop in shape.properties:
                if prop.predicate is not None and not prop.deactivated:
                    shape.simple_properties.append((prop.predicate, prop))
                else:
                    shape.other_properties.append(prop)
        return CompiledShapes(by_class, frozenset(self.inverse), list(self.compiled.values()))

    def _refuse_unsupported(self) -> None:
        g = self.g
        if (None, RDF.type, _sh("ConstraintComponent")) in g or (None, _sh("parameter"), None) in g:
            raise UnsupportedShapeError(
                "custom constraint components (sh:ConstraintComponent) are not supported"
            )
        for s, p, _o in g:
            if not str(p).startswith(SH):
                continue
            if p in _SUPPORTED or p in _DESCRIPTIVE or p in _PATH_KEYS:
                continue
            raise UnsupportedShapeError(f"{_compact(s, self.nm)}: {_compact(p, self.nm)} is not supported")
        # implicit class targets: a shape that is also a class (pyshacl: typed rdfs:Class or a subclass)
        class_types = {RDFS.Class, *g.subjects(RDFS.subClassOf, RDFS.Class)}
        for node, _p, cls in g.triples((None, RDF.type, None)):
            if cls not in class_types:
                continue
            is_shape = any(str(p).startswith(SH) for p in g.predicates(node, None)) or any(
                t in (_sh("NodeShape"), _sh("PropertyShape")) for t in g.objects(node, RDF.type)
            )
            if is_shape:
                raise UnsupportedShapeError(
                    f"{_compact(node, self.nm)}: implicit class targets (a shape that is a class) "
                    "are not supported"
                )

    def _require_messages(self, shape: Shape, seen: set[int]) -> None:
        """Shapes whose results are reported need sh:message (pyshacl's generic texts are not
        reproduced)."""
        if id(shape) in seen or shape.deactivated:
            return
        seen.add(id(shape))
        reports = bool(
            shape.value_tests or shape.focus_tests or shape.min_count > 0 or shape.max_count < sys.maxsize
        )
        if reports and shape.message is None:
            raise UnsupportedShapeError(
                f"{shape.label}: a shape that reports results needs sh:message "
                "(pyshacl's generic messages are not reproduced)"
            )
        for prop in shape.properties:
            self._require_messages(prop, seen)

    # -- shapes

    def shape(self, node: RDFNode) -> Shape:
        known = self.compiled.get(node)
        if known is not None:
            return known
        if node in self.in_progress:
            raise UnsupportedShapeError(f"{_compact(node, self.nm)}: recursive shapes are not supported")
        self.in_progress.add(node)
        try:
            shape = self._build(node)
        finally:
            self.in_progress.discard(node)
        self.compiled[node] = shape
        return shape

    def _one(self, node: RDFNode, key: str) -> RDFNode | None:
        values = list(self.g.objects(node, _sh(key)))
        if len(values) > 1:
            raise UnsupportedShapeError(f"{_compact(node, self.nm)}: more than one sh:{key}")
        return values[0] if values else None

    def _build(self, node: RDFNode) -> Shape:
        g = self.g
        shape = Shape(node, _compact(node, self.nm))
        deactivated = self._one(node, "deactivated")
        if deactivated is not None:
            if not isinstance(deactivated, RDFLiteral):
                raise UnsupportedShapeError(f"{shape.label}: sh:deactivated must be a literal")
            shape.deactivated = bool(deactivated.value)
        severity = self._one(node, "severity")
        if severity is not None:
            shape.severity = _severity(severity)
            shape.allowed = str(severity) in _ALLOWED_SEVERITIES
        messages = sorted(str(m) for m in g.objects(node, _sh("message")))
        shape.message = messages[0] if messages else None

        path = self._one(node, "path")
        if (node, RDF.type, _sh("NodeShape")) in g and path is not None:
            raise UnsupportedShapeError(f"{shape.label}: a sh:NodeShape cannot have sh:path")
        if path is not None:
            shape.path = self._path(path, inverse=False, depth=0)
            shape.path_text = _path(g, path, self.nm)
            if isinstance(path, URIRef):
                shape.predicate = str(path)

        params = {URIRef(str(p)) for p in g.predicates(node, None) if p in _SUPPORTED}
        for param in sorted(params, key=str):
            self._constraint(shape, node, param, is_property=path is not None)
        shape.empty_failures = ((_MIN_COUNT,) if shape.min_count > 0 else ()) + tuple(
            c for c, focus_test in shape.focus_tests if not focus_test(_EMPTY)
        )
        return shape

    # -- constraints

    def _constraint(self, shape: Shape, node: RDFNode, param: URIRef, *, is_property: bool) -> None:
        g = self.g
        name = _local_name(param)
        values = sorted(g.objects(node, param), key=lambda v: (type(v).__name__, str(v)))
        component = {
            "class": "ClassConstraintComponent",
            "datatype": "DatatypeConstraintComponent",
            "nodeKind": "NodeKindConstraintComponent",
            "minCount": "MinCountConstraintComponent",
            "maxCount": "MaxCountConstraintComponent",
            "minLength": "MinLengthConstraintComponent",
            "maxLength": "MaxLengthConstraintComponent",
            "pattern": "PatternConstraintComponent",
            "in": "InConstraintComponent",
            "hasValue": "HasValueConstraintComponent",
            "minInclusive": "MinInclusiveConstraintComponent",
            "maxInclusive": "MaxInclusiveConstraintComponent",
            "minExclusive": "MinExclusiveConstraintComponent",
            "maxExclusive": "MaxExclusiveConstraintComponent",
            "or": "OrConstraintComponent",
            "and": "AndConstraintComponent",
            "not": "NotConstraintComponent",
            "property": "PropertyConstraintComponent",
        }[name]
        where = f"{shape.label}: sh:{name}"
        if name in ("datatype", "nodeKind", "minCount", "maxCount", "minLength", "maxLength", "in") and (
            len(values) > 1
        ):
            raise UnsupportedShapeError(f"{where} given more than once")

        if name == "class":
            for cls in values:
                shape.value_tests.append((component, _class_test(from_rdflib(cls))))
        elif name == "datatype":
            shape.value_tests.append((component, _datatype_test(str(values[0]))))
        elif name == "nodeKind":
            shape.value_tests.append((component, _node_kind_test(values[0])))
        elif name in ("minCount", "maxCount"):
            if not is_property:
                raise UnsupportedShapeError(f"{where} is only allowed on a property shape")
            count = values[0]
            if not (isinstance(count, RDFLiteral) and count.datatype == URIRef(XSD_INTEGER)):
                raise UnsupportedShapeError(f"{where} must be an xsd:integer")
            limit = int(count.value)
            if limit < 0:
                raise UnsupportedShapeError(f"{where} must be 0 or more")
            if name == "minCount":
                shape.min_count = limit
            else:
                shape.max_count = limit
        elif name in ("minLength", "maxLength"):
            length = values[0]
            if not (
                isinstance(length, RDFLiteral)
                and not getattr(length, "ill_typed", False)
                and isinstance(length.value, int)
                and length.value >= 0
            ):
                raise UnsupportedShapeError(f"{where} must be a non-negative integer")
            shape.value_tests.append(
                (component, _length_test(int(length.value), minimum=name == "minLength"))
            )
        elif name == "pattern":
            flags = list(g.objects(node, _sh("flags")))
            if len(flags) > 1:
                raise UnsupportedShapeError(f"{shape.label}: more than one sh:flags")
            re_flags = 0
            if flags:
                text = str(flags[0].value if isinstance(flags[0], RDFLiteral) else flags[0]).lower()
                re_flags |= re.I if "i" in text else 0
                re_flags |= re.M if "m" in text else 0
            for pattern in values:
                if not isinstance(pattern, RDFLiteral):
                    raise UnsupportedShapeError(f"{where} must be a literal")
                source = (
                    str(pattern.value)
                    if pattern.value is not None and len(pattern.value) > 1
                    else str(pattern)
                )
                shape.value_tests.append((component, _pattern_test(re.compile(source, re_flags))))
        elif name == "in":
            allowed = frozenset(from_rdflib(item) for item in RDFCollection(g, values[0]))
            shape.value_tests.append((component, _in_test(allowed)))
        elif name == "hasValue":
            for wanted in values:
                term = from_rdflib(wanted)
                shape.focus_tests.append((component, _has_value_test(term)))
        elif name in ("minInclusive", "maxInclusive", "minExclusive", "maxExclusive"):
            for bound in values:
                if not isinstance(bound, RDFLiteral):
                    raise UnsupportedShapeError(f"{where} must be a literal")
                shape.value_tests.append((component, _range_test(bound, name)))
        elif name in ("or", "and"):
            for lst in values:
                items = list(RDFCollection(g, lst))
                if not items:
                    raise UnsupportedShapeError(f"{where} needs a non-empty list")
                members = [self.shape(item) for item in dict.fromkeys(items)]
                shape.value_tests.append((component, _logical_test(members, any_of=name == "or")))
        elif name == "not":
            for other in values:
                member = self.shape(other)
                shape.value_tests.append((component, _not_test(member)))
        elif name == "property":
            for other in values:
                prop = self.shape(other)
                if prop.path is None:
                    raise UnsupportedShapeError(f"{where}: {prop.label} is not a property shape (no sh:path)")
                shape.properties.append(prop)
        else:  # pragma: no cover - _SUPPORTED and this chain list the same names
            raise UnsupportedShapeError(where)

    # -- paths

    def _path(self, node: RDFNode, *, inverse: bool, depth: int) -> PathFn:
        g = self.g
        if isinstance(node, URIRef):
            predicate = str(node)
            if inverse:
                self.inverse.add(predicate)
                return lambda view, focus: (view.ps(focus) or _NO_MAP).get(predicate, _EMPTY)
            return lambda view, focus: (view.po(focus) or _NO_MAP).get(predicate, _EMPTY)
        if not isinstance(node, RDFBNode) or depth >= 10:
            raise UnsupportedShapeError(f"not a supported SHACL path: {node!r}")
        if (node, RDF.first, None) in g:
            items = list(RDFCollection(g, node))
            if len(items) < 2 and depth == 0:
                raise UnsupportedShapeError("a sequence path needs at least two items")
            steps = [self._path(item, inverse=inverse, depth=depth + 1) for item in items]
            return steps[0] if len(steps) == 1 else _sequence(steps)
        inner = self._one(node, "inversePath")
        if inner is not None:
            return self._path(inner, inverse=not inverse, depth=depth + 1)
        alternatives = self._one(node, "alternativePath")
        if alternatives is not None:
            items = list(RDFCollection(g, alternatives))
            if len(items) < 2:
                raise UnsupportedShapeError("an alternative path needs at least two items")
            return _alternative([self._path(item, inverse=inverse, depth=depth + 1) for item in items])
        for key, include_focus, repeat in (
            ("zeroOrMorePath", True, True),
            ("oneOrMorePath", False, True),
            ("zeroOrOnePath", True, False),
        ):
            inner = self._one(node, key)
            if inner is not None:
                step = self._path(inner, inverse=inverse, depth=depth + 1)
                return _closure(step, next(self.path_ids), include_focus=include_focus, repeat=repeat)
        raise UnsupportedShapeError(f"not a supported SHACL path: {_path(g, node, self.nm)}")


# ---------------------------------------------------------------------------------------------
# Paths


def _sequence(steps: list[PathFn]) -> PathFn:
    first, rest = steps[0], steps[1:]

    def values(view: DataView, focus: Term) -> Collection[Term]:
        current: Collection[Term] = first(view, focus)
        for step in rest:
            found: set[Term] = set()
            for node in current:
                found.update(step(view, node))
            current = found
        return current if isinstance(current, set) else set(current)

    return values


def _alternative(branches: list[PathFn]) -> PathFn:
    def values(view: DataView, focus: Term) -> Collection[Term]:
        found: set[Term] = set()
        for branch in branches:
            found.update(branch(view, focus))
        return found

    return values


def _closure(step: PathFn, path_id: int, *, include_focus: bool, repeat: bool) -> PathFn:
    def values(view: DataView, focus: Term) -> Collection[Term]:
        memo = view.memo()
        key = (path_id, focus)
        known = memo.get(key)
        if known is not None:
            return known
        found: set[Term] = {focus} if include_focus else set()
        if repeat:
            todo = list(step(view, focus))
            while todo:
                node = todo.pop()
                if node in found:
                    continue
                found.add(node)
                todo.extend(step(view, node))
        else:
            found.update(step(view, focus))
        result = frozenset(found)
        memo[key] = result
        return result

    return values


# ---------------------------------------------------------------------------------------------
# Value tests


def _class_test(cls: Term) -> ValueTest:
    def test(view: DataView, value: Term) -> bool:
        if type(value) is tuple:
            return False
        po = view.po(value)
        if po is None:
            return False
        return any(t == cls or cls in view.supers(t) for t in po.get(RDF_TYPE, _EMPTY))

    return test


def _datatype_test(rule: str) -> ValueTest:
    if rule == XSD_STRING:
        return _is_string
    if rule == XSD_INTEGER:
        return _is_integer

    def test(view: DataView, value: Term) -> bool:
        if type(value) is not tuple:
            return False
        datatype = value[1]
        if datatype == rule:
            if rule == XSD_STRING:
                return True
            if rule == XSD_INTEGER and value[0].isdigit() and value[0].isascii():
                return True
        elif rule == XSD_STRING:
            return datatype is None and value[2] is None  # a simple literal is an xsd:string
        elif rule not in (_RDFS_LITERAL, _RDFS_DATATYPE, _RDF_LANGSTRING):
            return False
        return _datatype_matches(value, rule)

    return test


def _is_string(view: DataView, value: Term) -> bool:
    """sh:datatype xsd:string: a simple literal or one typed xsd:string (always well-formed)."""
    return type(value) is tuple and value[2] is None and (value[1] is None or value[1] == XSD_STRING)


def _is_integer(view: DataView, value: Term) -> bool:
    """sh:datatype xsd:integer: digits (rdflib's normal form of a natural number), else rdflib decides."""
    if type(value) is not tuple or value[1] != XSD_INTEGER:
        return False
    lexical = value[0]
    return (lexical.isdigit() and lexical.isascii()) or _datatype_matches(value, XSD_INTEGER)


@lru_cache(maxsize=65536)
def _datatype_matches(value: Lit, rule: str) -> bool:
    """pyshacl's DatatypeConstraintComponent on the rdflib literal (the rare cases)."""
    literal = to_rdflib(value)
    assert isinstance(literal, RDFLiteral)
    datatype = str(literal.datatype) if literal.datatype is not None else None
    if datatype == rule:
        if getattr(literal, "ill_typed", None) is True:
            return False
        return _actual_datatype(literal, rule)
    if rule == _RDFS_LITERAL:
        return True
    if rule == _RDFS_DATATYPE and datatype:
        return True
    if datatype is None and literal.language is None and rule == XSD_STRING:
        return _actual_datatype(literal, rule)
    if rule == _RDF_LANGSTRING and literal.language:
        return _actual_datatype(literal, rule)
    return False


def _actual_datatype(literal: RDFLiteral, rule: str) -> bool:
    """pyshacl's DatatypeConstraintComponent._assert_actual_datatype."""
    value = literal.value
    checks: dict[str, type | tuple[type, ...]] = {
        XSD_STRING: (str, bytes),
        _RDF_LANGSTRING: (str, bytes),
        XSD_INTEGER: int,
        _XSD + "float": float,
        _XSD + "decimal": Decimal,
        _XSD + "boolean": bool,
        _XSD + "date": date,
        _XSD + "time": time,
        _XSD + "dateTime": datetime,
    }
    expected = checks.get(rule)
    return True if expected is None else isinstance(value, expected)


_NODE_KINDS: Final[dict[str, tuple[bool, bool, bool]]] = {
    # (IRI, blank node, literal) matches
    SH + "IRI": (True, False, False),
    SH + "BlankNode": (False, True, False),
    SH + "Literal": (False, False, True),
    SH + "BlankNodeOrIRI": (True, True, False),
    SH + "BlankNodeOrLiteral": (False, True, True),
    SH + "IRIOrLiteral": (True, False, True),
}


def _node_kind_test(kind: RDFNode) -> ValueTest:
    iri_ok, bnode_ok, literal_ok = _NODE_KINDS.get(str(kind), (False, False, False))

    def test(view: DataView, value: Term) -> bool:
        kind_of = type(value)
        if kind_of is str:
            return iri_ok
        if kind_of is tuple:
            return literal_ok
        return bnode_ok

    return test


def _text(value: Term) -> str | None:
    """The string sh:pattern and sh:minLength look at (None for a blank node)."""
    if type(value) is str:
        return value
    if type(value) is tuple:
        return value[0]
    return None


def _pattern_test(regex: re.Pattern[str]) -> ValueTest:
    search = regex.search

    def test(view: DataView, value: Term) -> bool:
        if type(value) is str:
            return search(value) is not None
        if type(value) is tuple:
            return search(value[0]) is not None
        return False

    return test


def _length_test(limit: int, *, minimum: bool) -> ValueTest:
    def test(view: DataView, value: Term) -> bool:
        if minimum and limit == 0:
            return True
        text = _text(value)
        if text is None:
            return False
        return len(text) >= limit if minimum else len(text) <= limit

    return test


def _range_test(bound: RDFLiteral, name: str) -> ValueTest:
    bound_is_string = isinstance(bound.value, str)
    fast_bound = bound.value if bound.datatype == URIRef(XSD_INTEGER) and type(bound.value) is int else None
    accept: Callable[[int], bool] = {
        "minInclusive": lambda cmp: cmp >= 0,
        "maxInclusive": lambda cmp: cmp <= 0,
        "minExclusive": lambda cmp: cmp > 0,
        "maxExclusive": lambda cmp: cmp < 0,
    }[name]

    def test(view: DataView, value: Term) -> bool:
        if type(value) is not tuple:
            return False
        if fast_bound is not None and value[1] == XSD_INTEGER:
            lexical = value[0]
            if lexical.isdigit() and lexical.isascii():
                number = int(lexical)
                return accept((number > fast_bound) - (number < fast_bound))
        return _range_exact(value, bound, bound_is_string, accept)

    return test


def _range_exact(value: Lit, bound: RDFLiteral, bound_is_string: bool, accept: Callable[[int], bool]) -> bool:
    """pyshacl's value range check on the rdflib literal."""
    literal = to_rdflib(value)
    assert isinstance(literal, RDFLiteral)
    if bound_is_string != isinstance(literal.value, str):
        return False
    try:
        return accept(compare_literal(literal, bound))  # type: ignore[no-untyped-call]
    except (TypeError, NotImplementedError):
        return False


def _has_value_test(term: Term) -> FocusTest:
    return lambda values: term in values


def _in_test(allowed: frozenset[Term]) -> ValueTest:
    return lambda view, value: value in allowed


def _not_test(member: Shape) -> ValueTest:
    return lambda view, value: not member.conforms(view, value)


def _logical_test(members: Iterable[Shape], *, any_of: bool) -> ValueTest:
    shapes = tuple(members)
    if any_of:
        return lambda view, value: any(m.conforms(view, value) for m in shapes)
    return lambda view, value: all(m.conforms(view, value) for m in shapes)
