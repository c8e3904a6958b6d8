"""Type a free-text outcome measure with endpoint types from ontology/endpoint-types.ttl, and read the
attributes oncology endpoints state (landmark time point, median, assessor, response criteria).

The vocabulary (labels, synonyms, abbreviations, hierarchy) is read from the Turtle once per process;
this module holds no endpoint names of its own, only the matching rules and the word lists that say when
a match means something else.

**Finding wordings** (in each field, measure and description, separately)

1. **Normalisation.** Text is matched after NFKC (full-width letters, digits and brackets become ASCII:
   "（PFS）" reads "(PFS)", "Ⅱ" reads "II") with Unicode dashes read as "-" and the fraction slash as
   "/". ``matched_text`` is always the span of the *original* text.
2. **Full names** (rdfs:label, skos:altLabel, skos:hiddenLabel, tg:measureOnlyLabel) match
   case-insensitively, on word boundaries (no ASCII letter or digit either side), hyphens and spaces
   between words interchangeable or absent ("Progression-Free Survival" = "progression free survival");
   an English plural "s" may follow. A parenthesised abbreviation inside a name is read through:
   "complete response (CR) rate" is "complete response rate".
3. **Abbreviations** (tg:abbreviation) match case-sensitively as whole tokens, a plural "s" allowed
   ("TEAEs"), so "OS" never matches inside a word and "PCR" (the laboratory test) is never "pCR"
   (pathological complete response). A token followed by "-" and a digit is another token ("TTF-1",
   the thyroid transcription factor), except the landmark forms below. Abbreviations of pharmacokinetic
   parameters (subclasses of tg:PharmacokineticEndpoint) may run on into a subscript: "AUC0-last",
   "AUCinf", "Cmax,ss". tg:ambiguousAbbreviation values (TTP, TTR, PD, ...) are never matched.
4. **Landmark abbreviations**: PFS, OS, EFS, DFS, RFS or MFS with a number of months ("PFS6", "PFS-6",
   "OS-12", "EFS24") are the endpoint at that landmark (rule ``landmark-abbreviation``); PFS2/PFS-2 stays
   second progression-free survival.
5. **Upper-case PCR in context**: "PCR" is pathological complete response only where the outcome (measure
   and description together) also speaks of pathology ("pathologic", "ypT0", "residual invasive",
   "neoadjuvant", ...) and nowhere of a laboratory test ("RT-PCR", "assay", "viral", "DNA", ...), and the
   token is not part of "RT-PCR" or "PCR-negative" (rule ``abbreviation-in-context``).
6. **Longest match wins**: overlapping matches are resolved longest first, so "dose-limiting toxicity"
   is not also "toxicity", "time to Cmax" is not also Cmax and "pathological complete response rate"
   is not also "complete response rate". A full name that starts inside another and ends after it is
   a candidate too ("rate of complete response or partial response" is the longer "complete response
   or partial response").

**Dropping what means something else**

7. **Vetoes**: an abbreviation is dropped where its field uses it for something else: OS next to
   "osteosarcoma", "overall satisfaction", "IIEF" or an eye (OD/OU); DOR as the drug doravirine
   ("DOR/3TC/TDF", "DOR 100 mg", HIV context) or a diagnostic odds ratio; DLT as a double-lumen tube; AE as
   an acute exacerbation ...; any area under a ROC curve is never pharmacokinetic; "Centers for Disease
   Control" is no disease control (``_ABBREVIATION_VETOES``, ``_TYPE_VETOES``, ``_PRECEDED_BY_VETOES``).
8. **Compounds**: an abbreviation hyphen-joined to another upper-case acronym ("IIEF-OS", "AE-COPD") is a
   name of something else, unless the partner is an assessor (PFS-INV, BICR-PFS) or a vocabulary
   abbreviation. Patient-reported and pharmacokinetic abbreviations are exempt ("ED-QoL" is a quality of
   life questionnaire).
9. **Abbreviations defined as something else**: where the outcome spells out an abbreviation
   ("Overall Satisfaction (OS)", "adenoma detection rate (ADR)", "OS (oxidative stress)") with words
   whose letters spell it (the Schwartz-Hearst test) but that are not the endpoint's wording, that
   abbreviation is dropped everywhere in the outcome.
10. **The words win over a contradicting abbreviation**: where a full name is immediately followed by
   the abbreviation of an unrelated type ("Event-free survival (PFS)", or "PFS (event-free survival)"),
   the full name's type is kept, the abbreviation is dropped everywhere in the outcome, and the
   assignment is flagged (``flag == FLAG_CONTRADICTED``, ``overridden_text`` the abbreviation) so a
   curator can find it. Not a contradiction: a subclass ("Safety (AEs)"), a loose wording
   ("Toxicity (DLT)"), or a full name that is only the tail of a longer spelt-out form of the
   abbreviation ("Time to Reach Maximum Observed Serum Concentration (Tmax)": the Cmax name inside it is
   dropped).
11. **Definitions add nothing**: a type named inside the definition of another ("PFS, defined as the
   time to progression or death", "CBR, i.e. objective response or stable disease") is dropped, unless
   it is a subclass of the defined type (a "Safety, i.e. adverse events" measure is adverse events).
   "time to progression or death" is always a definition of PFS-like endpoints, never TTP; "rate of
   complete response or partial response" is not a complete response rate, and "complete or partial
   response or stable disease" is not an objective response rate.

**Assigning types** (one outcome)

12. **Measure first, description refines.** Types come from the measure. The description is used only
   - as a *fallback* when the measure gives no type at all: every type it names is used
     ("Tumor response", "... expressed as Objective Response Rate (ORR)" -> ORR), except that
     pharmacokinetic parameters (AUC, Cmax, Tmax ...) count only if the description also names
     pharmacokinetics (the same symbols describe glucose curves); or
   - to *refine* a broad type (one with subclasses, e.g. safety, pharmacokinetics) that the measure
     names without naming any of its subclasses: the description's mentions of that type's
     descendants are added ("Pharmacokinetic (PK) characteristics" + "To evaluate the Cmax" -> PK and
     Cmax). Nothing else in the description counts, so the "CR or PR" of an ORR definition never adds
     a type to an ORR endpoint, and a specific measure is never changed by its description.
   tg:measureOnlyLabel wordings never count from a description.
13. One assignment per type, in order of first appearance (measure before description). ``rule`` says
   how it was made: ``label``, ``abbreviation``, ``landmark-abbreviation`` or ``abbreviation-in-context``,
   prefixed by ``fallback:`` or ``refine:`` when it came from the description.

**Attributes** (``read_outcome``; each read only next to a mention of a type the outcome was given)

14. **Landmark**: a time point written next to a time-to-event type ("6-month PFS", "1-, 2- and 3-year
   OS", "PFS rate at 12 months", "OS at month 24", "PFS6") is a landmark, as an xsd:duration ("P6M";
   weeks as days, as tg:timeFrameDuration). A measure that names a time-to-event *rate* ("PFS rate",
   "rate of overall survival") with a time frame that is one time point ("12 months", "At 1 year",
   "Month 6") takes that point. Statistic ``landmark rate``.
15. **Median**: "median" just before a time-to-event type ("median overall survival", "median time of
   PFS"), "(median)" just after it, or mPFS/mOS: statistic ``median``.
16. **Assessor**, for outcomes typed with a time-to-event or response type: ``investigator``
   ("investigator-assessed", "per investigator", "INV", "local review") and/or
   ``independent central review`` ("BICR", "IRC", "blinded independent central review", "independent
   review committee", "central radiology review").
17. **Response criteria**, for any outcome: "RECIST 1.1", "RECIST 1.0", "RECIST" (no version stated;
   dropped when a version is), "iRECIST", "irRECIST", "mRECIST", "RANO", "RANO-BM", "iRANO", "mRANO",
   "Lugano", "Cheson", "LYRIC", "IMWG", "iwCLL", "PCWG2", "PCWG3", "PERCIST", "irRC", "Choi", "GCIG".

>>> [a.type_iri.rsplit("#", 1)[1] for a in type_outcome("ORR and DCR", None)]
['ObjectiveResponseRate', 'DiseaseControlRate']
>>> a = type_outcome("Progression-Free Survival（PFS）", None)
>>> [(x.type_iri.rsplit("#", 1)[1], x.matched_text, x.rule) for x in a]
[('ProgressionFreeSurvival', 'Progression-Free Survival', 'label')]
>>> r = read_outcome("12-month PFS rate per RECIST v1.1 by BICR", None)
>>> r.landmarks, r.statistics, r.assessors, r.criteria
(('P12M',), ('landmark rate',), ('independent central review',), ('RECIST 1.1',))
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Literal

from rdflib import Graph, URIRef
from rdflib import Literal as RDFLiteral
from rdflib.namespace import RDFS, SKOS

from trialgraph.namespaces import TG
from trialgraph.normalise.timeframe import parse_time_frame
from trialgraph.resources import ontology_dir

MatchedIn = Literal["measure", "description"]

RULE_LABEL = "label"
RULE_ABBREVIATION = "abbreviation"
RULE_LANDMARK_ABBREVIATION = "landmark-abbreviation"
RULE_CONTEXT = "abbreviation-in-context"
FALLBACK = "fallback:"
REFINE = "refine:"

#: flag of an assignment whose full name was followed by the abbreviation of an unrelated type
FLAG_CONTRADICTED = "contradicted-abbreviation"

STATISTIC_MEDIAN = "median"
STATISTIC_LANDMARK = "landmark rate"
ASSESSOR_INVESTIGATOR = "investigator"
ASSESSOR_INDEPENDENT = "independent central review"

ENDPOINT = TG + "Endpoint"
PHARMACOKINETIC = TG + "PharmacokineticEndpoint"
TIME_TO_EVENT = TG + "TimeToEventEndpoint"
RESPONSE = TG + "ResponseEndpoint"
PATIENT_REPORTED = TG + "PatientReportedOutcomeEndpoint"
PATHOLOGICAL_COMPLETE_RESPONSE = TG + "PathologicalCompleteResponse"
COMPLETE_RESPONSE_RATE = TG + "CompleteResponseRate"
OBJECTIVE_RESPONSE_RATE = TG + "ObjectiveResponseRate"
TIME_TO_PROGRESSION = TG + "TimeToProgression"

_TG_ABBREVIATION = URIRef(TG + "abbreviation")
_TG_MEASURE_ONLY = URIRef(TG + "measureOnlyLabel")
_LABEL_PROPERTIES = (RDFS.label, SKOS.altLabel, SKOS.hiddenLabel)

# Unicode dashes -> "-", fraction slash -> "/": one character for one, so offsets are kept.
_TRANSLATE = str.maketrans(
    {c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63"} | {"\u2044": "/"}
)
# Between the words of a full name: any run of spaces and hyphens, or none.
_SEPARATOR = r"[\s\-]*"
_SEPARATOR_RE = re.compile(r"[\s\-]+")
_BOUNDARY_BEFORE = r"(?<![A-Za-z0-9])"
_BOUNDARY_AFTER = r"(?![A-Za-z0-9])"
# What may follow a pharmacokinetic symbol: "AUC0-last", "AUCinf", "AUCτ,ss", "Cmax, ss".
_SUBSCRIPT = r"[0-9A-Za-zτ∞\-]*(?:,\s?ss)?"
# A parenthesised abbreviation that full names are read through: "complete response (CR) rate".
_INNER_ABBREVIATION = re.compile(r"\(\s*[A-Za-z][A-Za-z0-9\-/+]{0,11}\s*\)")

# ---------------------------------------------------------------------------------------------
# Rule 4-5: landmark abbreviations and upper-case PCR

# Starts with the letters, not a lookbehind, so the engine can skip to candidate characters; the
# character before is checked in code (_token_start).
_LANDMARK_ABBREVIATION = re.compile(
    r"(?P<a>[PEDRM]FS|OS)-?(?P<n>3|4|6|9|12|18|24|36|48|60)(?![A-Za-z0-9.]|-\d)"
)
_UPPER_PCR = re.compile(r"(?<![A-Za-z0-9\-/])PCR(?![A-Za-z0-9]|-[A-Za-z0-9])")
_PATHOLOGY_CUE = re.compile(
    r"patholog|\byp[TN]|residual\s+(?:invasive|tumou?r|disease|cancer)|no\s+invasive|"
    r"surgical\s+specimen|resected\s+specimen|Miller[\s\-]*Payne|residual\s+cancer\s+burden|\bRCB\b|"
    r"neoadjuvant|neo-adjuvant",
    re.IGNORECASE,
)
_LABORATORY_CUE = re.compile(
    r"polymerase|(?:\bRT|\brt|\bq|real[\s\-]*time|digital|nested|multiplex)[\s\-]*PCR|"
    r"PCR[\s\-]*(?:test|assay|positiv|negativ|confirm|based|analys|detect|amplif)|"
    r"vir(?:al|us|o)|SARS|COVID|\bHPV|\bHIV|\bHBV|\bHCV|swab|genotyp|DNA|RNA|transcript|BCR[\s\-]*ABL|mutation",
    re.IGNORECASE,
)

# ---------------------------------------------------------------------------------------------
# Rule 7: vetoes. Abbreviation vetoes, by abbreviation: a field matching the pattern uses the
# abbreviation for something else ("Overall survival in osteosarcoma (OS)" is still overall survival by
# its full name). Type vetoes, by type local name, drop every match of the type.

_ARV = r"(?:[A-Z]*\d[A-Z0-9]*|TDF|TAF|FTC|ISL|ABC|DTG|BIC|EFV|RPV|DRV|CAB)"
_OS_VETO = re.compile(
    r"osteosarcoma|overall\s+satisfaction|\bIIEF|\bO[DU]\b|\beyes?\b|oxidative\s+stress|operating\s+system",
    re.IGNORECASE,
)
_DOR_VETO = re.compile(
    rf"(?i:doravirine|diagnostic\s+odds\s+ratio|antiretroviral)|\bHIV|\bDOR\s*[/+]\s*{_ARV}\b|"
    rf"\b{_ARV}\s*[/+]\s*DOR\b|\bDOR\s*\d+(?:\.\d+)?\s*mg"
)
_ABBREVIATION_VETOES: dict[str, re.Pattern[str]] = {
    "OS": _OS_VETO,
    "mOS": _OS_VETO,
    "DOR": _DOR_VETO,
    "DoR": _DOR_VETO,
    "DLT": re.compile(
        r"double[\s\-]*lumen|\bDLT\s+(?:tube|intubation|insertion|placement)|lung\s+transplant", re.I
    ),
    "AE": re.compile(
        r"acute\s+exacerbation|atopic\s+(?:eczema|dermatitis)|anion\s+exchange|echinococc|\bAE\s*-?\s*(?:COPD|IPF|ILD)",
        re.IGNORECASE,
    ),
    "ADR": re.compile(r"adenoma|detection\s+rate", re.IGNORECASE),
    "DCR": re.compile(r"dacryocystorhinostom|lacrimal|nasolacrimal", re.IGNORECASE),
    "RFS": re.compile(r"reflux", re.IGNORECASE),
    "DFS": re.compile(r"diabetic\s+foot", re.IGNORECASE),
    "PK": re.compile(
        r"pyruvate\s+kinase|keratoplast|prekallikrein|kallikrein|\bPK\s+(?:deficien|activat)", re.IGNORECASE
    ),
    "MPR": re.compile(r"multi[\s\-]*planar|\bMPR\s+(?:image|reconstruct)", re.IGNORECASE),
    "MRD": re.compile(r"maxim\w*\s+recommended\s+dose", re.IGNORECASE),
    "TTF": re.compile(r"thyroid\s+transcription", re.IGNORECASE),
    "Vd": re.compile(r"\bVd\s*/\s*V[Tt]\b|dead\s+space", re.IGNORECASE),
}
_TYPE_VETOES: dict[str, re.Pattern[str]] = {
    "AreaUnderCurve": re.compile(r"\bROC\b|receiver[\s\-]+operating", re.IGNORECASE),
}
# Local vetoes: a match preceded by this text is part of a name ("Centers for Disease Control").
_PRECEDED_BY_VETOES: dict[str, re.Pattern[str]] = {
    "DiseaseControlRate": re.compile(r"cent(?:er|re)s?\s+for\s*$", re.IGNORECASE),
}

# Rule 8: partners an abbreviation may be hyphen-joined to ("PFS-INV", "BICR-PFS", "PRO-CTCAE").
_COMPOUND_PARTNERS = frozenset(
    {"INV", "IRC", "BICR", "BIRC", "IRF", "ICR", "IRR", "CTCAE", "RECIST", "PD", "PK", "ITT", "CNS"}
)
_ACRONYM_BEFORE = re.compile(r"(?<![A-Za-z0-9])([A-Za-z]*[A-Z][A-Za-z]*[A-Z][A-Za-z]*)-$")
_ACRONYM_AFTER = re.compile(r"^-([A-Z][A-Za-z]*[A-Z][A-Za-z]*)(?![A-Za-z0-9])")

# Rule 9: abbreviation definitions "words (ABBR)" and "ABBR (words)".
_PARENTHESIS = re.compile(r"\(\s*([^()]{1,100}?)\s*\)")
_TOKEN_BEFORE = re.compile(r"(?<![A-Za-z0-9\-])([A-Za-z][A-Za-z0-9]*)\s*$")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*")
_WORD_START = re.compile(r"(?<=[\s\-])[A-Za-z]")
_CLAUSE_END = re.compile(r".*[.;:!?]\s", re.DOTALL)
# Words that do not make a spelt-out form another thing: "overall survival time (OS)".
_NEUTRAL_WORDS = frozenset(
    {"the", "of", "and", "or", "in", "to", "for", "with", "by", "on", "at", "a", "an", "rate", "rates"}
    | {"ratio", "time", "times", "duration", "interval", "probability", "proportion", "percentage"}
    | {"number", "incidence", "frequency", "median", "mean", "patients", "participants", "subjects"}
)

# Rule 10: what may stand between a full name and a contradicting "(ABBR)".
_CONTRADICTION_GAP = re.compile(
    r"\s*(?:(?:rate|rates|time|probability|proportion|duration|interval)\s*)?\(\s*$", re.IGNORECASE
)
_CONTRADICTION_OPEN = re.compile(r"\s*\(\s*")
_CLOSING = re.compile(r"\s*\)")

# Rule 11: definitions.
_DEFINING = re.compile(
    r"[^.;]{0,60}?\b(?:defined\s+as|defined\s+by|is\s+defined|i\.\s?e\.|which\s+is|that\s+is|means|"
    r"refers\s+to|is\s+the|was\s+the|are\s+the|measured\s+as|calculated\s+as)(?![A-Za-z])(?P<after>[^.;]{0,80})",
    re.IGNORECASE,
)
_CONJUNCTION = re.compile(r"\band\b|\bas\s+well\s+as\b|,\s*or\b", re.IGNORECASE)
_OR_DEATH = re.compile(
    r"^\s*(?:\([^()]{0,15}\)\s*)?,?\s*(?:or|and/or|/)\s*(?:death|die|dies|relapse|recurrence)", re.IGNORECASE
)
_STABLE_AFTER = re.compile(
    r"\s*(?:\([^()]{0,10}\)\s*)?(?:,|or|and|\+|/)\s*(?:a\s+)?(?:stable|SD\b)", re.IGNORECASE
)
_COMPOSITE_RESPONSE = re.compile(
    r"^\s*(?:\([^()]{0,10}\)\s*)?(?:or|and|\+|/|plus|,)\s*(?:a\s+)?(?:partial|PR\b|very\s+good|VGPR|stable|SD\b)",
    re.IGNORECASE,
)

# ---------------------------------------------------------------------------------------------
# Rule 14-15: landmarks and medians

_NUMBER_WORDS = {
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
    "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "fifteen": "15",
    "eighteen": "18", "twenty-four": "24", "thirty-six": "36", "forty-eight": "48", "sixty": "60",
}  # fmt: skip
_NUMBER = r"(?:\d+(?:\.\d+)?|" + "|".join(w.replace("-", r"[\s\-]?") for w in _NUMBER_WORDS) + ")"
_NUMBER_LIST = rf"{_NUMBER}-?(?:\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+|&\s*|/\s*){_NUMBER}-?)*"
_UNIT = r"(?:years?|yrs?|y|months?|mos?|mths?|weeks?|wks?|days?)"
_UNIT_FIRST = r"(?:year|month|week|day)"
_LANDMARK_BEFORE = re.compile(
    rf"(?<![\w.\-])(?P<n>{_NUMBER_LIST})\s*-?\s*(?P<u>{_UNIT})\s*-?\s*(?:landmark\s+)?$", re.IGNORECASE
)
_LANDMARK_AFTER = re.compile(
    rf"^\s*(?:\([^()]{{0,15}}\)\s*)?(?:rates?|probability|proportion|estimates?)?\s*(?:\([^()]{{0,15}}\)\s*)?"
    rf"(?:at|@|by)\s+(?:the\s+)?(?:(?P<n>{_NUMBER_LIST})\s*-?\s*(?P<u>{_UNIT})|(?P<u2>{_UNIT_FIRST})s?\s*"
    rf"(?P<n2>{_NUMBER_LIST}))(?![\w])",
    re.IGNORECASE,
)
_LIST_ITEM = re.compile(_NUMBER, re.IGNORECASE)
_RATE_AFTER = re.compile(r"^\s*(?:\([^()]{0,15}\)\s*)?(?:rates?|probability|proportion)\b", re.IGNORECASE)
_RATE_BEFORE = re.compile(r"\b(?:rates?|probability|proportion)\s+of\s+(?:the\s+)?$", re.IGNORECASE)
# A time frame that is one time point: "12 months", "At 1 year", "Month 6", "2 years after surgery".
_TIME_POINT = re.compile(
    rf"^\s*(?:at|after)?\s*(?:(?P<n>{_NUMBER})\s*-?\s*(?P<u>{_UNIT})|(?P<u2>{_UNIT_FIRST})\s*(?P<n2>\d+))"
    r"(?:\s+(?:after|post|from|following|since)[\s\-]+(?:the\s+)?(?:start\s+of\s+|first\s+|date\s+of\s+)?"
    r"(?:randomi[sz]\w*|enrol\w*|registration|treatment|therapy|initiation|dos\w+|surgery|transplant\w*|"
    r"inclusion|baseline|diagnosis|study\s+entry|resection|operation|procedure|infusion)\b[^,;]{0,30})?"
    r"\s*\.?\s*$",
    re.IGNORECASE,
)
_MEDIAN_BEFORE = re.compile(r"\bmedian\s+(?:[A-Za-z\-]+\s+){0,2}$", re.IGNORECASE)
_MEDIAN_AFTER = re.compile(r"^\s*(?:\([^()]{0,15}\)\s*)?[,:]?\s*\(?\s*median\b", re.IGNORECASE)
_MEDIAN_ABBREVIATION = re.compile(r"^m[A-Z]")

# ---------------------------------------------------------------------------------------------
# Rule 16-17: assessors and response criteria

_WHO_INVESTIGATOR = r"(?:the\s+)?(?:local\s+|site\s+|treating\s+|study\s+)?investigators?\b"
_INVESTIGATOR = re.compile(
    # investigator-assessed, investigator's assessment; per / according to (the) investigator
    r"\binvestigators?(?:['’]s?)?[\s\-]+(?:assess|determin|evaluat|review|judg|read|measur|confirm|report)\w*|"
    rf"\b(?:per|according\s+to)\s+{_WHO_INVESTIGATOR}|"
    # "by the investigator" only after an assessment verb or right after the endpoint ("PFS by investigator")
    r"\b(?:assess|determin|evaluat|judg|review|confirm|measur|read|perform|grad|document)\w*\s+"
    rf"(?:[a-z\-]+\s+){{0,2}}by\s+{_WHO_INVESTIGATOR}|"
    # "PFS by investigator", "survival (PFS) by the investigator", "RECIST v1.1 by investigator"
    r"(?:(?-i:\b(?:r?PFS|ORR|BOR|DCR|DoR|DOR|CBR|EFS|DFS|RFS|TTP))|\b(?:response|progression|survival|rate|"
    r"RECIST(?:\s*v?(?:ersion)?\s*1\.[01])?|criteria|RANO|Lugano|IMWG))\s*(?:\([^()]{0,20}\)\s*)?,?\s*"
    rf"(?:as\s+)?(?:assessed\s+|determined\s+|evaluated\s+)?by\s+{_WHO_INVESTIGATOR}|"
    # "by BICR and by investigator", "IRC versus investigator"
    rf"\b(?:and|or|vs\.?|versus)\s+(?:by\s+)?{_WHO_INVESTIGATOR}(?!['’]s?\s+choice)|"
    r"\blocal(?:ly)?\s+(?:radiolog\w*\s+|imaging\s+)?(?:review|assess|read)\w*|(?-i:\bINV\b)",
    re.IGNORECASE,
)
_INDEPENDENT = re.compile(
    r"\bindependent\s+(?:(?:central|centralized|centralised|radiolog\w*|imaging|external|endpoint|blinded|"
    r"review)\s+)*(?:review\w*|assess\w*|committee|radiologists?|readers?|read|evaluat\w*|adjudicat\w*)|"
    r"\bcentral(?:ly|ized|ised)?\s+(?:blinded\s+)?(?:independent\s+)?(?:radiolog\w*\s+|imaging\s+)?"
    r"(?:review\w*|read\w*)|(?-i:\b(?:BICR|BIRC|IRC|ICR|IRF|IRRC|CIR)\b)",
    re.IGNORECASE,
)
_RECIST = re.compile(
    r"(?P<pre>\b(?:modified|immune[\s\-]*related|immune)[\s\-]+)?"
    r"(?:(?-i:\bRECIST(?![A-Za-z]))|\bresponse\s+evaluation\s+criteria\s+in\s+solid\s+tumou?rs?\b)"
    r"(?:\s*\(\s*RECIST\s*\))?(?:[\s,(]*(?:criteria\s*)?[\s,(]*(?:(?:v|ver|version)\.?\s*)?(?P<v>1\.[01])(?!\d))?",
    re.IGNORECASE,
)
_RECIST_PREFIX = {"modified": "mRECIST", "immune": "iRECIST"}
_CRITERIA: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), name)
    for pattern, name in (
        (r"\biRECIST\b", "iRECIST"),
        (r"\birRECIST\b", "irRECIST"),
        (r"\bmRECIST\b", "mRECIST"),
        (r"\bRANO[\s\-]*BM\b", "RANO-BM"),
        (r"\biRANO\b", "iRANO"),
        (r"\bmRANO\b", "mRANO"),
        (r"\bRANO\b(?![\s\-]*BM)|(?i:\bresponse\s+assessment\s+in\s+neuro[\s\-]*oncology)", "RANO"),
        (r"\bLugano\b", "Lugano"),
        (r"\bCheson\b", "Cheson"),
        (r"\bLYRIC\b", "LYRIC"),
        (r"\bIMWG\b|(?i:\binternational\s+myeloma\s+working\s+group)", "IMWG"),
        (r"(?i:\biwCLL\b)", "iwCLL"),
        (r"\bPCWG\s*-?\s*2\b|(?i:prostate\s+cancer\s+(?:clinical\s+trials\s+)?working\s+group\s*2)", "PCWG2"),
        (r"\bPCWG\s*-?\s*3\b|(?i:prostate\s+cancer\s+(?:clinical\s+trials\s+)?working\s+group\s*3)", "PCWG3"),
        (r"\bPERCIST\b", "PERCIST"),
        (r"\birRC\b|(?i:\bimmune[\s\-]*related\s+response\s+criteria\b)", "irRC"),
        (r"\bChoi\s+criteria\b", "Choi"),
        (r"\bGCIG\b", "GCIG"),
    )
)
# Lower-case words one of which every criteria pattern needs: a substring test is ~20x faster than a
# case-insensitive regex over every field.
_CRITERIA_CUES = (
    "recist", "rano", "lugano", "cheson", "lyric", "imwg", "pcwg", "irrc", "choi", "gcig", "iwcll",
    "response evaluation", "response assessment", "working group", "related response",
)  # fmt: skip
_ASSESSOR_CUES = ("investigator", "inv", "independent", "central", "local", "irc", "icr", "irf", "birc")


@dataclass(frozen=True)
class EndpointTypeAssignment:
    """One endpoint type given to one outcome, with how it was found."""

    type_iri: str
    matched_text: str
    matched_in: MatchedIn
    rule: str
    #: FLAG_CONTRADICTED when an abbreviation of an unrelated type stood next to the matched words
    flag: str | None = None
    #: the abbreviation the words overrode, when flagged
    overridden_text: str | None = None


@dataclass(frozen=True)
class OutcomeReading:
    """Everything read from one outcome: its endpoint types and the attributes its text states."""

    types: tuple[EndpointTypeAssignment, ...]
    #: landmark time points as xsd:duration lexical forms ("P12M", "P1Y"), in order of appearance
    landmarks: tuple[str, ...] = ()
    #: STATISTIC_MEDIAN and/or STATISTIC_LANDMARK
    statistics: tuple[str, ...] = ()
    #: ASSESSOR_INVESTIGATOR and/or ASSESSOR_INDEPENDENT
    assessors: tuple[str, ...] = ()
    #: response criteria by canonical name ("RECIST 1.1", "iRECIST", "Lugano")
    criteria: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _Hit:
    type_iri: str
    start: int
    end: int
    kind: str  # a RULE_* name
    text: str  # the normalised matched text
    measure_only: bool = False  # a tg:measureOnlyLabel wording
    loose: bool = False  # a skos:hiddenLabel or tg:measureOnlyLabel wording
    landmark: str | None = None  # for landmark abbreviations


@dataclass(frozen=True)
class _Vocabulary:
    label_re: re.Pattern[str]
    abbreviation_re: re.Pattern[str]
    by_label: dict[str, str]  # label key (see _label_key) -> type IRI
    measure_only: frozenset[str]  # label keys of tg:measureOnlyLabel wordings
    loose: frozenset[str]  # label keys of skos:hiddenLabel and tg:measureOnlyLabel wordings
    by_abbreviation: dict[str, str]
    descendants: dict[str, frozenset[str]]  # type IRI -> all its subclasses in the vocabulary
    stems: dict[str, frozenset[str]]  # type IRI -> 5-letter stems of the words of its full names
    compound_exempt: frozenset[str]  # types whose abbreviations may be hyphen-joined to anything


@dataclass
class _Field:
    """One field of an outcome, its wordings found (rules 1-6) and what was dropped from them."""

    text: str
    normalised: str
    origin: list[int] | None
    hits: list[_Hit]
    flags: dict[_Hit, str] = field(default_factory=dict)  # label hit -> abbreviation it overrode

    def span(self, hit: _Hit) -> str:
        start, end = _original_span(self.origin, hit.start, hit.end)
        return self.text[start:end]


def _label_key(text: str) -> str:
    """Case- and separator-insensitive key: "Progression-Free Survival" -> "progressionfreesurvival"."""
    return _SEPARATOR_RE.sub("", text).casefold()


def _label_atoms(label: str) -> list[str]:
    """A full name as regex atoms: one per (lower-cased) character, _SEPARATOR between words."""
    atoms: list[str] = []
    for word in _SEPARATOR_RE.split(label.strip().lower()):
        if word:
            if atoms:
                atoms.append(_SEPARATOR)
            atoms.extend(re.escape(ch) for ch in word)
    return atoms


def _abbreviation_atoms(abbreviation: str) -> list[str]:
    return [re.escape(ch) for ch in abbreviation]


_Trie = dict[str, "_Trie"]
_END = ""  # key marking that a term ends at this node (atoms are never empty)


def _trie_pattern(terms: Iterable[list[str]]) -> str:
    """One regex matching any of the terms, as a trie of their atoms.

    Sharing prefixes ("progression-free survival", "progression-free survival 2") lets the engine
    reject a position after one character instead of trying every term: about ten times faster than a
    flat alternation over this vocabulary. An ending term's optional tail is greedy, so the longest
    term that fits is preferred, as with a longest-first alternation.
    """
    root: _Trie = {}
    for atoms in terms:
        node = root
        for atom in atoms:
            node = node.setdefault(atom, {})
        node[_END] = {}
    return _node_pattern(root)


def _node_pattern(node: _Trie) -> str:
    branches = [atom + _node_pattern(child) for atom, child in sorted(node.items()) if atom != _END]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if _END in node:
        return f"(?:{body})?"
    return body


def _subclasses(graph: Graph) -> dict[str, set[str]]:
    children: dict[str, set[str]] = {}
    for child, parent in graph.subject_objects(RDFS.subClassOf):
        if isinstance(child, URIRef) and isinstance(parent, URIRef):
            children.setdefault(str(parent), set()).add(str(child))
    return children


def _self_and_below(children: dict[str, set[str]], iri: str) -> frozenset[str]:
    """The class and all its subclasses."""
    return _all_below(children, iri) | {iri}


def _all_below(children: dict[str, set[str]], iri: str) -> frozenset[str]:
    seen: set[str] = set()
    stack = [iri]
    while stack:
        for child in children.get(stack.pop(), ()):
            if child not in seen:
                seen.add(child)
                stack.append(child)
    return frozenset(seen)


def _strings(graph: Graph, subject: str, properties: Iterable[URIRef]) -> list[str]:
    return [
        str(value)
        for prop in properties
        for value in graph.objects(URIRef(subject), prop)
        if isinstance(value, RDFLiteral)
    ]


def _stems(labels: Iterable[str]) -> frozenset[str]:
    return frozenset(word.lower()[:5] for label in labels for word in _WORD.findall(label))


@cache
def _vocabulary() -> _Vocabulary:
    """Read endpoint-types.ttl once and compile the two matching regexes."""
    graph = Graph()
    graph.parse(ontology_dir() / "endpoint-types.ttl", format="turtle")
    children = _subclasses(graph)
    types = sorted(_all_below(children, ENDPOINT))
    pk_types = _all_below(children, PHARMACOKINETIC)

    by_label: dict[str, str] = {}
    measure_only: set[str] = set()
    loose_keys: set[str] = set()
    by_abbreviation: dict[str, str] = {}
    stems: dict[str, frozenset[str]] = {}
    labels: list[list[str]] = []
    strict: list[list[str]] = []
    reported: list[list[str]] = []
    run_on: list[list[str]] = []
    reported_types = _self_and_below(children, PATIENT_REPORTED)
    for iri in types:
        names = _strings(graph, iri, _LABEL_PROPERTIES)
        loose = _strings(graph, iri, (_TG_MEASURE_ONLY,))
        for label in names + loose:
            by_label[_label_key(label)] = iri
            labels.append(_label_atoms(label))
        measure_only.update(_label_key(label) for label in loose)
        loose_keys.update(_label_key(label) for label in loose + _strings(graph, iri, (SKOS.hiddenLabel,)))
        stems[iri] = _stems(names + loose)
        for abbreviation in _strings(graph, iri, (_TG_ABBREVIATION,)):
            by_abbreviation[abbreviation] = iri
            bucket = run_on if iri in pk_types else reported if iri in reported_types else strict
            bucket.append(_abbreviation_atoms(abbreviation))

    label_re = re.compile(
        f"{_BOUNDARY_BEFORE}(?P<t>{_trie_pattern(labels)})s?{_BOUNDARY_AFTER}", re.IGNORECASE
    )
    abbreviation_re = re.compile(
        f"{_BOUNDARY_BEFORE}(?:(?P<t>{_trie_pattern(strict)})s?{_BOUNDARY_AFTER}(?!-\\d)"
        f"|(?P<e>{_trie_pattern(reported)})s?{_BOUNDARY_AFTER}"
        f"|(?P<p>{_trie_pattern(run_on)}){_SUBSCRIPT})"
    )
    descendants = {iri: _all_below(children, iri) for iri in types}
    exempt = pk_types | {PHARMACOKINETIC, PATIENT_REPORTED} | descendants.get(PATIENT_REPORTED, frozenset())
    return _Vocabulary(
        label_re,
        abbreviation_re,
        by_label,
        frozenset(measure_only),
        frozenset(loose_keys),
        by_abbreviation,
        descendants,
        stems,
        frozenset(exempt),
    )


def endpoint_types() -> tuple[str, ...]:
    """Every endpoint type IRI in the vocabulary, sorted."""
    return tuple(sorted(_vocabulary().descendants))


def broader_types(type_iri: str) -> frozenset[str]:
    """The endpoint types ``type_iri`` is a subclass of, tg:Endpoint itself not included."""
    return frozenset(t for t, below in _vocabulary().descendants.items() if type_iri in below)


def _related(vocab: _Vocabulary, a: str, b: str) -> bool:
    """Whether one type is the other or one of its sub- or superclasses."""
    return a == b or b in vocab.descendants.get(a, ()) or a in vocab.descendants.get(b, ())


# ---------------------------------------------------------------------------------------------
# Rules 1-6: finding wordings in one field


def _normalise(text: str) -> tuple[str, list[int] | None]:
    """Text to match in, and for each of its characters the index of the original character
    (None when the two are the same string, the common ASCII case)."""
    if text.isascii():
        return text, None
    if unicodedata.is_normalized("NFKC", text):
        return text.translate(_TRANSLATE), None
    # Character by character so each output character knows where it came from (NFKC may expand one
    # character into several, e.g. "½" -> "1⁄2").
    pieces = [unicodedata.normalize("NFKC", ch) for ch in text]
    origin = [i for i, piece in enumerate(pieces) for _ in piece]
    return "".join(pieces).translate(_TRANSLATE), origin


def _original_span(origin: list[int] | None, start: int, end: int) -> tuple[int, int]:
    if origin is None:
        return start, end
    return origin[start], origin[end - 1] + 1


def _masked(text: str) -> tuple[str, list[tuple[int, int]]]:
    """The text with each parenthesised abbreviation blanked out (same length), and their spans."""
    spans = [m.span() for m in _INNER_ABBREVIATION.finditer(text)] if "(" in text else []
    if not spans:
        return text, spans
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars), spans


def _label_hits(vocab: _Vocabulary, text: str) -> Iterator[_Hit]:
    """Full names in the text, and those read through a parenthesised abbreviation (rule 2)."""
    masked, spans = _masked(text)
    windows = [(0, len(text), text)] + [(max(0, a - 80), min(len(text), b + 40), masked) for a, b in spans]
    for index, (pos, endpos, source) in enumerate(windows):
        for m in vocab.label_re.finditer(source, pos, endpos):
            if index and not (m.start() < spans[index - 1][0] and spans[index - 1][1] < m.end()):
                continue  # outside the bracket: found in the text itself
            yield from _longer_inside(vocab, source, text, m)
            hit = _label_hit(vocab, text, m)
            if hit is not None:  # None: the span includes a plural "s"
                yield hit


def _label_hit(vocab: _Vocabulary, text: str, m: re.Match[str]) -> _Hit | None:
    """The hit of a full-name match, or None when its text is no label (a plural "s" was taken)."""
    key = _label_key(m.group("t"))
    iri = vocab.by_label.get(key)
    if iri is None:
        return None
    return _Hit(
        iri,
        m.start(),
        m.end(),
        RULE_LABEL,
        text[m.start() : m.end()],
        measure_only=key in vocab.measure_only,
        loose=key in vocab.loose,
    )


def _longer_inside(vocab: _Vocabulary, source: str, text: str, outer: re.Match[str]) -> Iterator[_Hit]:
    """Full names that start at a word inside a match and end after it, which a left-to-right scan
    never sees: "rate of complete response or partial response" holds "complete response or partial
    response" (rule 6 then keeps the longest)."""
    for word in _WORD_START.finditer(source, outer.start() + 1, outer.end()):
        m = vocab.label_re.match(source, word.start())
        if m is not None and m.end() > outer.end():
            hit = _label_hit(vocab, text, m)
            if hit is not None:
                yield hit


