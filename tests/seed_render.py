"""Test helper: render a ClinicalTrials.gov API v2 study (a JSON dict) into the seed plain-text format.

The seed format (see trialgraph.readers.seed_text) keeps one field per line except the brief summary and
the detailed description, which may span lines. Rendering is therefore lossy in known, documented ways,
and `expected_fields` gives what a perfect reader can recover, for field-by-field comparison:

- line breaks inside a one-line field (title, a condition, an intervention name, an outcome's measure,
  description or time frame) become one space (`flatten`);
- an empty or missing field is written as an empty line;
- other outcomes have no line in the format and are dropped;
- the phase and the NCT id are not written (the format has neither).

Also used to build tests/fixtures/seed_format/ (run this module: see `main`).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from realdata import all_studies

Study = dict[str, Any]

_LINE_BREAK = re.compile(r"[ \t]*(?:\r\n|\r|\n)+[ \t]*")


def flatten(text: str) -> str:
    """One line: each run of line breaks (with the spaces around it) becomes one space."""
    return _LINE_BREAK.sub(" ", text).strip()


def _multiline(text: str | None) -> str:
    """A summary or description as written, with line ends normalised to \\n and no surrounding space."""
    if not text:
        return ""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


@dataclass(frozen=True)
class ExpectedOutcome:
    measure: str
    description: str | None
    time_frame: str | None
    role: str

    def entry(self) -> str:
        """The outcome as the format writes it: its non-empty parts joined by ", "."""
        return ", ".join(p for p in (self.measure, self.description, self.time_frame) if p)


@dataclass(frozen=True)
class ExpectedFields:
    """What the seed text rendered from one study can give back, at best."""

    nct_id: str
    title: str
    brief_summary: str | None
    conditions: tuple[str, ...]
    interventions: tuple[tuple[str, str], ...]  # (type, name)
    outcomes: tuple[ExpectedOutcome, ...]
    detailed_description: str | None


def _section(study: Study, name: str) -> dict[str, Any]:
    module: dict[str, Any] = study.get("protocolSection", {}).get(name, {})
    return module


def _outcomes(study: Study, key: str, role: str) -> tuple[ExpectedOutcome, ...]:
    found = []
    for raw in _section(study, "outcomesModule").get(key, []):
        found.append(
            ExpectedOutcome(
                measure=flatten(raw.get("measure", "")),
                description=flatten(raw.get("description", "")) or None,
                time_frame=flatten(raw.get("timeFrame", "")) or None,
                role=role,
            )
        )
    return tuple(found)


def expected_fields(study: Study) -> ExpectedFields:
    ident = _section(study, "identificationModule")
    desc = _section(study, "descriptionModule")
    interventions = _section(study, "armsInterventionsModule").get("interventions", [])
    return ExpectedFields(
        nct_id=ident.get("nctId", "?"),
        title=flatten(ident.get("briefTitle") or ident.get("officialTitle") or ""),
        brief_summary=_multiline(desc.get("briefSummary")) or None,
        conditions=tuple(flatten(c) for c in _section(study, "conditionsModule").get("conditions", [])),
        interventions=tuple((i["type"], flatten(i["name"])) for i in interventions),
        outcomes=_outcomes(study, "primaryOutcomes", "primary")
        + _outcomes(study, "secondaryOutcomes", "secondary"),
        detailed_description=_multiline(desc.get("detailedDescription")) or None,
    )


def render(study: Study) -> str:
    """The seed text for one v2 study; every field present, an empty line for an empty field."""
    exp = expected_fields(study)
    outcome_lines = [
        "|".join(o.entry() for o in exp.outcomes if o.role == role) for role in ("primary", "secondary")
    ]
    lines = [
        exp.title,
        exp.brief_summary or "",
        ", ".join(exp.conditions),
        "|".join(f"{kind}: {name}" for kind, name in exp.interventions),
        *outcome_lines,
        exp.detailed_description or "",
    ]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class SourceStudy:
    source_file: str  # the data file (and member, for the tar) the study came from
    study: Study


def iter_real_studies() -> Iterator[SourceStudy]:
    """Every v2 study in the in-repo copies of the real data: the JSON arrays and the AACT tar."""
    for source_file, study in all_studies():
        yield SourceStudy(source_file, study)


def main(argv: list[str]) -> int:
    """Write the seed text of the named NCT ids into a folder: `python tests/seed_render.py OUT NCT...`."""
    out_dir, wanted = Path(argv[0]), set(argv[1:])
    out_dir.mkdir(parents=True, exist_ok=True)
    for item in iter_real_studies():
        nct = expected_fields(item.study).nct_id
        if nct in wanted:
            (out_dir / f"{nct}.txt").write_text(render(item.study), encoding="utf-8", newline="\n")
            print(f"{nct}\t{item.source_file}")
            wanted.discard(nct)
    for nct in sorted(wanted):
        print(f"not found: {nct}", file=sys.stderr)
    return 1 if wanted else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
