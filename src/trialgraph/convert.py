"""TrialRecord -> N-Triples lines: a pure function of one record (same record, same lines).

Each layer knows only the one before it: this module sees records and normalisers, never a file
or a store. The lines of one trial are sorted and de-duplicated, so output is deterministic.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from trialgraph import identifiers
from trialgraph import ntriples as nt
from trialgraph.namespaces import DCTERMS, RDFS, TG
from trialgraph.normalise.conditions import normalise_condition
from trialgraph.normalise.drugs import DrugVocabulary
from trialgraph.normalise.endpoints import type_outcome
from trialgraph.normalise.phases import PHASE_IRIS, PhaseReading, phases_from_field, phases_from_text
from trialgraph.normalise.timeframe import parse_time_frame
from trialgraph.records import Intervention, Outcome, TrialRecord


def _p(local: str) -> str:
    return f"<{TG}{local}>"


A = nt.RDF_TYPE
LABEL = f"<{RDFS}label>"
TITLE = f"<{DCTERMS}title>"
IDENTIFIER = f"<{DCTERMS}identifier>"
XSD_DURATION = "http://www.w3.org/2001/XMLSchema#duration"


@dataclass(frozen=True)
class Conversion:
    trial_iri: str
    #: statements about the trial and its children (endpoints, interventions, typings)
    lines: tuple[str, ...]
    #: statements about nodes several trials share (conditions, uncurated drugs): a sink writes
    #: each of these once, however many trials repeat it
    shared: tuple[str, ...] = ()


class _Emitter:
    """Collects the statements of one trial."""

    def __init__(self) -> None:
        self._lines: set[str] = set()
        self._shared: set[str] = set()

    def add(self, subject: str, predicate: str, obj: str) -> None:
        self._lines.add(nt.triple(subject, predicate, obj))

    def add_shared(self, subject: str, predicate: str, obj: str) -> None:
        self._shared.add(nt.triple(subject, predicate, obj))

    def text(self, subject: str, predicate: str, value: str | None) -> None:
        if value is not None and value.strip():
            self.add(subject, predicate, nt.literal(value))

    def lines(self) -> tuple[str, ...]:
        return tuple(sorted(self._lines))

    def shared(self) -> tuple[str, ...]:
        return tuple(sorted(self._shared))


class TrialConverter:
    """Converts records with the curated vocabularies loaded once."""

    def __init__(self, drugs: DrugVocabulary | None = None) -> None:
        self.drugs = drugs or DrugVocabulary.load()

    def convert(self, record: TrialRecord) -> Conversion:
        """Raises RecordError (with the field) for a record that cannot become valid RDF."""
        trial_iri = identifiers.trial_iri(record)
        trial = nt.iri(trial_iri)
        out = _Emitter()
        out.add(trial, A, _p("Trial"))
        out.text(trial, TITLE, record.title)
        if record.nct_id:
            out.add(trial, IDENTIFIER, nt.literal(record.nct_id))
        out.text(trial, _p("briefSummary"), record.brief_summary)
        out.text(trial, _p("detailedDescription"), record.detailed_description)
        self._provenance(out, trial, record)
        self._phases(out, trial, record)
        for condition in record.conditions:
            self._condition(out, trial, condition)
        agents: list[str] = []
        for ordinal, intervention in enumerate(record.interventions, start=1):
            agents.extend(self._intervention(out, trial_iri, ordinal, intervention))
        for agent in self.drugs.active_agents(agents):
            out.add(trial, _p("hasActiveAgent"), nt.iri(agent))
        self._outcomes(out, trial_iri, record.outcomes)
        return Conversion(trial_iri, out.lines(), out.shared())

    @staticmethod
    def _provenance(out: _Emitter, trial: str, record: TrialRecord) -> None:
        out.add(trial, _p("sourceFile"), nt.literal(record.source.file))
        out.add(trial, _p("sourcePosition"), nt.integer(record.source.position))
        if record.source.checksum:
            out.add(trial, _p("sourceChecksum"), nt.literal(record.source.checksum))

    @staticmethod
    def _phases(out: _Emitter, trial: str, record: TrialRecord) -> None:
        if record.phases is None:  # no phase field in this format: read it from the prose
            reading = phases_from_text(record.title, record.brief_summary, record.detailed_description)
        else:
            reading = PhaseReading(phases_from_field(record.phases))
        for code in reading.codes:
            out.add(trial, _p("phase"), nt.iri(PHASE_IRIS[code]))
        out.text(trial, _p("phaseEvidence"), reading.evidence)

    @staticmethod
    def _condition(out: _Emitter, trial: str, text: str) -> None:
        condition = normalise_condition(text)
        if condition is None:
            return
        node = nt.iri(condition.iri)
        out.add(trial, _p("hasCondition"), node)
        out.add_shared(node, A, _p("Condition"))
        out.add_shared(node, LABEL, nt.literal(condition.label))
        out.add_shared(node, _p("sourceText"), nt.literal(condition.source_text))

    def _intervention(self, out: _Emitter, trial_iri: str, ordinal: int, item: Intervention) -> list[str]:
        node = nt.iri(identifiers.intervention_iri(trial_iri, ordinal))
        out.add(nt.iri(trial_iri), _p("hasIntervention"), node)
        out.add(node, A, _p("Intervention"))
        out.add(node, LABEL, nt.literal(item.name))
        out.add(node, _p("ordinal"), nt.integer(ordinal))
        if item.type:
            out.add(node, _p("interventionType"), nt.literal(item.type))
        out.text(node, _p("description"), item.description)
        for other in item.other_names:
            out.text(node, _p("otherName"), other)
        result = self.drugs.normalise(item.name, item.type, item.other_names)
        for text, _reason in result.unmapped:
            out.text(node, _p("unmappedText"), text)
        iris = []
        for agent in result.agents:
            drug = nt.iri(agent.iri)
            out.add(node, _p("hasAgent"), drug)
            if not agent.curated:  # curated drugs are described once, in the vocabulary
                out.add_shared(drug, A, _p("Drug"))
                out.add_shared(drug, A, _p("UncuratedDrug"))
                out.add_shared(drug, LABEL, nt.literal(agent.label))
            iris.append(agent.iri)
        return iris

    @staticmethod
    def _outcomes(out: _Emitter, trial_iri: str, outcomes: Iterable[Outcome]) -> None:
        counters: dict[str, int] = {}
        for outcome in outcomes:
            counters[outcome.role] = ordinal = counters.get(outcome.role, 0) + 1
            endpoint_iri = identifiers.endpoint_iri(trial_iri, outcome.role, ordinal)
            node = nt.iri(endpoint_iri)
            out.add(nt.iri(trial_iri), _p("hasEndpoint"), node)
            out.add(node, A, _p("Endpoint"))
            out.add(node, _p("role"), nt.literal(outcome.role))
            out.add(node, _p("ordinal"), nt.integer(ordinal))
            out.add(node, _p("measure"), nt.literal(outcome.measure))
            out.text(node, _p("description"), outcome.description)
            out.text(node, _p("timeFrame"), outcome.time_frame)
            duration = parse_time_frame(outcome.time_frame) if outcome.time_frame else None
            if duration:
                out.add(node, _p("timeFrameDuration"), nt.literal(duration, XSD_DURATION))
            for typing in type_outcome(outcome.measure, outcome.description):
                out.add(node, A, nt.iri(typing.type_iri))
                typing_node = nt.iri(identifiers.typing_iri(endpoint_iri, typing.type_iri))
                out.add(node, _p("hasTyping"), typing_node)
                out.add(typing_node, A, _p("EndpointTyping"))
                out.add(typing_node, _p("endpointType"), nt.iri(typing.type_iri))
                out.add(typing_node, _p("matchedText"), nt.literal(typing.matched_text))
                out.add(typing_node, _p("matchedIn"), nt.literal(typing.matched_in))
                out.add(typing_node, _p("rule"), nt.literal(typing.rule))
