"""The dataset description: the HCLS community profile (https://www.w3.org/TR/hcls-dataset/) in
Turtle, with VoID statistics and a DCAT distribution per exported file.

Three levels as the profile asks: the summary (the trialgraph dataset whatever its version), the
version (this build: pav:version, date, source, licence of the source data, the statistics) and one
distribution per file (format, media type, size, sha256, statements, download link). The download
links are relative references (`<graph.nt.gz>`), resolved against the description's own location,
so the directory can be moved or published as it is; `base_url` makes them absolute instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

import pyoxigraph as ox

from trialgraph.export.formats import GZIP_MEDIA_TYPE, IANA_MEDIA_TYPES
from trialgraph.export.sinks import WrittenFile
from trialgraph.export.stats import GraphStatistics
from trialgraph.namespaces import DCTERMS, ID, RDF, RDFS, TG, XSD

DESCRIPTION_FILE = "description.ttl"
DCAT = "http://www.w3.org/ns/dcat#"
VOID = "http://rdfs.org/ns/void#"
PAV = "http://purl.org/pav/"
SPDX = "http://spdx.org/rdf/terms#"
DCTYPES = "http://purl.org/dc/dcmitype/"
PREFIXES = {
    "dcat": DCAT,
    "dcterms": DCTERMS,
    "dctypes": DCTYPES,
    "pav": PAV,
    "rdfs": RDFS,
    "spdx": SPDX,
    "void": VOID,
    "xsd": XSD,
}

#: the summary-level dataset; versions and distributions are named under it
DATASET = ID + "dataset/trialgraph"
#: the profile followed (dct:conformsTo)
HCLS_PROFILE = "https://www.w3.org/TR/hcls-dataset/"
#: the registry the records come from, its publisher, and its terms of use: the page HL7's
#: terminology (THO, NamingSystem ClinicalTrialsGov) cites for "the Terms and Conditions that apply
#: for use of ClinicalTrials.gov data" (docs/exports.md, Sources)
SOURCE = "https://clinicaltrials.gov/"
SOURCE_PUBLISHER = "https://www.nlm.nih.gov/"
SOURCE_TERMS = "https://clinicaltrials.gov/about-site/terms-conditions"
#: a placeholder base the serializer makes file IRIs relative to; its @base line is then dropped
_RELATIVE_BASE = "file:///trialgraph-export/"


@dataclass(frozen=True)
class DescriptionInput:
    version: str  # trialgraph's version that built the graph
    built: str | None  # the build's recorded date or date-time (ISO 8601)
    statistics: GraphStatistics
    files: tuple[WrittenFile, ...]
    context_file: str | None  # the JSON-LD context file, when JSON-LD was exported
    base_url: str | None = None
    publisher: str | None = None


def data_version(version: str, built: str | None) -> str:
    """`0.1.0+20251121`: the tool's version and, as build metadata, the build's date.

    >>> data_version("0.1.0", "2025-11-21T09:34:00+00:00"), data_version("0.1.0", None)
    ('0.1.0+20251121', '0.1.0')
    """
    if built is None:
        return version
    return f"{version}+{_build_date(built).strftime('%Y%m%d')}"


def _build_date(built: str) -> date:
    try:
        return datetime.fromisoformat(built).date()
    except ValueError:
        raise ValueError(f"build date {built!r} is not ISO 8601") from None


def _iri(value: str) -> ox.NamedNode:
    return ox.NamedNode(value)


def _text(value: str) -> ox.Literal:
    return ox.Literal(value, language="en")


def _typed(value: object, datatype: str) -> ox.Literal:
    return ox.Literal(str(value), datatype=ox.NamedNode(XSD + datatype))


class _Triples:
    def __init__(self) -> None:
        self.items: list[ox.Triple] = []

    def add(self, subject: str, predicate: str, obj: ox.NamedNode | ox.Literal) -> None:
        self.items.append(ox.Triple(_iri(subject), _iri(predicate), obj))


def _format_label(item: WrittenFile) -> str:
    label = item.fmt.title + (", gzip" if item.compressed else "")
    if item.part is not None:
        label += f", part {item.part} of {item.parts}"
    return label


def _summary(out: _Triples, publisher: str | None) -> None:
    out.add(DATASET, RDF + "type", _iri(DCTYPES + "Dataset"))
    out.add(DATASET, DCTERMS + "title", _text("trialgraph: clinical trials as a knowledge graph"))
    out.add(
        DATASET,
        DCTERMS + "description",
        _text(
            "Clinical-trial records from ClinicalTrials.gov as RDF: trials, arms, drugs with "
            "mechanism classes, conditions, typed endpoints and phases, with the trialgraph "
            "ontology and curated vocabularies."
        ),
    )
    out.add(DATASET, DCTERMS + "source", _iri(SOURCE))
    if publisher is not None:
        out.add(DATASET, DCTERMS + "publisher", _iri(publisher))
    # the registry itself, with its publisher and terms of use
    out.add(SOURCE, RDF + "type", _iri(DCTYPES + "Dataset"))
    out.add(SOURCE, DCTERMS + "title", _text("ClinicalTrials.gov"))
    out.add(SOURCE, DCTERMS + "publisher", _iri(SOURCE_PUBLISHER))
    out.add(SOURCE, DCTERMS + "license", _iri(SOURCE_TERMS))


def _statistics(out: _Triples, subject: str, stats: GraphStatistics) -> None:
    for prop, value in (
        ("triples", stats.triples),
        ("entities", stats.entities),
        ("distinctSubjects", stats.distinct_subjects),
        ("properties", stats.properties),
        ("distinctObjects", stats.distinct_objects),
        ("classes", stats.classes),
    ):
        out.add(subject, VOID + prop, _typed(value, "integer"))
    partitions = stats.class_partitions  # no rdfs:Literal partition: see stats.py
    width = len(str(max(len(partitions), len(stats.property_partitions))))
    for index, (cls, count) in enumerate(partitions, start=1):
        node = f"{subject}/class-partition-{index:0{width}d}"  # zero-padded: sorted in order
        out.add(subject, VOID + "classPartition", _iri(node))
        out.add(node, VOID + "class", _iri(cls))
        out.add(node, VOID + "entities", _typed(count, "integer"))
    for index, (prop, count) in enumerate(stats.property_partitions, start=1):
        node = f"{subject}/property-partition-{index:0{width}d}"
        out.add(subject, VOID + "propertyPartition", _iri(node))
        out.add(node, VOID + "property", _iri(prop))
        out.add(node, VOID + "triples", _typed(count, "integer"))


def _distribution(out: _Triples, version: str, item: WrittenFile, spec: DescriptionInput) -> None:
    node = f"{version}/{item.name}"
    download = (spec.base_url or _RELATIVE_BASE) + item.name
    out.add(version, DCAT + "distribution", _iri(node))
    out.add(node, RDF + "type", _iri(DCAT + "Distribution"))
    out.add(node, RDF + "type", _iri(VOID + "Dataset"))
    out.add(node, DCTERMS + "title", _text(f"trialgraph {spec.version}, {_format_label(item)}"))
    kind = "quads (a named graph per trial)" if item.fmt.quads else "triples"
    out.add(node, DCTERMS + "description", _text(f"{item.statements} {kind} in {item.name}"))
    out.add(node, DCTERMS + "format", _iri(item.fmt.format_iri))
    out.add(node, DCAT + "mediaType", _iri(IANA_MEDIA_TYPES + item.fmt.media_type))
    if item.compressed:
        out.add(node, DCAT + "compressFormat", _iri(IANA_MEDIA_TYPES + GZIP_MEDIA_TYPE))
    out.add(node, DCAT + "downloadURL", _iri(download))
    out.add(node, VOID + "dataDump", _iri(download))
    out.add(node, DCAT + "byteSize", _typed(item.byte_size, "nonNegativeInteger"))
    out.add(node, VOID + "triples", _typed(item.statements, "integer"))
    out.add(node, DCTERMS + "license", _iri(SOURCE_TERMS))
    if item.fmt.name == "jsonld" and spec.context_file is not None:
        out.add(node, DCTERMS + "conformsTo", _iri((spec.base_url or _RELATIVE_BASE) + spec.context_file))
    checksum = f"{node}-sha256"
    out.add(node, SPDX + "checksum", _iri(checksum))
    out.add(checksum, RDF + "type", _iri(SPDX + "Checksum"))
    out.add(checksum, SPDX + "algorithm", _iri(SPDX + "checksumAlgorithm_sha256"))
    out.add(checksum, SPDX + "checksumValue", _typed(item.sha256, "hexBinary"))


def version_iri(spec: DescriptionInput) -> str:
    return f"{DATASET}/{data_version(spec.version, spec.built)}"


def description_triples(spec: DescriptionInput) -> list[ox.Triple]:
    out = _Triples()
    _summary(out, spec.publisher)
    label = data_version(spec.version, spec.built)
    version = version_iri(spec)
    out.add(DATASET, PAV + "hasCurrentVersion", _iri(version))
    out.add(version, RDF + "type", _iri(DCTYPES + "Dataset"))
    out.add(version, RDF + "type", _iri(VOID + "Dataset"))
    out.add(version, DCTERMS + "isVersionOf", _iri(DATASET))
    out.add(version, DCTERMS + "title", _text(f"trialgraph {label}"))
    out.add(
        version,
        DCTERMS + "description",
        _text(f"The graph built by trialgraph {spec.version}, exported in {len(spec.files)} files."),
    )
    out.add(version, PAV + "version", _typed(label, "string"))
    if spec.built is not None:
        kind = "date" if len(spec.built) == len("2025-01-01") else "dateTime"
        _build_date(spec.built)  # refuses a malformed date
        out.add(version, DCTERMS + "issued", _typed(spec.built, kind))
    if spec.publisher is not None:
        out.add(version, DCTERMS + "publisher", _iri(spec.publisher))
        out.add(version, DCTERMS + "creator", _iri(spec.publisher))
    out.add(version, DCTERMS + "source", _iri(SOURCE))
    out.add(version, DCTERMS + "license", _iri(SOURCE_TERMS))
    out.add(
        version,
        DCTERMS + "rights",
        _text(
            "Derived from ClinicalTrials.gov records; the ClinicalTrials.gov Terms and Conditions "
            "apply to their use."
        ),
    )
    out.add(version, DCTERMS + "conformsTo", _iri(HCLS_PROFILE))
    out.add(version, VOID + "vocabulary", _iri(TG))
    _statistics(out, version, spec.statistics)
    for item in spec.files:
        _distribution(out, version, item, spec)
    return out.items


def render_description(spec: DescriptionInput) -> bytes:
    """The description as Turtle, sorted (the same export gives the same bytes)."""
    triples: Iterable[ox.Triple] = sorted(description_triples(spec), key=str)
    data = ox.serialize(
        triples,
        format=ox.RdfFormat.TURTLE,
        prefixes={**PREFIXES, "tg": TG, "version": version_iri(spec) + "/"},
        base_iri=None if spec.base_url else _RELATIVE_BASE,
    )
    assert data is not None
    if spec.base_url is None:
        base_line = f"@base <{_RELATIVE_BASE}> .\n".encode()
        if not data.startswith(base_line):  # the serializer's layout changed: fail, never guess
            raise RuntimeError("unexpected Turtle header: cannot make the file links relative")
        data = data[len(base_line) :]
    return data
