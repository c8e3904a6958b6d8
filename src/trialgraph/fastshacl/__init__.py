"""A fast SHACL validator whose findings equal pyshacl's for the project's shapes.

pyshacl (:mod:`trialgraph.validate`) is the reference; this package compiles the same shapes graph
(shapes/trialgraph.shacl.ttl) and the ontology once into plain-Python checks, parses N-Triples lines
directly and gives the same :class:`~trialgraph.validate.Finding` objects, an order of magnitude
faster, for validating hundreds of thousands of trials in batches (in worker processes: the
validator pickles as its inputs and is rebuilt in a fraction of a second).

Only what the shapes use is implemented (see :mod:`trialgraph.fastshacl.compiler`); anything else
is refused when the shapes are compiled (:class:`UnsupportedShapeError`), never silently skipped.

For a whole graph, :func:`validate_ntriples_fast` (or :meth:`FastValidator.validate_text`) gives what
:func:`trialgraph.validate.validate_ntriples` gives. For batches of trials, see :class:`FastValidator`:
the vocabulary once, each batch's own lines (with its shared lines as context), and all distinct
shared lines once, merged with :func:`merge_findings`.

>>> report = validate_ntriples_fast("")  # the vocabulary alone
>>> report.conforms
True
"""

from __future__ import annotations

from trialgraph.fastshacl.compiler import UnsupportedShapeError
from trialgraph.fastshacl.terms import NTriplesError
from trialgraph.fastshacl.validator import (
    FastValidator,
    default_validator,
    merge_findings,
    validate_ntriples_fast,
)

__all__ = [
    "FastValidator",
    "NTriplesError",
    "UnsupportedShapeError",
    "default_validator",
    "merge_findings",
    "validate_ntriples_fast",
]
