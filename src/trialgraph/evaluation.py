"""Measure the graph against a hand-labelled gold set (tests/gold, rules in tests/gold/LABELLING.md).

Precision and recall per endpoint type and per drug class, PD-1/PD-L1 agent detection, non-drugs
mapped to a drug (must be none), the PD-1-combination answer, and how many drug mentions in oncology
records map to a curated drug or are deliberately left unmapped, with the list of the rest.

The gold codes are the labellers' own; the tables below say which ontology classes each code means.
"""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from trialgraph.api import TrialGraph
from trialgraph.api import build as build_graph
from trialgraph.namespaces import DRUG, TG, TRIAL
from trialgraph.normalise.drugs import DrugVocabulary, slugify

#: gold endpoint code -> ontology endpoint classes (local names) that mean it
ENDPOINT_CODES: dict[str, tuple[str, ...]] = {
    "PFS": ("ProgressionFreeSurvival",),
    "PFS2": ("SecondProgressionFreeSurvival",),
    "OS": ("OverallSurvival",),
    "EFS": ("EventFreeSurvival",),
    "DFS": ("DiseaseFreeSurvival",),
    "RFS": ("RelapseFreeSurvival",),
    "MFS": ("MetastasisFreeSurvival",),
    "TTP": ("TimeToProgression",),
    "TTF": ("TimeToTreatmentFailure",),
    "TTNT": ("TimeToNextTreatment",),
    "TTR": ("TimeToResponse",),
    "DOR": ("DurationOfResponse",),
    "ORR": ("ObjectiveResponseRate",),
    "DCR": ("DiseaseControlRate",),
    "CBR": ("ClinicalBenefitRate",),
    "CR": ("CompleteResponseRate",),
    "PCR": ("PathologicalCompleteResponse",),
    "MPR": ("MajorPathologicalResponse",),
    "AE": ("AdverseEvents", "SafetyEndpoint"),
    "DLT": ("DoseLimitingToxicity",),
    "MTD": ("MaximumToleratedDose",),
    "RP2D": ("RecommendedPhase2Dose",),
    "PK": (
        "PharmacokineticEndpoint",
        "MaximumConcentration",
        "MinimumConcentration",
        "AverageConcentration",
        "TimeToMaximumConcentration",
        "AreaUnderCurve",
        "HalfLife",
        "Clearance",
        "VolumeOfDistribution",
    ),
    "PD": ("PharmacodynamicEndpoint",),
    "BIOMARKER": ("BiomarkerEndpoint",),
    "MRD": ("MinimalResidualDisease",),
    "QOL": ("QualityOfLife", "PatientReportedOutcomeEndpoint"),
}

#: gold drug-class code -> ontology drug classes (local names); an agent's code comes from its most
#: specific classes
DRUG_CLASS_CODES: dict[str, tuple[str, ...]] = {
    "PD1": ("PD1Inhibitor",),
    "PDL1": ("PDL1Inhibitor",),
    "CTLA4": ("CTLA4Inhibitor",),
    "LAG3": ("LAG3Inhibitor",),
    "TIGIT": ("TIGITInhibitor",),
    "PLATINUM": ("PlatinumCompound",),
    "TAXANE": ("Taxane",),
    "ANTHRACYCLINE": ("Anthracycline",),
    "FLUOROPYRIMIDINE": ("Fluoropyrimidine",),
    "ANTIFOLATE": ("FolicAcidAnalogue",),
    "NUCLEOSIDE": ("PyrimidineAnalogue", "PurineAnalogue", "NucleosideAnalogue"),
    "VINCA": ("VincaAlkaloid",),
    "TOPO": (
        "TopoisomeraseInhibitor",
        "Topoisomerase1Inhibitor",
        "Topoisomerase2Inhibitor",
        "PodophyllotoxinDerivative",
    ),
    "ALKYLATING": ("AlkylatingAgent", "NitrogenMustardAnalogue"),
    "VEGF": ("VEGFPathwayInhibitor",),
    "EGFR": ("EGFRInhibitor",),
    "HER2": ("HER2Inhibitor",),
    "ALK": ("ALKInhibitor",),
    "KRAS": ("KRASInhibitor", "KRASG12CInhibitor"),
    "MET": ("METInhibitor",),
    "PARP": ("PARPInhibitor",),
    "CDK46": ("CDK46Inhibitor",),
    "BTK": ("BTKInhibitor",),
    "BCL2": ("BCL2Inhibitor",),
    "HYPOMETHYLATING": ("HypomethylatingAgent",),
    "HORMONAL": ("HormonalTherapy", "EndocrineTherapy"),
    "ADC": ("AntibodyDrugConjugate",),
    "CELL": ("CellTherapy", "NKCellTherapy"),
}
PD1_AXIS = frozenset({"PD1", "PDL1"})

