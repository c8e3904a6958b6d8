"""Rebuild a trial's seed-format record from the graph and write it as seed text (no data lost).

The seed format (trialgraph.readers.seed_text) carries a title, a brief summary, conditions,
interventions (type and name), primary and secondary outcomes (measure, description, time frame) and
a detailed description; the graph also keeps where the record came from (file, position, checksum).
`rebuild_record` reads exactly those back from the graph, by SPARQL through any `Engine`, into a
`TrialRecord`; `render_seed_text` writes a record as seed text. For a record read from a seed file,
reading the rendered text gives the same record again (tests/test_roundtrip.py checks all of seeds/).

Order and wording come from the graph, never from a guess: items are put back by their tg:ordinal,
texts are the literals as written (conditions from their tg:ConditionEntry, since condition nodes
are shared by all trials and merge wordings). Anything the graph cannot give back exactly (a missing
or repeated ordinal, a single-valued field with two values) raises `RoundTripError`: that is data
loss, never papered over.

Only the seed format's fields are rebuilt (plus the NCT id and the other outcomes, which the graph of a
v2 record holds); the registry fields a v2 record also has (arms, dates, sponsor, ...) are not, see
docs/data-coverage.md.
"""

from __future__ import annotations

from collections.abc import Sequence

from trialgraph.engines import Engine, Row, Term, Value
from trialgraph.errors import RecordError, TrialgraphError
from trialgraph.readers.seed_text import read_seed_text
from trialgraph.records import OUTCOME_ROLES, Intervention, Outcome, SourceRef, TrialRecord

