"""Conditions are paired with MeSH terms only as ClinicalTrials.gov pairs them; the fallback table."""

from __future__ import annotations

import hashlib
import json
import unicodedata
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from realdata import AACT_TAR, CTGOV, Study, json_array_studies, tar_studies
from trialgraph.normalise.conditions import canonical_condition_label
from trialgraph.normalise.mesh import canonical_mesh_id
from trialgraph.normalise.mesh_conditions import (
    COLUMNS,
    ConditionMeshMatch,
    TableRow,
    build_table,
    condition_matches,
    default_table_path,
    fallback_mapping,
    generate_table,
    load_table,
    read_table,
    registry_matches,
    table_matches,
    table_records,
    write_table,
)
from trialgraph.readers.ctgov_json import study_to_record
from trialgraph.records import MeshBrowse, MeshTerm, SourceRef, TrialRecord

URO_ZIP = CTGOV / "v2json_urology_ED_ctg-studies.json.zip"
V2_SOURCES = [*sorted(CTGOV.glob("v2json_*.json.gz")), URO_ZIP, AACT_TAR]

ED = MeshTerm("D007172", "Erectile Dysfunction")
PCA = MeshTerm("D011471", "Prostatic Neoplasms")
GBM = MeshTerm("D005909", "Glioblastoma")
NSCLC = MeshTerm("D002289", "Carcinoma, Non-Small-Cell Lung")
LUNG = MeshTerm("D008175", "Lung Neoplasms")


def record(
    *conditions: str,
    meshes: tuple[MeshTerm, ...] = (),
    ancestors: tuple[MeshTerm, ...] = (),
    as_found: tuple[tuple[str, str], ...] = (),
    browse: bool = True,
    nct_id: str | None = "NCT00000001",
) -> TrialRecord:
    mesh = MeshBrowse(meshes, ancestors, as_found) if browse else None
    return TrialRecord(
        "t", SourceRef("inline.json"), conditions=conditions, nct_id=nct_id, condition_mesh=mesh
    )


def pairs(matches: tuple[ConditionMeshMatch, ...]) -> list[tuple[str, str, str]]:
    return [(m.condition_text, m.mesh.id, m.rule) for m in matches]


# ---------------------------------------------------------------------------------------------
# registry_matches


def test_as_found_pairs_the_wording_with_its_mesh_term() -> None:
    rec = record(
        "NSCLC",
        "Erectile Dysfunction",
        meshes=(NSCLC, LUNG, ED),
        as_found=(
            ("NSCLC", "Carcinoma, Non-Small-Cell Lung"),
            ("Erectile Dysfunction", "Erectile Dysfunction"),
        ),
    )
    assert pairs(registry_matches(rec)) == [
        ("NSCLC", "D002289", "as-found"),
        ("Erectile Dysfunction", "D007172", "as-found"),
    ]


def test_a_wording_found_for_two_meshes_gets_both_in_mesh_order() -> None:
    # as in NCT02344823: "Cirrhosis" asFound for both Liver Cirrhosis and Fibrosis
    fibrosis, cirrhosis = MeshTerm("D005355", "Fibrosis"), MeshTerm("D008103", "Liver Cirrhosis")
    rec = record(
        "Cirrhosis",
        meshes=(cirrhosis, fibrosis),
        as_found=(("Cirrhosis", "Fibrosis"), ("Cirrhosis", "Liver Cirrhosis")),
    )
    assert pairs(registry_matches(rec)) == [
        ("Cirrhosis", "D008103", "as-found"),
        ("Cirrhosis", "D005355", "as-found"),
    ]


def test_as_found_term_must_be_one_of_the_meshes() -> None:
    # browseLeaves also carry rare-disease (T…) and ancestor leaves: those are not the record's meshes
    rec = record(
        "Chronic",
        "Pancreatic Cancer",
        meshes=(ED,),
        as_found=(
            ("Chronic", "Chronic Graft Versus Host Disease"),
            ("Pancreatic Cancer", "Pancreatic Cancer"),
        ),
    )
    assert registry_matches(rec) == ()


