"""Drug vocabulary (ontology/drugs.ttl, ontology/drug-classes.ttl) and the drug normaliser.

Three groups: the normaliser on the seeds and on tiny inline cases (each named after what it guards),
a lint of the curated Turtle (each failure says how to fix it), and a run over every intervention of
the real ClinicalTrials.gov records in tests/data with its counts pinned.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import rdflib
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from paths import SEEDS
from realdata import all_studies
from trialgraph.namespaces import DCTERMS, DRUG, TG
from trialgraph.normalise.drugs import (
    NON_DRUG_TERMS,
    REASON_CLASS,
    REASON_EXCLUDED,
    REASON_PLACEBO,
    REASON_RADIATION,
    REASON_SOC,
    DrugVocabulary,
    InterventionNormalisation,
    name_key,
    slugify,
)
from trialgraph.resources import ontology_dir

TGNS = rdflib.Namespace(TG)
ATC_IRI = "http://www.whocc.no/atc_ddd_index/?code="
MESH_IRI = "http://id.nlm.nih.gov/mesh/"
NCIT_IRI = "http://purl.obolibrary.org/obo/NCIT_"
DCTERMS_SOURCE = rdflib.URIRef(DCTERMS + "source")


def d(slug: str) -> str:
    return DRUG + slug


def t(local: str) -> str:
    return TG + local


@pytest.fixture(scope="module")
def vocab() -> DrugVocabulary:
    return DrugVocabulary.load()


def curated(result: InterventionNormalisation) -> list[str]:
    return [a.iri for a in result.agents if a.curated]


# =============================================================================================
# Seeds


def seed_interventions() -> Iterator[tuple[str, str, str]]:
    """(seed file, type, name) for every intervention on the seeds' interventions lines."""
    kinds = "DRUG|BIOLOGICAL|DEVICE|PROCEDURE|RADIATION|BEHAVIORAL|GENETIC|DIETARY_SUPPLEMENT|OTHER"
    for path in sorted(SEEDS.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if re.match(rf"^(?:{kinds}|COMBINATION_PRODUCT|DIAGNOSTIC_TEST): ", line):
                for item in line.split("|"):
                    kind, _, name = item.partition(": ")
                    yield path.name, kind, name
                break


def test_every_seed_intervention_maps_to_curated_agents(vocab: DrugVocabulary) -> None:
    items = list(seed_interventions())
    assert len(items) == 7, "the five seeds name seven interventions (one duplicated)"
    for seed, kind, name in items:
        result = vocab.normalise(name, kind)
        assert result.agents and all(a.curated for a in result.agents), (seed, name, result)
        assert not result.unmapped, (seed, name, result)


def test_seed_001_utidelone_capsule_plus_capecitabine(vocab: DrugVocabulary) -> None:
    result = vocab.normalise("Utidelone Capsule Plus Capecitabine", "DRUG")
    assert curated(result) == [d("utidelone"), d("capecitabine")]
    assert [a.matched_text for a in result.agents] == ["Utidelone Capsule", "Capecitabine"]
    assert vocab.is_a(d("utidelone"), t("Epothilone"))
    assert vocab.is_a(d("capecitabine"), t("Fluoropyrimidine"))


def test_seed_000_dosage_form_is_not_part_of_the_name(vocab: DrugVocabulary) -> None:
    result = vocab.normalise("utidelone injection", "DRUG")
    assert curated(result) == [d("utidelone")]
    assert result.agents[0].rule == "label"
    assert result.agents[0].matched_text == "utidelone injection"


def test_seed_003_albumin_bound_paclitaxel_is_nab_paclitaxel_a_taxane(vocab: DrugVocabulary) -> None:
    result = vocab.normalise("Albumin-Bound Paclitaxel", "DRUG")
    assert curated(result) == [d("nab-paclitaxel")]
    assert vocab.is_a(d("nab-paclitaxel"), t("Taxane"))
    assert vocab.is_a(d("nab-paclitaxel"), t("Chemotherapy"))
    # the same node however it is written
    for name in ("nab-paclitaxel", "nab paclitaxel", "Nanoparticle albumin-bound paclitaxel", "Abraxane"):
        assert curated(vocab.normalise(name, "DRUG")) == [d("nab-paclitaxel")], name
    # and solvent-based paclitaxel stays its own agent
    assert curated(vocab.normalise("Paclitaxel", "DRUG")) == [d("paclitaxel")]


def test_seed_003_camrelizumab_is_a_pd1_inhibitor(vocab: DrugVocabulary) -> None:
    result = vocab.normalise("Camrelizumab", "DRUG")
    assert curated(result) == [d("camrelizumab")]
    assert vocab.classes(d("camrelizumab")) == (t("PD1Inhibitor"),)
    assert vocab.ancestors(t("PD1Inhibitor")) == (
        t("PD1AxisInhibitor"),
        t("ImmuneCheckpointInhibitor"),
        TG + "Drug",
    )
    assert vocab.is_a(d("camrelizumab"), t("ImmuneCheckpointInhibitor"))
    assert not vocab.is_a(d("camrelizumab"), t("PDL1Inhibitor"))


def test_seed_004_ql1706_is_a_product_of_iparomlimab_and_tuvonralimab(vocab: DrugVocabulary) -> None:
    result = vocab.normalise("QL1706 injection", "DRUG")
    product = d("iparomlimab-and-tuvonralimab")
    assert curated(result) == [product]
    assert vocab.is_a(product, t("CoformulatedProduct"))
    assert vocab.components(product) == (d("iparomlimab"), d("tuvonralimab"))
    assert vocab.active_agents([product]) == (d("iparomlimab"), d("tuvonralimab"))
    assert vocab.is_a(d("iparomlimab"), t("PD1Inhibitor"))
    assert vocab.is_a(d("tuvonralimab"), t("CTLA4Inhibitor"))


def test_seed_002_duplicated_sk_nk_collapses(vocab: DrugVocabulary) -> None:
    first = vocab.normalise("SK-NK injection", "DRUG")
    second = vocab.normalise("SK-NK injection", "DRUG")
    assert curated(first) == curated(second) == [d("sk-nk")]
    assert vocab.active_agents(curated(first) + curated(second)) == (d("sk-nk"),)
    assert vocab.is_a(d("sk-nk"), t("CellTherapy"))


# =============================================================================================
# Synonyms, code names, splitting


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("MK-3475", "pembrolizumab"),
        ("Keytruda", "pembrolizumab"),
        ("BMS-936558", "nivolumab"),
        ("ONO-4538", "nivolumab"),
        ("MPDL3280A", "atezolizumab"),
        ("MEDI4736", "durvalumab"),
        ("BGB-A317", "tislelizumab"),
        ("JS001", "toripalimab"),
        ("SHR-1210", "camrelizumab"),
        ("shr 1210", "camrelizumab"),
        ("ＳＨＲ－１２１０", "camrelizumab"),  # full-width, as Chinese records write it
        ("IBI308", "sintilimab"),
        ("AK104", "cadonilimab"),
        ("AK112", "ivonescimab"),
        ("PSB205", "iparomlimab-and-tuvonralimab"),
        ("Opdualag", "nivolumab-and-relatlimab"),
        ("5-FU", "fluorouracil"),
        ("Apatinib", "rivoceranib"),
        ("Almonertinib", "aumolertinib"),
        ("Camrelizumab (SHR-1210)", "camrelizumab"),
        ("Capecitabine (CAP)", "capecitabine"),
        ("（SHR-1210）", "camrelizumab"),
        ("Erlotinib Hydrochloride Tablets", "erlotinib"),
        ("Cisplatin 75mg/m2", "cisplatin"),
        ("Pembrolizumab 200 mg i.v. infusion", "pembrolizumab"),
        ("Carboplatin AUC 5", "carboplatin"),
        ("Maintenance pemetrexed", "pemetrexed"),
        ("Lazertinib group", "lazertinib"),
        ("Paclitaxel (albumin bound)", "nab-paclitaxel"),
    ],
)
def test_synonyms_code_names_and_variants(vocab: DrugVocabulary, name: str, slug: str) -> None:
    assert curated(vocab.normalise(name, "DRUG")) == [d(slug)]


