"""Exports of a built graph directory for triple stores: Turtle, N-Triples, N-Quads, JSON-LD (each
optionally gzipped and split into parts) and a dataset description (HCLS profile: VoID + DCAT).

See docs/exports.md. Everything streams: statements go from the built graph's files through
pyoxigraph's parser to the writers one at a time, so memory does not grow with the graph.
"""

from __future__ import annotations

from trialgraph.export.formats import FORMATS, ExportFormat
from trialgraph.export.run import ExportOptions, ExportReport, export_graph

__all__ = ["FORMATS", "ExportFormat", "ExportOptions", "ExportReport", "export_graph"]