def _raw_hits(vocab: _Vocabulary, text: str) -> Iterator[_Hit]:
    yield from _label_hits(vocab, text)
    for m in vocab.abbreviation_re.finditer(text):
        group = next(g for g in ("t", "e", "p") if m.group(g) is not None)
        iri = vocab.by_abbreviation.get(m.group(group))
        if iri is not None:  # the span includes a plural "s" or a subscript
            yield _Hit(iri, m.start(), m.end(), RULE_ABBREVIATION, m.group())
    if "FS" in text or "OS" in text:
        for m in _LANDMARK_ABBREVIATION.finditer(text):
            iri = vocab.by_abbreviation.get(m.group("a"))
            if iri is not None and _token_start(text, m.start()):
                landmark = f"P{m.group('n')}M"
                yield _Hit(iri, m.start(), m.end(), RULE_LANDMARK_ABBREVIATION, m.group(), landmark=landmark)
    if "PCR" in text:
        for m in _UPPER_PCR.finditer(text):
            yield _Hit(PATHOLOGICAL_COMPLETE_RESPONSE, m.start(), m.end(), RULE_CONTEXT, m.group())


def _token_start(text: str, index: int) -> bool:
    """Whether a token starts at ``index``: no letter, digit or hyphen before it."""
    return index == 0 or not (
        text[index - 1].isascii() and (text[index - 1].isalnum() or text[index - 1] == "-")
    )