def test_generic_agent_rules_name_the_match(vocab: DrugVocabulary) -> None:
    assert vocab.normalise("Pembrolizumab", "DRUG").agents[0].rule == "label"
    assert vocab.normalise("Keytruda", "DRUG").agents[0].rule == "synonym"


@pytest.mark.parametrize(
    ("name", "slugs"),
    [
        ("paclitaxel/carboplatin", ["paclitaxel", "carboplatin"]),
        ("Vinorelbine, cisplatin", ["vinorelbine", "cisplatin"]),
        ("Camrelizumab combined with apatinib", ["camrelizumab", "rivoceranib"]),
        ("Nivolumab in combination with ipilimumab", ["nivolumab", "ipilimumab"]),
        ("Docetaxel followed by gemcitabine", ["docetaxel", "gemcitabine"]),
        ("pemetrexed+Cisplatin/Carboplatin", ["pemetrexed", "cisplatin", "carboplatin"]),
        ("SHR-1316；Bevacizumab", ["adebrelimab", "bevacizumab"]),
        ("Paclitaxel + Carboplatin (AUC 5)", ["paclitaxel", "carboplatin"]),
        ("Chemotherapy (pemetrexed + cisplatin)", ["pemetrexed", "cisplatin"]),
    ],
)
def test_one_intervention_may_name_several_agents(vocab: DrugVocabulary, name: str, slugs: list[str]) -> None:
    assert curated(vocab.normalise(name, "DRUG")) == [d(s) for s in slugs]


