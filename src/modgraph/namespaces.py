"""The namespaces of the catalogue, and the prefixes every file and query declares the same way."""

from rdflib import Namespace

BASE = "https://w3id.org/modgraph/id/"
MG_NS = "https://w3id.org/modgraph/def#"
ONTOLOGY_IRI = "https://w3id.org/modgraph/def"

MG = Namespace(MG_NS)
ID = Namespace(BASE)

PREFIXES = {
    "cv": "http://data.europa.eu/m8g/",
    "cpsv": "http://purl.org/vocab/cpsv#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "dcterms": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "mg": MG_NS,
    "mgsh": "https://w3id.org/modgraph/def/shapes#",
    "org": "http://www.w3.org/ns/org#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "prov": "http://www.w3.org/ns/prov#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "schema": "https://schema.org/",
    "sh": "http://www.w3.org/ns/shacl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "vann": "http://purl.org/vocab/vann/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
