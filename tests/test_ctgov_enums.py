"""ClinicalTrials.gov enumerations: the tables cover every value in the real records, and the SHACL
shapes accept exactly the values of the tables (so the two cannot drift apart)."""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Iterator
from typing import Any

import pytest
import rdflib
from rdflib.namespace import SH

from realdata import CTGOV, all_studies
from trialgraph.ctgov import ARM_GROUP_TYPES, INTERVENTION_TYPES, PHASES, STATUSES, STUDY_TYPES
from trialgraph.namespaces import TG
from trialgraph.resources import shapes_dir


def _studies() -> Iterator[dict[str, Any]]:
    yield from (study for _, study in all_studies())
    with zipfile.ZipFile(CTGOV / "v2json_urology_ED_ctg-studies.json.zip") as archive:
        for name in archive.namelist():
            yield json.loads(archive.read(name))


def _values(study: dict[str, Any]) -> dict[str, set[str]]:
    ps = study["protocolSection"]
    arms = ps.get("armsInterventionsModule", {})
    return {
        "intervention": {i["type"] for i in arms.get("interventions", []) if "type" in i},
        "arm": {a["type"] for a in arms.get("armGroups", []) if "type" in a},
        "phase": set(ps.get("designModule", {}).get("phases", [])),
        "study type": {ps["designModule"]["studyType"]}
        if "studyType" in ps.get("designModule", {})
        else set(),
        "status": {ps["statusModule"]["overallStatus"]}
        if "overallStatus" in ps.get("statusModule", {})
        else set(),
    }


TABLES = {
    "intervention": INTERVENTION_TYPES,
    "arm": ARM_GROUP_TYPES,
    "phase": PHASES,
    "study type": STUDY_TYPES,
    "status": STATUSES,
}


def test_every_value_in_the_real_records_is_in_its_table() -> None:
    seen: dict[str, set[str]] = {kind: set() for kind in TABLES}
    for study in _studies():
        for kind, values in _values(study).items():
            seen[kind] |= values
    for kind, values in seen.items():
        assert values, f"no {kind} values found: the test reads nothing"
        assert values <= TABLES[kind], f"{kind}: {sorted(values - TABLES[kind])} not in the table"


@pytest.mark.parametrize(
    ("prop", "table"),
    [
        ("interventionType", INTERVENTION_TYPES),
        ("armType", ARM_GROUP_TYPES),
        ("studyType", STUDY_TYPES),
        ("overallStatus", STATUSES),
    ],
)
def test_shapes_accept_exactly_the_table(prop: str, table: frozenset[str]) -> None:
    shapes = rdflib.Graph().parse(shapes_dir() / "trialgraph.shacl.ttl")
    patterns = {
        str(shapes.value(shape, SH.pattern))
        for shape in shapes.subjects(SH.path, rdflib.URIRef(TG + prop))
        if shapes.value(shape, SH.pattern) is not None
    }
    [pattern] = patterns
    alternatives = re.fullmatch(r"\^\((.*)\)\$", pattern)
    assert alternatives is not None
    assert set(alternatives.group(1).split("|")) == table
