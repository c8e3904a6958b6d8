"""`trialgraph export`: every exported file is accepted by two strict, independent parsers (rapper
and serdi, tests/rdf_parsers.py) with the graph's statement count; parts add up to the whole; JSON-LD
expands (PyLD) to exactly the graph; the dataset description's counts are the real ones; output is
deterministic."""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from pyld import jsonld  # dev dependency: an independent JSON-LD processor as the oracle
from typer.testing import CliRunner

import rdf_parsers
from trialgraph.cli import app
from trialgraph.export import FORMATS, ExportOptions, export_graph
from trialgraph.export.description import DESCRIPTION_FILE, SOURCE, SOURCE_TERMS
from trialgraph.export.sinks import WrittenFile
from trialgraph.namespaces import DCTERMS, PREFIXES, RDF
from trialgraph.pipeline import GRAPH_NQ, GRAPH_NT, REPORT

SPLIT = 5000  # NSCLC (19,746 triples) -> 4 parts; a trial's graph is far smaller
VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
PAV = "http://purl.org/pav/"
SPDX = "http://spdx.org/rdf/terms#"
runner = CliRunner()


def _triples(path: Path) -> set[ox.Triple]:
    with rdf_parsers_open(path) as data:
        return {quad.triple for quad in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)}


def _quads(path: Path, fmt: ox.RdfFormat = ox.RdfFormat.N_QUADS) -> list[ox.Quad]:
    with rdf_parsers_open(path) as data:
        return list(ox.parse(data, format=fmt))


def rdf_parsers_open(path: Path):  # type: ignore[no-untyped-def]
    return gzip.open(path, "rb") if path.suffix == ".gz" else path.open("rb")


@pytest.fixture(scope="module")
def seed_export(seed_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[WrittenFile]]:
    out = tmp_path_factory.mktemp("seed-export")
    return out, export_graph(seed_dir, out).files


@pytest.fixture(scope="module")
def nsclc_split(nsclc_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[WrittenFile]]:
    out = tmp_path_factory.mktemp("nsclc-export")
    return out, export_graph(nsclc_dir, out, ExportOptions(compress=True, split=SPLIT)).files


@pytest.fixture(scope="module")
def exports(
    seed_export: tuple[Path, list[WrittenFile]], nsclc_split: tuple[Path, list[WrittenFile]]
) -> dict[str, tuple[Path, list[WrittenFile]]]:
    return {"seeds": seed_export, "nsclc-gzip-split": nsclc_split}


@pytest.mark.parametrize("name", ["seeds", "nsclc-gzip-split"])
def test_every_rdf_file_is_accepted_by_rapper_and_serdi_with_its_count(
    exports: dict[str, tuple[Path, list[WrittenFile]]], name: str
) -> None:
    out, files = exports[name]
    checked = 0
    for item in files:
        if item.fmt.name == "jsonld":
            continue
        assert rdf_parsers.strict_count(out / item.name) == item.statements, item.name
        checked += 1
    assert checked >= 3
    assert rdf_parsers.strict_count(out / DESCRIPTION_FILE) > 0


@pytest.mark.parametrize("name", ["seeds", "nsclc-gzip-split"])
def test_statement_counts_are_the_graphs(
    exports: dict[str, tuple[Path, list[WrittenFile]]], name: str, seed_dir: Path, nsclc_dir: Path
) -> None:
    graph_dir = seed_dir if name == "seeds" else nsclc_dir
    triples = json.loads((graph_dir / REPORT).read_text())["triples"]
    quads = len(_quads(graph_dir / GRAPH_NQ))
    totals = Counter[str]()
    for item in exports[name][1]:
        totals[item.fmt.name] += item.statements
    assert totals == {"ttl": triples, "nt": triples, "jsonld": triples, "nq": quads}