def test_partial_as_found_pairs_nothing() -> None:
    # the registry found "Erectile Dysfunction" inside a longer condition: a broader term, not the condition
    rec = record(
        "Erectile Dysfunction Following Radical Prostatectomy",
        meshes=(ED,),
        as_found=(("Erectile Dysfunction", "Erectile Dysfunction"),),
    )
    assert registry_matches(rec) == ()


def test_term_equal_to_the_wording_when_there_is_no_as_found() -> None:
    # exports without browseLeaves (NSCLCBench, jinash) only have meshes
    rec = record("prostatic neoplasms", "Recurrent Glioblastoma", "Solid Tumors", meshes=(PCA, GBM))
    assert pairs(registry_matches(rec)) == [
        ("prostatic neoplasms", "D011471", "term-equals-wording"),
        ("Recurrent Glioblastoma", "D005909", "term-equals-wording"),  # equal canonical labels
    ]


def test_as_found_comes_first_equality_only_otherwise() -> None:
    depression, disorder = MeshTerm("D003863", "Depression"), MeshTerm("D003866", "Depressive Disorder")
    rec = record(
        "Depression", meshes=(depression, disorder), as_found=(("Depression", "Depressive Disorder"),)
    )
    assert pairs(registry_matches(rec)) == [("Depression", "D003866", "as-found")]


def test_no_pairing_gives_nothing() -> None:
    assert registry_matches(record("NSCLC", meshes=(NSCLC, LUNG))) == ()
    assert registry_matches(record("NSCLC", browse=False)) == ()
    assert (
        registry_matches(record("Prostate Cancer", as_found=(("Prostate Cancer", "Prostatic Neoplasms"),)))
        == ()
    )


def test_ancestors_are_never_used() -> None:
    neoplasms = MeshTerm("D009369", "Neoplasms")
    rec = record(
        "Neoplasms",
        "Lung Diseases",
        meshes=(NSCLC,),
        ancestors=(neoplasms, MeshTerm("D008171", "Lung Diseases")),
        as_found=(("Neoplasms", "Neoplasms"),),
    )
    assert registry_matches(rec) == ()


def test_full_width_case_and_spacing_differences_still_match() -> None:
    rec = record(
        "ＥＲＥＣＴＩＬＥ  dysfunction",
        "PROSTATIC\u00a0NEOPLASMS",
        meshes=(ED, PCA),
        as_found=(("Erectile Dysfunction", "erectile dysfunction"),),
    )
    assert pairs(registry_matches(rec)) == [
        ("ＥＲＥＣＴＩＬＥ  dysfunction", "D007172", "as-found"),
        ("PROSTATIC\u00a0NEOPLASMS", "D011471", "term-equals-wording"),
    ]


def test_order_follows_conditions_and_repeated_conditions_match_once() -> None:
    rec = record(
        "Prostatic Neoplasms",
        "Erectile Dysfunction",
        "erectile dysfunction",
        meshes=(ED, PCA),
        as_found=(("Erectile Dysfunction", "Erectile Dysfunction"),),
    )
    assert pairs(registry_matches(rec)) == [
        ("Prostatic Neoplasms", "D011471", "term-equals-wording"),
        ("Erectile Dysfunction", "D007172", "as-found"),
    ]
    assert registry_matches(rec) == registry_matches(rec)


# ---------------------------------------------------------------------------------------------
# The table


