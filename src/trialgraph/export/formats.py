"""The export formats: file extension, media type, W3C format IRI, pyoxigraph format."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

#: W3C's unique URIs for RDF formats (https://www.w3.org/ns/formats/), the values of dct:format
W3C_FORMATS = "http://www.w3.org/ns/formats/"
#: IANA media types as IRIs, the values of dcat:mediaType / dcat:compressFormat (DCAT 2)
IANA_MEDIA_TYPES = "http://www.iana.org/assignments/media-types/"
GZIP_MEDIA_TYPE = "application/gzip"


@dataclass(frozen=True)
class ExportFormat:
    name: str  # the --format value
    extension: str
    media_type: str
    format_iri: str
    title: str
    quads: bool  # a dataset format: the named graph of each trial is kept
    rdf_format: ox.RdfFormat | None  # None: written by our own writer (JSON-LD)


FORMATS: dict[str, ExportFormat] = {
    fmt.name: fmt
    for fmt in (
        ExportFormat(
            "ttl", "ttl", "text/turtle", W3C_FORMATS + "Turtle", "Turtle", False, ox.RdfFormat.TURTLE
        ),
        ExportFormat(
            "nt",
            "nt",
            "application/n-triples",
            W3C_FORMATS + "N-Triples",
            "N-Triples",
            False,
            ox.RdfFormat.N_TRIPLES,
        ),
        ExportFormat(
            "nq",
            "nq",
            "application/n-quads",
            W3C_FORMATS + "N-Quads",
            "N-Quads (a named graph per trial)",
            True,
            ox.RdfFormat.N_QUADS,
        ),
        ExportFormat(
            "jsonld", "jsonld", "application/ld+json", W3C_FORMATS + "JSON-LD", "JSON-LD", False, None
        ),
    )
}


def parse_formats(value: str) -> list[ExportFormat]:
    """`ttl,nt` -> the formats, in the order of FORMATS; ValueError names an unknown one."""
    names = [part.strip() for part in value.split(",") if part.strip()]
    unknown = [name for name in names if name not in FORMATS]
    if unknown or not names:
        raise ValueError(f"unknown format {', '.join(unknown) or repr(value)}: use {', '.join(FORMATS)}")
    return [fmt for name, fmt in FORMATS.items() if name in names]