def _longest_first(hits: Iterable[_Hit]) -> list[_Hit]:
    """Drop every hit that overlaps a longer one; the survivors in text order."""
    kept: list[_Hit] = []
    for hit in sorted(hits, key=lambda h: (h.start - h.end, h.start)):
        if all(hit.end <= k.start or hit.start >= k.end for k in kept):
            kept.append(hit)
    return sorted(kept, key=lambda h: h.start)


def _read_field(text: str) -> _Field:
    vocab = _vocabulary()
    normalised, origin = _normalise(text)
    return _Field(text, normalised, origin, _longest_first(_raw_hits(vocab, normalised)))


# ---------------------------------------------------------------------------------------------
# Rules 7-11: dropping what means something else


def _abbreviation(hit: _Hit) -> str:
    """The vocabulary abbreviation a hit matched, without a plural "s"."""
    vocab = _vocabulary()
    if hit.text in vocab.by_abbreviation or not hit.text.endswith("s"):
        return hit.text
    return hit.text[:-1]


def _vetoed(vocab: _Vocabulary, hit: _Hit, text: str, outcome_text: str) -> bool:
    """Rules 7-8; type and local vetoes look at the field, abbreviation vetoes at the whole outcome."""
    name = hit.type_iri.removeprefix(TG)
    veto = _TYPE_VETOES.get(name)
    if veto is not None and veto.search(text):
        return True
    before = _PRECEDED_BY_VETOES.get(name)
    if before is not None and before.search(text, max(0, hit.start - 30), hit.start):
        return True
    if hit.kind == RULE_LANDMARK_ABBREVIATION:
        veto = _ABBREVIATION_VETOES.get(_landmark_base(hit) or "")
        return veto is not None and veto.search(outcome_text) is not None
    if hit.kind != RULE_ABBREVIATION:
        return False
    veto = _ABBREVIATION_VETOES.get(_abbreviation(hit))
    if veto is not None and veto.search(outcome_text):
        return True
    return hit.type_iri not in vocab.compound_exempt and _compound(vocab, hit, text)


