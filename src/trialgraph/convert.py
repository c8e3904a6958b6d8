"""TrialRecord -> N-Triples lines: a pure function of one record (same record, same lines).

Each layer knows only the one before it: this module sees records and normalisers, never a file
or a store. The lines of one trial are sorted and de-duplicated, so output is deterministic.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from trialgraph import identifiers
from trialgraph import ntriples as nt
from trialgraph.namespaces import DCTERMS, RDFS, SKOS, TG, XSD
from trialgraph.normalise.arms import arm_interventions
from trialgraph.normalise.condition_groups import CANCER, ConditionGroups
from trialgraph.normalise.conditions import normalise_condition
from trialgraph.normalise.drugs import DrugVocabulary, InterventionNormalisation, is_drug_type
from trialgraph.normalise.endpoints import TrialContext, read_outcome
from trialgraph.normalise.mesh import mesh_iri
from trialgraph.normalise.mesh_conditions import condition_matches
from trialgraph.normalise.phases import PHASE_IRIS, PhaseReading, phases_from_field, phases_from_text
from trialgraph.normalise.timeframe import parse_time_frame
from trialgraph.records import Intervention, Outcome, TrialRecord


def _p(local: str) -> str:
    return f"<{TG}{local}>"


A = nt.RDF_TYPE
LABEL = f"<{RDFS}label>"
TITLE = f"<{DCTERMS}title>"
IDENTIFIER = f"<{DCTERMS}identifier>"
EXACT_MATCH = f"<{SKOS}exactMatch>"
CLOSE_MATCH = f"<{SKOS}closeMatch>"
XSD_DURATION = XSD + "duration"
#: a partial date's datatype by its length: YYYY, YYYY-MM, YYYY-MM-DD
_DATE_TYPES = {4: XSD + "gYear", 7: XSD + "gYearMonth", 10: XSD + "date"}


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
        self.groups = ConditionGroups.load()

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
        self._registration(out, trial, record)
        self._provenance(out, trial, record)
        self._phases(out, trial, record)
        groups: set[str] = set()
        for ordinal, condition in enumerate((c for c in record.conditions if c.strip()), start=1):
            groups.update(self._condition(out, trial_iri, ordinal, condition))
        self._condition_groups(out, trial, record, groups)
        agents_by_intervention = [
            self._intervention(out, trial_iri, ordinal, intervention, result)
            for ordinal, (intervention, result) in enumerate(
                zip(record.interventions, self._normalised_interventions(record), strict=True), start=1
            )
        ]
        active = self.drugs.active_agents([a for agents in agents_by_intervention for a in agents])
        for agent in active:
            out.add(trial, _p("hasActiveAgent"), nt.iri(agent))
        self._arms(out, trial_iri, record, agents_by_intervention)
        self._outcomes(
            out, trial_iri, record.outcomes, TrialContext(CANCER in groups, record.conditions, record.title)
        )
        self._mesh(out, trial, record)
        self._drug_mesh(out, record, active)
        return Conversion(trial_iri, out.lines(), out.shared())

    @staticmethod
    def _registration(out: _Emitter, trial: str, record: TrialRecord) -> None:
        """Registry fields: titles, status, type, dates (at their precision), enrollment, sponsor."""
        out.text(trial, _p("officialTitle"), record.official_title)
        out.text(trial, _p("acronym"), record.acronym)
        out.text(trial, _p("studyType"), record.study_type)
        out.text(trial, _p("overallStatus"), record.overall_status)
        out.text(trial, _p("leadSponsor"), record.lead_sponsor)
        for keyword in record.keywords:
            out.text(trial, _p("keyword"), keyword)
        for name, date in (
            ("startDate", record.start_date),
            ("primaryCompletionDate", record.primary_completion_date),
            ("completionDate", record.completion_date),
        ):
            if date is not None:
                out.add(trial, _p(name), nt.literal(date.value, _DATE_TYPES[len(date.value)]))
                out.text(trial, _p(name + "Type"), date.type)
        if record.enrollment is not None:
            out.add(trial, _p("enrollment"), nt.integer(record.enrollment))
        out.text(trial, _p("enrollmentType"), record.enrollment_type)

    def _arms(
        self, out: _Emitter, trial_iri: str, record: TrialRecord, agents_by_intervention: list[list[str]]
    ) -> None:
        links = arm_interventions(record.arms, record.interventions)
        for ordinal, (arm, indices) in enumerate(zip(record.arms, links, strict=True), start=1):
            node = nt.iri(identifiers.arm_iri(trial_iri, ordinal))
            out.add(nt.iri(trial_iri), _p("hasArm"), node)
            out.add(node, A, _p("Arm"))
            out.add(node, LABEL, nt.literal(arm.label))
            out.add(node, _p("ordinal"), nt.integer(ordinal))
            out.text(node, _p("armType"), arm.type)
            out.text(node, _p("description"), arm.description)
            for index in indices:
                out.add(
                    node, _p("armIntervention"), nt.iri(identifiers.intervention_iri(trial_iri, index + 1))
                )
            given = [agent for index in indices for agent in agents_by_intervention[index]]
            for agent in self.drugs.active_agents(given):
                out.add(node, _p("hasActiveAgent"), nt.iri(agent))

    def _mesh(self, out: _Emitter, trial: str, record: TrialRecord) -> None:
        """The registry's MeSH terms and ancestors, and exact links of conditions and drugs to them."""
        for browse, kind in (
            (record.condition_mesh, "condition"),
            (record.intervention_mesh, "intervention"),
        ):
            if browse is None:
                continue
            for terms, predicate in (
                (browse.meshes, f"{kind}Mesh"),
                (browse.ancestors, f"{kind}MeshAncestor"),
            ):
                for term in terms:
                    node = nt.iri(mesh_iri(term.id))
                    out.add(trial, _p(predicate), node)
                    out.add_shared(node, LABEL, nt.literal(term.term))
        matches = condition_matches(record)
        terms_per_wording = Counter(match.condition_text for match in matches)
        for match in matches:
            condition = normalise_condition(match.condition_text)
            if condition is None:
                continue
            # One wording mapped to several terms ("Cirrhosis" -> Liver Cirrhosis, Fibrosis): exactMatch
            # to each would make the terms equal, so those links are closeMatch.
            relation = EXACT_MATCH if terms_per_wording[match.condition_text] == 1 else CLOSE_MATCH
            out.add_shared(nt.iri(condition.iri), relation, nt.iri(mesh_iri(match.mesh.id)))
            out.add_shared(nt.iri(mesh_iri(match.mesh.id)), LABEL, nt.literal(match.mesh.term))

    def _drug_mesh(self, out: _Emitter, record: TrialRecord, agents: Iterable[str]) -> None:
        """A drug is linked to one of the record's intervention MeSH terms only where its name is
        that term (case aside): "Pembrolizumab" = D000077594 "Pembrolizumab"."""
        if record.intervention_mesh is None:
            return
        by_term = {term.term.casefold(): term for term in record.intervention_mesh.meshes}
        for agent in agents:
            label = self.drugs.label(agent) or agent.rsplit("/", 1)[-1]
            term = by_term.get(label.casefold())
            if term is not None:
                out.add_shared(nt.iri(agent), EXACT_MATCH, nt.iri(mesh_iri(term.id)))

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

    def _condition(self, out: _Emitter, trial_iri: str, ordinal: int, text: str) -> tuple[str, ...]:
        """The condition node and the trial's entry for it; returns the condition's groups (cancer,
        solid tumour, organ...).

        The condition node is shared by every trial and merges wordings ("Advanced Solid Tumors" and
        "Solid Tumor" meet in one node, a repeated condition gives one link), so the entry keeps what
        this record wrote and where: without it the record's conditions cannot be rebuilt from the
        graph (trialgraph.roundtrip)."""
        condition = normalise_condition(text)
        if condition is None:
            return ()
        trial = nt.iri(trial_iri)
        node = nt.iri(condition.iri)
        out.add(trial, _p("hasCondition"), node)
        # the condition as this record wrote it: a child of the trial, like its arms
        entry = nt.iri(identifiers.condition_entry_iri(trial_iri, ordinal))
        out.add(trial, _p("hasConditionEntry"), entry)
        out.add(entry, A, _p("ConditionEntry"))
        out.add(entry, _p("ordinal"), nt.integer(ordinal))
        out.add(entry, _p("sourceText"), nt.literal(condition.source_text))
        out.add(entry, _p("entryCondition"), node)
        out.add_shared(node, A, _p("Condition"))
        out.add_shared(node, LABEL, nt.literal(condition.label))
        out.add_shared(node, _p("sourceText"), nt.literal(condition.source_text))
        groups = self.groups.for_label(condition.label)
        for group in groups:
            out.add_shared(node, _p("conditionGroup"), nt.iri(group))
        return groups

    def _condition_groups(self, out: _Emitter, trial: str, record: TrialRecord, groups: set[str]) -> None:
        """A trial's groups: its conditions' groups and those the registry's MeSH terms name."""
        if record.condition_mesh is not None:
            names = [t.term for t in (*record.condition_mesh.meshes, *record.condition_mesh.ancestors)]
            groups.update(self.groups.for_mesh_terms(names))
        for group in groups:
            out.add(trial, _p("conditionGroup"), nt.iri(group))

    def _normalised_interventions(self, record: TrialRecord) -> list[InterventionNormalisation]:
        """Each intervention's drugs: from its own text, then (drug rule 12b) a generic one's from the
        trial's title and brief summary."""
        results = [
            self.drugs.normalise(item.name, item.type, item.other_names, description=item.description)
            for item in record.interventions
        ]
        generic = [
            i
            for i, (item, result) in enumerate(zip(record.interventions, results, strict=True))
            if not result.agents and is_drug_type(item.type)
        ]
        if generic:
            trial_text = " ".join(t for t in (record.title, record.brief_summary) if t)
            for i in generic:
                taken = {a.iri for j, r in enumerate(results) if j != i for a in r.agents}
                results[i] = self.drugs.with_trial_text(results[i], trial_text, taken)
        return results

    def _intervention(
        self,
        out: _Emitter,
        trial_iri: str,
        ordinal: int,
        item: Intervention,
        result: InterventionNormalisation,
    ) -> list[str]:
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
        for text, _reason in result.unmapped:
            out.text(node, _p("unmappedText"), text)
        for text, class_iri in result.classes:  # "PD-1 inhibitor": the class, never a made-up agent
            out.text(node, _p("unmappedText"), text)
            out.add(node, _p("mentionsClass"), nt.iri(class_iri))
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
    def _outcomes(out: _Emitter, trial_iri: str, outcomes: Iterable[Outcome], context: TrialContext) -> None:
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
            reading = read_outcome(outcome.measure, outcome.description, outcome.time_frame, context)
            for typing in reading.types:
                out.add(node, A, nt.iri(typing.type_iri))
                typing_node = nt.iri(identifiers.typing_iri(endpoint_iri, typing.type_iri))
                out.add(node, _p("hasTyping"), typing_node)
                out.add(typing_node, A, _p("EndpointTyping"))
                out.add(typing_node, _p("endpointType"), nt.iri(typing.type_iri))
                out.add(typing_node, _p("matchedText"), nt.literal(typing.matched_text))
                out.add(typing_node, _p("matchedIn"), nt.literal(typing.matched_in))
                out.add(typing_node, _p("rule"), nt.literal(typing.rule))
                if typing.flag is not None:
                    out.add(typing_node, _p("typingFlag"), nt.literal(typing.flag))
                out.text(typing_node, _p("overriddenText"), typing.overridden_text)
            # What the outcome's text states about the endpoint (landmark, statistic, assessor, criteria)
            for landmark in reading.landmarks:
                out.add(node, _p("landmark"), nt.literal(landmark, XSD_DURATION))
            for statistic in reading.statistics:
                out.add(node, _p("statistic"), nt.literal(statistic))
            for assessor in reading.assessors:
                out.add(node, _p("assessor"), nt.literal(assessor))
            for criteria in reading.criteria:
                out.add(node, _p("responseCriteria"), nt.literal(criteria))