def test_parts_are_bounded_and_add_up_to_the_whole(
    nsclc_split: tuple[Path, list[WrittenFile]], nsclc_dir: Path
) -> None:
    out, files = nsclc_split
    whole = _triples(nsclc_dir / GRAPH_NT)
    by_format: dict[str, list[WrittenFile]] = {}
    for item in files:
        by_format.setdefault(item.fmt.name, []).append(item)
    assert all(len(parts) > 1 for parts in by_format.values())
    for fmt in ("nt", "ttl"):
        union: list[ox.Triple] = []
        for item in by_format[fmt]:
            assert item.statements <= SPLIT and item.parts == len(by_format[fmt])
            rdf = ox.RdfFormat.N_TRIPLES if fmt == "nt" else ox.RdfFormat.TURTLE
            union.extend(quad.triple for quad in _quads(out / item.name, rdf))
        assert len(union) == len(whole) and set(union) == whole, fmt
    # N-Quads: the parts hold the build's quads, and a trial's named graph is never cut
    graphs_in_parts: dict[ox.NamedNode | ox.BlankNode | ox.DefaultGraph, set[str]] = {}
    quads: list[ox.Quad] = []
    for item in by_format["nq"]:
        assert item.statements <= SPLIT
        for quad in _quads(out / item.name):
            quads.append(quad)
            graphs_in_parts.setdefault(quad.graph_name, set()).add(item.name)
    assert Counter(quads) == Counter(_quads(nsclc_dir / GRAPH_NQ))
    sizes = Counter(quad.graph_name for quad in quads)
    assert all(len(parts) == 1 for graph, parts in graphs_in_parts.items() if sizes[graph] <= SPLIT)


@pytest.mark.parametrize("name", ["seeds", "nsclc-gzip-split"])
def test_turtle_files_each_start_with_every_prefix(
    exports: dict[str, tuple[Path, list[WrittenFile]]], name: str
) -> None:
    out, files = exports[name]
    for item in files:
        if item.fmt.name != "ttl":
            continue
        with rdf_parsers_open(out / item.name) as data:
            head = [data.readline().decode() for _ in PREFIXES]
        assert sorted(head) == sorted(f"@prefix {p}: <{iri}> .\n" for p, iri in PREFIXES.items())


@pytest.mark.parametrize("name", ["seeds", "nsclc-gzip-split"])
def test_jsonld_expands_with_pyld_to_exactly_the_graph(
    exports: dict[str, tuple[Path, list[WrittenFile]]], name: str, seed_dir: Path, nsclc_dir: Path
) -> None:
    out, files = exports[name]
    expanded: set[ox.Triple] = set()
    for item in files:
        if item.fmt.name != "jsonld":
            continue
        with rdf_parsers_open(out / item.name) as data:
            document = json.load(data)
        assert document["@context"] == json.loads((out / "context.jsonld").read_text())["@context"]
        nquads = jsonld.to_rdf(document, {"format": "application/n-quads"})
        part = [quad.triple for quad in ox.parse(nquads.encode(), format=ox.RdfFormat.N_QUADS)]
        assert len(part) == item.statements
        expanded.update(part)
    assert expanded == _triples((seed_dir if name == "seeds" else nsclc_dir) / GRAPH_NT)


def test_jsonld_uses_the_context_compactly(seed_export: tuple[Path, list[WrittenFile]]) -> None:
    out, _ = seed_export
    text = (out / "graph.jsonld").read_text()
    assert '"hasEndpoint":["trial:' in text  # an object property as a term, its IRI a CURIE
    assert '"@type":["tg:' in text or '"@type":["owl:' in text
    context = json.loads((out / "context.jsonld").read_text())["@context"]
    assert {name: context[name] for name in PREFIXES} == PREFIXES


def _description(out: Path) -> ox.Store:
    store = ox.Store()
    store.load(path=str(out / DESCRIPTION_FILE), format=ox.RdfFormat.TURTLE, base_iri=(out / "x").as_uri())
    return store


def _one(store: ox.Store, query: str) -> dict[str, str]:
    solutions = store.query(query)
    assert isinstance(solutions, ox.QuerySolutions)
    rows = [{v.value: s[v].value for v in solutions.variables if s[v] is not None} for s in solutions]
    assert len(rows) == 1, rows
    return rows[0]


