"""Drug normalisation: an intervention as a record writes it -> the drug agents it names.

The curated vocabulary is ``ontology/drugs.ttl`` (agents, synonyms, components) with the mechanism
classes of ``ontology/drug-classes.ttl``; both are parsed once into plain dicts, so that ``normalise``
is a handful of regular expressions and dict look-ups (it runs over every intervention of
ClinicalTrials.gov).

Rules, in the order they are tried on one intervention name:

1. Text is compared by *key* (``name_key``): NFKC, casefold, accents dropped, then letters and digits
   only. So case, hyphens, spaces, full-width forms and (R)/(TM) marks never matter ("SHR-1210" =
   "shr 1210" = "ＳＨＲ１２１０"), but a key must equal a whole known name: there is no substring
   matching (misspellings: rule 9a only).
2. The whole name is tried first, as written, then cleaned: dosage forms and routes ("injection",
   "capsule(s)", "tablet(s)", "tabs", "for injection", "oral solution", "infusion", "i.v.", "oral",
   "sublingual", "gel", "film-coated", "extended-release"), strengths and schedules ("200 mg",
   "75mg/m2", "100 or 200 mg", "AUC 5", "qd", "once daily"), leading setting words ("adjuvant",
   "maintenance", "low-dose"), trailing salt names ("hydrochloride", "mesylate", "ditosylate",
   "-sodium") and trailing "group"/"arm" are not part of a name; separators left dangling by a removed
   strength ("25 mg, 50 mg or 100 mg") go too. A trailing "therapy"/"treatment" is dropped only when
   what remains is a known name ("Pembrolizumab therapy"). A known product name that contains a
   separator ("nivolumab and relatlimab", "nivolumab/relatlimab") therefore wins over splitting.
3. Bracketed text is tried as a synonym: "Pembrolizumab (MK-3475)" and "Capecitabine (CAP)" give the
   agent of the main name and ignore the brackets; when the main name is unknown, a class or not a
   drug, the bracketed text is normalised instead ("Chemotherapy (pemetrexed + cisplatin)").
4. Hard separators always split: " plus ", "+", " combined with ", " in combination with ",
   " followed by ", ";", " vs ", "/" between words (not in "mg/m2" or "100/6"), " with or without "
   (what follows is optional) and " without " (what follows is excluded, never an agent).
5. Soft separators (",", " and ", "&", " with ", " or ") split only when at least one part is a known
   name (agent, class or non-drug) and every unknown part is short (three words at most): "Vinorelbine,
   cisplatin" splits, "Ropivacaine, Epinephrine, Clonidine, and Ketorolac Injection Cocktail" does not.
   Parts joined by " or " are alternatives, not a combination: their rule ends in "+alternative"; they
   are split even when no part is known, as long as every part is a short name ("Tadalafil or
   sildenafil" gives two uncurated alternatives, not one agent "tadalafil-or-sildenafil").
6. A longer phrase may name a curated agent among other words ("intercalation therapy using pemetrexed,
   cisplatin and erlotinib"). Only INNs, code names of four or more characters and lower-case variants
   are looked for, as whole words (rule "name-in-phrase"; brand names are not, as they can be ordinary
   words); the other words are reported as a class when they name one ("carboplatin chemotherapy"),
   else in ``unmapped``.
7. Class wording names a mechanism class, never an agent, and is reported in ``classes`` as (text,
   class IRI): the class labels and altLabels of drug-classes.ttl ("PD-1 inhibitor", "anti-PD-L1
   antibody", "platinum-based chemotherapy"), the same with generic affixes added or dropped ("anti-",
   "inhibitor(s)", "antibody", "mAb", "TKI", "therapy", "-based", "regimen": "anti-PD-1 mAb therapy",
   "taxane-based regimen"; matched against class names by whole key, and only when an affix was
   actually removed, so "MET" alone is not the MET inhibitor class) and any other name ending in
   "chemotherapy" ("hyperthermic intraperitoneal chemotherapy": chemotherapy). "agonist" and
   "antagonist" are never dropped, so a "GnRH antagonist" is not taken for the GnRH analogue class. A
   name ending in "inhibitor(s)", "antagonist(s)", "agents", "analogue", ... that names no class in the
   vocabulary ("SGLT2 inhibitor") is reported in ``unmapped`` as class wording.
8. Not drugs: placebo (any name with the word "placebo" or "sham": "sildenafil matching placebo"),
   saline, standard of care, best supportive care, no treatment, procedures (also any name with the
   words "surgery", "transplantation", "hyperbaric", "HBOT", ...), radiation, imaging agents (tracers;
   the dye indocyanine green, WHO ATC V04CX01), human tissue products ("placental", "amniotic",
   "allograft"; the named membranes BioDFence and Stravix), devices and generic wording
   ("immunotherapy") are returned in ``unmapped`` with a reason. These word rules apply only when the
   name spells no curated INN or code ("Pembrolizumab plus surgery" is split, not all procedure).
   A leading "Drug:"/"Biological:" (the record's type written into the name) is dropped.
8a. Cell therapies named generically ("CAR-T", "TIL Product", "Anti-GARP Chimeric Antigen Receptor-T
   Cells", "TCR-redirected T cells", "bone marrow mononucleated cells", "stem cells") are the class
   tg:CellTherapy; vaccines named with "neoantigen", "peptide", "tumour", "cancer", "DC", "dendritic",
   "personalized", "mRNA" ("Neoantigen-loaded DC vaccine") the class tg:CancerVaccine; other vaccines
   (influenza, HPV) are not. Neither ever becomes an agent.
8b. Treatment wording: a part made only of setting, schedule and connective words and numbers
   ("Neoadjuvant", "3 cycles", "combined", "maintenance") is unmapped as wording, never an agent.
9. A name still unknown becomes an uncurated agent (``curated=False``, IRI ``DRUG + slugify(name)``
   of the cleaned name) when the intervention type is DRUG or BIOLOGICAL or not given; for other
   types (DEVICE, PROCEDURE, ...) it is reported as not a drug.
9a. Misspellings, before rule 9: a one-word name made of letters only that is within Damerau-Levenshtein
   distance 1 (2 when both names have 10 or more letters) of the names of exactly one curated drug or
   non-drug term, one of them at least 8 letters long, with no name of anything else within one edit
   more, is that drug (rule "fuzzy", the source text kept as matched_text) or term ("Anastrazole",
   "Bubpivacaine", "chemoimmunothrapy"). Never a loose substring ("Pembrolizumabs", a name cut short),
   never a code or class name (codes and targets differ by one character: "SHR-1211", "HER3"), and a
   two-edit match needs the same first and last three letters and no block of letters added or
   dropped (ropivacaine is not bupivacaine, prednisone not prednisolone). The index holds every
   deletion of up to two letters of each name (symmetric deletion), built on first use.
   An immunomodulating antibody written with the source infix WHO INNs have dropped since 2017
   ("-limumab", "-lizumab", "-liximab" for "-limab") is read as "-limab", then taken when it is within
   one edit of the names of exactly one drug and of nothing else within two ("Adebelimumab":
   adebrelimab).
10. ``other_names`` are used only when the name gave no curated agent (it is unknown or only a class)
   and did not say placebo or standard of care: each other name must resolve, as a whole, to the same
   single curated agent (rule "other-name"); one unknown other name and they are ignored, because
   records list combination partners there too.
10b. Combination partners in other names ("RC108", other names "Furmonertinib", "Toripalimab") are not
   taken as agents: the record does not say which arms get them, and taking them put toripalimab into
   arms without it (NCT05821933, cohorts 1 and 3). The code-named drug alone is the agent.
11. Agents, classes and unmapped parts are each deduplicated in order of first appearance.
12. Description: when the name gave no agent and names only a class ("PD-1 inhibitor") or generic
   immunotherapy wording ("Immunotherapy": immune checkpoint inhibitors), the curated INNs and codes its
   description names as whole words (rule 6's names) that belong to that class are its agents (rule
   "description"); other agents in the description ("Chemotherapy" described with an EGFR inhibitor)
   are ignored. Uncached; only for generic names.
12b. Title: when rules 1-12 leave a generic name of that kind without an agent, the trial's title and
   brief summary name, as whole words, exactly one curated agent of that class, and no other
   intervention of the trial gives it, that agent is the intervention's ("DRUG: PD1 Inhibitor" in a
   trial whose summary names sintilimab; rule "trial-title"). Titles also name comparators and
   background therapy, so several agents of the class, or one another intervention gives, are left.

Regimen acronyms: a whole name (or part) that is the label or altLabel of a regimen in
``ontology/regimens.ttl`` ("CHOP", "R-CHOP", "mFOLFOX6", "XELOX") gives that regimen's curated component
agents, in the order its definition names them (rule "regimen"); ambiguous acronyms ("TC") and regimens
with uncurated components ("P-GemOx") stay in ``unmapped`` as regimen acronyms.

Rules on an Agent: "label" (the INN), "synonym" (an altLabel), "parenthetical", "other-name",
"name-in-phrase", "regimen", "fuzzy", "description", "uncurated";
"+alternative" or "+optional" is appended when the part came after " or "/" vs " or " with or without ".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from pathlib import Path
from typing import Final, Literal

from trialgraph.namespaces import DRUG, OWL, RDF, RDFS, SKOS, TG
from trialgraph.text import slugify as _ascii_slug

__all__ = [
    "NON_DRUG_TERMS",
    "Agent",
    "DrugVocabulary",
    "InterventionNormalisation",
    "name_key",
    "slugify",
]

# ---------------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True)
class Agent:
    """One drug an intervention names: curated (from drugs.ttl) or uncurated (a slug of the name)."""

    iri: str
    label: str
    curated: bool
    matched_text: str
    rule: str


@dataclass(frozen=True)
class InterventionNormalisation:
    """The agents one intervention names, the mechanism classes it names only generically, and the
    parts of its text deliberately not mapped."""

    source_text: str
    agents: tuple[Agent, ...]
    #: (text part, reason) pairs: placebo, standard of care, class wording with no class in the
    #: vocabulary, not a drug type, ...
    unmapped: tuple[tuple[str, str], ...]
    #: (text part, class IRI) pairs: generic wording that names a mechanism class, not an agent
    #: ("PD-1 inhibitor" -> tg:PD1Inhibitor, "platinum-based chemotherapy" -> tg:PlatinumCompound)
    classes: tuple[tuple[str, str], ...] = ()


RULE_LABEL: Final = "label"
RULE_SYNONYM: Final = "synonym"
RULE_PARENTHETICAL: Final = "parenthetical"
RULE_OTHER_NAME: Final = "other-name"
RULE_IN_PHRASE: Final = "name-in-phrase"
RULE_UNCURATED: Final = "uncurated"
RULE_REGIMEN: Final = "regimen"
RULE_FUZZY: Final = "fuzzy"
RULE_DESCRIPTION: Final = "description"
RULE_TRIAL_TEXT: Final = "trial-title"

REASON_CLASS: Final = "class, not an agent"
REASON_PLACEBO: Final = "placebo"
REASON_SOC: Final = "standard of care"
REASON_NO_TREATMENT: Final = "no treatment"
REASON_PROCEDURE: Final = "procedure"
REASON_RADIATION: Final = "radiation"
REASON_GENERIC: Final = "generic therapy, not an agent"
REASON_REGIMEN: Final = "regimen acronym, components not curated or ambiguous"
REASON_EXCLUDED: Final = "excluded ('without')"
REASON_LEFTOVER: Final = "words around a recognised agent"
REASON_EMPTY: Final = "no name left after removing dosage form and strength"
REASON_DIAGNOSTIC: Final = "diagnostic imaging agent, not a therapy"
REASON_DEVICE: Final = "device"
REASON_WORDING: Final = "treatment wording (setting, schedule, connective), not an agent"
REASON_TISSUE: Final = "human tissue product, not a drug"

_CHEMOTHERAPY: Final = TG + "Chemotherapy"
_CELL_THERAPY: Final = TG + "CellTherapy"
_CANCER_VACCINE: Final = TG + "CancerVaccine"

#: ClinicalTrials.gov InterventionType codes whose unknown names become uncurated agents
DRUG_TYPES: Final = frozenset({"DRUG", "BIOLOGICAL"})


def _type_code(intervention_type: str | None) -> str | None:
    """A ClinicalTrials.gov InterventionType as its code ("Dietary Supplement" -> "DIETARY_SUPPLEMENT")."""
    if not intervention_type:
        return None
    return intervention_type.strip().upper().replace(" ", "_") or None


def is_drug_type(intervention_type: str | None) -> bool:
    """Whether an intervention of this type may give drugs: DRUG, BIOLOGICAL, or no type given."""
    kind = _type_code(intervention_type)
    return kind is None or kind in DRUG_TYPES


# ---------------------------------------------------------------------------------------------
# Text keys and slugs


def name_key(text: str) -> str:
    """The comparison key of a name: NFKC, casefold, accents dropped, letters and digits only.

    >>> name_key("SHR-1210") == name_key("shr 1210") == name_key("ＳＨＲ－１２１０") == "shr1210"
    True
    >>> name_key("Cisplatín®")
    'cisplatin'
    """
    if text.isascii():  # the common case, ten times faster than the general one
        return _NOT_ASCII_ALNUM.sub("", text.lower())
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    return "".join(ch for ch in folded if ch.isalnum() and not unicodedata.combining(ch))


_NOT_ASCII_ALNUM: Final = re.compile(r"[^0-9a-z]+")


def slugify(text: str) -> str:
    """A deterministic IRI-safe slug: the project's ASCII slug (trialgraph.text.slugify: NFKC, accents
    folded, lower case, other runs to '-'), and for a name with no letter that folds to ASCII (CJK) a
    stable "u-" + code points form, so that a name never gets an empty slug. Drug IRIs must match the
    SHACL pattern [a-z0-9]+(-[a-z0-9]+)*.

    >>> slugify("Albumin-Bound Paclitaxel")
    'albumin-bound-paclitaxel'
    >>> slugify("  SHR-1210 ")
    'shr-1210'
    >>> slugify("Ｐｅｍｂｒｏｌｉｚｕｍａｂ®")
    'pembrolizumab'
    >>> slugify("卡瑞利珠单抗")
    'u-5361-745e-5229-73e0-5355-6297'
    """
    slug = _ascii_slug(text)
    if slug or not any(ch.isalnum() for ch in text):
        return slug
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "u-" + "-".join(f"{ord(c):x}" for c in folded if not c.isspace())


# ---------------------------------------------------------------------------------------------
# Cleaning: forms, routes, strengths, schedules, setting words, salts

_UNIT = r"(?:mg|g|gm|mcg|µg|μg|ug|ng|ml|l|iu|u|units?|mmol|meq|gy|%)"
_PER = r"(?:\s*/\s*(?:m2|m²|kg|day|d|dose|week|wk|ml|l|h|hr|cycle))?"
_DOSE_RE: Final = re.compile(
    r"(?<![\w.])\d+(?:[.,]\d+)?(?:\s*(?:-|–|to|or|and|/|,)\s*\d+(?:[.,]\d+)?)*\s*"
    + _UNIT
    + _PER
    + r"(?![\w])"
    r"|\bauc\s*=?\s*\d+(?:\.\d+)?\b"
    r"|\b\d+(?:\.\d+)?\s*mg\s*/\s*m2\b",
    re.IGNORECASE,
)
_SCHEDULE_RE: Final = re.compile(
    r"\b(?:q\.?d|b\.?i\.?d|t\.?i\.?d|q\.?o\.?d|q\d+w|qw|po|p\.o|iv|i\.v|ivgtt|sc|s\.c|im|i\.m)\b\.?"
    r"|\b(?:once|twice|three times)\s+(?:a\s+)?(?:daily|day|weekly|week)\b"
    r"|\bevery\s+\d+\s+(?:days?|weeks?)\b"
    r"|\b(?:daily|weekly|dosing)\b",
    re.IGNORECASE,
)
# Dosage forms and routes: not part of a name, wherever they stand.
_FORM_RE: Final = re.compile(
    r"\b(?:for\s+(?:intravenous\s+)?(?:injection|infusion|oral\s+(?:use|suspension|solution)|intravenous\s+use)"
    r"|film[- ]coated\s+tablets?|soft\s+capsules?|lyophili[sz]ed\s+powder|orally\s+disintegrating\s+tablets?"
    r"|(?:sustained|extended|controlled|delayed|prolonged|modified)[- ]release|film[- ]coated"
    r"|injectable\s+(?:solution|suspension)|oral\s+(?:solution|suspension)|injections?|injectable|infusions?|capsules?|tablets?|solution"
    r"|tabs?|caps|pills?|odt|orodispersible|films?|gel|cream|ointment|(?:transdermal\s+)?patch(?:es)?|spray|drops|syrup"
    r"|suppositor(?:y|ies)|emulsion|vials?|ampoules?|sachets?|lozenges?"
    r"|suspension|concentrate|powder|granules|intravenous(?:ly)?|subcutaneous(?:ly)?|oral(?:ly)?|sublingual(?:ly)?"
    r"|topical(?:ly)?|intramuscular(?:ly)?|intravesical(?:ly)?|intraperitoneal(?:ly)?|intrathecal(?:ly)?|intratumou?ral(?:ly)?"
    r"|intra-arterial(?:ly)?|transdermal|(?:reference|test)\s+formulation)\b",
    re.IGNORECASE,
)
_LEADING_RE: Final = re.compile(
    r"^(?:neoadjuvant|adjuvant|maintenance|induction|consolidation|consolidative|perioperative"
    r"|concurrent|concomitant|sequential|metronomic|single[- ]agent|(?:low|high|standard|fixed)[- ]dose"
    # "administration of a LHRH agonist", "using indocyanine green": not part of the name
    r"|(?:administration|use|addition|treatment|therapy|injection|infusion)\s+(?:of|with)|using|of|an?|the)\s+",
    re.IGNORECASE,
)
_TRAILING_RE: Final = re.compile(
    r"(?:\s+|-)(?:hydrochloride|dihydrochloride|hydrobromide|hcl|mesylate|mesilate|dimesylate|esylate|dimaleate"
    r"|maleate|malate|disodium|sodium|potassium|calcium|sulfate|sulphate|bitartrate|ditartrate|tartrate"
    r"|citrate|acetate|phosphate|tosylate|tosilate|ditosylate|besylate|besilate|succinate|fumarate|trihydrate"
    r"|monohydrate|hydrate|anhydrous)$"
    r"|\s+(?:group|arm|cohort|monotherapy|alone|combination"
    r"|(?:low|mid|middle|medium|high|standard)[- ]dose)$",
    re.IGNORECASE,
)
# "Milciclib Dose: 150 mg/day Mode of administration: oral" -> "Milciclib"
_FIELD_RE: Final = re.compile(
    r"\s*\b(?:dose|dosage|mode of administration|route|schedule)\s*:.*$", re.IGNORECASE
)
_FOR_RE: Final = re.compile(r"\s+for\s+.*$", re.IGNORECASE)
_CLASS_NOUN_RE: Final = re.compile(
    r"\b(?:inhibitors?|antagonists?|agonists?|blockers?|agents|analogues?|analogs?|antibodies)$",
    re.IGNORECASE,
)
_EDGE_PUNCT: Final = " \t,.;:-–—_/\\|*"
# Separators left without a name on one side once strengths are removed ("25 mg, 50 mg or 100 mg").
_DANGLING_RE: Final = re.compile(
    r"(?:^|(?<=\s))(?:(?:,|&|/|\bor\b|\band\b)\s*)+$|^\s*(?:(?:,|&|/|\bor\b|\band\b)\s*)+|(?<=,)(?:\s*,)+",
    re.IGNORECASE,
)
# A trailing "therapy"/"treatment", dropped only when what remains is a known name.
_THERAPY_RE: Final = re.compile(r"\s+(?:therapy|treatment|regimen)$", re.IGNORECASE)
_AND_OR_RE: Final = re.compile(r"\band\s*/\s*or\b", re.IGNORECASE)
# "Drug: NW-301D": the ClinicalTrials.gov type written into the name
_TYPE_PREFIX_RE: Final = re.compile(
    r"^\s*(?:drug|biological|dietary supplement|genetic|combination product)\s*:\s*", re.IGNORECASE
)
_WITHOUT_RE: Final = re.compile(r"\bw/o\b", re.IGNORECASE)
_SPACES_RE: Final = re.compile(r"\s+")


def _collapse(text: str) -> str:
    return _SPACES_RE.sub(" ", text).strip(_EDGE_PUNCT)


@lru_cache(maxsize=1 << 16)
def _clean(text: str) -> str:
    """The name without dosage form, route, strength, schedule, setting words or salt (case kept)."""
    text = _FIELD_RE.sub("", text)
    text = _DOSE_RE.sub(" ", text)
    text = _SCHEDULE_RE.sub(" ", text)
    text = _FORM_RE.sub(" ", text)
    text = _collapse(_DANGLING_RE.sub(" ", _collapse(text)))
    while True:
        stripped = _collapse(_TRAILING_RE.sub("", _LEADING_RE.sub("", text)))
        if stripped == text:
            return text
        text = stripped


_BRACKET_RE: Final = re.compile(r"\(([^()]*)\)|\[([^\[\]]*)\]")


def _prepare(text: str) -> str:
    """NFKC (full-width brackets and punctuation to ASCII) and collapsed whitespace."""
    text = _TYPE_PREFIX_RE.sub("", unicodedata.normalize("NFKC", text))
    text = _AND_OR_RE.sub(" or ", text)
    text = _WITHOUT_RE.sub(" without ", text)
    text = text.replace("±", " with or without ").replace("、", ",")
    return _SPACES_RE.sub(" ", text).strip()


# ---------------------------------------------------------------------------------------------
# Splitting

_HARD_RE: Final = re.compile(
    r"(?P<optional>\s+with\s+or\s+without\s+)"
    r"|(?P<excluded>\s+without\s+)"
    r"|(?P<versus>\s+(?:vs\.?|versus)\s+)"
    r"|(?P<plain>\s+plus\s+|\s+(?:in\s+)?combination\s+with\s+|\s+combined\s+with\s+|\s+followed\s+by\s+"
    r"|\s+\+\s+|(?<=\S)\+(?=\S)|\s*;\s*)"
    # "/" between names, but not in units ("mg/m2", "units/mL"); "100/6" is skipped in _split_hard
    r"|(?P<slash>(?<=[^\W_])(?<!mg)(?<!mcg)(?<!\bg)(?<!ml)(?<!iu)(?<!unit)(?<!units)\s*/\s*(?=[^\W_]))",
    re.IGNORECASE,
)
_SOFT_RE: Final = re.compile(r"\s*,\s*|\s+and\s+|\s*&\s*|\s+with\s+|(?P<alt>\s+or\s+)", re.IGNORECASE)

_Qualifier = Literal["", "alternative", "optional"]


def _split_hard(text: str) -> list[tuple[str, str]]:
    """Parts and their qualifier: "", "alternative", "optional" or "excluded"."""
    parts: list[tuple[str, str]] = []
    start = 0
    qualifier = ""
    for m in _HARD_RE.finditer(text):
        kind = m.lastgroup or "plain"
        if kind == "slash" and text[m.start() - 1].isdigit() and text[m.end()].isdigit():
            continue  # a ratio or strength ("100/6"), not two names
        if kind == "versus":
            parts.append((text[start : m.start()], "alternative"))
            qualifier = "alternative"
        else:
            parts.append((text[start : m.start()], qualifier))
            qualifier = {"optional": "optional", "excluded": "excluded"}.get(kind, "")
        start = m.end()
    parts.append((text[start:], qualifier))
    return [(p.strip(), q) for p, q in parts if p.strip(_EDGE_PUNCT)]


def _split_soft(text: str) -> tuple[list[str], bool]:
    """Parts split at soft separators, and whether " or " was among them."""
    alternative = False
    parts: list[str] = []
    start = 0
    for m in _SOFT_RE.finditer(text):
        if m.group("alt"):
            alternative = True
        parts.append(text[start : m.start()])
        start = m.end()
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip(_EDGE_PUNCT)], alternative


_TOKEN_RE: Final = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*")
_STOPWORDS: Final = frozenset(
    {"and", "or", "with", "of", "the", "for", "in", "using", "plus", "a", "to", "by"}
)

# ---------------------------------------------------------------------------------------------
# Terms that are not drugs. Keys are compared as name_key(); generic class wording with a class of its own
# lives in drug-classes.ttl (skos:altLabel) and is reported in InterventionNormalisation.classes.

NON_DRUG_TERMS: Final[dict[str, tuple[str, ...]]] = {
    REASON_PLACEBO: (
        "placebo",
        "placebos",
        "matching placebo",
        "placebo control",
        "placebo comparator",
        "dummy",
        "saline",
        "normal saline",
        "physiological saline",
        "sodium chloride",
        "0.9% sodium chloride",
        "0.9% saline",
        "sham",
        "sham control",
        "sham procedure",
        "sham injection",
        "sham treatment",
        "vehicle",
        "sugar pill",
    ),
    REASON_SOC: (
        "standard of care",
        "soc",
        "best supportive care",
        "bsc",
        "supportive care",
        "usual care",
        "enhanced usual care",
        "standard care",
        "standard therapy",
        "standard treatment",
        "standard of care therapy",
        "conventional treatment",
        "conventional therapy",
        "routine care",
        "routine treatment",
        "routine management",
        "standard management",
        "treatment of physician's choice",
        "physician's choice",
        "investigator's choice",
        "treatment of investigator's choice",
        "tpc",
    ),
    REASON_NO_TREATMENT: (
        "no intervention",
        "no treatment",
        "observation",
        "watchful waiting",
        "active surveillance",
        "control",
        "control group",
        "non-interventional",
        "wait list",
        "waitlist",
    ),
    REASON_PROCEDURE: (
        "surgery",
        "surgical resection",
        "resection",
        "biopsy",
        "blood draw",
        "blood collection",
        "transplantation",
        "stem cell transplantation",
        "blood sample",
        "blood samples",
        "blood test",
        "blood tests",
        "pregnancy test",
        "tumour assessment",
        "tumor assessment",
        "questionnaire",
        "questionnaires",
        "questionaires",
        "hipec",
        "hyperthermic intraperitoneal chemotherapy",
        "pipac",
        "tace",
        "transarterial chemoembolization",
        "transarterial chemoembolisation",
    ),
    REASON_RADIATION: (
        "radiotherapy",
        "radiation",
        "radiation therapy",
        "rt",
        "sbrt",
        "srs",
        "imrt",
        "3d-crt",
        "stereotactic body radiotherapy",
        "stereotactic radiosurgery",
        "chemoradiotherapy",
        "chemoradiation",
        "radiochemotherapy",
        "concurrent chemoradiotherapy",
        "proton therapy",
        "brachytherapy",
        "whole brain radiotherapy",
        "wbrt",
    ),
    REASON_GENERIC: (
        "immunotherapy",
        "immunotherapies",
        "cancer immunotherapy",
        "immunochemotherapy",
        "chemoimmunotherapy",
        "tyrosine kinase inhibitor",
        "tyrosine kinase inhibitors",
        "tki",
        "tkis",
        "monoclonal antibody",
        "monoclonal antibodies",
        "study drug",
        "study treatment",
        "investigational product",
        "investigational drug",
        "other drugs",
        "antibody",
        "antineoplastic agents",
        "anticancer drugs",
    ),
    # Acronyms with curated components are expanded from ontology/regimens.ttl; these are not: "TC" is
    # docetaxel + cyclophosphamide (breast) or paclitaxel + carboplatin (lung, gynaecology), P-GemOx
    # adds pegaspargase, which is not curated.
    # Diagnostic dyes, like the tracers of _TRACER_RE: indocyanine green is WHO ATC V04CX01 (diagnostic
    # agents), used to map sentinel nodes and perfusion, not to treat.
    REASON_DIAGNOSTIC: (
        "indocyanine green",
        "icg",
    ),
    # Human tissue allografts (dehydrated or lyopreserved placental or amniotic membranes) are regulated as
    # tissue products, not drugs; these two are named products whose records say so ("BioDFence G3
    # Placental Tissue Membrane", "Stravix lyopreserved placental tissue"). Names with the words
    # "placental", "amniotic" or "allograft" are caught by _TISSUE_WORDS.
    REASON_TISSUE: (
        "biodfence",
        "biodfence g3",
        "stravix",
    ),
    REASON_REGIMEN: (
        "tc",
        "p-gemox",
        "pgemox",
    ),
}

# ---------------------------------------------------------------------------------------------
# Class wording: generic affixes around a class name

# Keys (letters and digits only) of words that may surround a class name without changing the class:
# "anti-PD-1 monoclonal antibody therapy" is the PD-1 inhibitor class. "agonist"/"antagonist" are not
# among them: a GnRH antagonist is not a GnRH analogue.
_CLASS_SUFFIX_KEYS: Final = (  # longest first
    "monoclonalantibodies",
    "monoclonalantibody",
    "chemotherapies",
    "immunotherapy",
    "chemotherapy",
    "antibodies",
    "containing",
    "inhibitors",
    "treatments",
    "inhibitor",
    "targeting",
    "therapies",
    "treatment",
    "antibody",
    "blockade",
    "blockers",
    "directed",
    "regimens",
    "targeted",
    "blocker",
    "doublet",
    "regimen",
    "therapy",
    "agents",
    "agent",
    "based",
    "drugs",
    "drug",
    "mabs",
    "tkis",
    "mab",
    "tki",
)
_CHEMO_KEYS: Final = ("chemotherapy", "chemotherapies")
_PLACEBO_WORDS: Final = frozenset({"placebo", "placebos", "sham"})
_DEVICE_WORDS: Final = frozenset({"device", "devices"})
_CAMEL_JOIN: Final = re.compile(r"(?<=[a-z])(?=[A-Z][a-z])")
# Words that make a name a procedure wherever they stand, once no known agent was found.
_PROCEDURE_WORDS: Final = frozenset(
    {"transplantation", "transplant", "surgery", "resection", "biopsy", "hyperbaric", "hbot", "hbo2t"}
)
_TISSUE_WORDS: Final = frozenset({"placental", "amniotic", "allograft", "allografts"})
# Cell therapies named generically ("CAR-T", "Anti-GARP Chimeric Antigen Receptor-T Cells", "TIL Product",
# "HBV antigen-specific TCR-redirected T cells", "bone marrow mononucleated cells"): the class, no agent.
_CELL_RE: Final = re.compile(
    r"\b(?:car[- ]?t|chimeric antigen receptor|tcr[- ]?t|tcr[- ](?:redirected|engineered)|tils?"
    r"|tumou?r[- ]infiltrating lymphocytes?|t[- ]cells|nk[- ]cells|cik[- ]cells|stem cells"
    r"|mononucleat?ed cells|mononuclear cells|dendritic cells)\b",
    re.IGNORECASE,
)
# Vaccines against the patient's tumour ("Neoantigen-loaded DC vaccine", "Personalized Synthetic Long Peptide
# Vaccine"): the class; a vaccine without such a word (influenza, HPV) is not taken for a cancer vaccine.
_VACCINE_WORDS: Final = frozenset({"vaccine", "vaccines", "vaccination"})
_CANCER_VACCINE_WORDS: Final = frozenset(
    {
        "neoantigen",
        "neoantigens",
        "neo-antigen",
        "peptide",
        "peptides",
        "tumor",
        "tumour",
        "cancer",
        "dc",
        "dendritic",
        "personalized",
        "personalised",
        "individualized",
        "individualised",
        "mrna",
    }
)
# A part made only of setting, schedule and connective words ("Neoadjuvant", "3 cycles", "combined"): the
# words around agents, never an agent of their own.
_WORDING_WORDS: Final = frozenset(
    {
        "neoadjuvant",
        "adjuvant",
        "maintenance",
        "induction",
        "consolidation",
        "consolidative",
        "perioperative",
        "preoperative",
        "postoperative",
        "concurrent",
        "concomitant",
        "sequential",
        "salvage",
        "first-line",
        "second-line",
        "combined",
        "combination",
        "plus",
        "and",
        "then",
        "followed",
        "by",
        "with",
        "cycle",
        "cycles",
        "course",
        "courses",
        "phase",
        "stage",
        "arm",
        "group",
        "treatment",
        "therapy",
        "regimen",
    }
)
# "standard / usual / any ... therapy": a regimen described, no agent named.
_STANDARD_RE: Final = re.compile(
    r"\b(?:standard|usual|conventional|routine|any)\b.*\b(?:therapy|therapies|treatment|treatments|regimen|"
    r"regimens|care|chemotherapy)\b",
    re.IGNORECASE,
)
# Positron and gamma emitters used for imaging (radiopharmaceuticals for therapy, such as 177Lu or
# 225Ac ligands, are not in this list and stay agents).
_TRACER_RE: Final = re.compile(
    r"(?<![a-z0-9])(?:18f|f-?18|68ga|ga-?68|64cu|cu-?64|89zr|zr-?89|99mtc|tc-?99m|11c|124i|i-?124|"
    r"iodine-?124|123i|i-?123|iodine-?123|111in|in-?111)(?![0-9])|\bfdg\b",
    re.IGNORECASE,
)


def _affix_forms(key: str) -> list[str]:
    """The key with generic affixes removed one at a time (suffixes first, then a leading "anti"),
    each intermediate form in order; empty when no affix was found.

    >>> _affix_forms("antipd1monoclonalantibodytherapy")
    ['antipd1monoclonalantibody', 'antipd1', 'pd1']
    """
    forms: list[str] = []
    while True:
        for suffix in _CLASS_SUFFIX_KEYS:
            if key.endswith(suffix) and len(key) > len(suffix):
                key = key[: -len(suffix)]
                break
        else:
            if key.startswith("anti") and len(key) > 4:
                key = key[4:]
            else:
                return forms
        forms.append(key)


# ---------------------------------------------------------------------------------------------
# Spelling variants: a conservative Damerau-Levenshtein rule over an index of deletion variants

#: names shorter than this are never a fuzzy target (short names and codes differ meaningfully by a letter)
FUZZY_MIN_TARGET: Final = 8
#: names at least this long may differ by two edits, shorter ones by one
FUZZY_LONG: Final = 10
_FUZZY_MIN_INDEXED: Final = 6  # shorter names are neither targets nor competitors


# The source infix (-u- human, -zu- humanised, -xi- chimeric) that INNs of immunomodulating antibodies
# ("-li(m)-") carried before "-mab" until WHO dropped it in April 2017 (The Antibody Society,
# https://antibodysociety.org/?p=1494): "adebrelimab" is still written "adebelimumab" by analogy with
# ipilimumab.
_SOURCE_INFIX_RE = re.compile(r"li(?:m(?:u|xi)|zu)mab$")


def fuzzy_allowance(a: str, b: str) -> int:
    """Edits allowed between two names: 2 when both have at least FUZZY_LONG letters, else 1."""
    return 2 if min(len(a), len(b)) >= FUZZY_LONG else 1


def _deletions(key: str, depth: int) -> set[str]:
    """The key and every string made from it by deleting up to ``depth`` characters."""
    out = {key}
    frontier = {key}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))}
        out |= frontier
    return out


def osa_distance(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein distance (optimal string alignment: an adjacent transposition is one edit),
    or ``limit + 1`` as soon as it must exceed ``limit``.

    >>> osa_distance("durvalumab", "duvalumab", 2), osa_distance("anastrozole", "anatsrozole", 2)
    (1, 1)
    >>> osa_distance("nivolumab", "pembrolizumab", 2)
    3
    """
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                value = min(value, before[j - 2] + 1)
            current[j] = value
        if min(current) > limit:
            return limit + 1
        before, previous = previous, current
    return previous[-1] if previous[-1] <= limit else limit + 1