def _compound(vocab: _Vocabulary, hit: _Hit, text: str) -> bool:
    """Whether the abbreviation is hyphen-joined to another acronym: "IIEF-OS", "AE-COPD" (rule 8)."""
    for partner in (
        _ACRONYM_BEFORE.search(text, max(0, hit.start - 20), hit.start),
        _ACRONYM_AFTER.match(text[hit.end : hit.end + 20]),
    ):
        if partner is not None:
            word = partner.group(1)
            if word.upper() not in _COMPOUND_PARTNERS and word not in vocab.by_abbreviation:
                return True
    return False


def _spells(abbreviation: str, words: str, whole: bool) -> bool:
    """The Schwartz-Hearst test: the abbreviation's letters occur in order in ``words``, its first at
    the start of a word; with ``whole``, that word must be the first one."""
    letters = [c.lower() for c in abbreviation if c.isalnum()]
    text = words.lower()
    i = len(text) - 1
    for n in range(len(letters) - 1, -1, -1):
        while i >= 0 and (text[i] != letters[n] or (n == 0 and i > 0 and text[i - 1].isalnum())):
            i -= 1
        if i < 0:
            return False
        i -= 1
    start = i + 1
    return not whole or not _WORD.search(text, 0, start)


def _foreign(vocab: _Vocabulary, iri: str, words: str) -> bool:
    """Whether spelt-out words are mostly not the type's: at most half of their content words occur
    in its full names ("Overall Satisfaction" for OS; not "Time to peak manogepix concentration" for
    Tmax)."""
    stems = vocab.stems.get(iri, frozenset())
    content = [w.lower() for w in _WORD.findall(words) if w.lower() not in _NEUTRAL_WORDS]
    return bool(content) and 2 * sum(w[:5] in stems for w in content) <= len(content)


