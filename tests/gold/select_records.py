"""Write the blank gold-set templates from the raw record files (no trialgraph code involved).

    python tests/gold/select_records.py

writes tests/gold/endpoints.template.csv and tests/gold/interventions.template.csv: the rows a
labeller fills in by the rules of LABELLING.md, with the text to read.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
CTGOV = HERE.parent / "data" / "ctgov"
NSCLC = CTGOV / "v2json_nsclcbench_ctg-studies.json.gz"
ANAND = CTGOV / "csv_v2export_anand_1000studies.csv.gz"
ONCOLOGY = re.compile(
    r"cancer|tumou?r|neoplas|carcinom|lymphoma|leuk(a)?emi|myeloma|sarcoma|melanoma|glioma|glioblastoma|"
    r"blastoma|mesothelioma|malignan|metasta|oncolog|adenocarcinoma|NSCLC|SCLC|HCC",
    re.IGNORECASE,
)
ROLES = (("primaryOutcomes", "primary"), ("secondaryOutcomes", "secondary"), ("otherOutcomes", "other"))
CSV_ROLES = (
    ("Primary Outcome Measures", "primary"),
    ("Secondary Outcome Measures", "secondary"),
    ("Other Outcome Measures", "other"),
)


def nsclc_studies() -> list[dict[str, Any]]:
    with gzip.open(NSCLC, "rt", encoding="utf-8") as handle:
        studies: list[dict[str, Any]] = json.load(handle)
    return studies


def nsclc_outcomes() -> Iterator[list[str]]:
    for study in nsclc_studies():
        ps = study["protocolSection"]
        nct = ps["identificationModule"]["nctId"]
        module = ps.get("outcomesModule", {})
        for key, role in ROLES:
            for ordinal, outcome in enumerate(module.get(key, []), start=1):
                text = " || ".join(outcome.get(k, "") for k in ("measure", "description", "timeFrame"))
                yield ["nsclc", nct, role, str(ordinal), " ".join(text.split())]


def nsclc_interventions() -> Iterator[list[str]]:
    for study in nsclc_studies():
        ps = study["protocolSection"]
        nct = ps["identificationModule"]["nctId"]
        module = ps.get("armsInterventionsModule", {})
        for ordinal, item in enumerate(module.get("interventions", []), start=1):
            other = "; ".join(item.get("otherNames", []))
            text = f"{item.get('type', '')}: {item['name']}" + (f" (other names: {other})" if other else "")
            yield ["nsclc", nct, str(ordinal), " ".join(text.split())]


def anand_rows() -> Iterator[dict[str, str]]:
    with gzip.open(ANAND, "rb") as raw:
        for row in csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8-sig")):
            if row["Study Status"] != "WITHHELD" and ONCOLOGY.search(
                row["Conditions"] + " " + row["Study Title"]
            ):
                yield row


def _parts(cell: str) -> list[str]:
    return [part.strip() for part in cell.split("|") if part.strip()]


def anand_outcomes() -> Iterator[list[str]]:
    for row in anand_rows():
        for column, role in CSV_ROLES:
            for ordinal, entry in enumerate(_parts(row.get(column, "")), start=1):
                yield ["anand-onc", row["NCT Number"], role, str(ordinal), " ".join(entry.split())]


def anand_interventions() -> Iterator[list[str]]:
    for row in anand_rows():
        for ordinal, entry in enumerate(_parts(row.get("Interventions", "")), start=1):
            yield ["anand-onc", row["NCT Number"], str(ordinal), " ".join(entry.split())]


def main() -> None:
    with (HERE / "endpoints.template.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["source", "nct_id", "role", "ordinal", "text", "types", "note"])
        for row in [*nsclc_outcomes(), *anand_outcomes()]:
            writer.writerow([*row, "", ""])
    with (HERE / "interventions.template.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["source", "nct_id", "ordinal", "text", "agents", "classes", "non_drug", "note"])
        for row in [*nsclc_interventions(), *anand_interventions()]:
            writer.writerow([*row, "", "", "", ""])


if __name__ == "__main__":
    main()