def test_product_names_containing_separators_are_not_split(vocab: DrugVocabulary) -> None:
    for name in ("nivolumab and relatlimab", "Nivolumab/Relatlimab", "nivolumab and relatlimab-rmbw"):
        assert curated(vocab.normalise(name, "DRUG")) == [d("nivolumab-and-relatlimab")], name
    assert curated(vocab.normalise("iparomlimab/tuvonralimab", "DRUG")) == [d("iparomlimab-and-tuvonralimab")]


def test_plain_and_does_not_split_unknown_names(vocab: DrugVocabulary) -> None:
    """Regression: a cocktail of unknown drugs stays one (uncurated) product, not four guesses."""
    name = "Ropivacaine, Epinephrine, Clonidine, and Ketorolac Injection Cocktail"
    result = vocab.normalise(name, "DRUG")
    assert len(result.agents) == 1 and not result.agents[0].curated


def test_or_gives_alternatives_not_a_combination(vocab: DrugVocabulary) -> None:
    result = vocab.normalise("Tislelizumab，atezolizumab or sugemalimab", "DRUG")
    assert curated(result) == [d("tislelizumab"), d("atezolizumab"), d("sugemalimab")]
    assert all(a.rule.endswith("+alternative") for a in result.agents)


def test_with_or_without_and_without(vocab: DrugVocabulary) -> None:
    result = vocab.normalise("QL1706 plus bevacizumab with or without chemotherapy", "DRUG")
    assert curated(result) == [d("iparomlimab-and-tuvonralimab"), d("bevacizumab")]
    assert result.unmapped == (("chemotherapy", REASON_CLASS),)
    excluded = vocab.normalise("Nivolumab without ipilimumab", "DRUG")
    assert curated(excluded) == [d("nivolumab")]
    assert excluded.unmapped == (("ipilimumab", REASON_EXCLUDED),)