_CLASS_TO_ENDPOINT = {TG + cls: code for code, classes in ENDPOINT_CODES.items() for cls in classes}
_CLASS_TO_DRUG = {TG + cls: code for code, classes in DRUG_CLASS_CODES.items() for cls in classes}


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    def add(self, predicted: bool, gold: bool) -> None:
        if predicted and gold:
            self.tp += 1
        elif predicted:
            self.fp += 1
        elif gold:
            self.fn += 1


@dataclass
class Evaluation:
    endpoints: dict[str, Score] = field(default_factory=lambda: defaultdict(Score))
    drug_classes: dict[str, Score] = field(default_factory=lambda: defaultdict(Score))
    pd1_agents: Score = field(default_factory=Score)
    #: the same, leaving out gold rows whose agents the labeller took from outside the intervention's
    #: own text (title, summary, descriptions: noted in the gold file); the program reads only names
    pd1_agents_in_text: Score = field(default_factory=Score)
    pd1_combinations: Score = field(default_factory=Score)
    non_drugs_mapped: list[str] = field(default_factory=list)
    errors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    coverage: Counter[str] = field(default_factory=Counter)
    unmapped: Counter[str] = field(default_factory=Counter)


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _codes(cell: str) -> set[str]:
    return {c.strip().upper() for c in cell.replace("+", ";").split(";") if c.strip()}


# ---------------------------------------------------------------------------------------------
# Predictions from the graph


PREFIXES = (
    "PREFIX tg: <https://w3id.org/trialgraph/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
)


def predicted_endpoint_codes(graph: TrialGraph) -> dict[str, set[str]]:
    """Endpoint IRI -> the gold codes its types mean."""
    rows = graph.engine.select(PREFIXES + "SELECT ?e ?type WHERE { ?t tg:hasEndpoint ?e . ?e a ?type }")
    found: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        code = _CLASS_TO_ENDPOINT.get(str(row["type"]))
        found[str(row["e"])]  # every endpoint gets an entry, typed or not
        if code:
            found[str(row["e"])].add(code)
    return found


def _most_specific(vocabulary: DrugVocabulary, classes: Iterable[str]) -> set[str]:
    classes = set(classes)
    return {
        c for c in classes if not any(c != other and c in vocabulary.ancestors(other) for other in classes)
    }


def agent_codes(vocabulary: DrugVocabulary, drug: str) -> set[str]:
    """Gold class codes of a drug, from its most specific mechanism classes; OTHER when curated in a
    class no code names, nothing when uncurated."""
    classes = _most_specific(vocabulary, vocabulary.classes(drug))
    codes = {_CLASS_TO_DRUG[c] for c in classes if c in _CLASS_TO_DRUG}
    # a class without a code of its own may still sit under one (e.g. a new VEGFR TKI class)
    for cls in classes - set(_CLASS_TO_DRUG):
        codes.update(_CLASS_TO_DRUG[a] for a in vocabulary.ancestors(cls) if a in _CLASS_TO_DRUG)
    if not codes and vocabulary.is_curated(drug):
        codes.add("OTHER")
    return codes


def predicted_agents(graph: TrialGraph, vocabulary: DrugVocabulary) -> dict[str, dict[str, set[str]]]:
    """Intervention IRI -> {agent IRI -> class codes}, co-formulated products by their components."""
    rows = graph.engine.select(
        PREFIXES + "SELECT ?i ?d WHERE { ?t tg:hasIntervention ?i . ?i tg:hasAgent ?d }"
    )
    found: dict[str, dict[str, set[str]]] = defaultdict(dict)
    for row in rows:
        for agent in vocabulary.active_agents([str(row["d"])]):
            found[str(row["i"])][agent] = agent_codes(vocabulary, agent)
    return found


def gold_agent(vocabulary: DrugVocabulary, name: str) -> tuple[str, ...]:
    """The drug IRIs a gold agent name stands for: its curated node when the vocabulary knows the name
    or a synonym (an INN and its common name are one agent), else the IRI an unknown name gets."""
    agents = vocabulary.normalise(name, "DRUG").agents
    if agents:
        return vocabulary.active_agents([a.iri for a in agents])
    return (DRUG + slugify(name),)


# ---------------------------------------------------------------------------------------------
# Comparison


def _endpoint_iri(row: dict[str, str]) -> str:
    return f"{TRIAL}{row['nct_id']}/endpoint/{row['role']}-{row['ordinal']}"


def _intervention_iri(row: dict[str, str]) -> str:
    return f"{TRIAL}{row['nct_id']}/intervention/{row['ordinal']}"