def _redefined(vocab: _Vocabulary, f: _Field) -> set[str]:
    """Abbreviations the field spells out as something other than their endpoint (rule 9)."""
    found: set[str] = set()
    if "(" not in f.normalised:
        return found
    for m in _PARENTHESIS.finditer(f.normalised):
        inner = m.group(1)
        abbreviation = inner if inner in vocab.by_abbreviation else inner[:-1] if inner.endswith("s") else ""
        if abbreviation in vocab.by_abbreviation:
            if _spelt_before(vocab, f, abbreviation, m.start()):
                found.add(abbreviation)
            continue
        token = _TOKEN_BEFORE.search(f.normalised, max(0, m.start() - 20), m.start())
        if (
            token is not None
            and token.group(1) in vocab.by_abbreviation
            and _spelt_inside(vocab, f, token.group(1), m)
        ):
            found.add(token.group(1))
    return found


def _spelt_before(vocab: _Vocabulary, f: _Field, abbreviation: str, bracket: int) -> bool:
    """ "Overall Satisfaction (OS)": the words before the bracket spell the abbreviation as something
    that is not its endpoint."""
    iri = vocab.by_abbreviation[abbreviation]
    before = f.normalised[max(0, bracket - 120) : bracket]
    clause = _CLAUSE_END.match(before)
    if clause:
        before = before[clause.end() :]
    window = bracket - len(before)
    if any(h.start >= window and h.end <= bracket and h.type_iri == iri for h in f.hits):
        return False  # "overall survival time (OS)"
    words = list(_WORD.finditer(before))[-(len(abbreviation) + 3) :]
    n = _spelt_form(abbreviation, [w.group() for w in words])
    if not n:
        return False
    spelt = " ".join(w.group() for w in words[-n:])
    return _foreign(vocab, iri, spelt) and not _names_a_type(f, window + words[-n].start(), bracket)


