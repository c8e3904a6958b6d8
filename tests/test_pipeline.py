"""The whole pipeline on real records, and deterministic output."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

import trialgraph as tg
from paths import SEEDS
from seed_render import expected_fields, iter_real_studies, render


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _build_in_subprocess(out: Path, hash_seed: str) -> None:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    command = [sys.executable, "-m", "trialgraph.cli", "build", str(SEEDS), "--out", str(out)]
    subprocess.run(command, check=True, env=env, capture_output=True)


def test_two_builds_give_byte_identical_files(tmp_path: Path) -> None:
    """Different hash seeds change set and dict iteration order: output must not depend on it."""
    _build_in_subprocess(tmp_path / "a", "1")
    _build_in_subprocess(tmp_path / "b", "2")
    for name in ("graph.nt", "graph.ttl"):
        assert _digest(tmp_path / "a" / name) == _digest(tmp_path / "b" / name), name


def test_graph_files_load_in_strict_parsers(seed_dir: Path) -> None:
    import pyoxigraph as ox
    import rdflib

    nt_count = sum(1 for _ in ox.parse(path=str(seed_dir / "graph.nt"), format=ox.RdfFormat.N_TRIPLES))
    ttl_count = sum(1 for _ in ox.parse(path=str(seed_dir / "graph.ttl"), format=ox.RdfFormat.TURTLE))
    # every statement once: shared nodes (conditions named by several trials) are not repeated
    assert nt_count == ttl_count == len(rdflib.Graph().parse(seed_dir / "graph.ttl", format="turtle"))
    assert nt_count == len(set((seed_dir / "graph.nt").read_text().splitlines()))
    assert "_:" not in (seed_dir / "graph.nt").read_text()  # no blank nodes


@pytest.fixture(scope="module")
def real_records_dir(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    """Every in-repo real ClinicalTrials.gov record that the seed format can express, one file each."""
    directory = tmp_path_factory.mktemp("real-as-seed")
    written = 0
    for source in iter_real_studies():
        fields = expected_fields(source.study)
        if not fields.interventions:  # the seed format cannot express a trial without interventions
            continue
        (directory / f"{fields.nct_id}.txt").write_text(render(source.study), encoding="utf-8")
        written += 1
    return directory, written


def test_real_records_convert_and_pass_shacl(real_records_dir: tuple[Path, int]) -> None:
    directory, written = real_records_dir
    graph = tg.build([directory])
    report = graph.report
    assert report is not None and report.validation is not None
    assert written > 250
    assert (report.read, report.converted, len(report.rejected)) == (written, written, 0)
    assert report.validation.conforms, report.validation.render()
    # the questions have answers on real oncology data too
    drugs = graph.query("trial_drugs")
    assert len(drugs) > 150  # 200 on 2026-11-21, after placebo wordings and dosage forms stopped being drugs
    assert drugs[drugs["drug_class"] != ""]["drug"].nunique() >= 30
    assert len(graph.query("trials_by_endpoint_type", endpoint_type="PFS")) > 50


def test_nquads_put_each_trial_in_its_own_graph(seed_dir: Path) -> None:
    """A trial's graph holds all its statements (shared condition labels too), so replacing that
    graph replaces the trial as a whole; the graphs together hold exactly graph.nt's statements."""
    import pyoxigraph as ox

    quads = list(ox.parse(path=str(seed_dir / "graph.nq"), format=ox.RdfFormat.N_QUADS))
    graphs = {q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode)}
    trials = {q.subject.value for q in quads if q.predicate.value.endswith("#sourceFile")}
    assert graphs == trials | {"https://w3id.org/trialgraph/ontology"}
    assert len(trials) == 5
    for quad in quads:
        if quad.graph_name.value in trials and quad.subject.value.startswith(
            "https://w3id.org/trialgraph/id/trial/"
        ):
            assert quad.subject.value.startswith(quad.graph_name.value)  # only its own trial's nodes
    nt = {str(t) for t in ox.parse(path=str(seed_dir / "graph.nt"), format=ox.RdfFormat.N_TRIPLES)}
    as_triples = {str(ox.Triple(q.subject, q.predicate, q.object)) for q in quads}
    assert as_triples == nt