def _typo_of(key: str, target: str) -> bool:
    """Whether ``key`` may be a misspelling of ``target``: within the allowance, never a loose substring
    ("Pembrolizumabs", "Osimertinibum", a name cut short), and for two edits the same first and last three
    letters and no block of letters added or dropped. Different INNs differ in their first letters
    (ropivacaine, bupivacaine) or in a block of the stem (prednisone, prednisolone); typos rarely do."""
    if key in target or target in key:
        return False
    allowance = fuzzy_allowance(key, target)
    distance = osa_distance(key, target, allowance)
    if distance > allowance:
        return False
    if distance < 2:
        return True
    if key[:3] != target[:3] or key[-3:] != target[-3:]:
        return False
    short, long_ = sorted((key, target), key=len)
    gap = len(long_) - len(short)
    return gap < 2 or not any(long_[:i] + long_[i + gap :] == short for i in range(len(long_) - gap + 1))


@dataclass(frozen=True)
class _FuzzyIndex:
    keys: tuple[str, ...]  # name keys: letters only, at least _FUZZY_MIN_INDEXED long
    owners: tuple[tuple[str, str], ...]  # ("agent", IRI) or ("nondrug", reason), one per key
    #: every deletion of up to two characters -> indices of the keys that give it: two keys within two
    #: edits share a variant (symmetric deletion), so a look-up finds every candidate match
    deletions: dict[str, tuple[int, ...]]
    by_length: dict[int, tuple[int, ...]]  # key length -> indices, for the competitor check

    def candidates(self, key: str) -> set[int]:
        """Indices of the keys within two edits of ``key`` (and some further: callers measure)."""
        found: set[int] = set()
        for variant in _deletions(key, 2):
            found.update(self.deletions.get(variant, ()))
        return found