_PREFIXES = """PREFIX tg: <https://w3id.org/trialgraph/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""

# One row per trial, unless a field that should have one value has several (then the rows multiply).
_TRIAL = (
    _PREFIXES
    + """SELECT ?title ?summary ?description ?nct ?file ?position ?checksum WHERE {
  ?trial a tg:Trial .
  OPTIONAL { ?trial dcterms:title ?title }
  OPTIONAL { ?trial tg:briefSummary ?summary }
  OPTIONAL { ?trial tg:detailedDescription ?description }
  OPTIONAL { ?trial dcterms:identifier ?nct }
  OPTIONAL { ?trial tg:sourceFile ?file }
  OPTIONAL { ?trial tg:sourcePosition ?position }
  OPTIONAL { ?trial tg:sourceChecksum ?checksum }
}"""
)

_CONDITIONS = (
    _PREFIXES
    + """SELECT ?ordinal ?text WHERE {
  ?trial tg:hasConditionEntry ?entry .
  OPTIONAL { ?entry tg:ordinal ?ordinal }
  OPTIONAL { ?entry tg:sourceText ?text }
}"""
)

# Condition links without entries: a graph written before entries existed, which cannot be rebuilt.
_CONDITION_LINKS = _PREFIXES + "SELECT (COUNT(?condition) AS ?n) WHERE { ?trial tg:hasCondition ?condition }"

_INTERVENTIONS = (
    _PREFIXES
    + """SELECT ?ordinal ?name ?type WHERE {
  ?trial tg:hasIntervention ?node .
  OPTIONAL { ?node tg:ordinal ?ordinal }
  OPTIONAL { ?node rdfs:label ?name }
  OPTIONAL { ?node tg:interventionType ?type }
}"""
)

_OUTCOMES = (
    _PREFIXES
    + """SELECT ?role ?ordinal ?measure ?description ?timeFrame WHERE {
  ?trial tg:hasEndpoint ?node .
  OPTIONAL { ?node tg:role ?role }
  OPTIONAL { ?node tg:ordinal ?ordinal }
  OPTIONAL { ?node tg:measure ?measure }
  OPTIONAL { ?node tg:description ?description }
  OPTIONAL { ?node tg:timeFrame ?timeFrame }
}"""
)


class RoundTripError(TrialgraphError, ValueError):
    """The graph does not keep what is needed to rebuild a field exactly, or a record cannot be
    written in the seed format so that it reads back the same."""


def _text(value: Value, what: str, *, required: bool = False) -> str | None:
    if value is None:
        if required:
            raise RoundTripError(f"{what}: missing")
        return None
    if not isinstance(value, str):
        raise RoundTripError(f"{what}: {value!r} is not text")
    return value


def _ordered(rows: list[Row], what: str) -> list[Row]:
    """The rows in tg:ordinal order; the ordinals must be exactly 1..n, one row each (a gap is a lost
    item, a repeat a second value of a single-valued field)."""
    keyed: list[tuple[int, Row]] = []
    for row in rows:
        ordinal = row["ordinal"]
        if not isinstance(ordinal, int) or isinstance(ordinal, bool):
            raise RoundTripError(f"{what}: an item has no integer tg:ordinal ({ordinal!r})")
        keyed.append((ordinal, row))
    keyed.sort(key=lambda pair: pair[0])
    ordinals, expected = [o for o, _ in keyed], list(range(1, len(keyed) + 1))
    if ordinals != expected:
        raise RoundTripError(f"{what}: tg:ordinal values {ordinals} are not {expected}")
    return [row for _, row in keyed]


def _one_row(rows: list[Row], trial_iri: str) -> Row:
    if not rows:
        raise RoundTripError(f"no trial {trial_iri} in the graph")
    if len(rows) > 1:
        several = sorted(name for name in rows[0] if len({row[name] for row in rows}) > 1)
        raise RoundTripError(f"{trial_iri}: more than one value for {', '.join(several)}")
    return rows[0]


def _conditions(engine: Engine, bind: dict[str, Term], trial_iri: str) -> tuple[str, ...]:
    rows = _ordered(engine.select(_CONDITIONS, bind), f"{trial_iri} conditions")
    if not rows and engine.select(_CONDITION_LINKS, bind)[0]["n"]:
        raise RoundTripError(
            f"{trial_iri}: conditions are linked but have no tg:ConditionEntry (the graph was built "
            "before entries were kept: rebuild it)"
        )
    return tuple(
        str(_text(row["text"], f"{trial_iri} condition {row['ordinal']}", required=True)) for row in rows
    )


def _interventions(engine: Engine, bind: dict[str, Term], trial_iri: str) -> tuple[Intervention, ...]:
    rows = _ordered(engine.select(_INTERVENTIONS, bind), f"{trial_iri} interventions")
    return tuple(
        Intervention(
            name=str(_text(row["name"], f"{trial_iri} intervention {row['ordinal']}", required=True)),
            type=_text(row["type"], f"{trial_iri} intervention {row['ordinal']} type"),
        )
        for row in rows
    )


def _outcomes(engine: Engine, bind: dict[str, Term], trial_iri: str) -> tuple[Outcome, ...]:
    rows = engine.select(_OUTCOMES, bind)
    unknown = {row["role"] for row in rows} - set(OUTCOME_ROLES)
    if unknown:
        raise RoundTripError(
            f"{trial_iri}: endpoints with unknown or missing tg:role {sorted(map(str, unknown))}"
        )
    found: list[Outcome] = []
    for role in OUTCOME_ROLES:  # the readers list primary, then secondary, then other outcomes
        for row in _ordered([r for r in rows if r["role"] == role], f"{trial_iri} {role} outcomes"):
            what = f"{trial_iri} {role} outcome {row['ordinal']}"
            found.append(
                Outcome(
                    measure=str(_text(row["measure"], what + " measure", required=True)),
                    role=role,
                    description=_text(row["description"], what + " description"),
                    time_frame=_text(row["timeFrame"], what + " time frame"),
                )
            )
    return tuple(found)


def rebuild_record(engine: Engine, trial_iri: str) -> TrialRecord:
    """The seed-format fields of one trial, its NCT id and provenance, rebuilt from the graph.

    Raises RoundTripError when the graph cannot give a field back exactly."""
    bind = {"trial": Term("iri", trial_iri)}
    row = _one_row(engine.select(_TRIAL, bind), trial_iri)
    position = row["position"]
    if not isinstance(position, int):
        raise RoundTripError(f"{trial_iri}: tg:sourcePosition {position!r} is not an integer")
    return TrialRecord(
        title=str(_text(row["title"], f"{trial_iri} title", required=True)),
        source=SourceRef(
            file=str(_text(row["file"], f"{trial_iri} source file", required=True)),
            position=position,
            checksum=_text(row["checksum"], f"{trial_iri} source checksum"),
        ),
        brief_summary=_text(row["summary"], f"{trial_iri} brief summary"),
        detailed_description=_text(row["description"], f"{trial_iri} detailed description"),
        conditions=_conditions(engine, bind, trial_iri),
        interventions=_interventions(engine, bind, trial_iri),
        outcomes=_outcomes(engine, bind, trial_iri),
        nct_id=_text(row["nct"], f"{trial_iri} NCT id"),
    )


def seed_fields(record: TrialRecord) -> TrialRecord:
    """Only what the seed format can carry: no NCT id, no phase or registry fields, interventions by
    type and name, no other outcomes. Two records with equal seed_fields are the same seed record."""
    return TrialRecord(
        title=record.title,
        source=record.source,
        brief_summary=record.brief_summary,
        detailed_description=record.detailed_description,
        conditions=record.conditions,
        interventions=tuple(Intervention(name=i.name, type=i.type) for i in record.interventions),
        outcomes=tuple(o for o in record.outcomes if o.role != "other"),
    )


def _one_line(value: str | None, what: str, problems: list[str], *, item: bool = False) -> None:
    """A value of a one-line field: no line break, and in an item of a "|"-list no "|"."""
    if value is not None and ("\n" in value or "\r" in value):
        problems.append(f"{what} has a line break")
    if item and value is not None and "|" in value:
        problems.append(f"{what} contains '|', the format's item separator")


def _outcome_entry(outcome: Outcome) -> str:
    return ", ".join(part for part in (outcome.measure, outcome.description, outcome.time_frame) if part)


def _lines(record: TrialRecord) -> list[str]:
    problems: list[str] = []
    if not record.interventions:
        problems.append("no interventions (the format cannot express a trial without them)")
    if any(o.role == "other" for o in record.outcomes):
        problems.append("other outcomes (the format has no line for them)")
    _one_line(record.title, "the title", problems)
    for text in record.conditions:
        _one_line(text, f"condition {text!r}", problems)
    for item in record.interventions:
        if item.type is None:
            problems.append(f"intervention {item.name!r} has no type")
        _one_line(item.name, f"intervention {item.name!r}", problems, item=True)
    for o in record.outcomes:
        for part in (o.measure, o.description, o.time_frame):
            _one_line(part, f"{o.role} outcome {o.measure!r}", problems, item=True)
    if problems:
        raise RoundTripError(f"{record.label} cannot be written as seed text: {'; '.join(problems)}")
    outcome_lines: Sequence[str] = [
        "|".join(_outcome_entry(o) for o in record.outcomes if o.role == role)
        for role in ("primary", "secondary")
    ]
    return [
        record.title,
        *([record.brief_summary] if record.brief_summary else []),
        ", ".join(record.conditions),
        "|".join(f"{item.type}: {item.name}" for item in record.interventions),
        *outcome_lines,
        record.detailed_description or "",
    ]


def render_seed_text(record: TrialRecord) -> str:
    """The record as seed text (LF line ends, one final newline); its NCT id and registry fields are
    not written, since the format has no place for them.

    The text is checked by reading it back: where the seed reader would read something else (an
    outcome whose parts its heuristic splits differently, a condition containing ", ", a "|" in a
    name, a summary line that looks like an interventions line) RoundTripError names the fields.
    """
    text = "\n".join(_lines(record)) + "\n"
    expected = seed_fields(record)
    try:
        back = read_seed_text(text, record.source)
    except RecordError as error:
        raise RoundTripError(f"{record.label}: seed text would not read back: {error.reason}") from None
    if back != expected:
        differing = [
            name for name in expected.__dataclass_fields__ if getattr(back, name) != getattr(expected, name)
        ]
        raise RoundTripError(
            f"{record.label}: seed text would read back differently in {', '.join(differing)}"
        )
    return text


def rebuild_seed_text(engine: Engine, trial_iri: str) -> str:
    """The seed text of one trial, rebuilt from the graph."""
    return render_seed_text(rebuild_record(engine, trial_iri))