def test_build_table_counts_distinct_records_and_keeps_disagreements() -> None:
    enuresis, incontinence = MeshTerm("D004775", "Enuresis"), MeshTerm("D014549", "Urinary Incontinence")
    both = (("Urinary Incontinence", "Urinary Incontinence"), ("Urinary Incontinence", "Enuresis"))
    one = (("Urinary Incontinence", "Urinary Incontinence"),)
    pca = (("Advanced Prostate Cancers", "Prostatic Neoplasms"),)
    ui = ("Urinary Incontinence",)
    records = [
        ("a.json", record(*ui, meshes=(incontinence, enuresis), as_found=both, nct_id="NCT1")),
        ("b.json", record("urinary incontinence", meshes=(incontinence,), as_found=one, nct_id="NCT2")),
        ("c.json", record(*ui, meshes=(incontinence,), as_found=one, nct_id="NCT3")),
        ("d.json", record(*ui, meshes=(incontinence,), as_found=one, nct_id="NCT3")),  # the same trial
        ("e.json", record(*ui, browse=False, nct_id="NCT4")),  # no registry data
        ("a.json", record("Advanced Prostate Cancers", meshes=(PCA,), as_found=pca)),
    ]
    assert build_table(records) == [
        TableRow("prostate cancer", "D011471", "Prostatic Neoplasms", 1, ("a.json",)),
        TableRow("urinary incontinence", "D004775", "Enuresis", 1, ("a.json",)),
        TableRow(
            "urinary incontinence",
            "D014549",
            "Urinary Incontinence",
            3,
            ("a.json", "b.json", "c.json", "d.json"),
        ),
    ]


def test_fallback_keeps_consistent_double_mappings_and_drops_minority_terms() -> None:
    rows = [
        TableRow("cirrhosis", "D005355", "Fibrosis", 2, ("a",)),
        TableRow("cirrhosis", "D008103", "Liver Cirrhosis", 2, ("a",)),
        TableRow("depression", "D003863", "Depression", 3, ("a",)),
        TableRow("depression", "D003866", "Depressive Disorder", 1, ("a",)),
        TableRow("pre-diabetes", "D011236", "Prediabetic State", 4, ("a",)),
        TableRow("pre-diabetes", "D018149", "Glucose Intolerance", 3, ("a",)),
        TableRow("x", "D000001", "Half", 1, ("a",)),
        TableRow("x", "D000002", "Whole", 2, ("a",)),
    ]
    assert fallback_mapping(rows) == {
        "cirrhosis": (MeshTerm("D005355", "Fibrosis"), MeshTerm("D008103", "Liver Cirrhosis")),
        "depression": (MeshTerm("D003863", "Depression"),),
        "pre-diabetes": (
            MeshTerm("D011236", "Prediabetic State"),
            MeshTerm("D018149", "Glucose Intolerance"),
        ),
        "x": (MeshTerm("D000002", "Whole"),),  # exactly half is not more than half
    }


def test_table_round_trips(tmp_path: Path) -> None:
    rows = [
        TableRow("urinary incontinence", "D014549", "Urinary Incontinence", 3, ("a.json", "b.json")),
        TableRow("prostate cancer", "D011471", "Prostatic Neoplasms", 1, ("a.json",)),
        TableRow("behçet syndrome", "D001528", "Behcet Syndrome", 1, ("c.json.zip",)),
    ]
    path = tmp_path / "mesh" / "t.tsv"
    write_table(rows, path, header=["a test table", "source: a.json sha256:00ff"])
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# a test table\n# source: a.json sha256:00ff\n" + "\t".join(COLUMNS) + "\n")
    parsed = read_table(path)
    assert parsed.rows == tuple(sorted(rows))
    assert parsed.header == ("a test table", "source: a.json sha256:00ff")
    assert parsed.sources == {"a.json": "00ff"}
    loaded = load_table(path)
    assert loaded == fallback_mapping(rows)
    assert load_table(path) == loaded  # cached, and a copy each time
    loaded.clear()
    assert load_table(path)["prostate cancer"] == (PCA,)


def test_write_table_refuses_a_tab_inside_a_field(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="tab"):
        write_table([TableRow("a\tb", "D000001", "X", 1, ("f",))], tmp_path / "t.tsv")