# ---------------------------------------------------------------------------------------------
# Internal resolution items


@dataclass(frozen=True)
class _Hit:
    kind: Literal["agent", "class", "nondrug", "regimen"]
    value: str  # an IRI for "agent"/"class", a reason for "nondrug", a regimen key for "regimen"
    rule: str = ""


@dataclass(frozen=True)
class _Unknown:
    text: str  # the part as written
    name: str  # cleaned name, "" when nothing is left
    qualifier: str


@dataclass(frozen=True)
class _ClassMention:
    text: str  # the part as written
    iri: str  # the mechanism class it names


_Item = Agent | _Unknown | _ClassMention | tuple[str, str]


def _with_qualifier(rule: str, qualifier: str) -> str:
    return f"{rule}+{qualifier}" if qualifier else rule


# ---------------------------------------------------------------------------------------------
# The vocabulary


@dataclass(frozen=True)
class _VocabularyData:
    labels: dict[str, str]  # drug IRI -> label
    classes: dict[str, tuple[str, ...]]  # drug IRI -> direct mechanism classes (sorted)
    components: dict[str, tuple[str, ...]]  # product IRI -> component IRIs (sorted)
    names: dict[str, tuple[str, str]]  # key -> (drug IRI, rule)
    class_names: dict[str, str]  # key -> class IRI
    class_cores: dict[str, str]  # class name key without generic affixes -> class IRI
    class_labels: dict[str, str]  # class IRI -> label
    class_parents: dict[str, tuple[str, ...]]  # class IRI -> direct superclasses
    scan: dict[str, str]  # key -> drug IRI, for INNs, codes and lower-case variants inside phrases
    scan_max: int  # the most words such a name has
    regimens: dict[str, tuple[str, ...]]  # regimen acronym key -> component drug IRIs, in written order