def test_agents_inside_a_phrase_are_found_as_whole_words(vocab: DrugVocabulary) -> None:
    result = vocab.normalise("intercalation therapy using pemetrexed, cisplatin and erlotinib", "DRUG")
    assert curated(result) == [d("pemetrexed"), d("cisplatin"), d("erlotinib")]
    assert {a.rule for a in result.agents} == {"name-in-phrase"}
    assert result.unmapped == (("intercalation therapy", "words around a recognised agent"),)


def test_duplicates_in_one_intervention_collapse(vocab: DrugVocabulary) -> None:
    result = vocab.normalise("Pembrolizumab + Keytruda + MK-3475", "DRUG")
    assert curated(result) == [d("pembrolizumab")]


# =============================================================================================
# What is not mapped


@pytest.mark.parametrize(
    ("name", "kind", "reason"),
    [
        ("Placebo", "DRUG", REASON_PLACEBO),
        ("Placebos", "DRUG", REASON_PLACEBO),
        ("placebo tablets", "DRUG", REASON_PLACEBO),
        ("Normal saline", "DRUG", REASON_PLACEBO),
        ("Sham procedure", "OTHER", REASON_PLACEBO),
        ("Standard of care", "OTHER", REASON_SOC),
        ("Standard-of-Care", "DRUG", REASON_SOC),
        ("Best supportive care", "OTHER", REASON_SOC),
        ("Standard Therapy", "DRUG", REASON_SOC),
        ("Chemotherapy", "DRUG", REASON_CLASS),
        ("Adjuvant chemotherapy", "DRUG", REASON_CLASS),
        ("PD-1 inhibitor", "DRUG", REASON_CLASS),
        ("PD-1 Inhibitors", "DRUG", REASON_CLASS),
        ("anti-PD-L1 antibody", "DRUG", REASON_CLASS),
        ("Immune checkpoint inhibitors", "DRUG", REASON_CLASS),
        ("SGLT2 inhibitor", "DRUG", REASON_CLASS),
        ("Radiotherapy", "RADIATION", REASON_RADIATION),
        ("Surgery", "PROCEDURE", "procedure"),
        ("Neoadjuvant immunotherapy", "DRUG", "generic therapy, not an agent"),
        ("FOLFIRI", "DRUG", "regimen acronym, components not curated"),
        ("FreeStyle Libre", "DEVICE", "not a drug intervention (DEVICE)"),
        ("Aerobic and Resistance Exercise", "BEHAVIORAL", "not a drug intervention (BEHAVIORAL)"),
    ],
)
def test_not_drugs_are_unmapped_with_a_reason(
    vocab: DrugVocabulary, name: str, kind: str, reason: str
) -> None:
    result = vocab.normalise(name, kind)
    assert result.agents == ()
    assert result.unmapped == ((name, reason),)


def test_placebo_next_to_a_drug(vocab: DrugVocabulary) -> None:
    result = vocab.normalise("Durvalumab or placebo", "DRUG")
    assert curated(result) == [d("durvalumab")]
    assert result.unmapped == (("placebo", REASON_PLACEBO),)


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("carboplatinum", "DRUG"),  # "carboplatin" must not match inside another word
        ("Nivolumabx", "DRUG"),
        ("Hydroxycarboplatin", "DRUG"),
        ("carboplatin-containing doublet", "DRUG"),
        ("Vitamin C", "DRUG"),
        ("Paclitaxel-coated balloon", "DEVICE"),
        ("Capsaicin cream", "DRUG"),  # "cap" of "Capecitabine (CAP)" is not a synonym
    ],
)
def test_no_loose_substring_match(vocab: DrugVocabulary, name: str, kind: str) -> None:
    assert curated(vocab.normalise(name, kind)) == []