def compare_endpoints(
    result: Evaluation, gold_rows: list[dict[str, str]], predicted: dict[str, set[str]]
) -> None:
    for row in gold_rows:
        iri = _endpoint_iri(row)
        gold, got = _codes(row["types"]), predicted.get(iri, set())
        for code in ENDPOINT_CODES:
            result.endpoints[code].add(code in got, code in gold)
        if gold != got:
            result.errors["endpoints"].append(f"{iri}: gold {sorted(gold)} predicted {sorted(got)}")


# An investigational code name as its slug: letters, digits and hyphens with at least two digits
# ("wjb001", "shr-a1921", "bl-b01d1", "ty-9591").
_CODE_NAME = re.compile(r"^(?=(?:[^0-9]*[0-9]){2})[a-z]{1,6}(?:-?[a-z0-9]{1,8}){1,3}$")
_OUTSIDE_TEXT = re.compile(r"\b(?:title|summary|description|descriptions)\b", re.IGNORECASE)


def compare_interventions(
    result: Evaluation,
    gold_rows: list[dict[str, str]],
    predicted: dict[str, dict[str, set[str]]],
    vocabulary: DrugVocabulary,
) -> None:
    for row in gold_rows:
        iri = _intervention_iri(row)
        got = predicted.get(iri, {})
        if row.get("non_drug", "").strip().lower() == "yes":
            if got:
                result.non_drugs_mapped.append(f"{iri} ({row.get('text', '')}): {sorted(got)}")
            continue
        names = [a.strip() for a in row["agents"].split(";") if a.strip()]
        classes = [c.strip() for c in row["classes"].split(";")] if row["classes"].strip() else []
        gold = {
            iri: (_codes(classes[i]) if i < len(classes) else set())
            for i, name in enumerate(names)
            for iri in gold_agent(vocabulary, name)
        }
        gold_codes = set().union(*gold.values()) if gold else set()
        got_codes = set().union(*got.values()) if got else set()
        for code in DRUG_CLASS_CODES:
            result.drug_classes[code].add(code in got_codes, code in gold_codes)
        for key in set(gold) | set(got):
            predicted_pd1 = key in got and bool(got[key] & PD1_AXIS)
            gold_pd1 = key in gold and bool(gold[key] & PD1_AXIS)
            result.pd1_agents.add(predicted_pd1, gold_pd1)
            if not _OUTSIDE_TEXT.search(row.get("note", "")):
                result.pd1_agents_in_text.add(predicted_pd1, gold_pd1)
        if set(gold) != set(got):
            result.errors["agents"].append(f"{iri}: gold {sorted(gold)} predicted {sorted(got)}")


def compare_pd1_combinations(result: Evaluation, gold_rows: list[dict[str, str]], graph: TrialGraph) -> None:
    answer = graph.query("pd1_combinations_measuring_pfs")
    # pandas turns a missing arm into NaN: read the rows as records and test for a string
    got = {
        (str(r["nct_id"]), str(r["level"]), r["arm"] if isinstance(r["arm"], str) else "")
        for r in answer.to_dict("records")
    }
    gold = {
        (r["nct_id"], r["level"], r.get("arm", "") or "")
        for r in gold_rows
        if r.get("measures_pfs", "").strip().lower() == "yes"
    }
    for key in got | gold:
        result.pd1_combinations.add(key in got, key in gold)
        if (key in got) != (key in gold):
            result.errors["pd1_combinations"].append(f"{key}: {'predicted only' if key in got else 'missed'}")


def measure_coverage(result: Evaluation, graph: TrialGraph) -> None:
    """DRUG/BIOLOGICAL interventions of oncology trials: mapped to a curated drug, deliberately not a
    drug (placebo, class wording, procedure...: tg:unmappedText), or neither (uncurated agents)."""
    rows = graph.engine.select(
        PREFIXES + "SELECT ?i ?curated ?uncurated ?deliberate WHERE { "
        "?t tg:conditionGroup tg:Cancer ; tg:hasIntervention ?i . "
        "?i tg:interventionType ?type . "
        'FILTER(?type IN ("DRUG", "BIOLOGICAL")) '
        "OPTIONAL { ?i tg:hasAgent ?c . FILTER NOT EXISTS { ?c a tg:UncuratedDrug } BIND(1 AS ?curated) } "
        "OPTIONAL { ?i tg:hasAgent ?u . ?u a tg:UncuratedDrug ; rdfs:label ?uncurated } "
        "OPTIONAL { ?i tg:unmappedText ?deliberate } }"
    )
    uncurated: dict[str, set[str]] = defaultdict(set)
    curated: set[str] = set()
    deliberate: set[str] = set()
    for row in rows:
        intervention = str(row["i"])
        uncurated[intervention]  # every intervention gets an entry
        if row["uncurated"] is not None:
            uncurated[intervention].add(str(row["uncurated"]))
        if row["curated"] is not None:
            curated.add(intervention)
        if row["deliberate"] is not None:
            deliberate.add(intervention)
    for intervention, names in uncurated.items():
        if names:
            code_names_only = all(_CODE_NAME.match(name) for name in names)
            result.coverage["uncurated code name" if code_names_only else "uncurated agent"] += 1
            result.unmapped.update(names)
        elif intervention in curated:
            result.coverage["curated drug"] += 1
        elif intervention in deliberate:
            result.coverage["deliberately unmapped"] += 1
        else:
            result.coverage["nothing"] += 1