class DrugVocabulary:
    """The curated drugs and mechanism classes, and the intervention-name normaliser built on them."""

    def __init__(self, data: _VocabularyData) -> None:
        self._d = data
        self._non_drug: dict[str, str] = {
            name_key(term): reason for reason, terms in NON_DRUG_TERMS.items() for term in terms
        }
        # Records repeat the same names ("Placebo", "Pembrolizumab") many thousands of times.
        self._cached = lru_cache(maxsize=1 << 16)(self._normalise)

    # -- loading ---------------------------------------------------------------------------

    @classmethod
    def load(cls, path: str | Path | None = None) -> DrugVocabulary:
        """Load drugs.ttl and drug-classes.ttl from a directory (default: the package's ontology/).

        ``path`` may also be the drugs.ttl file itself (drug-classes.ttl is read from beside it).
        Loads are cached per directory.
        """
        if path is None:
            from trialgraph.resources import ontology_dir

            directory = ontology_dir()
        else:
            p = Path(path)
            directory = p.parent if p.is_file() else p
        return _load_directory(directory.resolve())

    # -- queries ---------------------------------------------------------------------------

    def normalise(
        self,
        name: str,
        intervention_type: str | None = None,
        other_names: Sequence[str] = (),
        description: str | None = None,
    ) -> InterventionNormalisation:
        """Normalise one intervention (its name, ClinicalTrials.gov type, other names and description;
        the description is read only when the name is generic, see rule 12).

        >>> v = DrugVocabulary.load()
        >>> result = v.normalise("Paclitaxel Injection Plus Carboplatin", "DRUG")
        >>> [a.label for a in result.agents]
        ['paclitaxel', 'carboplatin']
        >>> v.normalise("Placebo", "DRUG").unmapped
        (('Placebo', 'placebo'),)
        """
        kind = _type_code(intervention_type)
        result: InterventionNormalisation = self._cached(name, kind, tuple(other_names))
        if description and not result.agents and is_drug_type(kind):
            return self._with_description(result, description)
        return result

    def _with_description(
        self, result: InterventionNormalisation, description: str
    ) -> InterventionNormalisation:
        """Rule 12: a generic name ("PD-1 inhibitor", "Immunotherapy") gives the curated agents its
        description names, as whole words, that belong to the class the name names (immune checkpoint
        inhibitors for "immunotherapy"); anything else in the description is ignored."""
        agents = self._class_agents_in(result, description, RULE_DESCRIPTION)
        if not agents:
            return result
        return InterventionNormalisation(result.source_text, agents, result.unmapped, result.classes)

    def with_trial_text(
        self, result: InterventionNormalisation, trial_text: str, taken: Iterable[str] = ()
    ) -> InterventionNormalisation:
        """Rule 12b: a generic name left without an agent gives the one curated agent of its class that
        the trial's title and brief summary (``trial_text``) name, unless another intervention of the
        trial gives it (``taken``: their agents' IRIs).

        >>> v = DrugVocabulary.load()
        >>> generic = v.normalise("PD1 Inhibitor", "DRUG")
        >>> [a.rule for a in v.with_trial_text(generic, "Sintilimab Plus Chemotherapy in NSCLC").agents]
        ['trial-title']
        >>> v.with_trial_text(generic, "Sintilimab or Tislelizumab Plus Chemotherapy").agents
        ()
        """
        if result.agents:
            return result
        agents = self._class_agents_in(result, trial_text, RULE_TRIAL_TEXT)
        if len(agents) != 1 or agents[0].iri in set(taken):
            return result
        return InterventionNormalisation(result.source_text, agents, result.unmapped, result.classes)

    def _class_agents_in(self, result: InterventionNormalisation, text: str, rule: str) -> tuple[Agent, ...]:
        """The curated agents ``text`` names as whole words that belong to the class the generic name of
        ``result`` names (immune checkpoint inhibitors for immunotherapy wording, misspelt or not), or
        none when the name is not only generic."""
        classes = [iri for _, iri in result.classes]
        if not classes and any(
            r == REASON_GENERIC and "immunoth" in name_key(part) for part, r in result.unmapped
        ):
            classes = [TG + "ImmuneCheckpointInhibitor"]  # "Immunotherapy", "chemoimmunothrapy"
        if not classes or any(r not in (REASON_CLASS, REASON_GENERIC) for _, r in result.unmapped):
            return ()
        agents: dict[str, Agent] = {}
        for a in self._scan(_prepare(text), "", leftovers=False):
            if isinstance(a, Agent) and any(self.is_a(a.iri, c) for c in classes):
                agents.setdefault(a.iri, Agent(a.iri, a.label, True, a.matched_text, rule))
        return tuple(agents.values())

    def label(self, iri: str) -> str | None:
        """The label of a curated drug, or None."""
        return self._d.labels.get(iri)

    def is_curated(self, iri: str) -> bool:
        return iri in self._d.labels

    def drugs(self) -> tuple[str, ...]:
        """All curated drug IRIs, sorted."""
        return tuple(sorted(self._d.labels))

    def components(self, iri: str) -> tuple[str, ...]:
        """The components of a co-formulated product (empty for a single agent)."""
        return self._d.components.get(iri, ())

    def active_agents(self, iris: Iterable[str]) -> tuple[str, ...]:
        """Co-formulated products replaced by their components, deduplicated, first order kept."""
        seen: dict[str, None] = {}
        for iri in iris:
            for agent in self._d.components.get(iri) or (iri,):
                seen.setdefault(agent, None)
        return tuple(seen)

    def classes(self, iri: str) -> tuple[str, ...]:
        """The mechanism classes a curated drug is typed with (direct types, sorted)."""
        return self._d.classes.get(iri, ())

    def ancestors(self, class_iri: str) -> tuple[str, ...]:
        """The superclasses of a mechanism class up to tg:Drug, nearest first."""
        out: dict[str, None] = {}
        todo = list(self._d.class_parents.get(class_iri, ()))
        while todo:
            parent = todo.pop(0)
            if parent not in out:
                out[parent] = None
                todo.extend(self._d.class_parents.get(parent, ()))
        return tuple(out)

    def is_a(self, iri: str, class_iri: str) -> bool:
        """Whether a curated drug is typed with the class or one of its subclasses."""
        return any(c == class_iri or class_iri in self.ancestors(c) for c in self.classes(iri))

    def class_label(self, class_iri: str) -> str | None:
        return self._d.class_labels.get(class_iri)

    @cached_property
    def _fuzzy_index(self) -> _FuzzyIndex:
        """Built on first use: curated drug names and non-drug terms made of letters only. Codes (with
        digits) and class names are left out: "SHR-1210"/"SHR-1211" or "HER2"/"HER3" differ by one
        character and are different things."""
        owners: dict[str, tuple[str, str]] = {}
        for key, (iri, _rule) in self._d.names.items():
            owners[key] = ("agent", iri)
        for key, reason in self._non_drug.items():
            owners.setdefault(key, ("nondrug", reason))
        keys = tuple(sorted(k for k in owners if len(k) >= _FUZZY_MIN_INDEXED and k.isalpha()))
        buckets: dict[str, list[int]] = {}
        lengths: dict[int, list[int]] = {}
        for index, key in enumerate(keys):
            lengths.setdefault(len(key), []).append(index)
            for variant in _deletions(key, 2):
                buckets.setdefault(variant, []).append(index)
        return _FuzzyIndex(
            keys,
            tuple(owners[k] for k in keys),
            {v: tuple(i) for v, i in buckets.items()},
            {n: tuple(i) for n, i in lengths.items()},
        )

    def fuzzy_match(self, key: str, exclude: str | None = None) -> _Hit | None:
        """The curated drug or non-drug term a misspelt name key stands for, or None.

        A key (letters only) matches when it is within ``fuzzy_allowance`` edits of names of exactly one
        drug or term, at least one of them FUZZY_MIN_TARGET long, and no name of anything else is within
        one edit more. ``exclude`` (an IRI) leaves that drug out, to test that no curated drug's names
        would ever be taken for another's.

        >>> v = DrugVocabulary.load()
        >>> v.fuzzy_match("duvalumab").value.rsplit("/", 1)[-1]
        'durvalumab'
        >>> v.fuzzy_match("durvalumab", exclude=v.fuzzy_match("duvalumab").value) is None
        True
        """
        if len(key) < FUZZY_MIN_TARGET - 1 or not key.isalpha():
            return None
        index = self._fuzzy_index
        within: set[tuple[str, str]] = set()
        for i in index.candidates(key):
            target, owner = index.keys[i], index.owners[i]
            if owner != ("agent", exclude) and len(target) >= FUZZY_MIN_TARGET and _typo_of(key, target):
                within.add(owner)
        if len(within) != 1:
            return None
        # Only for a candidate match (a real misspelling, rare): nothing else may be within one edit more.
        # Names that close differ in length by at most three, so only those length buckets are compared.
        for length in range(len(key) - 3, len(key) + 4):
            for i in index.by_length.get(length, ()):
                target, owner = index.keys[i], index.owners[i]
                if owner in within or owner == ("agent", exclude):
                    continue
                radius = fuzzy_allowance(key, target) + 1
                if osa_distance(key, target, radius) <= radius:
                    return None
        kind, value = next(iter(within))
        return _Hit("agent", value, RULE_FUZZY) if kind == "agent" else _Hit("nondrug", value)

    def source_infix_match(self, key: str) -> _Hit | None:
        """The curated drug an immunomodulating antibody's name stands for when written with the source
        infix that WHO INNs have left out since 2017 (rule 9a): "-limumab", "-lizumab" or "-liximab" for
        "-limab", then exactly or within one edit of the names of one drug and no other within two
        ("adebelimumab": adebrelimab).

        >>> v = DrugVocabulary.load()
        >>> v.source_infix_match("adebelimumab").value.rsplit("/", 1)[-1]
        'adebrelimab'
        >>> v.source_infix_match("serplulimumab").value.rsplit("/", 1)[-1]
        'serplulimab'
        >>> v.source_infix_match("nivolumab") is None  # an INN of the old scheme, not "-limab"
        True
        """
        variant = _SOURCE_INFIX_RE.sub("limab", key)
        if variant == key:
            return None
        index = self._fuzzy_index
        near: dict[tuple[str, str], int] = {}  # owner -> its names' least distance, up to two edits
        for i in index.candidates(variant):
            distance = osa_distance(variant, index.keys[i], 2)
            if distance <= 2:
                near[index.owners[i]] = min(distance, near.get(index.owners[i], 3))
        closest = [owner for owner, distance in near.items() if distance <= 1]
        if len(closest) != 1 or closest[0][0] != "agent" or len(near) > 1:
            return None  # one edit at most, and nothing else within two
        return _Hit("agent", closest[0][1], RULE_FUZZY)

    # -- normalisation ---------------------------------------------------------------------

    def _normalise(
        self, name: str, kind: str | None, other_names: tuple[str, ...]
    ) -> InterventionNormalisation:
        items = self._resolve(_prepare(name), "", scan=True)
        agents = [i for i in items if isinstance(i, Agent)]
        unknowns = [i for i in items if isinstance(i, _Unknown)]
        said_not_drug = any(
            isinstance(i, tuple) and i[1] not in (REASON_CLASS, REASON_GENERIC) for i in items
        )
        found = self._from_other_names(other_names) if other_names and not said_not_drug else None
        if found is not None and not agents and len(unknowns) <= 1 and len(found) == 1:
            # rule 10: the other names are synonyms of one curated agent
            ((iri, text),) = found.items()
            agent = Agent(iri, self._d.labels[iri], True, text, RULE_OTHER_NAME)
            items = [agent if isinstance(i, _Unknown) else i for i in items]
            if not unknowns:
                items.insert(0, agent)

        drug_like = kind is None or kind in DRUG_TYPES
        out_agents: dict[str, Agent] = {}
        unmapped: dict[tuple[str, str], None] = {}
        classes: dict[tuple[str, str], None] = {}
        for item in items:
            if isinstance(item, Agent):
                out_agents.setdefault(item.iri, item)
            elif isinstance(item, _ClassMention):
                classes.setdefault((item.text, item.iri), None)
            elif isinstance(item, _Unknown):
                if not item.name:
                    unmapped.setdefault((item.text, REASON_EMPTY), None)
                elif drug_like:
                    slug = slugify(item.name)
                    iri = DRUG + slug
                    if iri in self._d.labels:  # cannot happen for ASCII names; keeps curated nodes clean
                        iri += "-uncurated"
                    agent = Agent(
                        iri,
                        # The label is a function of the IRI, so "Anlotinib" and "anlotinib" in two
                        # records never give one shared node two labels; the wording stays on the
                        # intervention. A name with no ASCII slug (CJK) keeps its wording: its "u-"
                        # slug spells its code points, so the wording is a function of the IRI too.
                        slug if _ascii_slug(item.name) else item.name,
                        False,
                        item.text,
                        _with_qualifier(RULE_UNCURATED, item.qualifier),
                    )
                    out_agents.setdefault(agent.iri, agent)
                else:
                    unmapped.setdefault((item.text, f"not a drug intervention ({kind})"), None)
            else:
                unmapped.setdefault(item, None)
        return InterventionNormalisation(name, tuple(out_agents.values()), tuple(unmapped), tuple(classes))

    def _from_other_names(self, other_names: tuple[str, ...]) -> dict[str, str] | None:
        """The curated agents the other names name (IRI -> first text naming it), in order; None when
        any other name is unknown (it may be anything: a partner, a code) or none names an agent."""
        found: dict[str, str] = {}
        for other in other_names:
            items = self._resolve(_prepare(other), "", scan=False)
            if any(isinstance(i, _Unknown) for i in items):
                return None
            for item in items:
                if isinstance(item, Agent):
                    found.setdefault(item.iri, other)
        return found or None

    def _lookup(self, text: str) -> _Hit | None:
        key = name_key(text)
        if not key:
            return None
        if key in self._d.names:
            iri, rule = self._d.names[key]
            return _Hit("agent", iri, rule)
        if key in self._d.regimens:
            return _Hit("regimen", key)
        if key in self._d.class_names:
            return _Hit("class", self._d.class_names[key])
        if key in self._non_drug:
            return _Hit("nondrug", self._non_drug[key])
        return None

    def _lookup_variants(self, text: str) -> _Hit | None:
        """The text as written, with brackets opened, then cleaned, then without a trailing "therapy";
        first exact hit wins. Then the placebo words, then class wording with generic affixes."""
        unbracketed = _BRACKET_RE.sub(lambda m: " " + (m.group(1) or m.group(2) or "") + " ", text)
        cleaned = _clean(text)
        variants = [text, unbracketed, cleaned, _clean(unbracketed)]
        if _THERAPY_RE.search(cleaned):
            variants.append(_THERAPY_RE.sub("", cleaned))
        for variant in variants:
            hit = self._lookup(variant)
            if hit is not None:
                return hit
        if (
            _PLACEBO_WORDS.intersection(w.casefold() for w in _TOKEN_RE.findall(text))
            and not _HARD_RE.search(text)
            and not _SOFT_RE.search(text)
        ):
            # "sildenafil matching placebo", "TPN171H Placebo"; "Drug A and placebo" is split first
            return _Hit("nondrug", REASON_PLACEBO)
        normalised = unicodedata.normalize("NFKC", text)
        tokens = _TOKEN_RE.findall(normalised)
        if self._names_agent(tokens):
            # "Pembrolizumab plus surgery", "Nivolumab and stem cell transplantation": split or scan it, so
            # that the word rules below never swallow a named agent
            return self._class_hit(text, cleaned)
        if _TRACER_RE.search(normalised):  # "18F-FDG", "68Ga-FAPI-46", "Iodine-124": imaging, not therapy
            return _Hit("nondrug", REASON_DIAGNOSTIC)
        words = {w.casefold() for w in tokens}
        if words & _PROCEDURE_WORDS:  # "autologous stem cell transplantation"
            return _Hit("nondrug", REASON_PROCEDURE)
        if words & _DEVICE_WORDS:  # "vacuum erection device": its other names cannot make it a drug
            return _Hit("nondrug", REASON_DEVICE)
        if _CELL_RE.search(normalised) and _CELL_THERAPY in self._d.class_labels:
            return _Hit("class", _CELL_THERAPY)  # "Anti-GARP Chimeric Antigen Receptor-T Cells"
        if words & _TISSUE_WORDS:  # "Stravix lyopreserved placental tissue"
            return _Hit("nondrug", REASON_TISSUE)
        if (
            words & _VACCINE_WORDS
            and words & _CANCER_VACCINE_WORDS
            and _CANCER_VACCINE in self._d.class_labels
        ):
            return _Hit("class", _CANCER_VACCINE)  # "Neoantigen-loaded DC vaccine"
        if _STANDARD_RE.search(
            normalised
        ):  # "standard quadruple antiemetic therapy", "any biologic treatment"
            return _Hit("nondrug", REASON_SOC)
        return self._class_hit(text, cleaned)

    def _class_hit(self, text: str, cleaned: str) -> _Hit | None:
        for variant in (text, cleaned):
            iri = self._class_by_affixes(name_key(variant))
            if iri is not None:
                return _Hit("class", iri)
        return None

    def _names_agent(self, tokens: Sequence[str]) -> bool:
        """Whether consecutive words spell a curated INN or code (the names of rule 6)."""
        keys = [name_key(t) for t in tokens]
        return any(
            "".join(keys[i : i + n]) in self._d.scan
            for i in range(len(keys))
            for n in range(1, min(self._d.scan_max, len(keys) - i) + 1)
        )

    def _class_by_affixes(self, key: str) -> str | None:
        """The class a name denotes once generic affixes are removed ("anti-PD-1 mAb therapy")."""
        for form in _affix_forms(key):
            iri = self._d.class_names.get(form) or self._d.class_cores.get(form)
            if iri is not None:
                return iri
        return None

    def _class_of(self, text: str) -> str | None:
        """The class a phrase names: exactly, with generic affixes, or as some chemotherapy."""
        key = name_key(_clean(text))
        if not key:
            return None
        iri = self._d.class_names.get(key) or self._class_by_affixes(key)
        if iri is not None:
            return iri
        if key.endswith(_CHEMO_KEYS) and "radi" not in key and _CHEMOTHERAPY in self._d.class_labels:
            return _CHEMOTHERAPY  # "hyperthermic intraperitoneal chemotherapy", "induction chemotherapy"
        return None

    def _hit_items(self, hit: _Hit, text: str, qualifier: str) -> list[_Item]:
        """The items of one hit: a regimen acronym gives its component agents (rule "regimen")."""
        if hit.kind == "regimen":
            return [
                Agent(iri, self._d.labels[iri], True, text, _with_qualifier(RULE_REGIMEN, qualifier))
                for iri in self._d.regimens[hit.value]
            ]
        return [self._hit_item(hit, text, qualifier)]

    def _hit_item(self, hit: _Hit, text: str, qualifier: str, rule: str | None = None) -> _Item:
        if hit.kind == "agent":
            return Agent(
                hit.value, self._d.labels[hit.value], True, text, _with_qualifier(rule or hit.rule, qualifier)
            )
        if hit.kind == "class":
            return _ClassMention(text, hit.value)
        return (text, hit.value)

    def _resolve(self, text: str, qualifier: str, *, scan: bool) -> list[_Item]:
        text = text.strip()
        if not text.strip(_EDGE_PUNCT):
            return []
        hit = self._lookup_variants(text)
        if hit is not None:
            return self._hit_items(hit, text, qualifier)

        # Names run together by an export ("nab-PaclitaxelLenvatinibTislelizumab"): split where a lower-case
        # letter meets a capitalised word, but keep the split only if every piece is a curated agent.
        joined = _CAMEL_JOIN.sub(" + ", text)
        if joined != text:
            split_items = self._resolve(joined, qualifier, scan=scan)
            if split_items and all(isinstance(i, Agent) and i.curated for i in split_items):
                return split_items

        if _BRACKET_RE.search(text):
            return self._resolve_brackets(text, qualifier, scan=scan)

        parts = _split_hard(text)
        if len(parts) > 1:
            items: list[_Item] = []
            for part, q in parts:
                if q == "excluded":
                    items.append((part, REASON_EXCLUDED))
                else:
                    items.extend(self._resolve(part, q or qualifier, scan=scan))
            return items

        soft, alternative = _split_soft(text)
        if len(soft) > 1:
            hits = [self._lookup_variants(p) for p in soft]
            names = [_clean(p) for p in soft]
            short = [len(_TOKEN_RE.findall(n)) <= 3 for n in names]
            known_split = any(h is not None for h in hits) and all(
                h is not None or s for h, s in zip(hits, short, strict=True)
            )
            # "Tadalafil or sildenafil": alternatives even when neither is known, if all are short names
            alternative_split = alternative and all(short) and all(any(c.isalpha() for c in n) for n in names)
            if known_split or alternative_split:
                q = "alternative" if alternative else qualifier
                items = []
                for part in soft:
                    items.extend(self._resolve(part, q, scan=scan))
                return items

        if scan:
            found = self._scan(text, qualifier)
            if found:
                return found

        name = _clean(text)
        class_iri = self._class_of(text)
        if class_iri is not None:
            return [_ClassMention(text, class_iri)]
        key = name_key(name)
        if key.endswith(("immunotherapy", "immunotherapies")):
            return [(text, REASON_GENERIC)]  # "dual immunotherapy": no class says which
        if _CLASS_NOUN_RE.search(name):
            # "SGLT2 inhibitor", "basal insulin analogue": no INN ends in a class noun
            return [(text, REASON_CLASS)]
        cut = _FOR_RE.sub("", name)
        if cut != name:
            # "Other drugs for neoadjuvant treatment": the purpose is not part of the name
            hit = self._lookup(cut)
            if hit is not None:
                return self._hit_items(hit, text, qualifier)
            name = cut
        words = _TOKEN_RE.findall(text)
        if words and all(w.casefold() in _WORDING_WORDS or w.isdigit() for w in words):
            return [(text, REASON_WORDING)]  # "Neoadjuvant", "3 cycles", "combined"
        tokens = _TOKEN_RE.findall(name)
        if len(tokens) == 1:
            key = name_key(name)
            fuzzy = self.fuzzy_match(key) or self.source_infix_match(key)
            if fuzzy is not None:  # "Anastrazole", "chemoimmunothrapy": one curated name or term, misspelt
                return [self._hit_item(fuzzy, text, qualifier, RULE_FUZZY)]
        return [_Unknown(text, name if any(ch.isalpha() for ch in name) else "", qualifier)]

    def _resolve_brackets(self, text: str, qualifier: str, *, scan: bool) -> list[_Item]:
        main = _collapse(_BRACKET_RE.sub(" ", text))
        inner = "; ".join((m.group(1) or m.group(2) or "").strip() for m in _BRACKET_RE.finditer(text)).strip(
            "; "
        )
        main_items = self._resolve(main, qualifier, scan=scan) if main else []
        if any(isinstance(i, Agent) for i in main_items):
            return main_items  # the brackets are a synonym or an abbreviation
        inner_items = self._resolve(inner, qualifier, scan=False) if inner else []
        inner_agents = [
            Agent(i.iri, i.label, True, i.matched_text, _with_qualifier(RULE_PARENTHETICAL, qualifier))
            for i in inner_items
            if isinstance(i, Agent)
        ]
        if not inner_agents:
            return main_items or [_Unknown(text, "", qualifier)]
        # An unknown main name beside a known bracketed one is taken as its synonym.
        kept = [i for i in main_items if not isinstance(i, _Unknown)]
        return [*inner_agents, *kept, *(i for i in inner_items if isinstance(i, (tuple, _ClassMention)))]

    def _scan(self, text: str, qualifier: str, *, leftovers: bool = True) -> list[_Item]:
        """Curated INNs and codes named as whole words inside a longer phrase (with ``leftovers``, the
        other words as a class or as words around the agents)."""
        cleaned = _clean(text) if leftovers else text
        tokens = _TOKEN_RE.findall(cleaned)
        if len(tokens) < 2:
            return []
        keys = [name_key(t) for t in tokens]
        agents: list[_Item] = []
        covered = [False] * len(tokens)
        i = 0
        while i < len(tokens):
            for n in range(min(self._d.scan_max, len(tokens) - i), 0, -1):
                # Keys of consecutive words are joined, so "nab paclitaxel" finds "nab-paclitaxel".
                iri = self._d.scan.get("".join(keys[i : i + n]))
                if iri is not None:
                    matched = " ".join(tokens[i : i + n])
                    agents.append(
                        Agent(
                            iri,
                            self._d.labels[iri],
                            True,
                            matched,
                            _with_qualifier(RULE_IN_PHRASE, qualifier),
                        )
                    )
                    covered[i : i + n] = [True] * n
                    i += n
                    break
            else:
                i += 1
        if not agents or not leftovers:
            return agents
        rest = [t for t, c in zip(tokens, covered, strict=True) if not c]
        while rest and rest[0].casefold() in _STOPWORDS:
            rest.pop(0)
        while rest and rest[-1].casefold() in _STOPWORDS:
            rest.pop()
        if rest and not all(t.casefold() in _STOPWORDS for t in rest):
            leftover = " ".join(rest)
            class_iri = self._class_of(leftover)  # "carboplatin chemotherapy": the class chemotherapy
            agents.append(_ClassMention(leftover, class_iri) if class_iri else (leftover, REASON_LEFTOVER))
        return agents