def test_unknown_drug_becomes_an_uncurated_agent(vocab: DrugVocabulary) -> None:
    result = vocab.normalise("Anlotinib Hydrochloride Capsules", "DRUG")
    (agent,) = result.agents
    assert agent.iri == d("anlotinib")
    assert (agent.label, agent.curated, agent.rule) == ("anlotinib", False, "uncurated")
    assert agent.matched_text == "Anlotinib Hydrochloride Capsules"
    # no type given behaves like DRUG
    assert vocab.normalise("Anlotinib", None).agents[0].iri == d("anlotinib")
    # a biological as well
    assert vocab.normalise("Neoantigen-loaded DC vaccine", "BIOLOGICAL").agents[0].curated is False


def test_uncurated_label_is_a_function_of_the_iri(vocab: DrugVocabulary) -> None:
    """Two records writing one unknown agent differently must not give its shared node two labels."""
    (a,) = vocab.normalise("Anlotinib", "DRUG").agents
    (b,) = vocab.normalise("ANLOTINIB capsules", "DRUG").agents
    assert (a.iri, a.label) == (b.iri, b.label)


def test_other_names_are_tried_when_the_name_is_unknown(vocab: DrugVocabulary) -> None:
    result = vocab.normalise("XYZ-123 injection", "DRUG", ["Keytruda", "MK-3475"])
    assert curated(result) == [d("pembrolizumab")]
    assert result.agents[0].rule == "other-name"
    assert result.agents[0].matched_text == "Keytruda"
    # a class named with its agent as other name
    named = vocab.normalise("PD-1 inhibitor", "DRUG", ["camrelizumab"])
    assert curated(named) == [d("camrelizumab")]
    assert named.unmapped == (("PD-1 inhibitor", REASON_CLASS),)


def test_other_names_that_disagree_are_ignored(vocab: DrugVocabulary) -> None:
    """Regression (NCT05821933): other names listing combination partners are not synonyms."""
    result = vocab.normalise("RC108", "DRUG", ["Furmonertinib", "Toripalimab"])
    assert [(a.iri, a.curated) for a in result.agents] == [(d("rc108"), False)]
    several = vocab.normalise("Anlotinib", "DRUG", ["Gefitinib Tablets", "Erlotinib Hydrochloride Tablets"])
    assert curated(several) == []


def test_other_names_never_turn_placebo_into_a_drug(vocab: DrugVocabulary) -> None:
    result = vocab.normalise("Placebo", "DRUG", ["matching placebo for pembrolizumab"])
    assert result.agents == ()


def test_known_name_ignores_other_names(vocab: DrugVocabulary) -> None:
    """Regression: NCT01562210 lists the wrong ATC code L01XA03 as another name of cisplatin."""
    assert curated(vocab.normalise("Cisplatin", "DRUG", ["L01XA03"])) == [d("cisplatin")]


def test_active_agents_replace_products_keep_order_and_deduplicate(vocab: DrugVocabulary) -> None:
    iris = [d("bevacizumab"), d("nivolumab-and-relatlimab"), d("nivolumab"), d("bevacizumab")]
    assert vocab.active_agents(iris) == (d("bevacizumab"), d("nivolumab"), d("relatlimab"))
    assert vocab.components(d("nivolumab")) == ()


def test_class_assignments_of_bispecifics(vocab: DrugVocabulary) -> None:
    assert set(vocab.classes(d("cadonilimab"))) == {t("PD1Inhibitor"), t("CTLA4Inhibitor")}
    assert set(vocab.classes(d("ivonescimab"))) == {t("PD1Inhibitor"), t("VEGFPathwayInhibitor")}


def test_normalise_is_cached_and_keeps_the_source_text(vocab: DrugVocabulary) -> None:
    first = vocab.normalise("  Camrelizumab ", "drug")
    assert first is vocab.normalise("  Camrelizumab ", "DRUG")
    assert first.source_text == "  Camrelizumab "