def _spelt_inside(vocab: _Vocabulary, f: _Field, abbreviation: str, bracket: re.Match[str]) -> bool:
    """ "OS (oxidative stress)": the bracket spells the abbreviation before it as something that is not
    its endpoint."""
    iri = vocab.by_abbreviation[abbreviation]
    if any(h.start >= bracket.start() and h.end <= bracket.end() and h.type_iri == iri for h in f.hits):
        return False
    words = " ".join(_WORD.findall(bracket.group(1))[: len(abbreviation) + 3])
    return (
        _spells(abbreviation, words, whole=True)
        and _foreign(vocab, iri, words)
        and not _names_a_type(f, bracket.start(), bracket.end())
    )


def _spelt_form(abbreviation: str, words: list[str]) -> int:
    """How many of the last ``words`` spell the abbreviation, fewest first (0: they do not)."""
    for n in range(1, len(words) + 1):
        if _spells(abbreviation, " ".join(words[-n:]), whole=True):
            return n
    return 0


def _names_a_type(f: _Field, start: int, end: int) -> bool:
    """Whether a full name of any type overlaps the span (then rule 10, not 9, applies)."""
    return any(h.kind == RULE_LABEL and h.start < end and h.end > start for h in f.hits)


def _contradictions(vocab: _Vocabulary, f: _Field) -> tuple[dict[_Hit, _Hit], set[_Hit]]:
    """Abbreviation hit -> the full-name hit of an unrelated type it stands next to (rule 10); and
    the full names that are only part of a longer spelt-out form of the abbreviation after them."""
    found: dict[_Hit, _Hit] = {}
    absorbed: set[_Hit] = set()
    text = f.normalised
    hits = f.hits
    for i, hit in enumerate(hits):
        if hit.kind != RULE_ABBREVIATION or "(" not in text:
            continue
        # "Event-free survival (PFS)": the full name ends just before the bracket
        before = hits[i - 1] if i > 0 else None
        if (
            before is not None
            and before.kind == RULE_LABEL
            and not before.loose
            and _CLOSING.match(text, hit.end)
            and _CONTRADICTION_GAP.fullmatch(text, before.end, hit.start)
            and not _related(vocab, before.type_iri, hit.type_iri)
        ):
            if _spelt_from_before(vocab, f, hit, before):
                absorbed.add(before)  # "Time to Reach Maximum ... Concentration (Tmax)" is not Cmax
            else:
                found[hit] = before
            continue
        # "PFS (event-free survival)": the full name opens the bracket
        after = hits[i + 1] if i + 1 < len(hits) else None
        if (
            after is not None
            and after.kind == RULE_LABEL
            and not after.loose
            and _CONTRADICTION_OPEN.fullmatch(text, hit.end, after.start)
            and not _related(vocab, after.type_iri, hit.type_iri)
        ):
            found[hit] = after
    return found, absorbed