# ---------------------------------------------------------------------------------------------
# Loading (rdflib once, then plain dicts)


def _scannable(alt_label: str) -> bool:
    """Synonyms safe to look for inside a phrase: codes, multi-word names, lower-case INN variants;
    never a name of fewer than four letters and digits ("S-1", "5-FU"), which short words can spell."""
    if len(name_key(alt_label)) < 4:
        return False
    return any(ch.isdigit() for ch in alt_label) or " " in alt_label.strip() or alt_label == alt_label.lower()


def _class_cores(class_names: dict[str, str]) -> dict[str, str]:
    """Class names with their generic affixes removed ("anti-PD-1 monoclonal antibody" -> "pd1"), for
    names that end in such an affix; never from "... chemotherapy" names ("standard chemotherapy" must
    not make "standard" a class) and never a core shared by two classes or shorter than three."""
    cores: dict[str, str] = {}
    ambiguous: set[str] = set()
    for key, iri in class_names.items():
        forms = _affix_forms(key)
        if not forms or key.endswith(_CHEMO_KEYS):
            continue
        core = forms[-1]
        if len(core) < 3 or core in class_names:
            continue
        if cores.setdefault(core, iri) != iri:
            ambiguous.add(core)
    return {core: iri for core, iri in cores.items() if core not in ambiguous}