def test_load_accepts_the_file_or_its_directory() -> None:
    by_dir = DrugVocabulary.load(ontology_dir())
    by_file = DrugVocabulary.load(ontology_dir() / "drugs.ttl")
    assert by_dir is by_file is DrugVocabulary.load()


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Albumin-Bound Paclitaxel", "albumin-bound-paclitaxel"),
        ("SHR-1210", "shr-1210"),
        ("  Anlotinib   Hydrochloride ", "anlotinib-hydrochloride"),
        ("Ｃａｍｒｅｌｉｚｕｍａｂ", "camrelizumab"),
        ("Cisplatín", "cisplatin"),
        ("CP-675,206", "cp-675-206"),
        ("卡瑞利珠单抗", "u-5361-745e-5229-73e0-5355-6297"),
        ("--", ""),
    ],
)
def test_slugify(text: str, slug: str) -> None:
    assert slugify(text) == slug
    assert slugify(slug) == slug  # idempotent
    assert slug == "" or re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug)  # the SHACL drug IRI pattern


# =============================================================================================
# Lint: the curated Turtle stays canonical


@pytest.fixture(scope="module")
def graph() -> rdflib.Graph:
    g = rdflib.Graph()
    g.parse(ontology_dir() / "drug-classes.ttl", format="turtle")
    g.parse(ontology_dir() / "drugs.ttl", format="turtle")
    return g


def drug_nodes(g: rdflib.Graph) -> list[rdflib.URIRef]:
    return sorted(
        (s for s in g.subjects(RDF.type, TGNS.Drug) if isinstance(s, rdflib.URIRef)),
        key=str,
    )


def class_nodes(g: rdflib.Graph) -> list[rdflib.URIRef]:
    return sorted((s for s in g.subjects(RDF.type, OWL.Class) if isinstance(s, rdflib.URIRef)), key=str)


def superclasses(g: rdflib.Graph, cls: rdflib.term.Node) -> set[rdflib.term.Node]:
    out: set[rdflib.term.Node] = set()
    todo = [cls]
    while todo:
        for parent in g.objects(todo.pop(), RDFS.subClassOf):
            if parent not in out:
                out.add(parent)
                todo.append(parent)
    return out


def test_every_class_is_under_drug_and_documented(graph: rdflib.Graph) -> None:
    for cls in class_nodes(graph):
        assert TGNS.Drug in superclasses(graph, cls), f"{cls}: add rdfs:subClassOf towards tg:Drug"
        assert len(list(graph.objects(cls, RDFS.label))) == 1, f"{cls}: give exactly one rdfs:label"
        assert len(list(graph.objects(cls, SKOS.definition))) == 1, f"{cls}: give one skos:definition"


def test_required_classes_exist(graph: rdflib.Graph) -> None:
    expected = {
        "ImmuneCheckpointInhibitor": "Drug",
        "PD1AxisInhibitor": "ImmuneCheckpointInhibitor",
        "PD1Inhibitor": "PD1AxisInhibitor",
        "PDL1Inhibitor": "PD1AxisInhibitor",
        "CTLA4Inhibitor": "ImmuneCheckpointInhibitor",
        "LAG3Inhibitor": "ImmuneCheckpointInhibitor",
        "TIGITInhibitor": "ImmuneCheckpointInhibitor",
        "Chemotherapy": "Drug",
        "Taxane": "MicrotubuleTargetingAgent",
        "Epothilone": "MicrotubuleTargetingAgent",
        "Fluoropyrimidine": "PyrimidineAnalogue",
        "PyrimidineAnalogue": "Antimetabolite",
        "PlatinumCompound": "Chemotherapy",
        "Anthracycline": "Chemotherapy",
        "VEGFPathwayInhibitor": "TargetedTherapy",
        "EGFRInhibitor": "TargetedTherapy",
        "HER2Inhibitor": "TargetedTherapy",
        "PARPInhibitor": "TargetedTherapy",
        "CDK46Inhibitor": "TargetedTherapy",
        "CellTherapy": "Drug",
        "CoformulatedProduct": "Drug",
    }
    for child, parent in expected.items():
        assert (TGNS[child], RDFS.subClassOf, TGNS[parent]) in graph, (
            f"tg:{child} rdfs:subClassOf tg:{parent}"
        )
    assert (TGNS.PD1AxisInhibitor, SKOS.exactMatch, rdflib.URIRef(ATC_IRI + "L01FF")) in graph


