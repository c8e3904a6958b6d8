"""Conditions: one canonical node per condition, the source wording kept next to it.

The canonical form is deliberately conservative (docs/decisions/0004-condition-canonical-form.md):
NFKC, white space collapsed, lower case, and the node label is its slug with spaces (so two
wordings that meet in one IRI never give it two labels); disease-status qualifiers that describe the
participants rather than the disease (advanced, metastatic, recurrent, refractory, relapsed, unresectable,
locally advanced) are dropped when they stand at the start or the end; the plural of the head noun
of common oncology names is made singular (tumors -> tumor, cancers -> cancer, neoplasms ->
neoplasm). So "Advanced Solid Tumors" and "Solid Tumor" meet in one node, while "Breast Cancer" and
"Soft Tissue Sarcoma" stay distinct. Mapping to MeSH comes from the registry's own data (a later
step), never from guessing here.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from trialgraph.namespaces import CONDITION
from trialgraph.text import collapse_whitespace, slugify

_QUALIFIERS = (
    "locally advanced",
    "advanced",
    "metastatic",
    "recurrent",
    "refractory",
    "relapsed",
    "unresectable",
)
_QUALIFIER = "|".join(re.escape(q) for q in _QUALIFIERS)
_LEADING = re.compile(rf"^(?:(?:{_QUALIFIER})(?:\s*(?:,|or|and|/)\s*|\s+))+")
_TRAILING = re.compile(rf"(?:(?:\s*(?:,|or|and|/)\s*|\s+)(?:{_QUALIFIER}))+$")
_PLURAL_HEADS = re.compile(r"\b(tumou?r|cancer|neoplasm|carcinoma|sarcoma|lymphoma|malignancie)s\b")


@dataclass(frozen=True)
class ConditionNorm:
    iri: str
    #: derived from the IRI alone, so every trial states the same label for a shared node
    label: str
    source_text: str


def canonical_condition_label(text: str) -> str:
    """
    >>> canonical_condition_label("Advanced Solid Tumors")
    'solid tumor'
    >>> canonical_condition_label("Breast Cancer Recurrent")
    'breast cancer'
    >>> canonical_condition_label("Malignant Ascites")
    'malignant ascites'
    """
    label = collapse_whitespace(unicodedata.normalize("NFKC", text)).lower().strip(" .;,")
    stripped = _TRAILING.sub("", _LEADING.sub("", label)).strip(" ,")
    label = stripped or label  # a name that is only a qualifier stays as written
    label = _PLURAL_HEADS.sub(lambda m: "malignancy" if m.group(1) == "malignancie" else m.group(1), label)
    return label


def normalise_condition(text: str) -> ConditionNorm | None:
    """The canonical node for one condition as written; None for an empty entry."""
    source = text.strip()
    if not source:
        return None
    canonical = canonical_condition_label(source)
    slug = slugify(canonical)
    if not slug:  # a script slugify cannot fold to ASCII: keep a stable id and the canonical text
        slug = "u-" + "-".join(f"{ord(c):x}" for c in canonical if not c.isspace())
        return ConditionNorm(CONDITION + slug, canonical, source)
    # "Non-Small Cell" and "Non Small Cell" share a slug, so the label comes from the slug.
    return ConditionNorm(CONDITION + slug, slug.replace("-", " "), source)
