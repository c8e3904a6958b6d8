"""The project's IRIs, decided once (docs/decisions/0001-namespaces.md)."""

from __future__ import annotations

BASE = "https://w3id.org/trialgraph/"
#: ontology terms: classes, properties, phase individuals, endpoint types, drug classes
TG = BASE + "ontology#"
#: data: trials and their children, drugs, conditions
ID = BASE + "id/"
TRIAL = ID + "trial/"
DRUG = ID + "drug/"
CONDITION = ID + "condition/"

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
SH = "http://www.w3.org/ns/shacl#"

#: prefixes written at the top of Turtle output and accepted in queries
PREFIXES: dict[str, str] = {
    "tg": TG,
    "trial": TRIAL,
    "drug": DRUG,
    "condition": CONDITION,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "prov": PROV,
}