def _position(text: str, keys: list[str], iri: str) -> tuple[int, str]:
    """Where a drug is first named (by any of its name keys) in a regimen's definition key."""
    found = [text.find(k) for k in keys if k and k in text]
    return (min(found) if found else len(text), iri)


def _load_regimens(
    path: Path, labels: dict[str, str], names: dict[str, tuple[str, str]]
) -> dict[str, tuple[str, ...]]:
    """Regimen acronym keys (label and altLabels of ontology/regimens.ttl) -> component drug IRIs, in the
    order the regimen's definition names them ("CHOP": cyclophosphamide, doxorubicin, vincristine,
    prednisone). A component that is not a curated drug, or an acronym that is also a drug name, is an
    error: the table must stay consistent with drugs.ttl."""
    if not path.exists():
        return {}
    import rdflib

    graph = rdflib.Graph()
    graph.parse(path, format="turtle")
    rdf_type = rdflib.URIRef(RDF + "type")
    regimen_class = rdflib.URIRef(TG + "Regimen")
    component_p = rdflib.URIRef(TG + "regimenComponent")
    definition_p = rdflib.URIRef(SKOS + "definition")
    synonyms = {iri: [key for key, (owner, _) in names.items() if owner == iri] for iri in labels}
    out: dict[str, tuple[str, ...]] = {}
    for regimen in sorted(graph.subjects(rdf_type, regimen_class), key=str):
        definition = name_key(" ".join(str(d) for d in graph.objects(regimen, definition_p)))
        parts = sorted(str(o) for o in graph.objects(regimen, component_p))
        for iri in parts:
            if iri not in labels:
                raise ValueError(f"{path.name}: {regimen} lists {iri}, which is not a curated drug")

        ordered = tuple(p for _, p in sorted(_position(definition, synonyms[iri], iri) for iri in parts))
        for lbl in [
            *graph.objects(regimen, rdflib.URIRef(RDFS + "label")),
            *graph.objects(regimen, rdflib.URIRef(SKOS + "altLabel")),
        ]:
            key = name_key(str(lbl))
            if key in names:
                raise ValueError(f"{path.name}: regimen name {lbl!r} is also a drug name")
            out[key] = ordered
    return out


