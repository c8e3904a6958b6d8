"""Query results as text a person reads (table) or a program reads (csv, json)."""

from __future__ import annotations

import json

import pandas as pd

from trialgraph.tables import _width, render, render_table

FRAME = pd.DataFrame(
    [
        {
            "trial": "https://w3id.org/trialgraph/id/trial/NCT01234567",
            "measure": "Progression-Free Survival（PFS）",
            "n": 3,
        },
        {"trial": "https://w3id.org/trialgraph/id/trial/tgx-0123456789abcdef", "measure": None, "n": 1},
    ]
)


def test_table_compacts_iris_and_aligns_wide_characters() -> None:
    lines = render_table(FRAME, width=200).splitlines()
    assert lines[2].startswith("trial:NCT01234567 ")
    # every row has its column separators at the same display columns (full-width chars take two)
    positions = {
        tuple(_width(line[:i]) for i, c in enumerate(line) if c == "|") for line in lines if "|" in line
    }
    assert len(positions) == 1
    assert lines[-1] == "(2 rows)"


def test_table_cuts_long_cells_to_the_width() -> None:
    narrow = render_table(FRAME, width=40)
    assert "…" in narrow
    assert all(len(line) <= 48 for line in narrow.splitlines())


def test_csv_keeps_full_iris_and_empty_cells() -> None:
    csv = render(FRAME, "csv").splitlines()
    assert csv[0] == "trial,measure,n"
    assert csv[2] == "https://w3id.org/trialgraph/id/trial/tgx-0123456789abcdef,,1"


def test_json_uses_null_for_missing_values() -> None:
    records = json.loads(render(FRAME, "json"))
    assert records[1]["measure"] is None and records[0]["n"] == 3