def _real_statistics(graph_nt: Path) -> dict[str, object]:
    """Counted in Python from graph.nt, independently of the exporter's SPARQL on the store."""
    triples = _triples(graph_nt)
    typed = [t for t in triples if t.predicate.value == RDF + "type"]
    classes = Counter[str]()
    for _subject, cls in {(t.subject, t.object) for t in typed}:
        classes[cls.value] += 1
    return {
        "triples": len(triples),
        "distinctSubjects": len({t.subject for t in triples}),
        "properties": len({t.predicate for t in triples}),
        "distinctObjects": len({t.object for t in triples if not isinstance(t.object, ox.Literal)}),
        "entities": len({t.subject for t in typed if isinstance(t.subject, ox.NamedNode)}),
        "classes": len(classes),
        "partitions": dict(classes),
    }


@pytest.mark.parametrize("name", ["seeds", "nsclc-gzip-split"])
def test_void_statistics_are_the_real_counts(
    exports: dict[str, tuple[Path, list[WrittenFile]]], name: str, seed_dir: Path, nsclc_dir: Path
) -> None:
    out, _ = exports[name]
    real = _real_statistics((seed_dir if name == "seeds" else nsclc_dir) / GRAPH_NT)
    store = _description(out)
    stated = _one(
        store,
        f"""PREFIX void: <{VOID}> PREFIX pav: <{PAV}>
        SELECT ?triples ?distinctSubjects ?properties ?distinctObjects ?entities ?classes WHERE {{
          ?v pav:version [] ; void:triples ?triples ; void:distinctSubjects ?distinctSubjects ;
             void:properties ?properties ; void:distinctObjects ?distinctObjects ;
             void:entities ?entities ; void:classes ?classes }}""",
    )
    assert {key: int(value) for key, value in stated.items()} == {k: real[k] for k in stated}
    solutions = store.query(
        f"PREFIX void: <{VOID}> SELECT ?c ?n WHERE {{ ?v pav:version [] ; void:classPartition ?p . "
        f"?p void:class ?c ; void:entities ?n }}".replace("PREFIX void", f"PREFIX pav: <{PAV}> PREFIX void")
    )
    assert isinstance(solutions, ox.QuerySolutions)
    partitions = {s["c"].value: int(s["n"].value) for s in solutions}  # type: ignore[union-attr]
    assert partitions == real["partitions"]


@pytest.mark.parametrize("name", ["seeds", "nsclc-gzip-split"])
def test_every_file_is_a_distribution_with_its_real_size_checksum_and_link(
    exports: dict[str, tuple[Path, list[WrittenFile]]], name: str
) -> None:
    out, files = exports[name]
    store = _description(out)
    solutions = store.query(
        f"""PREFIX dcat: <{DCAT}> PREFIX void: <{VOID}> PREFIX spdx: <{SPDX}>
        SELECT ?url ?dump ?size ?sha ?n ?media WHERE {{
          ?d a dcat:Distribution ; dcat:downloadURL ?url ; void:dataDump ?dump ; dcat:byteSize ?size ;
             void:triples ?n ; dcat:mediaType ?media ; spdx:checksum [ spdx:checksumValue ?sha ] }}"""
    )
    assert isinstance(solutions, ox.QuerySolutions)
    described = {}
    for s in solutions:
        url = s["url"].value  # type: ignore[union-attr]
        assert url == s["dump"].value and url.startswith(out.as_uri() + "/")  # type: ignore[union-attr]
        described[url.rsplit("/", 1)[1]] = (int(s["size"].value), s["sha"].value, int(s["n"].value))  # type: ignore[union-attr]
    on_disk = sorted(p.name for p in out.iterdir() if p.name.startswith("graph"))
    assert sorted(described) == on_disk == sorted(item.name for item in files)
    for item in files:
        data = (out / item.name).read_bytes()
        assert described[item.name] == (len(data), hashlib.sha256(data).hexdigest(), item.statements)


def test_description_names_source_licence_profile_and_version(
    seed_export: tuple[Path, list[WrittenFile]],
) -> None:
    store = _description(seed_export[0])
    row = _one(
        store,
        f"""PREFIX dcterms: <{DCTERMS}> PREFIX pav: <{PAV}>
        SELECT ?version ?licence ?source ?sourceLicence ?profile ?summary WHERE {{
          ?v pav:version ?version ; dcterms:license ?licence ; dcterms:source ?source ;
             dcterms:conformsTo ?profile ; dcterms:isVersionOf ?summary .
          ?summary pav:hasCurrentVersion ?v ; dcterms:title [] ; dcterms:description [] .
          ?source dcterms:license ?sourceLicence }}""",
    )
    assert row["licence"] == row["sourceLicence"] == SOURCE_TERMS and row["source"] == SOURCE
    assert row["profile"] == "https://www.w3.org/TR/hcls-dataset/"
    assert row["version"] == "0.1.0"  # the build report records no date: no date is made up
    assert not list(store.quads_for_pattern(None, ox.NamedNode(DCTERMS + "issued"), None))