def test_read_table_names_the_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "t.tsv"
    path.write_text("# x\n" + "\t".join(COLUMNS) + "\nlabel\tD000001\tX\tmany\tf\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"t\.tsv:3"):
        read_table(path)


def test_table_matches_a_record_without_mesh_by_canonical_label_only() -> None:
    table = {"prostate cancer": (PCA,), "erectile dysfunction": (ED,)}
    rec = record(
        "Metastatic Prostate Cancers", "ＥＲＥＣＴＩＬＥ Dysfunction", "Prostate Ca", "ED", browse=False
    )
    assert pairs(table_matches(rec, table)) == [
        ("Metastatic Prostate Cancers", "D011471", "table"),
        ("ＥＲＥＣＴＩＬＥ Dysfunction", "D007172", "table"),
    ]


def test_table_matches_uses_the_shipped_table_by_default() -> None:
    # "Impotence" is paired with Erectile Dysfunction by the registry in the urology records
    rec = record("Impotence", "Diabetes Mellitus, Type 2", browse=False)
    assert pairs(table_matches(rec)) == [
        ("Impotence", "D007172", "table"),
        ("Diabetes Mellitus, Type 2", "D003924", "table"),
    ]


def test_condition_matches_prefers_the_records_own_data() -> None:
    table = {"erectile dysfunction": (ED,), "prostate cancer": (PCA,)}
    own = record(
        "Erectile Dysfunction",
        "Prostate Cancer",
        meshes=(ED,),
        as_found=(("Erectile Dysfunction", "Erectile Dysfunction"),),
    )
    assert pairs(condition_matches(own, table)) == [("Erectile Dysfunction", "D007172", "as-found")]
    without = record("Erectile Dysfunction", browse=False)
    assert pairs(condition_matches(without, table)) == [("Erectile Dysfunction", "D007172", "table")]
    # a browse module with no meshes (NCT05366842) has nothing to pair with: the table is used
    empty = record("Prostate Cancer", as_found=(("Quality of Life", "Quality of Life"),))
    assert pairs(condition_matches(empty, table)) == [("Prostate Cancer", "D011471", "table")]


# ---------------------------------------------------------------------------------------------
# Real records (tests/data/ctgov, byte-identical to the shared files the table was built from)


def zip_studies() -> Iterator[tuple[str, Study]]:
    with zipfile.ZipFile(URO_ZIP) as archive:
        for name in sorted(archive.namelist()):
            yield f"{URO_ZIP.name}:{name}", json.loads(archive.read(name))


def real_records() -> Iterator[TrialRecord]:
    for where, study in [*json_array_studies(), *zip_studies(), *tar_studies()]:
        yield study_to_record(study, SourceRef(where))


def study(nct_id: str) -> tuple[str, Study]:
    for where, item in [*json_array_studies(), *zip_studies(), *tar_studies()]:
        if item["protocolSection"]["identificationModule"]["nctId"] == nct_id:
            return where.split(":")[0], item
    raise LookupError(nct_id)


# Checked by hand in the raw JSON: the condition is written so, its conditionBrowseModule lists the
# (padded or not) id with this term in "meshes", and a browseLeaves entry has asFound = the wording.
SPOT_CHECKS = [
    # NCT05287867 also has asFound "Disc Disease" -> Spinal Diseases: a part of the wording, not paired
    ("NCT05287867", "Degenerative Disc Disease", "D055959", "D055959", "Intervertebral Disc Degeneration"),
    ("NCT00042536", "Erectile Dysfunction", "D000007172", "D007172", "Erectile Dysfunction"),
    # NCT03418623 also has asFound "Alcohol Use" -> Alcohol Drinking: a part of the wording, not paired
    ("NCT03418623", "Alcohol Use Disorder", "D000000437", "D000437", "Alcoholism"),
]


@pytest.mark.parametrize(
    ("nct_id", "wording", "raw_id", "mesh_id", "term"), SPOT_CHECKS, ids=lambda v: str(v)
)
def test_shipped_table_spot_checks(nct_id: str, wording: str, raw_id: str, mesh_id: str, term: str) -> None:
    source, raw = study(nct_id)
    module: dict[str, Any] = raw["derivedSection"]["conditionBrowseModule"]
    assert wording in raw["protocolSection"]["conditionsModule"]["conditions"]
    assert {"id": raw_id, "term": term} in module["meshes"]
    assert any(leaf.get("asFound") == wording and leaf["name"] == term for leaf in module["browseLeaves"])
    rec = study_to_record(raw, SourceRef(source))
    assert (wording, mesh_id, "as-found") in pairs(registry_matches(rec))
    rows = [r for r in read_table().rows if r.condition_label == canonical_condition_label(wording)]
    assert [(r.mesh_id, r.mesh_term) for r in rows] == [(mesh_id, term)]
    assert source in rows[0].sources
    assert load_table()[canonical_condition_label(wording)] == (MeshTerm(mesh_id, term),)


def test_shipped_table_is_well_formed() -> None:
    table = read_table()
    assert table.rows, "empty table"
    assert list(table.rows) == sorted(table.rows), "rows not sorted: regenerate (ontology/mesh/README.md)"
    assert len({(r.condition_label, r.mesh_id) for r in table.rows}) == len(table.rows)
    assert any(
        line.startswith("command: python -m trialgraph.normalise.mesh_conditions ") for line in table.header
    )
    assert any(line.startswith("date: ") for line in table.header)
    assert sorted(table.sources) == sorted(p.name for p in V2_SOURCES)
    for row in table.rows:
        assert canonical_mesh_id(row.mesh_id) == row.mesh_id, row
        assert row.condition_label == canonical_condition_label(row.condition_label), row
        assert row.records >= 1 and row.mesh_term, row
        assert row.sources == tuple(sorted(set(row.sources))), row
        assert set(row.sources) <= set(table.sources), f"{row} names a source missing from the header"


def test_shipped_table_is_current() -> None:
    """The table's sources are byte-identical to the in-repo copies, so regenerating from those must
    give the same rows. (Skipped if the table is ever built from files that are not in tests/data.)"""
    named = read_table().sources
    in_repo = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in V2_SOURCES}
    if named != in_repo:
        pytest.skip("the shipped table was built from files other than the in-repo copies")
    assert tuple(build_table(table_records(V2_SOURCES))) == read_table().rows, (
        "ontology/mesh/condition-mesh.tsv is stale: regenerate it (ontology/mesh/README.md)"
    )