def test_every_drug_is_canonical(graph: rdflib.Graph) -> None:
    classes = set(class_nodes(graph))
    drugs = drug_nodes(graph)
    assert len(drugs) >= 60
    for drug in drugs:
        labels = [str(o) for o in graph.objects(drug, RDFS.label)]
        assert len(labels) == 1, f"{drug}: give exactly one rdfs:label"
        label = labels[0]
        assert str(drug) == DRUG + slugify(label), f"{drug}: the IRI must be drug:{slugify(label)}"
        assert label == label.lower() or re.fullmatch(r"[A-Z0-9-]+", label), (
            f"{drug}: the label is the INN in lower case (or, with no INN, the sponsor code)"
        )
        assert (drug, RDF.type, OWL.NamedIndividual) in graph, f"{drug}: add a owl:NamedIndividual"
        mechanism = [c for c in graph.objects(drug, RDF.type) if c in classes]
        assert mechanism, f"{drug}: type it with a mechanism class from drug-classes.ttl"
        assert len(list(graph.objects(drug, TGNS.mechanismSource))) == 1, (
            f"{drug}: give one tg:mechanismSource naming where the class comes from"
        )
        for source in graph.objects(drug, DCTERMS_SOURCE):
            assert isinstance(source, rdflib.URIRef) and str(source).startswith(("http://", "https://")), (
                f"{drug}: dcterms:source must be a URL"
            )


def test_no_name_is_shared_by_two_drugs_or_a_drug_and_a_class(graph: rdflib.Graph) -> None:
    owner: dict[str, rdflib.term.Node] = {}
    for drug in drug_nodes(graph):
        for name in [*graph.objects(drug, RDFS.label), *graph.objects(drug, SKOS.altLabel)]:
            key = name_key(str(name))
            assert key, f"{drug}: empty name {name!r}"
            assert owner.setdefault(key, drug) == drug, (
                f"{name!r} names both {owner[key]} and {drug}: ambiguous, keep it on one drug only"
            )
    for cls in class_nodes(graph):
        for name in [*graph.objects(cls, RDFS.label), *graph.objects(cls, SKOS.altLabel)]:
            assert name_key(str(name)) not in owner, f"class wording {name!r} is also a drug name"
    for reason, terms in NON_DRUG_TERMS.items():
        for term in terms:
            assert name_key(term) not in owner, f"non-drug term {term!r} ({reason}) is also a drug name"


def test_identifiers_have_the_right_shape_and_iri(graph: rdflib.Graph) -> None:
    atc_shape = re.compile(r"[A-Z](\d\d([A-Z]([A-Z](\d\d)?)?)?)?")
    subjects = set(graph.subjects(TGNS.atcCode, None)) | set(graph.subjects(TGNS.meshId, None))
    for subject in subjects:
        mapped = {
            str(o)
            for p in (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch)
            for o in graph.objects(subject, p)
        }
        for code in graph.objects(subject, TGNS.atcCode):
            assert atc_shape.fullmatch(str(code)), f"{subject}: {code} is not an ATC code"
            assert ATC_IRI + str(code) in mapped, f"{subject}: map ATC {code} as <{ATC_IRI}{code}>"
        for mesh in graph.objects(subject, TGNS.meshId):
            assert re.fullmatch(r"[CD]\d{6,9}", str(mesh)), f"{subject}: {mesh} is not a MeSH id"
            assert MESH_IRI + str(mesh) in mapped, f"{subject}: map MeSH {mesh} as <{MESH_IRI}{mesh}>"
        for ncit in graph.objects(subject, TGNS.ncitCode):
            assert NCIT_IRI + str(ncit) in mapped, f"{subject}: map NCIt {ncit} as <{NCIT_IRI}{ncit}>"
        for iri in mapped:
            if iri.startswith(ATC_IRI):
                assert (subject, TGNS.atcCode, rdflib.Literal(iri[len(ATC_IRI) :])) in graph, (
                    f"{subject}: add tg:atcCode for {iri}"
                )
    for drug in drug_nodes(graph):
        for code in graph.objects(drug, TGNS.atcCode):
            assert re.fullmatch(r"L0\d[A-Z]{2}\d\d", str(code)), f"{drug}: {code} is not a level-5 ATC code"