def test_the_recorded_build_date_versions_the_description(seed_dir: Path, tmp_path: Path) -> None:
    graph = tmp_path / "graph"
    shutil.copytree(seed_dir, graph)
    report = json.loads((graph / REPORT).read_text())
    report["built"] = "2025-11-21T09:34:00+00:00"
    (graph / REPORT).write_text(json.dumps(report))
    export_graph(graph, tmp_path / "out", ExportOptions(formats=()))
    text = (tmp_path / "out" / DESCRIPTION_FILE).read_text()
    assert 'pav:version "0.1.0+20251121"' in text
    assert '"2025-11-21T09:34:00+00:00"^^xsd:dateTime' in text


def test_base_url_makes_the_links_absolute(seed_dir: Path, tmp_path: Path) -> None:
    options = ExportOptions(formats=(FORMATS["nt"],), base_url="https://example.org/dumps/")
    export_graph(seed_dir, tmp_path, options)
    store = _description(tmp_path)
    links = [q.object for q in store.quads_for_pattern(None, ox.NamedNode(DCAT + "downloadURL"), None)]
    assert links == [ox.NamedNode("https://example.org/dumps/graph.nt")]


def test_two_exports_are_byte_identical(seed_dir: Path, tmp_path: Path) -> None:
    options = ExportOptions(compress=True, split=2000)
    export_graph(seed_dir, tmp_path / "a", options)
    export_graph(seed_dir, tmp_path / "b", options)
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "b").iterdir()) and len(names) > 5
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_a_new_export_removes_the_files_of_an_earlier_one(seed_dir: Path, tmp_path: Path) -> None:
    export_graph(seed_dir, tmp_path, ExportOptions(split=2000))
    files = export_graph(seed_dir, tmp_path, ExportOptions(compress=True)).files
    assert sorted(p.name for p in tmp_path.glob("graph*")) == sorted(item.name for item in files)


def test_cli_export(nsclc_dir: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["export", str(nsclc_dir), "--out", str(tmp_path), "--format", "nt,ttl"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == [DESCRIPTION_FILE, "graph.nt", "graph.ttl"]
    assert "2 files" in result.output


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--format", "nt,rdfxml"], 2, "unknown format rdfxml"),
        (["--split", "0"], 2, "--split"),
    ],
)
def test_cli_export_refuses_bad_options(
    seed_dir: Path, tmp_path: Path, args: list[str], code: int, message: str
) -> None:
    result = runner.invoke(app, ["export", str(seed_dir), "--out", str(tmp_path), *args])
    assert result.exit_code == code and message in result.output


def test_cli_export_of_a_directory_that_is_no_graph(tmp_path: Path) -> None:
    result = runner.invoke(app, ["export", str(tmp_path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "error:" in result.stderr and "Traceback" not in result.output


def test_export_refuses_to_overwrite_the_graph_it_reads(seed_dir: Path) -> None:
    with pytest.raises(ValueError, match="another directory"):
        export_graph(seed_dir, seed_dir)


def test_parsers_reject_what_strict_parsers_must_reject(tmp_path: Path) -> None:
    """The oracles are not lenient: a relative IRI in N-Triples fails both."""
    bad = tmp_path / "bad.nt"
    bad.write_text("<http://e.org/s> <http://e.org/p> <relative> .\n")
    for check in (rdf_parsers.rapper_count, rdf_parsers.serdi_count):
        with pytest.raises(rdf_parsers.RdfSyntaxError):
            check(bad)
    packed = tmp_path / "ok.nt.gz"
    packed.write_bytes(gzip.compress(b'<http://e.org/s> <http://e.org/p> "o" .\n'))
    assert rdf_parsers.strict_count(packed) == 1