def _spelt_from_before(vocab: _Vocabulary, f: _Field, hit: _Hit, label: _Hit) -> bool:
    """Whether the words before the bracket, starting before the full name, spell the abbreviation as
    its own endpoint: "Time to Reach Maximum Observed Plasma Concentration (Tmax)" holds the name of
    Cmax but is Tmax."""
    abbreviation = _abbreviation(hit)
    before = f.normalised[max(0, label.start - 60) : label.end]
    words = list(_WORD.finditer(before))
    n = _spelt_form(abbreviation, [w.group() for w in words])
    if not n or words[-n].start() >= label.start - max(0, label.start - 60):
        return False
    return not _foreign(vocab, hit.type_iri, " ".join(w.group() for w in words[-n:]))


def _defines(vocab: _Vocabulary, earlier: _Hit, later: _Hit, text: str) -> bool:
    """Whether ``later`` is named inside a definition of ``earlier`` (rule 11); a subclass of the
    defined type is a refinement, not a definition ("Safety, i.e. adverse events")."""
    if later.type_iri == earlier.type_iri or later.type_iri in vocab.descendants.get(earlier.type_iri, ()):
        return False
    gap = _DEFINING.fullmatch(text, earlier.end, later.start)
    return gap is not None and _CONJUNCTION.search(gap.group("after")) is None


def _clean(vocab: _Vocabulary, f: _Field, dropped_abbreviations: set[str], outcome_text: str) -> list[_Hit]:
    """The field's hits less those rules 5 and 7-11 drop."""
    text = f.normalised
    kept: list[_Hit] = []
    for hit in f.hits:
        if hit.kind in (RULE_ABBREVIATION, RULE_LANDMARK_ABBREVIATION) and (
            _abbreviation(hit) in dropped_abbreviations or _landmark_base(hit) in dropped_abbreviations
        ):
            continue
        if hit.kind == RULE_CONTEXT and not _pcr_is_pathological(outcome_text):
            continue
        if _vetoed(vocab, hit, text, outcome_text):
            continue
        if hit.type_iri == TIME_TO_PROGRESSION and _OR_DEATH.match(text[hit.end : hit.end + 40]):
            continue
        if (
            hit.type_iri == OBJECTIVE_RESPONSE_RATE
            and hit.kind == RULE_LABEL
            and " or " in hit.text.lower()
            and _STABLE_AFTER.match(text, hit.end)
        ):
            continue  # "complete or partial response or stable disease" is disease control, not ORR
        if (
            hit.type_iri == COMPLETE_RESPONSE_RATE
            and not hit.text.lower().rstrip("s").endswith("rate")
            and _COMPOSITE_RESPONSE.match(text[hit.end : hit.end + 40])
        ):
            continue
        if any(
            k.type_iri != hit.type_iri and hit.start - k.end <= 140 and _defines(vocab, k, hit, text)
            for k in kept
        ):
            continue
        kept.append(hit)
    return kept


def _landmark_base(hit: _Hit) -> str | None:
    if hit.kind != RULE_LANDMARK_ABBREVIATION:
        return None
    m = _LANDMARK_ABBREVIATION.match(hit.text)
    return m.group("a") if m else None


def _pcr_is_pathological(outcome_text: str) -> bool:
    return bool(_PATHOLOGY_CUE.search(outcome_text)) and not _LABORATORY_CUE.search(outcome_text)


# ---------------------------------------------------------------------------------------------
# Rules 12-13: assigning types


def _refinable(measure_types: set[str]) -> frozenset[str]:
    """Types the description may add: descendants of each broad measure type that the measure does
    not already narrow down."""
    descendants = _vocabulary().descendants
    allowed: set[str] = set()
    for iri in measure_types:
        below = descendants.get(iri, frozenset())
        if below and not below & measure_types:
            allowed |= below
    return frozenset(allowed)


def _fallback_types(description_types: set[str]) -> frozenset[str]:
    """Types a description may give an untyped measure: all it names, less pharmacokinetic
    parameters when it does not name pharmacokinetics."""
    if PHARMACOKINETIC in description_types:
        return frozenset(description_types)
    return frozenset(description_types - _vocabulary().descendants[PHARMACOKINETIC])


def _first_per_type(hits: Iterable[_Hit]) -> list[_Hit]:
    seen: set[str] = set()
    first: list[_Hit] = []
    for hit in hits:
        if hit.type_iri not in seen:
            seen.add(hit.type_iri)
            first.append(hit)
    return first


def _assignment(f: _Field, hit: _Hit, matched_in: MatchedIn, prefix: str = "") -> EndpointTypeAssignment:
    overridden = f.flags.get(hit)
    return EndpointTypeAssignment(
        hit.type_iri,
        f.span(hit),
        matched_in,
        prefix + hit.kind,
        FLAG_CONTRADICTED if overridden is not None else None,
        overridden,
    )