def test_atc_pd1_pdl1_group_is_typed_pd1_axis(graph: rdflib.Graph) -> None:
    axis = {TGNS.PD1AxisInhibitor}
    for drug in drug_nodes(graph):
        codes = [str(c) for c in graph.objects(drug, TGNS.atcCode)]
        if any(c.startswith("L01FF") for c in codes):
            types = set(graph.objects(drug, RDF.type))
            assert any(c in axis or TGNS.PD1AxisInhibitor in superclasses(graph, c) for c in types), (
                f"{drug}: ATC {codes} is in L01FF, type it tg:PD1AxisInhibitor or a subclass"
            )


def test_products_have_curated_components(graph: rdflib.Graph) -> None:
    drugs = set(drug_nodes(graph))
    for product in graph.subjects(RDF.type, TGNS.CoformulatedProduct):
        parts = list(graph.objects(product, TGNS.hasComponent))
        assert len(parts) >= 2, f"{product}: a co-formulated product needs two or more tg:hasComponent"
        assert all(p in drugs for p in parts), f"{product}: every component must be a curated drug"
    for subject in graph.subjects(TGNS.hasComponent, None):
        assert (subject, RDF.type, TGNS.CoformulatedProduct) in graph, (
            f"{subject}: type it tg:CoformulatedProduct"
        )


def test_vocabulary_matches_the_graph(vocab: DrugVocabulary, graph: rdflib.Graph) -> None:
    assert vocab.drugs() == tuple(str(s) for s in drug_nodes(graph))


# =============================================================================================
# Real records: every intervention of tests/data/ctgov


def real_studies() -> Iterator[dict[str, Any]]:
    return (study for _, study in all_studies())


def test_every_real_intervention_normalises(vocab: DrugVocabulary) -> None:
    counts = dict.fromkeys(
        ("interventions", "with_curated", "with_uncurated", "only_unmapped", "curated_mentions"), 0
    )
    agents_seen: set[str] = set()
    for study in real_studies():
        module = study["protocolSection"].get("armsInterventionsModule", {})
        for intervention in module.get("interventions", []):
            result = vocab.normalise(
                intervention.get("name", ""), intervention.get("type"), intervention.get("otherNames", [])
            )
            counts["interventions"] += 1
            cur = [a for a in result.agents if a.curated]
            counts["curated_mentions"] += len(cur)
            counts["with_curated"] += bool(cur)
            counts["with_uncurated"] += any(not a.curated for a in result.agents)
            counts["only_unmapped"] += not result.agents
            agents_seen.update(a.iri for a in cur)
            for agent in result.agents:
                assert agent.iri.startswith(DRUG) and agent.iri != DRUG, agent
                assert agent.matched_text.strip(), agent
    print(f"\ndrug normalisation over tests/data/ctgov: {counts}; distinct curated agents {len(agents_seen)}")
    # Pinned so that a change of vocabulary or rules shows up here; update the numbers deliberately.
    assert counts == {
        "interventions": 444,
        "with_curated": 80,  # at least one curated agent
        "with_uncurated": 114,  # at least one uncurated agent (may also have curated ones)
        "only_unmapped": 260,  # no agent: devices, procedures, behavioural, placebo, classes
        "curated_mentions": 95,
    }
    assert len(agents_seen) == 34