@cache
def _load_directory(directory: Path) -> DrugVocabulary:
    import rdflib

    graph = rdflib.Graph()
    for name in ("drug-classes.ttl", "drugs.ttl"):
        graph.parse(directory / name, format="turtle")

    rdf_type = rdflib.URIRef(RDF + "type")
    label_p = rdflib.URIRef(RDFS + "label")
    alt_p = rdflib.URIRef(SKOS + "altLabel")
    sub_p = rdflib.URIRef(RDFS + "subClassOf")
    component_p = rdflib.URIRef(TG + "hasComponent")
    drug_class = rdflib.URIRef(TG + "Drug")
    individual = rdflib.URIRef(OWL + "NamedIndividual")
    owl_class = rdflib.URIRef(OWL + "Class")

    class_parents: dict[str, tuple[str, ...]] = {}
    class_labels: dict[str, str] = {}
    class_names: dict[str, str] = {}
    for cls in graph.subjects(rdf_type, owl_class):
        c = str(cls)
        class_parents[c] = tuple(sorted(str(p) for p in graph.objects(cls, sub_p)))
        for lbl in graph.objects(cls, label_p):
            class_labels[c] = str(lbl)
            class_names[name_key(str(lbl))] = c
        for class_alt in graph.objects(cls, alt_p):
            class_names[name_key(str(class_alt))] = c

    labels: dict[str, str] = {}
    classes: dict[str, tuple[str, ...]] = {}
    components: dict[str, tuple[str, ...]] = {}
    names: dict[str, tuple[str, str]] = {}
    scan: dict[str, str] = {}
    scan_max = 1
    for subject in sorted(graph.subjects(rdf_type, drug_class), key=str):
        if (subject, rdf_type, individual) not in graph:
            continue
        iri = str(subject)
        label = str(next(iter(sorted(graph.objects(subject, label_p), key=str))))
        labels[iri] = label
        classes[iri] = tuple(
            sorted(str(t) for t in graph.objects(subject, rdf_type) if t not in (drug_class, individual))
        )
        parts = tuple(sorted(str(o) for o in graph.objects(subject, component_p)))
        if parts:
            components[iri] = parts
        names[name_key(label)] = (iri, RULE_LABEL)
        scan[name_key(label)] = iri
        scan_max = max(scan_max, len(_TOKEN_RE.findall(label)))
        for alt in sorted(str(a) for a in graph.objects(subject, alt_p)):
            names.setdefault(name_key(alt), (iri, RULE_SYNONYM))
            if _scannable(alt):
                scan.setdefault(name_key(alt), iri)
                scan_max = max(scan_max, len(_TOKEN_RE.findall(alt)))

    scan.pop("", None)
    data = _VocabularyData(
        regimens=_load_regimens(directory / "regimens.ttl", labels, names),
        labels=labels,
        classes=classes,
        components=components,
        names=names,
        class_names=class_names,
        class_cores=_class_cores(class_names),
        class_labels=class_labels,
        class_parents=class_parents,
        scan=scan,
        scan_max=scan_max,
    )
    return DrugVocabulary(data)
