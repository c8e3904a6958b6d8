"""MeSH identifiers as ClinicalTrials.gov gives them, made canonical.

Some registry exports zero-pad old 7-character MeSH ids to 10 characters ("D000012140" for
"Respiratory Tract Diseases", D012140). NLM kept the format of ids created before it moved to 10
characters in 2013-14, and new ids continue the same counter ("If D009710 is the last descriptor UI
... the next descriptor UI would be D000009711": NLM Technical Bulletin 2013 Mar-Apr (391), "MeSH
Unique Identifiers: Length Expanding to Ten Characters"). So a padded id whose number was already
in use in the 7-character era is written back in 7 characters. The last such number is not
published; the limits below are the highest numbers ClinicalTrials.gov itself writes in 7
characters in the real records of tests/data (descriptor D065609, supplementary concept C584390).
A padded id above a limit stays as given (docs/decisions/0006-mesh-identifiers.md).
"""

from __future__ import annotations

import re
from typing import Final

MESH: Final = "http://id.nlm.nih.gov/mesh/"

#: the highest numbers seen in 7-character form, per record type (D descriptor, C supplementary)
_SEVEN_CHARACTER_LIMIT: Final = {"D": 65609, "C": 584390}
_ID: Final = re.compile(r"^([DC])([0-9]{6}|[0-9]{9})$")


def canonical_mesh_id(raw: str) -> str | None:
    """The canonical MeSH id, or None for something that is not a D or C id.

    >>> canonical_mesh_id("D000012140"), canonical_mesh_id("D012140"), canonical_mesh_id("D000077594")
    ('D012140', 'D012140', 'D000077594')
    >>> canonical_mesh_id("C000105254"), canonical_mesh_id("M10217")
    ('C105254', None)
    """
    match = _ID.match(raw.strip())
    if match is None:
        return None
    kind, digits = match.groups()
    if len(digits) == 9 and digits.startswith("000") and int(digits) <= _SEVEN_CHARACTER_LIMIT[kind]:
        return kind + digits[3:]
    return kind + digits


def mesh_iri(mesh_id: str) -> str:
    return MESH + mesh_id