def type_outcome(measure: str, description: str | None) -> tuple[EndpointTypeAssignment, ...]:
    """The endpoint types of one outcome (see the module docstring for the rules).

    >>> found = type_outcome("Pharmacokinetic (PK) characteristics", "To evaluate the Cmax")
    >>> [(a.type_iri.rsplit("#", 1)[1], a.matched_text, a.matched_in, a.rule) for a in found]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('PharmacokineticEndpoint', 'Pharmacokinetic', 'measure', 'label'),
     ('MaximumConcentration', 'Cmax', 'description', 'refine:abbreviation')]
    >>> [(a.type_iri.rsplit("#", 1)[1], a.flag, a.overridden_text)
    ...  for a in type_outcome("Event-free survival (PFS)", None)]
    [('EventFreeSurvival', 'contradicted-abbreviation', 'PFS')]
    """
    return read_outcome(measure, description).types


def read_outcome(measure: str, description: str | None, time_frame: str | None = None) -> OutcomeReading:
    """The endpoint types of one outcome and the attributes its text states (module docstring).

    >>> r = read_outcome("Overall survival rate", "Kaplan-Meier estimate", "At 2 years")
    >>> r.landmarks, r.statistics
    (('P2Y',), ('landmark rate',))
    >>> read_outcome("Median PFS (investigator-assessed)", None).statistics
    ('median',)
    """
    vocab = _vocabulary()
    fields = [_read_field(measure)]
    if description:
        fields.append(_read_field(description))
    dropped: set[str] = set()
    abbreviated = any(h.kind != RULE_LABEL for f in fields for h in f.hits)
    for f in fields if abbreviated else ():
        dropped |= _redefined(vocab, f)
        contradicted, absorbed = _contradictions(vocab, f)
        f.hits = [h for h in f.hits if h not in absorbed]
        for abbreviation_hit, label_hit in contradicted.items():
            overridden = f.span(abbreviation_hit)
            dropped.add(_abbreviation(abbreviation_hit))
            f.flags.setdefault(label_hit, overridden)
    outcome_text = " ".join(f.normalised for f in fields)
    kept = [_clean(vocab, f, dropped, outcome_text) for f in fields]

    m_field, m_hits = fields[0], _first_per_type(kept[0])
    assignments = [_assignment(m_field, hit, "measure") for hit in m_hits]
    used: list[tuple[_Field, list[_Hit]]] = [(m_field, kept[0])]
    if len(fields) > 1:
        d_field = fields[1]
        d_hits = _first_per_type(h for h in kept[1] if not h.measure_only)
        measure_types = {a.type_iri for a in assignments}
        if measure_types:
            allowed, prefix = _refinable(measure_types), REFINE
        else:
            allowed, prefix = _fallback_types({h.type_iri for h in d_hits}), FALLBACK
        for hit in d_hits:
            if hit.type_iri in allowed and hit.type_iri not in measure_types:
                assignments.append(_assignment(d_field, hit, "description", prefix))
        used.append((d_field, [h for h in kept[1] if not h.measure_only]))
    types = {a.type_iri for a in assignments}
    return _attributes(vocab, tuple(assignments), types, used, time_frame, outcome_text)


# ---------------------------------------------------------------------------------------------
# Rules 14-17: attributes


def _durations(numbers: str, unit: str) -> list[str]:
    """ "1-, 2- and 3", "year" -> ["P1Y", "P2Y", "P3Y"] (via the time-frame parser's units)."""
    found: list[str] = []
    for item in _LIST_ITEM.findall(numbers):
        word = re.sub(r"[\s\-]", "-", item.lower())
        number = _NUMBER_WORDS.get(word, item)
        duration = parse_time_frame(f"{number} {unit}")
        if duration and duration not in found:
            found.append(duration)
    return found


def _landmarks_near(text: str, hit: _Hit) -> list[str]:
    if hit.landmark is not None:
        return [hit.landmark]
    found: list[str] = []
    before = _LANDMARK_BEFORE.search(text, max(0, hit.start - 50), hit.start)
    if before is not None:
        found += _durations(before.group("n"), before.group("u"))
    after = _LANDMARK_AFTER.match(text[hit.end : hit.end + 80])
    if after is not None:
        if after.group("n") is not None:
            found += _durations(after.group("n"), after.group("u"))
        else:
            found += _durations(after.group("n2"), after.group("u2"))
    return found


def _median_near(text: str, hit: _Hit) -> bool:
    return bool(
        (hit.kind == RULE_ABBREVIATION and _MEDIAN_ABBREVIATION.match(hit.text))
        or _MEDIAN_BEFORE.search(text, max(0, hit.start - 40), hit.start)
        or _MEDIAN_AFTER.match(text[hit.end : hit.end + 30])
    )


def _time_point(time_frame: str | None) -> str | None:
    if not time_frame:
        return None
    m = _TIME_POINT.match(_normalise(time_frame)[0])
    if m is None:
        return None
    if m.group("n") is not None:
        durations = _durations(m.group("n"), m.group("u"))
    else:
        durations = _durations(m.group("n2"), m.group("u2"))
    return durations[0] if durations else None


def _attributes(
    vocab: _Vocabulary,
    assignments: tuple[EndpointTypeAssignment, ...],
    types: set[str],
    fields: list[tuple[_Field, list[_Hit]]],
    time_frame: str | None,
    outcome_text: str,
) -> OutcomeReading:
    time_to_event = vocab.descendants.get(TIME_TO_EVENT, frozenset()) | {TIME_TO_EVENT}
    tumour = time_to_event | vocab.descendants.get(RESPONSE, frozenset()) | {RESPONSE}
    landmarks: list[str] = []
    statistics: list[str] = []
    rate_in_measure = False
    for index, (f, hits) in enumerate(fields):
        text = f.normalised
        for hit in hits:
            if hit.type_iri not in types or hit.type_iri not in time_to_event:
                continue
            for landmark in _landmarks_near(text, hit):
                if landmark not in landmarks:
                    landmarks.append(landmark)
            if _median_near(text, hit) and STATISTIC_MEDIAN not in statistics:
                statistics.append(STATISTIC_MEDIAN)
            if index == 0 and (
                _RATE_AFTER.match(text[hit.end : hit.end + 25])
                or _RATE_BEFORE.search(text, max(0, hit.start - 30), hit.start)
            ):
                rate_in_measure = True
    if not landmarks and rate_in_measure:
        point = _time_point(time_frame)
        if point is not None:
            landmarks.append(point)
    if landmarks:
        statistics.append(STATISTIC_LANDMARK)
    assessors: list[str] = []
    criteria: list[str] = []
    lower = outcome_text.lower()
    assess = bool(types & tumour) and any(cue in lower for cue in _ASSESSOR_CUES)
    judge = any(cue in lower for cue in _CRITERIA_CUES)
    for f, _ in fields if assess or judge else ():
        text = f.normalised
        if assess:
            if _INVESTIGATOR.search(text) and ASSESSOR_INVESTIGATOR not in assessors:
                assessors.append(ASSESSOR_INVESTIGATOR)
            if _INDEPENDENT.search(text) and ASSESSOR_INDEPENDENT not in assessors:
                assessors.append(ASSESSOR_INDEPENDENT)
        if judge:
            for name in _criteria(text):
                if name not in criteria:
                    criteria.append(name)
    if any(c.startswith("RECIST ") for c in criteria) and "RECIST" in criteria:
        criteria.remove("RECIST")
    return OutcomeReading(assignments, tuple(landmarks), tuple(statistics), tuple(assessors), tuple(criteria))


def _criteria(text: str) -> list[str]:
    found: list[tuple[int, str]] = []
    for m in _RECIST.finditer(text):
        prefix = (m.group("pre") or "").strip().lower()
        if prefix:
            name = _RECIST_PREFIX["modified" if prefix.startswith("modified") else "immune"]
            if prefix.startswith("immune") and "related" in prefix:
                name = "irRECIST"
        else:
            name = f"RECIST {m.group('v')}" if m.group("v") else "RECIST"
        found.append((m.start(), name))
    for pattern, name in _CRITERIA:
        other = pattern.search(text)
        if other is not None:
            found.append((other.start(), name))
    return [name for _, name in sorted(found)]