def test_generate_table_writes_provenance_header(tmp_path: Path) -> None:
    out = tmp_path / "t.tsv"
    rows = generate_table(out, [AACT_TAR], command="python -m x", date="2000-01-01")
    table = read_table(out)
    assert table.rows == tuple(rows) and rows
    assert "command: python -m x" in table.header and "date: 2000-01-01" in table.header
    assert "records: 12 read, 0 rejected, 9 with condition MeSH terms; " in "\n".join(table.header)
    assert table.sources == {AACT_TAR.name: hashlib.sha256(AACT_TAR.read_bytes()).hexdigest()}
    assert {r.sources for r in rows} == {(AACT_TAR.name,)}


def test_default_table_path_is_the_shipped_file() -> None:
    assert default_table_path().name == "condition-mesh.tsv"
    assert default_table_path().parent.name == "mesh"


# Measured on the in-repo records (2024-25 exports): 1,578 distinct conditions in 856 records with a
# conditionBrowseModule; 985 paired (62.4%): every paired one in records with browseLeaves; the 24
# records without browseLeaves (NSCLCBench, jinash) pair none, their wordings never equal a MeSH term.
MEASURED_COVERAGE = 0.624


def fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def test_registry_coverage_on_real_records() -> None:
    conditions = paired = 0
    for rec in real_records():
        if rec.condition_mesh is None:
            continue
        conditions += len({fold(c) for c in rec.conditions})
        paired += len({fold(m.condition_text) for m in registry_matches(rec)})
    assert conditions == 1578
    assert paired / conditions >= MEASURED_COVERAGE, f"{paired}/{conditions}"
