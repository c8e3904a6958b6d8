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
2b. **Misspellings**: in a full name, one key word may be misspelt the ways an explicit table lists
   (``_MISSPELLINGS``: "reponse", "respone", "responce"; "progession", "progresion", "progresison";
   "survivial", "surival", "survial"; "safty", "saftey"; "advers"): "Objective reponse rate" is an
   objective response rate (rule ``misspelling``). Nothing else is guessed: no edit distance, no loose
   substrings.
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
   Control" is no disease control; the complete response of an antiemetic outcome (emesis, vomiting,
   nausea) is no complete response rate and a response of graft-versus-host disease no objective
   response rate (``_ABBREVIATION_VETOES``, ``_TYPE_VETOES``, ``_PRECEDED_BY_VETOES``).
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
   dropped). Two cases where the abbreviation wins, unflagged: a tg:measureOnlyLabel wording, the
   loosest, before it ("Overall response (OS)" is overall survival), and a full name that a name of the
   abbreviation's type extends ("Progression-free survival (PFS2)" is second progression-free survival).
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
   how it was made: ``label``, ``misspelling``, ``abbreviation``, ``landmark-abbreviation`` or
   ``abbreviation-in-context``, prefixed by ``fallback:`` or ``refine:`` when it came from the
   description; or one of the rules 18-20 below (always from the measure).

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

**The trial's context and safety outcomes** (``read_outcome(..., context)``: a TrialContext says whether
the trial is in the tg:Cancer condition group, what its conditions are and its title; without one, rules
18-22 use only the outcome's text). Rules 19-22 follow the gold set's AE rules A1-A10
(tests/gold/LABELLING.md).