# ---------------------------------------------------------------------------------------------


def gold_sources(data_dir: Path) -> list[Path]:
    return [
        data_dir / "v2json_nsclcbench_ctg-studies.json.gz",
        data_dir / "csv_v2export_anand_1000studies.csv.gz",
    ]


def evaluate(gold_dir: Path, data_dir: Path, coverage_sources: Iterable[Path] | None = None) -> Evaluation:
    vocabulary = DrugVocabulary.load()
    graph = build_graph(gold_sources(data_dir), validate=False)
    result = Evaluation()
    compare_endpoints(result, _read_csv(gold_dir / "endpoints.csv"), predicted_endpoint_codes(graph))
    compare_interventions(
        result, _read_csv(gold_dir / "interventions.csv"), predicted_agents(graph, vocabulary), vocabulary
    )
    compare_pd1_combinations(result, _read_csv(gold_dir / "pd1_combinations.csv"), graph)
    coverage_graph = (
        graph if coverage_sources is None else build_graph(list(coverage_sources), validate=False)
    )
    measure_coverage(result, coverage_graph)
    return result


# ---------------------------------------------------------------------------------------------
# Report


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def _table(title: str, scores: dict[str, Score], order: Iterable[str]) -> list[str]:
    lines = [f"### {title}", "", "| type | precision | recall | TP | FP | FN |", "|---|---|---|---|---|---|"]
    for code in order:
        s = scores.get(code, Score())
        if s.tp + s.fp + s.fn:
            lines.append(f"| {code} | {_fmt(s.precision)} | {_fmt(s.recall)} | {s.tp} | {s.fp} | {s.fn} |")
    return [*lines, ""]


def _row(name: str, s: Score) -> str:
    return f"| {name} | {_fmt(s.precision)} | {_fmt(s.recall)} | {s.tp} | {s.fp} | {s.fn} |"


def render_markdown(result: Evaluation, max_errors: int = 40) -> str:
    total = sum(result.coverage.values())
    coverage = result.coverage
    ok = coverage["curated drug"] + coverage["deliberately unmapped"]
    lines = [
        *_table("Endpoint types", result.endpoints, ENDPOINT_CODES),
        *_table("Drug classes (per intervention)", result.drug_classes, [*DRUG_CLASS_CODES, "OTHER"]),
        "### PD-1 / PD-L1 agents and combinations",
        "",
        "| measure | precision | recall | TP | FP | FN |",
        "|---|---|---|---|---|---|",
        _row("PD-1/PD-L1 agent detection (per intervention and agent)", result.pd1_agents),
        _row(
            "... leaving out gold agents taken from titles, summaries or descriptions",
            result.pd1_agents_in_text,
        ),
        _row("PD-1 combinations measuring PFS (per arm, or trial without arms)", result.pd1_combinations),
        "",
        f"Non-drug interventions (placebo, procedures, radiation...) mapped to a drug: "
        f"{len(result.non_drugs_mapped)}",
        *[f"- {item}" for item in result.non_drugs_mapped[:max_errors]],
        "",
        "### Drug mentions in oncology records",
        "",
        f"DRUG/BIOLOGICAL interventions of trials in the condition group 'cancer': {total}; mapped to a "
        f"curated drug {coverage['curated drug']}, deliberately unmapped by a stated rule "
        f"{coverage['deliberately unmapped']}, with an uncurated investigational code name only "
        f"{coverage['uncurated code name']}, with another uncurated agent {coverage['uncurated agent']}, "
        f"neither {coverage['nothing']}: **{(ok / total if total else 0):.1%}** mapped or deliberately "
        f"unmapped; {((ok + coverage['uncurated code name']) / total if total else 0):.1%} counting the "
        "code names, which are kept as their own agent nodes without a class until a public source states "
        "their mechanism.",
        "",
        "Agents left uncurated, by frequency:",
        "",
        ", ".join(f"{name} ({count})" for name, count in result.unmapped.most_common()),
        "",
    ]
    return "\n".join(lines)


def render_errors(result: Evaluation, max_errors: int = 60) -> str:
    lines = []
    for kind, errors in sorted(result.errors.items()):
        lines.append(f"## {kind}: {len(errors)} disagreements")
        lines.extend(errors[:max_errors])
    return "\n".join(lines)