18. **Response wordings that are objective response rates.** A response wording in the measure that no
   full name covers: *strong* ones name a rate or the best response ("response rate", "rate of
   response", "overall response", "best (overall) response", "tumour response"), *weak* ones only
   "response" or "remission (rate)". It is an objective response rate
   - in any trial when the outcome names tumour response criteria (RECIST and its variants, irRC, RANO,
     IMWG, PERCIST, LYRIC, EASL, iwCLL, Lugano, Cheson, Choi; not PCWG or GCIG, whose responses may be
     PSA or CA-125 responses): rule ``response with tumour criteria`` ("Response rate per RECIST 1.1");
   - in an oncology trial, for a strong wording, or a weak one whose measure has a tumour cue
     ("lesion", "tumour", "CR+PR", "shrink"...), unless the measure or description names another kind
     of response (pain, PSA, CA-125, emesis, cosmesis, platelets, haemoglobin, transfusion,
     haematological, cytogenetic or molecular response, MRD, antibodies, vaccine, GVHD, spleen,
     symptoms, a questionnaire): rule ``oncology-context response`` ("Early response rate").
   Never when the words just before it in the same phrase qualify it as another response ("pain",
   "PSA", "haematological", "cytogenetic", "molecular", "metabolic", "pathological", "complete",
   "partial", "major", "immune", "antibody", ...: "Haemoglobin response rate"; a complete response is a
   complete response rate by its name or nothing), when it is what a time or duration runs to ("time
   to best response"), when the measure is about a covariate of response ("predictors of response",
   "biomarkers", "correlation"), or when an abbreviation of another endpoint follows it ("Disease of
   Response (DOR)"). Haematological, cytogenetic and molecular responses of leukaemias are not
   objective response rates (the overall response rate of lymphoma, myeloma and leukaemia trials, CR +
   PR by Lugano, IMWG or iwCLL, is). "Tumour response" of an oncology trial is an objective response
   rate rather than the broad response type, unless its description refines it (rule 12).
19. **Graded toxicities**: a CTCAE-style grade threshold or range in the measure ("grade ≥3 anaemia",
   "grade 3 or 4", "grade 2 or higher", "G3+", "grade III/IV") with what it grades is an adverse event
   (rule ``graded toxicity``) in an oncology trial, or in any trial whose outcome names CTCAE; not in a
   measure with a time-to-event or response type. Not a tumour, pathology, Gleason, GVHD or erection
   grade, nor a grade of tumours or of patients.
20. **Other harms without a safety name**: safety assessments said to be abnormal or clinically
   significant ("clinically significant changes in laboratory parameters", "abnormal ECG parameters"),
   or two kinds of them listed together ("vital signs, laboratory variables, ECG"): rule
   ``safety assessment``; a harm the treatment, a procedure or the immune therapy caused
   ("treatment-related hypogonadism", "radiation-induced lung injury", "immune-related colitis"), not a
   response, a quality of life, a mutation, a problem or a risk factor, and not negated ("without
   procedure-related MI"): rule ``treatment-related harm``. Deaths after a procedure or within a
   safety window after the last dose, at most 100 days out and not as an event of survival
   ("Proportion of patients that died after surgical intervention", 30 days): rule ``treatment-related
   death``. Nausea and vomiting in an oncology trial or after a procedure, and the antiemetic "complete
   response / protection / control" (then never a tumour complete response): rule
   ``chemotherapy-induced emesis``. Named harms are vocabulary wordings (skos:hiddenLabel of
   tg:AdverseEvents): named toxicities (GVHD, CINV, CIPN), reactogenicity, serious infections,
   complications of procedures (reoperation, revision surgery, surgical site infection, intraoperative
   hypotension), treatment-related, postoperative and non-relapse deaths, dose modifications and
   radiotherapy interruptions, CTCAE. A dose-finding measure (DLT, MTD, RP2D) takes "safety",
   "tolerability" or adverse events from its description when they are reported besides it
   ("Dose-limiting toxicity (DLT), safety"), not when they are its purpose, basis or definition ("based
   on safety", "DLT was any of the following adverse events").
21. **Safety words that name no harm of the treatment** are dropped. Loose wordings (hidden and
   measure-only labels): "time toxicity"; a harm a disease causes ("diabetic peripheral neuropathy",
   "immune thrombocytopenia"); a specific harm that is one of the trial's conditions ("peripheral
   neuropathy" in a trial of chemotherapy-induced peripheral neuropathy: an efficacy outcome; generic
   ones, "complications", "toxicity", stay harms when a condition names them) or a harm of a whole
   condition ("complications of infective endocarditis"), except, in an oncology trial, a toxicity
   counted as events arising during the trial ("incidence of peripheral neuropathy" in a trial
   preventing it); a harm the measure relieves or responds to ("relief of chemotherapy-associated
   peripheral neuropathy", "response rate of acute GVHD"; a harm the measure prevents is still counted
   as that harm); a toxicity listed with the efficacy events of an efficacy endpoint ("time to treatment
   failure (progression, toxicity or death)"); a composite free of the harm ("GVHD-free survival"), the
   care of a harm ("oral mucositis care"), experiences of it, health-care use for it ("ICU stay for
   complications"), AEs that meet the DLT criteria (the DLT count) and a reoperation for positive
   margins (a planned re-excision). In a description:
   any safety wording negated ("without complications"), given as a reason ("for any reason (e.g.
   adverse events)"), a generic "efficacy and safety", or a population or period ("safety population",
   "Safety Follow-Up"); bare "complications" with no treatment or procedure they follow from
   ("diabetes-related ocular complications").

22. **Studies of harms**: in a study whose title says it is a safety study ("post-marketing safety",
   "safety surveillance") or about the risk of a named harm with a treatment ("the Risk of Serious
   Infections and Malignancies With Deucravacitinib"), an outcome counting events ("Incidence of
   herpes zoster") is an adverse event (rule ``event of a harm study``).

   *What counts as adverse events / safety*: any outcome whose measured quantity is harm caused by the
   intervention: adverse events, toxicities, complications of treatment or procedure, safety
   laboratory, vital-sign and ECG abnormalities, dose modifications for toxicity, treatment-related and
   postoperative deaths. Not efficacy events (death in overall survival, relapse), not disease symptoms
   measured as efficacy (the neuropathy a trial treats or prevents), not quality-of-life scales.

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

import bisect
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache, cached_property
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
RULE_MISSPELLING = "misspelling"
RULE_ONCOLOGY_RESPONSE = "oncology-context response"
RULE_CRITERIA_RESPONSE = "response with tumour criteria"
RULE_GRADED_TOXICITY = "graded toxicity"
RULE_SAFETY_ASSESSMENT = "safety assessment"
RULE_TREATMENT_HARM = "treatment-related harm"
RULE_TREATMENT_DEATH = "treatment-related death"
RULE_EMESIS = "chemotherapy-induced emesis"
RULE_HARM_STUDY_EVENT = "event of a harm study"
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
SAFETY = TG + "SafetyEndpoint"
ADVERSE_EVENTS = TG + "AdverseEvents"
#: dose-finding types: a description may add safety to them (the DLT count is not all the harm reported)
_DOSE_FINDING = frozenset(
    TG + name for name in ("DoseLimitingToxicity", "MaximumToleratedDose", "RecommendedPhase2Dose")
)

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
_ALNUM = re.compile(r"[a-z0-9]+")
# Match an ASCII letter case-insensitively but do not lower-case to it: İ, ı (i) and ſ (s).
_CASE_EXCEPTIONS = frozenset("\u0130\u0131\u017f")
_SPACE_OR_HYPHEN = " \t\n\r\f\v-"
_ASCII_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
_FIRST_TOKEN = re.compile(r"[\s\-]*([A-Za-z0-9]+)")

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
    # the complete response of antiemetic trials (no emesis, no rescue) and the response of GVHD
    "CompleteResponseRate": re.compile(r"emesis|vomiting|nausea|\bC?INV\b|\bPONV\b", re.IGNORECASE),
    "ObjectiveResponseRate": re.compile(r"\bGVHD\b|graft[\s\-]*versus[\s\-]*host", re.IGNORECASE),
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

# ---------------------------------------------------------------------------------------------
# Rule 2b: misspelt key words, read as the word in every full name that holds it (one misspelt word
# per wording). Only misspellings registrations were seen to use, never a looser rule.
_MISSPELLINGS: dict[str, tuple[str, ...]] = {
    "response": ("reponse", "respone", "responce"),
    "progression": ("progession", "progresion", "progresison"),
    "survival": ("survivial", "surival", "survial"),
    "safety": ("safty", "saftey"),
    "adverse": ("advers",),
}
_MISSPELT_WORD = re.compile(r"\b(?:" + "|".join(_MISSPELLINGS) + r")\b")

# ---------------------------------------------------------------------------------------------
# Rule 18: a response wording that is an objective response rate by its trial or its criteria.

_RESPONSE_WORD = r"(?:response|reponse|respone|responce)s?"
# Strong wordings name a response *rate* (or the best overall response); weak ones only "response",
# or remission, and need a tumour cue. "response" before evaluation/assessment/criteria is a name.
_RESPONSE_WORDING = re.compile(
    rf"\b(?:(?P<strong>best\s+(?:overall\s+)?{_RESPONSE_WORD}|overall\s+{_RESPONSE_WORD}|"
    rf"tumou?r\s+{_RESPONSE_WORD}|{_RESPONSE_WORD}(?:\s*\([^()]{{1,12}}\))?[\s\-]+rates?|"
    rf"rates?\s+of\s+(?:the\s+)?(?:overall\s+|tumou?r\s+)?{_RESPONSE_WORD})|"
    rf"(?P<weak>{_RESPONSE_WORD}|(?:overall\s+)?remission(?:\s+rates?)?|rates?\s+of\s+remission))"
    r"(?![A-Za-z0-9])(?![\s\-]+(?:evaluation|assessment|criteria))",
    re.IGNORECASE,
)
# Words before the response wording (same phrase) that make it another response than the tumour's.
_NON_TUMOUR_QUALIFIER = re.compile(
    r"\b(?:pain|psa|ca[\s\-]?125|ca[\s\-]?19[\s\-]?9|cea|biochemical|serolog\w*|sero|virolog\w*|viral|"
    r"immune(?![\s\-]*related)|immunolog\w*|antibody|humoral|cellular|t[\s\-]?cell|ha?ematolog\w*|"
    r"cytogenetic|molecular|metabolic|patholog\w*|histolog\w*|histopatholog\w*|complete|partial|major|"
    r"minor|near|good|marker|biomarker|hormonal|endocrine|glyc\w*|platelet|erythroid|neutrophil|"
    r"ha?emoglobin|transfusion|vaccine|inflammatory|stress|physiological|dose|exposure|cosmetic|mrd|ctdna|"
    r"symptom\w*|emesis|antiemetic|nausea|vomiting|functional|behaviou?ral|cognitive|psychological|"
    r"ventilatory|ha?emodynamic|cardiac|renal|hepatic|pulmonary|organ|bronchodilator|gvhd|graft|spleen|"
    r"splenic|fever|steroid|insulin|glucose|cortisol|hormone|neural|evoked|auditory|pupil\w*|motor|"
    r"patients?|participants?|subjects?|partners?)\b",
    re.IGNORECASE,
)
# Between the response wording and what it is of: "response rate of pain", "remission of anaemia".
_AFTER_RESPONSE = re.compile(
    r"\s*(?:\([^()]{0,12}\)\s*)?(?:rates?\s+)?(?:of|in|to|for|on)\s+(?:the\s+)?", re.I
)
_QUALIFIER_BREAK = re.compile(
    r"[^A-Za-z0-9\s\-]|\b(?:of|in|to|with|for|by|at|on|and|or|after|per|from|as)\b", re.I
)
# The response is a duration's start or a covariate, not the endpoint: "time to best response",
# "predictors of response", "microbiome of responders".
_RESPONSE_NOT_ENDPOINT = re.compile(
    r"\b(?:time|duration|durability|depth|onset|maintenance|loss|kinetics|speed)\s+(?:of|to|until)\b[^,;:.]{0,40}$",
    re.IGNORECASE,
)
_RESPONSE_COVARIATE = re.compile(
    r"\b(?:biomarkers?|markers?|indicators?|predict\w*|correlat\w*|associat\w*|signatures?|microbiome|radiomic\w*)\b",
    re.IGNORECASE,
)
_PERSON = re.compile(r"patients?|participants?|subjects?|partners?", re.IGNORECASE)
_SHORT_BRACKETS = re.compile(r"\([^()]{0,12}\)")
# Named tumour response criteria (not PCWG or GCIG: their responses may be PSA or CA-125 responses).
_TUMOUR_CRITERIA = re.compile(
    r"(?-i:\b(?:i|ir|m)?RECIST\b|\birRC\b|\bRANO\b|\bIMWG\b|\bPERCIST\b|\bLYRIC\b|\bEASL\b)|"
    r"\biwCLL\b|\bLugano\b|\bCheson\b|\bChoi\s+criteria|response\s+evaluation\s+criteria\s+in\s+solid|"
    r"immune[\s\-]*related\s+response\s+criteria|international\s+myeloma\s+working\s+group|"
    r"response\s+assessment\s+in\s+neuro[\s\-]*oncology",
    re.IGNORECASE,
)
# Lower-case words one of which every _TUMOUR_CRITERIA match holds.
_TUMOUR_CRITERIA_CUES = (
    "recist", "irrc", "rano", "imwg", "percist", "lyric", "easl", "iwcll", "lugano", "cheson", "choi",
    "criteria", "working group", "neuro",
)  # fmt: skip
# A response of something else than the tumour, anywhere in the outcome.
_NON_TUMOUR_CUE = re.compile(
    r"\bpain\b|\bPSA\b|prostate[\s\-]specific\s+antigen|\bCA[\s\-]?125\b|emesis|vomiting|nausea|antiemetic|"
    r"cosmes\w*|cosmetic|platelet|ha?emoglobin|transfusion|ha?ematolog\w*\s+(?:response|improvement|remission)|"
    r"cytogenetic|molecular\s+(?:response|remission)|\bMRD\b|antibod|serolog|seroconver|virolog|viral\s+load|"
    r"vaccin|immunogenicity|questionnaire|\bGVHD\b|graft[\s\-]*versus|spleen|symptom\w*\s+(?:response|"
    r"improvement|relief|score)|quality\s+of\s+life",
    re.IGNORECASE,
)
# What makes a weak wording ("Treatment response", "Remission rate") a tumour response.
_TUMOUR_CUE = re.compile(
    r"tumou?r|lesion|shrink|measurable|objective|\bCR\s*(?:\+|or|and|/|,)\s*PR\b|partial\s+(?:response|remission)|"
    r"radiolog|radiograph|disappear",
    re.IGNORECASE,
)

# ---------------------------------------------------------------------------------------------
# Rules 19-21: safety wordings that are not names (graded toxicities, abnormal safety assessments,
# harms caused by the treatment), and the rules that keep a safety wording from typing an efficacy
# outcome.

_GRADE_NUMBER = r"(?:[1-5]|I{1,3}|IV|V)(?![A-Za-z0-9])"
# "grade ≥3", "grade 3 or higher", "grade 3-4", "grade 3/4", "grades 3 and 4", "≥ grade 3", "G3+", "G2-4"
_GRADED = re.compile(
    rf"(?:(?:≥|>=|=>|>|at\s+least)\s*(?:CTCAE\s+)?grades?\s*{_GRADE_NUMBER}|"
    rf"(?:≥|>=|=>|>)\s*(?-i:G[1-5])(?![A-Za-z0-9])|"
    rf"\b(?:CTCAE\s+)?grades?\s*(?:(?:≥|>=|=>|>)\s*{_GRADE_NUMBER}|{_GRADE_NUMBER}\s*(?:\+|(?:-|to|or|and|/|,)"
    rf"\s*(?:grades?\s*)?{_GRADE_NUMBER}|\(?\s*(?:or|and)\s+(?:higher|greater|above|more|worse|over|beyond)\b))|"
    r"(?-i:\bG[1-5])(?:\s*\+|\s*(?:-|/)\s*[1-5](?![A-Za-z0-9])))"
    # the graded thing: up to three words before a preposition or punctuation
    r"(?:\s+(?!(?:in|during|of|at|after|within|by|per|from|for|with|and|or|according|as|rate|rates)\b)"
    r"[A-Za-z][\w\-]*){0,3}",
    re.IGNORECASE,
)
# Grades that are not toxicity grades: tumour, pathology, erection and GVHD grades, or a graded tumour.
_GRADE_NOT_TOXICITY_BEFORE = re.compile(
    r"(?:tumou?r|regression|histolog\w*|patholog\w*|gleason|isup|who|nuclear|fuhrman|differentiat\w*|erection|"
    r"hardness|rigidity|gvhd|graft[\s\-]*versus[\s\-]*host|hydronephrosis|reflux|varice\w*|ha?emorrhoid\w*|"
    r"prolapse|encephalopathy|cin|intraepithelial|neoplasia|[hl]sil)\W+(?:\w+\W+){0,2}$",
    re.IGNORECASE,
)
_GRADE_NOT_TOXICITY_AFTER = re.compile(
    r"\b(?:tumou?rs?|lesions?|cancers?|carcinomas?|lymphomas?|follicular|gliomas?|astrocytomas?|meningiomas?|"
    r"neoplasms?|sarcomas?|neuroendocrine|dysplasia|adenomas?|disease|patients?|participants?|subjects?|"
    r"gvhd|graft|erections?)\b",
    re.IGNORECASE,
)
# The outcome grades by CTCAE: graded harms count in any trial, not only in oncology.
_CTCAE = re.compile(
    r"\bCTCAE\b|\bNCI[\s\-]*CTC\b|common\s+(?:terminology|toxicity)\s+criteria", re.IGNORECASE
)

# Safety assessments named abnormal or clinically significant ("clinically significant changes in
# laboratory parameters", "abnormal ECG parameters"), or two kinds of them listed together ("vital signs,
# laboratory variables, ECG").
_SAFETY_TEST = (
    r"(?:(?:clinical\s+|safety\s+|standard\s+)?(?:laborator(?:y|ies)|lab)\b|(?:ha?ematolog|biochem)\w*|"
    r"blood\s+chemistr\w*|vital[\s\-]+signs?|ECGs?\b|EKGs?\b|(?:12[\s\-]*lead\s+)?electrocardiogra\w*|"
    r"physical\s+exam\w*|ophthalm\w*\s+(?:exam\w*|assessments?)|neurolog\w*\s+exam\w*)"
)
_ABNORMAL_SAFETY_TEST = re.compile(
    rf"\b(?:abnormal(?:ity|ities)?|clinically\s+(?:significant|relevant|meaningful|important)|"
    rf"significant\s+(?:changes?|abnormalit(?:y|ies)|findings?)\s+(?:in|of|on))\s+"
    # not "clinically significant improvement in laboratory values"
    rf"(?:(?!improv|normali|respon|remission|benefit)[\w\-]+\s+){{0,3}}?"
    rf"{_SAFETY_TEST}|\b{_SAFETY_TEST}\s+(?:[\w\-]+\s+)?abnormalit(?:y|ies)",
    re.IGNORECASE,
)
_SAFETY_TEST_KINDS = re.compile(
    r"(?P<vital>vital[\s\-]+signs?)|(?P<lab>\blaborator(?:y|ies)|\blab\s+(?:tests?|values?|parameters?))|"
    r"(?P<ecg>\bECGs?\b|\bEKGs?\b|electrocardiogra\w*)|(?P<exam>physical\s+exam\w*)",
    re.IGNORECASE,
)
# "Incidence of treatment-related hypogonadism", "radiation-induced lung injury", "immune-related colitis"
_TREATMENT_HARM = re.compile(
    r"\b(?:treatment|therapy|drug|medication|chemotherapy|chemo|radiotherapy|radiation|RT|CRT|chemoradiotherapy|"
    r"chemoradiation|immunotherapy|immune|surgery|surgical|procedure|procedural|device|vaccine|vaccination|"
    r"infusion|injection|intervention|operation|an(?:a)?esthesia|implant|study[\s\-]+(?:drug|treatment|"
    r"medication|intervention|product))[\s\-]+(?:related|induced|associated|attributable|mediated)\s+"
    r"(?P<harm>[A-Za-z][\w\-]*(?:\s+(?:and\s+|or\s+|&\s+)?(?!(?:in|during|of|at|after|within|by|per|from|for|"
    r"with|among|as)\b)[A-Za-z][\w\-]*){0,3})",
    re.IGNORECASE,
)
_NOT_A_HARM = re.compile(
    r"\b(?:problem|risk|mutation|resistan|variant|response|remission|survival|benefit|improvement|change|"
    r"quality|qol\b|cost|financial|satisfaction|outcome|efficacy|control|adherence|compliance|time\b|visit|"
    r"knowledge|decision|regret|burden|distress|anxiety|fear|symptom|factor|parameter|variable|biomarker|"
    r"marker|genes?\b|antibod|ada\b|immunogenicity|infiltrat|t[\s\-]?cell|lymphocyte|cytokine|expression|"
    r"signature|feature|microbiome|relief|analgesia|reduction|effect|hospital|admission|resource|"
    r"utili[sz]ation|experience|perception|immune\s+response|antitumou?r|tumou?r)",
    re.IGNORECASE,
)
# The outcome measures the relief of a harm already there ("response rate of acute GVHD"): an
# efficacy outcome. Preventing a harm is not such a framing: the harm still arises during the trial
# and is counted as that harm ("incidence of chemotherapy-induced nausea", "to prevent
# chemotherapy-associated peripheral neuropathy").
_RELIEF_FRAMING = re.compile(
    r"\b(?:alleviat\w*|relie\w*|ameliorat\w*|improv\w*|recover\w*|resolution|reversal|control\s+of|"
    r"management\s+of|treatment\s+of|reduc\w*\s+(?:the\s+)?(?:severity|duration)|respon\w*\s+(?:rates?\s+)?(?:of|in))\b",
    re.IGNORECASE,
)
# A harm counted as events arising during the trial ("incidence of peripheral neuropathy"): a harm even
# when it is the condition the trial prevents.
_COUNTED_BEFORE = re.compile(
    r"\b(?:incidence|occurr?ence|occurance|rates?|number|proportion|percentage|frequency|risk|development|"
    r"(?:new[\s\-]+)?onset|emergence)\s+of\s+"
    r"(?:(?:no|any|the|new|[\w\-]+[\s\-]+(?:induced|related|associated))\s+)*$",
    re.IGNORECASE,
)
# What makes a safety wording name no harm, after it or before it: "GVHD-free survival" (an efficacy
# composite), "oral mucositis care" (the care), "reoperation for positive margins" (a planned
# re-excision), "AEs meeting DLT criteria" (the DLT count), "ICU stay for complications", "patient
# experiences with radiation dermatitis".
_NO_HARM_AFTER = re.compile(
    r"[\s\-]*free\b|\s+(?:care|nursing|management)\b|"
    r"\s*\)?\s*(?:\([^()]{0,12}\)\s*)?(?:meeting|that\s+meet|which\s+meet|qualif\w+\s+as|considered\s+(?:as\s+)?)"
    r"[^.;]{0,40}?\b(?:DLTs?|dose[\s\-]*limiting)\b",
    re.IGNORECASE,
)
# A reoperation for positive margins is a planned re-excision (an efficacy outcome of the resection).
_REOPERATION = ("reoperation", "re-operation", "re operation", "revision")
_MARGINS = re.compile(r"\b(?:positive|involved|close|inadequate)\s+(?:[\w\-]+\s+)?margins?\b", re.IGNORECASE)
# A description's safety wording given as a purpose, a basis or a definition of a dose-finding measure
# ("to evaluate the safety", "based on safety", "defined using CTCAE", "DLT was any of the following
# treatment-related adverse events"): not safety reported besides it.
_PURPOSE_OR_BASIS = re.compile(
    r"\b(?:to\s+(?:[\w\-]+\s+)?(?:evaluate|assess|determine|observe|establish|explore|investigate|"
    r"characteri[sz]e|study|examine|measure|describe)|based\s+on|basis|consideration|defined?|using|per|"
    r"according\s+to|graded|by|includ\w*|following|(?:was|were|is|are)\s+(?:any|an?|the|one)\b)\b",
    re.IGNORECASE,
)
_NO_HARM_BEFORE = re.compile(
    r"\b(?:(?:length\s+of\s+)?stay|admissions?|readmissions?|re-admissions?|hospitali[sz]ations?|transfusions?)\b"
    r"[^.;:]{0,60}\bfor\s+(?:[\w\-]+\s+){0,2}$|\bexperiences?\s+(?:with|of)\s+(?:[\w\-]+\s+){0,3}$",
    re.IGNORECASE,
)
# A disease, not a treatment, causes it: "diabetic peripheral neuropathy", "immune thrombocytopenia".
_DISEASE_QUALIFIER = re.compile(
    r"\b(?:diabetic|diabetes[\s\-]related|disease[\s\-]related|cancer[\s\-]related|tumou?r[\s\-]related|"
    r"immune|autoimmune|idiopathic|hereditary|inherited|congenital|familial|alcoholic)[\s\-]+$",
    re.IGNORECASE,
)
# What a harm is "of" or "-related" to: "complications of infective endocarditis", "portal
# hypertension-related complications" (then compared with the trial's conditions).
_HARM_OF = re.compile(r"\s+of\s+(?:the\s+)?((?:[A-Za-z][\w\-]*\s*){1,3})")
_HARM_RELATED_TO = re.compile(
    r"((?:[A-Za-z][\w]*\s+){0,2}[A-Za-z][\w]*)[\s\-]+(?:related|associated|induced)\s+$"
)
# In a description: a safety wording that is negated, one of a list of reasons, part of a generic
# "efficacy and safety", or the name of a population or a period.
_NEGATED_BEFORE = re.compile(
    r"\b(?:no|not|without|absence\s+of|absent|free\s+of|never|nor|none)\b[^.;:!?]{0,50}$", re.IGNORECASE
)
_REASON_BEFORE = re.compile(
    r"\b(?:reasons?|causes?\s+(?:of|for|such\s+as|including)|due\s+to|because\s+of|caused\s+by|secondary\s+to|"
    r"resulting\s+from)\b(?:[^.;:!?]|\.(?!\s+[A-Z])){0,50}$",  # "e.g." does not end the sentence
    re.IGNORECASE,
)
_GENERIC_SAFETY_BEFORE = re.compile(
    r"(?:efficacy|effectiveness|efficiency)\s*,?\s*(?:and|and/or|or|&)\s*(?:the\s+)?$", re.IGNORECASE
)
_GENERIC_SAFETY_AFTER = re.compile(
    r"\s*,?\s*(?:and|and/or|or|&)\s*(?:the\s+)?(?:efficacy|effectiveness)|\s*(?:population|set|analysis\s+set|"
    r"follow[\s\-]*up|visit|period|monitoring|committee|board)\b",
    re.IGNORECASE,
)
# Qualifiers that name a procedure or treatment, not a disease: "surgery-related complications" stay
# harms even in a trial whose condition is the surgery.
_PROCEDURE = re.compile(
    r"surg|operat|procedur|ectom|otom|plast|transplant|implant|an(?:a)?esth|catheter|stent|dialysis|intubat|"
    r"biops|radiother|chemother|therap|treatment|inject|infusion|device|drug|medication|vaccin",
    re.IGNORECASE,
)
_GRADE_CUES = ("grade", "g1", "g2", "g3", "g4", "g5")
_SAFETY_TEST_CUES = (
    "abnormal", "significant", "vital", "laborator", "lab ", "ecg", "ekg", "electrocardiogra",
)  # fmt: skip
_HARM_CUES = ("related", "induced", "associated", "attributable", "mediated")
# Words of harms too generic to be a trial's condition of study ("Postoperative Complications" as a
# condition does not make the trial's complications an efficacy outcome).
_GENERIC_HARM_WORDS = frozenset(
    {"toxicity", "toxicitie", "complication", "side", "effect", "postoperative", "surgical", "operative"}
    | {"perioperative", "treatment", "related", "death", "mortality", "reaction", "delay", "dose"}
    | {"reduction", "interruption", "modification", "cycle", "serious", "abnormalitie"}
    | {"abnormality"}
)
_COMPLICATION_WORDS = frozenset({"complication"})
# Rule 20: deaths after a procedure or within a safety window after the last dose ("Proportion of
# patients that died after surgical intervention", "Number of participants who died" from first dose
# through 100 days after the last one), at most 100 days out: later deaths are survival.
_DEATH = re.compile(r"\b(?:died|deaths?|mortality|dead)\b", re.IGNORECASE)
_SAFETY_WINDOW = re.compile(
    r"\b(?:after|following|within\s+\d+\s+days\s+(?:of|after))\s+(?:the\s+|an?\s+|index\s+)?"
    r"(?:surg\w*|operat\w*|procedures?|resections?|\w+ectomy|last\s+dose|(?:discontinuation|end)\s+of\s+"
    r"(?:study\s+)?treatment)\b|\b(?:post|peri)[\s\-]?operative(?:ly)?\b",
    re.IGNORECASE,
)
_DAYS = re.compile(r"\b(\d{1,4})[\s\-]*days?\b", re.IGNORECASE)
_LONGER_THAN_DAYS = re.compile(r"\b\d+(?:\.\d+)?[\s\-]*(?:months?|years?|weeks?)\b", re.IGNORECASE)
# Rule 20: nausea and vomiting of an oncology trial or after a procedure, and the antiemetic "complete
# response / protection / control" (no emesis, no rescue), which is never a tumour complete response.
_EMESIS = re.compile(r"\b(?:nausea|vomiting|emesis|retching)\b", re.IGNORECASE)
_EMESIS_CUE = re.compile(
    r"\b(?:nausea|vomiting|emesis|emetic|anti[\s\-]?emetics?|retching)\b|"
    r"\b(?:acute|delayed|overall)(?:\s*,?\s*(?:and\s+|or\s+)?(?:acute|delayed|overall))+\s+phases?\b",
    re.IGNORECASE,
)
# Rule 22: studies of the harms of an exposure, and the events they count.
_SAFETY_STUDY = re.compile(
    r"\bsafety\s+(?:study|surveillance|registry)|\bpost[\s\-]?(?:marketing|authori[sz]ation)\s+safety|"
    r"\bpharmacovigilance\b",
    re.IGNORECASE,
)
_RISK_OF_HARM = re.compile(
    r"\brisks?\s+of\s+(?P<harm>[^.;:()]{3,80}?)\s+(?:with|after|following|associated\s+with|in\s+users\s+of)\b",
    re.IGNORECASE,
)
_EVENT_COUNT = re.compile(
    r"^\s*(?:the\s+)?(?:cumulative\s+)?(?:(?:incidence(?:\s+rates?)?|occurr?ence|number\s+of\s+(?:events|cases))"
    r"\s+of|(?:number|proportion|percentage)\s+of\s+(?:participants|patients|subjects)\s+with)\b",
    re.IGNORECASE,
)
_ANTIEMETIC_RESPONSE = re.compile(r"\bcomplete\s+(?:response|protection|control)\b", re.IGNORECASE)
# Efficacy events listed with a toxicity ("time to treatment failure (progression, toxicity or death)").
_EFFICACY_EVENT = re.compile(r"\b(?:progress\w*|death|died|relapse\w*|recurren\w*)\b", re.IGNORECASE)
# Not harms of a treatment: "time toxicity" (time spent on care), "economic toxicity".
_NOT_TREATMENT_TOXICITY = re.compile(r"\b(?:time|economic)[\s\-]+$", re.IGNORECASE)


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


@dataclass(frozen=True)
class TrialContext:
    """What the converter knows of the trial an outcome belongs to (rules 18-22).

    ``oncology``: the trial is in the tg:Cancer condition group (True), is not (False), or nobody said
    (None). ``conditions``: the trial's conditions as registered. ``title``: its brief title.
    """

    oncology: bool | None = None
    conditions: tuple[str, ...] = ()
    title: str = ""

    @cached_property
    def harm_study(self) -> bool:
        """Whether the title says the study is about harms of an exposure (rule 22): a safety study
        ("post-marketing safety study", "safety surveillance") or the risk of a named harm with a
        treatment ("the Risk of Serious Infections and Malignancies With Deucravacitinib")."""
        if _SAFETY_STUDY.search(self.title):
            return True
        risk = _RISK_OF_HARM.search(self.title)
        return risk is not None and any(
            a.type_iri in _SAFETY_TYPES for a in type_outcome(risk.group("harm"), None)
        )

    @cached_property
    def condition_words(self) -> tuple[frozenset[str], ...]:
        """Each condition's content words, lower-cased, without a plural "s"."""
        found = (_content_words(_WORD.findall(_normalise(c)[0])) for c in self.conditions)
        return tuple(words for words in found if words)


def _plain(word: str) -> str:
    """Lower-cased, without a plural "s" ("infections"; not "serious", "stenosis", "loss")."""
    word = word.lower()
    return (
        word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")) else word
    )


def _content_words(words: Iterable[str]) -> frozenset[str]:
    return frozenset(_plain(w) for w in words if w.lower() not in _NEUTRAL_WORDS)


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
    misspelt: bool = False  # a full name with a misspelt word (rule 2b)


@dataclass(frozen=True)
class _Vocabulary:
    label_re: re.Pattern[str]
    # the same, case-sensitive, for lower-cased ASCII text: about three times faster
    label_lower_re: re.Pattern[str]
    abbreviation_re: re.Pattern[str]
    by_label: dict[str, str]  # label key (see _label_key) -> type IRI
    measure_only: frozenset[str]  # label keys of tg:measureOnlyLabel wordings
    loose: frozenset[str]  # label keys of skos:hiddenLabel and tg:measureOnlyLabel wordings
    misspelt: frozenset[str]  # label keys of full names with a misspelt word (rule 2b)
    # first three letters of the words of full names that another word follows / that follow another:
    # a name can run through a bracket only between such words
    continued: frozenset[str]
    continuing: frozenset[str]
    by_abbreviation: dict[str, str]
    descendants: dict[str, frozenset[str]]  # type IRI -> all its subclasses in the vocabulary
    time_to_event: frozenset[str]  # tg:TimeToEventEndpoint and its subclasses
    efficacy: frozenset[str]  # time-to-event and response types
    # (a, b): a full name of type b extends one of type a ("progression-free survival 2")
    name_extends: frozenset[tuple[str, str]]
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


def _misspelt_variants(label: str) -> list[str]:
    """The label with one of its key words misspelt, each way rule 2b reads."""
    lower = label.lower()
    return [
        lower[: m.start()] + wrong + lower[m.end() :]
        for m in _MISSPELT_WORD.finditer(lower)
        for wrong in _MISSPELLINGS[m.group()]
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
    misspelt: set[str] = set()
    continued: set[str] = set()
    continuing: set[str] = set()
    for iri in types:
        names = _strings(graph, iri, _LABEL_PROPERTIES)
        loose = _strings(graph, iri, (_TG_MEASURE_ONLY,))
        hidden = {_label_key(label) for label in loose + _strings(graph, iri, (SKOS.hiddenLabel,))}
        only = {_label_key(label) for label in loose}
        for label in names + loose:
            key = _label_key(label)
            by_label[key] = iri
            labels.append(_label_atoms(label))
            words = _ALNUM.findall(label.lower())
            continued.update(w[:3] for w in words[:-1])
            continuing.update(w[:3] for w in words[1:])
            for variant in _misspelt_variants(label):
                variant_key = _label_key(variant)
                if variant_key not in by_label:
                    by_label[variant_key] = iri
                    labels.append(_label_atoms(variant))
                    misspelt.add(variant_key)
                    if key in hidden:
                        hidden.add(variant_key)
                    if key in only:
                        only.add(variant_key)
        measure_only.update(only)
        loose_keys.update(hidden)
        stems[iri] = _stems(names + loose)
        for abbreviation in _strings(graph, iri, (_TG_ABBREVIATION,)):
            by_abbreviation[abbreviation] = iri
            bucket = run_on if iri in pk_types else reported if iri in reported_types else strict
            bucket.append(_abbreviation_atoms(abbreviation))

    label_body = f"{_BOUNDARY_BEFORE}(?P<t>{_trie_pattern(labels)})s?{_BOUNDARY_AFTER}"
    label_re = re.compile(label_body, re.IGNORECASE)
    label_lower_re = re.compile(label_body)
    abbreviation_re = re.compile(
        f"{_BOUNDARY_BEFORE}(?:(?P<t>{_trie_pattern(strict)})s?{_BOUNDARY_AFTER}(?!-\\d)"
        f"|(?P<e>{_trie_pattern(reported)})s?{_BOUNDARY_AFTER}"
        f"|(?P<p>{_trie_pattern(run_on)}){_SUBSCRIPT})"
    )
    descendants = {iri: _all_below(children, iri) for iri in types}
    exempt = pk_types | {PHARMACOKINETIC, PATIENT_REPORTED} | descendants.get(PATIENT_REPORTED, frozenset())
    return _Vocabulary(
        label_re,
        label_lower_re,
        abbreviation_re,
        by_label,
        frozenset(measure_only),
        frozenset(loose_keys),
        frozenset(misspelt),
        frozenset(continued),
        frozenset(continuing),
        by_abbreviation,
        descendants,
        descendants.get(TIME_TO_EVENT, frozenset()) | {TIME_TO_EVENT},
        descendants.get(TIME_TO_EVENT, frozenset())
        | descendants.get(RESPONSE, frozenset())
        | {TIME_TO_EVENT, RESPONSE},
        _name_extensions(by_label, frozenset(misspelt)),
        stems,
        frozenset(exempt),
    )


def _name_extensions(by_label: dict[str, str], misspelt: frozenset[str]) -> frozenset[tuple[str, str]]:
    keys: dict[str, set[str]] = {}
    for key, iri in by_label.items():
        if key not in misspelt:
            keys.setdefault(iri, set()).add(key)
    return frozenset(
        (a, b)
        for a, names in keys.items()
        for b, longer in keys.items()
        if a != b and any(y.startswith(x) for x in names for y in longer)
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


def _masked(text: str, spans: list[tuple[int, int]]) -> str:
    """The text with each parenthesised abbreviation blanked out (same length)."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def _label_hits(vocab: _Vocabulary, text: str) -> Iterator[_Hit]:
    """Full names in the text, and those read through a parenthesised abbreviation (rule 2)."""
    regex, source_text = _label_regex(vocab, text)
    windows = [(0, len(text), source_text)]
    all_spans = [m.span() for m in _INNER_ABBREVIATION.finditer(source_text)] if "(" in text else []
    spans = [(a, b) for a, b in all_spans if _may_run_through(vocab, source_text, a, b)]
    if spans:
        masked = _masked(source_text, all_spans)
        windows += [(max(0, a - 80), min(len(text), b + 40), masked) for a, b in spans]
    for index, (pos, endpos, source) in enumerate(windows):
        for m in regex.finditer(source, pos, endpos):
            if index and not (m.start() < spans[index - 1][0] and spans[index - 1][1] < m.end()):
                continue  # outside the bracket: found in the text itself
            yield from _longer_inside(vocab, regex, source, text, m)
            hit = _label_hit(vocab, text, m)
            if hit is not None:  # None: the span includes a plural "s"
                yield hit


def _label_regex(vocab: _Vocabulary, text: str) -> tuple[re.Pattern[str], str]:
    """The text lower-cased and the case-sensitive label regex (the same matches, about twice as fast
    as the case-insensitive one), unless lower-casing changes the text's length or the text holds one
    of the three characters that match an ASCII letter case-insensitively without lower-casing to it."""
    lower = text.lower()
    if text.isascii() or (len(lower) == len(text) and not _CASE_EXCEPTIONS.intersection(text)):
        return vocab.label_lower_re, lower
    return vocab.label_re, text


def _may_run_through(vocab: _Vocabulary, text: str, start: int, end: int) -> bool:
    """Whether a full name could run through the bracket ``text[start:end]``: the words either side
    could be inside one name. A necessary condition, so only such brackets' windows are read again."""
    before = text[max(0, start - 40) : start].rstrip(_SPACE_OR_HYPHEN)
    word_before = before[len(before.rstrip(_ASCII_ALNUM)) :].lower()
    after = _FIRST_TOKEN.match(text, end)
    if not word_before or after is None:
        return True  # not a word either side: no conclusion
    word_after = after.group(1).lower()
    return (len(word_before) < 3 or word_before[:3] in vocab.continued) and (
        len(word_after) < 3 or word_after[:3] in vocab.continuing
    )


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
        misspelt=key in vocab.misspelt,
    )


def _longer_inside(
    vocab: _Vocabulary, regex: re.Pattern[str], source: str, text: str, outer: re.Match[str]
) -> Iterator[_Hit]:
    """Full names that start at a word inside a match and end after it, which a left-to-right scan
    never sees: "rate of complete response or partial response" holds "complete response or partial
    response" (rule 6 then keeps the longest)."""
    for word in _WORD_START.finditer(source, outer.start() + 1, outer.end()):
        m = regex.match(source, word.start())
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
    """Drop every hit that overlaps a longer one; the survivors in text order.

    Hits are matches, never empty. The kept ones are disjoint, so in order of start their ends rise
    too: a new hit can only overlap the kept hit that starts last before it ends. One bisection per
    hit, where comparing with every kept hit took minutes on a 100,000-character description
    (fuzzing found it).
    """
    hits = list(hits)
    if len(hits) < 2:
        return hits  # most fields: nothing to sort
    kept: list[_Hit] = []  # in order of start
    starts: list[int] = []
    for hit in sorted(hits, key=lambda h: (h.start - h.end, h.start)):
        before = bisect.bisect_left(starts, hit.end) - 1  # the last kept hit starting before hit.end
        if before >= 0 and kept[before].end > hit.start:
            continue
        at = bisect.bisect_left(starts, hit.start)
        starts.insert(at, hit.start)
        kept.insert(at, hit)
    return kept


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


def _vetoed(vocab: _Vocabulary, hit: _Hit, text: str, outcome_text: str, searched: _Searched) -> bool:
    """Rules 7-8; type and local vetoes look at the field, abbreviation vetoes at the whole outcome.
    ``searched`` keeps what each whole-text veto found in this field (one search per veto, not per
    hit: a field with thousands of hits is read once)."""
    name = hit.type_iri.removeprefix(TG)
    veto = _TYPE_VETOES.get(name)
    if veto is not None and _found(searched, veto, text):
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
    if veto is not None and _found(searched, veto, outcome_text):
        return True
    return hit.type_iri not in vocab.compound_exempt and _compound(vocab, hit, text)


#: what a pattern found in a text, kept while one field is cleaned
_Searched = dict[tuple[re.Pattern[str], str], bool]


def _found(searched: _Searched, pattern: re.Pattern[str], text: str) -> bool:
    """Whether ``pattern.search(text)`` finds something, searched once per pattern and text."""
    found = searched.get((pattern, text))
    if found is None:
        found = searched[pattern, text] = pattern.search(text) is not None
    return found


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
    if any(h.end <= bracket and h.type_iri == iri for h in _starting_within(f.hits, window, bracket)):
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
            and before.measure_only
            and _CLOSING.match(text, hit.end)
            and _CONTRADICTION_GAP.fullmatch(text, before.end, hit.start)
            and not _related(vocab, before.type_iri, hit.type_iri)
        ):
            absorbed.add(before)  # "Overall response (OS)": a measure-only wording yields
            continue
        if (
            before is not None
            and before.kind == RULE_LABEL
            and not before.loose
            and _CLOSING.match(text, hit.end)
            and _CONTRADICTION_GAP.fullmatch(text, before.end, hit.start)
            and not _related(vocab, before.type_iri, hit.type_iri)
        ):
            if (before.type_iri, hit.type_iri) in vocab.name_extends:
                absorbed.add(before)  # "Progression-free survival (PFS2)": the abbreviation is more precise
            elif _spelt_from_before(vocab, f, hit, before):
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
            if (after.type_iri, hit.type_iri) in vocab.name_extends:
                absorbed.add(after)  # "PFS2 (progression-free survival)"
            else:
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


def _clean(
    vocab: _Vocabulary,
    f: _Field,
    dropped_abbreviations: set[str],
    outcome_text: str,
    in_description: bool = False,
    context: TrialContext | None = None,
) -> list[_Hit]:
    """The field's hits less those rules 5, 7-11 and 21 drop."""
    text = f.normalised
    kept: list[_Hit] = []
    searched: _Searched = {}
    for hit in f.hits:
        if hit.type_iri in _SAFETY_TYPES and _safety_vetoed(
            vocab, f, hit, in_description, outcome_text, context
        ):
            continue
        if hit.kind in (RULE_ABBREVIATION, RULE_LANDMARK_ABBREVIATION) and (
            _abbreviation(hit) in dropped_abbreviations or _landmark_base(hit) in dropped_abbreviations
        ):
            continue
        if hit.kind == RULE_CONTEXT and not _pcr_is_pathological(outcome_text):
            continue
        if _vetoed(vocab, hit, text, outcome_text, searched):
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
        if hit.type_iri == COMPLETE_RESPONSE_RATE and _EMESIS_CUE.search(outcome_text):
            continue  # the antiemetic complete response: no emesis (rule 20)
        if (
            hit.type_iri == COMPLETE_RESPONSE_RATE
            and not hit.text.lower().rstrip("s").endswith("rate")
            and _COMPOSITE_RESPONSE.match(text[hit.end : hit.end + 40])
        ):
            continue
        if any(
            k.type_iri != hit.type_iri and _defines(vocab, k, hit, text)
            for k in _ending_after(kept, hit.start - 140)
        ):
            continue
        kept.append(hit)
    return kept


def _starting_within(hits: list[_Hit], start: int, end: int) -> Iterator[_Hit]:
    """The hits (in text order) that start in ``[start, end)``, found by bisection."""
    for index in range(bisect.bisect_left(hits, start, key=lambda h: h.start), len(hits)):
        if hits[index].start >= end:
            return
        yield hits[index]


def _ending_after(hits: list[_Hit], position: int) -> Iterator[_Hit]:
    """The hits (disjoint, in text order: their ends rise) that end at or after ``position``, last
    first; read back from the end, so a field with thousands of hits is not read once per hit."""
    for hit in reversed(hits):
        if hit.end < position:
            return
        yield hit


_SAFETY_TYPES = frozenset({SAFETY, ADVERSE_EVENTS})


def _safety_vetoed(
    vocab: _Vocabulary,
    f: _Field,
    hit: _Hit,
    in_description: bool,
    outcome_text: str,
    context: TrialContext | None,
) -> bool:
    """Rule 21: a safety wording that does not name harm the treatment caused."""
    text = f.normalised
    before = text[max(0, hit.start - 60) : hit.start]
    if _NO_HARM_AFTER.match(text, hit.end) or _NO_HARM_BEFORE.search(_clause_before(text, hit.start)):
        return True  # "GVHD-free survival", "AEs meeting DLT criteria", "ICU stay for complications"
    if hit.text.lower().startswith(_REOPERATION) and _MARGINS.search(outcome_text):
        return True  # "reoperation because of positive margins": a planned re-excision
    if hit.loose:
        if _NOT_TREATMENT_TOXICITY.search(before) and hit.text.lower().startswith("toxicit"):
            return True  # "time toxicity"
        if _DISEASE_QUALIFIER.search(before):
            return True  # "diabetic peripheral neuropathy", "immune thrombocytopenia"
        if _treated_condition(text, hit.start, hit.end, context):
            return True  # the trial's own condition, not counted as events: an efficacy outcome
        if not in_description and _RELIEF_FRAMING.search(_clause_before(text, hit.start)):
            return True  # "Relief of chemotherapy-induced peripheral neuropathy"
        if _listed_with_efficacy_events(vocab, f, hit):
            return True  # "time to treatment failure (progression, toxicity or death)"
    if not in_description:
        return False
    clause = _clause_before(text, hit.start)
    if _NEGATED_BEFORE.search(clause) or _REASON_BEFORE.search(before):
        return True  # "without major adverse events", "for any reason (e.g. adverse events)"
    if _content_words(_WORD.findall(hit.text)) <= _COMPLICATION_WORDS and not _PROCEDURE.search(
        clause + text[hit.end : hit.end + 50]
    ):
        return True  # "diabetes-related ocular complications": no treatment they follow from
    if hit.type_iri == SAFETY and hit.text.lower() == "safety":
        return bool(_GENERIC_SAFETY_BEFORE.search(before) or _GENERIC_SAFETY_AFTER.match(text, hit.end))
    return False


def _clause_before(text: str, index: int) -> str:
    """The text before ``index`` back to the start of its clause (at most 80 characters)."""
    window = text[max(0, index - 80) : index]
    cut = max(window.rfind(c) for c in ",;:.()")
    return window[cut + 1 :]


def _treated_condition(text: str, start: int, end: int, context: TrialContext | None) -> bool:
    """Whether the harm at ``text[start:end]`` is a condition the trial studies, and not, in an oncology
    trial, a toxicity of cancer treatment counted as events arising during the trial ("incidence of
    peripheral neuropathy" in a trial preventing it is a harm; a neuropathy score in one treating it is
    not)."""
    if context is None:
        return False
    if context.oncology is True and _COUNTED_BEFORE.search(_clause_before(text, start)):
        return False
    return _names_a_condition(text, start, end, context)


def _names_a_condition(text: str, start: int, end: int, context: TrialContext) -> bool:
    """Whether the harm at ``text[start:end]`` is a condition the trial studies: a specific harm all of
    whose words are one condition's ("peripheral neuropathy" in a trial of chemotherapy-induced
    peripheral neuropathy; not "complications" in one of postoperative complications: those may still
    be harms of the treatment), or a harm "of" or "related to" a whole condition ("complications of
    infective endocarditis", "portal hypertension-related complications")."""
    conditions = context.condition_words
    if not conditions:
        return False
    specific = _content_words(_WORD.findall(text[start:end])) - _GENERIC_HARM_WORDS
    if specific and any(specific <= words for words in conditions):
        return True
    for qualifier in (
        _HARM_OF.match(text, end),
        _HARM_RELATED_TO.search(text, max(0, start - 40), start),
    ):
        if qualifier is not None and not _PROCEDURE.search(qualifier.group(1)):
            named = _content_words(_WORD.findall(qualifier.group(1)))
            if any(words <= named for words in conditions):
                return True
    return False


def _listed_with_efficacy_events(vocab: _Vocabulary, f: _Field, hit: _Hit) -> bool:
    """A loose safety wording listed among the efficacy events of an efficacy endpoint in the same
    field: "time to treatment failure (progression, toxicity or death)"."""
    if not any(h.type_iri in vocab.efficacy for h in f.hits):
        return False
    text = f.normalised
    for m in _EFFICACY_EVENT.finditer(text, max(0, hit.start - 60), min(len(text), hit.end + 60)):
        if not any(h.start <= m.start() < h.end for h in f.hits):
            return True
    return False


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


def _reported_safety(f: _Field, hit: _Hit) -> bool:
    """Whether a description's safety wording reports safety besides a dose-finding measure (DLT, MTD,
    RP2D): "Dose-limiting toxicity (DLT), safety" does; a loose wording ("toxicity", "CTCAE"), or one
    given as the purpose, basis or definition ("to evaluate the safety", "based on safety", "defined as
    adverse events") does not."""
    return not hit.loose and not _PURPOSE_OR_BASIS.search(_clause_before(f.normalised, hit.start))


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
        prefix + (RULE_MISSPELLING if hit.misspelt else hit.kind),
        FLAG_CONTRADICTED if overridden is not None else None,
        overridden,
    )


def type_outcome(
    measure: str, description: str | None, context: TrialContext | None = None
) -> tuple[EndpointTypeAssignment, ...]:
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
    return read_outcome(measure, description, None, context).types


def read_outcome(
    measure: str, description: str | None, time_frame: str | None = None, context: TrialContext | None = None
) -> OutcomeReading:
    """The endpoint types of one outcome and the attributes its text states (module docstring).

    >>> r = read_outcome("Overall survival rate", "Kaplan-Meier estimate", "At 2 years")
    >>> r.landmarks, r.statistics
    (('P2Y',), ('landmark rate',))
    >>> read_outcome("Median PFS (investigator-assessed)", None).statistics
    ('median',)
    >>> nsclc = TrialContext(oncology=True, conditions=("Non-small Cell Lung Cancer",))
    >>> [(a.type_iri.rsplit("#", 1)[1], a.rule) for a in type_outcome("Response rate", None, nsclc)]
    [('ObjectiveResponseRate', 'oncology-context response')]
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
    kept = [_clean(vocab, f, dropped, outcome_text, index > 0, context) for index, f in enumerate(fields)]

    m_field, m_hits = fields[0], _first_per_type(kept[0])
    assignments = [_assignment(m_field, hit, "measure") for hit in m_hits]
    upgrade = _add_context_rules(
        vocab, assignments, m_field, kept[0], fields[1:], outcome_text, time_frame, context
    )
    used: list[tuple[_Field, list[_Hit]]] = [(m_field, kept[0])]
    if len(fields) > 1:
        d_field = fields[1]
        d_hits = _first_per_type(h for h in kept[1] if not h.measure_only)
        measure_types = {a.type_iri for a in assignments}
        if measure_types:
            allowed, prefix = _refinable(measure_types), REFINE
            if measure_types <= _DOSE_FINDING:
                allowed = allowed | _SAFETY_TYPES
                d_hits = [
                    h for h in d_hits if h.type_iri not in _SAFETY_TYPES or _reported_safety(d_field, h)
                ]
        else:
            allowed, prefix = _fallback_types({h.type_iri for h in d_hits}), FALLBACK
        for hit in d_hits:
            if hit.type_iri in allowed and hit.type_iri not in measure_types:
                assignments.append(_assignment(d_field, hit, "description", prefix))
        used.append((d_field, [h for h in kept[1] if not h.measure_only]))
    if upgrade is not None and not any(a.type_iri in vocab.descendants[RESPONSE] for a in assignments):
        # "Tumour response" of an oncology trial that no description refines: objective response rate
        assignments = [upgrade if a.type_iri == RESPONSE else a for a in assignments]
    types = {a.type_iri for a in assignments}
    return _attributes(vocab, tuple(assignments), types, used, time_frame, outcome_text)


# ---------------------------------------------------------------------------------------------
# Rules 18-20: typings of the measure from its trial and its wording


def _add_context_rules(
    vocab: _Vocabulary,
    assignments: list[EndpointTypeAssignment],
    f: _Field,
    hits: list[_Hit],
    descriptions: list[_Field],
    outcome_text: str,
    time_frame: str | None,
    context: TrialContext | None,
) -> EndpointTypeAssignment | None:
    """Rules 18-20, for a measure that its full names and abbreviations leave without the type. Returns
    the objective response rate that replaces the broad response type of "tumour response" once the
    description has had its chance to refine it (rule 12)."""
    types = {a.type_iri for a in assignments}
    upgrade = None
    if OBJECTIVE_RESPONSE_RATE not in types:
        found = _objective_response(vocab, f, descriptions, context)
        if found is not None:
            start, end, rule = found
            assignment = _span_assignment(f, OBJECTIVE_RESPONSE_RATE, start, end, rule)
            if any(h.type_iri == RESPONSE and h.start < end and start < h.end for h in hits):
                upgrade = assignment
            else:
                assignments.append(assignment)
    if not types & _SAFETY_TYPES:
        harm = _safety_wording(vocab, f, hits, outcome_text, context) or _other_harms(
            vocab, f, hits, outcome_text, time_frame, context
        )
        if harm is not None:
            assignments.append(_span_assignment(f, ADVERSE_EVENTS, *harm))
    return upgrade


def _span_assignment(f: _Field, type_iri: str, start: int, end: int, rule: str) -> EndpointTypeAssignment:
    first, last = _original_span(f.origin, start, end)
    return EndpointTypeAssignment(type_iri, f.text[first:last], "measure", rule)


def _objective_response(
    vocab: _Vocabulary, f: _Field, descriptions: list[_Field], context: TrialContext | None
) -> tuple[int, int, str] | None:
    """Rule 18: the span and rule of a response wording in the measure that is an objective response
    rate, if any."""
    text = f.normalised
    lower = text.lower()
    if "respon" not in lower and "repon" not in lower and "remission" not in lower:
        return None
    everything = " ".join([text, *(d.normalised for d in descriptions)])
    criteria = (
        _has_any(everything.lower(), _TUMOUR_CRITERIA_CUES)
        and _TUMOUR_CRITERIA.search(everything) is not None
    )
    oncology = context is not None and context.oncology is True
    if not (oncology or criteria) or _RESPONSE_COVARIATE.search(text):
        return None
    for m in _RESPONSE_WORDING.finditer(text):
        start, end = m.span()
        if any(h.start < end and start < h.end and h.type_iri != RESPONSE for h in f.hits):
            continue  # part of another name: "duration of response", "complete response rate"
        if _other_response(vocab, text, start, end):
            continue
        if criteria:
            return start, end, RULE_CRITERIA_RESPONSE
        if _NON_TUMOUR_CUE.search(everything):
            return None
        if m.group("strong") or _TUMOUR_CUE.search(text):
            return start, end, RULE_ONCOLOGY_RESPONSE
    return None


def _other_response(vocab: _Vocabulary, text: str, start: int, end: int) -> bool:
    """Whether the response wording at ``text[start:end]`` is qualified as another response than the
    tumour's ("pain response rate", "response rate of PSA", "time to best response") or abbreviated as
    another endpoint ("Disease of Response (DOR)")."""
    before = _SHORT_BRACKETS.sub(lambda b: " " * len(b.group()), text[max(0, start - 60) : start])
    if _RESPONSE_NOT_ENDPOINT.search(before):
        return True
    cut = 0
    for stop in _QUALIFIER_BREAK.finditer(before):
        cut = stop.end()
    if _NON_TUMOUR_QUALIFIER.search(before, cut):
        return True
    after = _AFTER_RESPONSE.match(text, end)
    if after is not None:
        qualifier = _NON_TUMOUR_QUALIFIER.match(text, after.end())
        if qualifier is not None and not _PERSON.fullmatch(qualifier.group()):
            return True
    bracket = _PARENTHESIS.match(text, end + len(text[end:]) - len(text[end:].lstrip()))
    abbreviation = vocab.by_abbreviation.get(bracket.group(1)) if bracket is not None else None
    return abbreviation is not None and abbreviation != OBJECTIVE_RESPONSE_RATE


def _safety_wording(
    vocab: _Vocabulary, f: _Field, hits: list[_Hit], outcome_text: str, context: TrialContext | None
) -> tuple[int, int, str] | None:
    """Rules 19-20: the span and rule of a harm the measure names without a safety name, if any."""
    text = f.normalised
    lower = text.lower()
    if _has_any(lower, _GRADE_CUES) and not any(h.type_iri in vocab.efficacy for h in hits):
        oncology = context is not None and context.oncology is True
        for grade in _GRADED.finditer(text) if oncology or _CTCAE.search(outcome_text) else ():
            start, end = grade.span()
            if (
                not _GRADE_NOT_TOXICITY_BEFORE.search(text, max(0, start - 40), start)
                and not _GRADE_NOT_TOXICITY_AFTER.search(grade.group())
                and not _RELIEF_FRAMING.search(_clause_before(text, start))
                and not _treated_condition(text, start, end, context)
            ):
                return start, end, RULE_GRADED_TOXICITY
    if _has_any(lower, _SAFETY_TEST_CUES):
        m = _ABNORMAL_SAFETY_TEST.search(text)
        if m is not None:
            return m.start(), m.end(), RULE_SAFETY_ASSESSMENT
        kinds = [k.lastgroup for k in _SAFETY_TEST_KINDS.finditer(text)]
        if len(set(kinds)) >= 2:
            return 0, len(text), RULE_SAFETY_ASSESSMENT
    if _has_any(lower, _HARM_CUES):
        for m in _TREATMENT_HARM.finditer(text):
            harm_start = m.start("harm")
            if (
                not _NOT_A_HARM.search(m.group("harm"))
                and not _NEGATED_BEFORE.search(_clause_before(text, m.start()))
                and not any(h.start < m.end() and harm_start < h.end for h in hits)
                and not _RELIEF_FRAMING.search(_clause_before(text, m.start()))
                and not _treated_condition(text, harm_start, m.end(), context)
            ):
                return m.start(), m.end(), RULE_TREATMENT_HARM
    return None


def _other_harms(
    vocab: _Vocabulary,
    f: _Field,
    hits: list[_Hit],
    outcome_text: str,
    time_frame: str | None,
    context: TrialContext | None,
) -> tuple[int, int, str] | None:
    """Rules 20 and 22: the span and rule of a treatment-related death, an event counted by a study of
    harms, or chemotherapy-induced emesis, that the measure names without a safety name, if any."""
    text = f.normalised
    if any(h.type_iri in vocab.efficacy for h in hits):
        return None  # death as an event of survival
    death = _DEATH.search(text)
    if death is not None:
        window = f"{outcome_text} {time_frame or ''}"
        days = [int(d) for d in _DAYS.findall(window)]
        if (
            _SAFETY_WINDOW.search(window)
            and not _LONGER_THAN_DAYS.search(window)
            and all(d <= 100 for d in days)
        ):
            return death.start(), death.end(), RULE_TREATMENT_DEATH
    if not hits and context is not None and context.harm_study and _EVENT_COUNT.match(text):
        return 0, len(text), RULE_HARM_STUDY_EVENT
    oncology = context is not None and context.oncology is True
    antiemetic = _ANTIEMETIC_RESPONSE.search(text)
    if antiemetic is not None and _EMESIS_CUE.search(outcome_text):
        return antiemetic.start(), antiemetic.end(), RULE_EMESIS
    emesis = _EMESIS.search(text)
    if (
        emesis is not None
        and not hits  # not a scale's nausea item ("QLQ-C30 nausea and vomiting")
        and (oncology or _PROCEDURE.search(outcome_text))
        and not _RELIEF_FRAMING.search(_clause_before(text, emesis.start()))
        and not _treated_condition(text, emesis.start(), emesis.end(), context)
    ):
        return emesis.start(), emesis.end(), RULE_EMESIS
    return None


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
    time_to_event, tumour = vocab.time_to_event, vocab.efficacy
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
    assess = bool(types & tumour) and _has_any(lower, _ASSESSOR_CUES)
    judge = _has_any(lower, _CRITERIA_CUES)
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


def _has_any(text: str, cues: Iterable[str]) -> bool:
    """Whether any cue is a substring of the text (a plain loop: faster than any() over a generator)."""
    for cue in cues:  # noqa: SIM110 - the loop is the faster form on the hot path
        if cue in text:
            return True
    return False


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
