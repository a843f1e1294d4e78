"""The SPARQL 1.1 Service Description of `/sparql`, answered to a request without a query.

Written here rather than passed on from the Oxigraph server: its description names its own private
address and claims ``sd:BasicFederatedQuery``, which the front refuses.
"""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD

from modgraph.export.formats import FORMATS as EXPORT_FORMATS

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = Namespace("http://rdfs.org/ns/void#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")

RESULT_FORMATS = ["SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                  "Turtle", "N-Triples", "JSON-LD", "RDF_XML"]

# media type -> rdflib serializer name, in the server's order of preference (Turtle first)
RDF_MEDIA = {EXPORT_FORMATS[name][2]: EXPORT_FORMATS[name][0] for name in ("ttl", "jsonld", "nt", "rdfxml")}


def service_description(endpoint: str, triples: int) -> Graph:
    """The description of the endpoint at ``endpoint`` holding ``triples`` triples in its default graph."""
    graph = Graph()
    graph.bind("sd", SD)
    graph.bind("void", VOID)
    graph.bind("dcterms", DCTERMS)
    service, dataset, default = URIRef(endpoint + "#service"), BNode("dataset"), BNode("defaultGraph")
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, URIRef(endpoint)))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    for name in RESULT_FORMATS:
        graph.add((service, SD.resultFormat, FORMATS[name]))
    graph.add((service, SD.defaultEntailmentRegime, URIRef("http://www.w3.org/ns/entailment/Simple")))
    graph.add((service, DCTERMS.title, Literal("modgraph: Dutch social-work modules (AMW and BMW)", lang="en")))
    graph.add((service, DCTERMS.description, Literal(
        "The catalogue, asserted and inferred triples, read-only. SERVICE is not allowed; queries are stopped "
        "at the server's time limit.", lang="en")))
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    graph.add((dataset, SD.defaultGraph, default))
    graph.add((default, RDF.type, SD.Graph))
    graph.add((default, VOID.triples, Literal(triples, datatype=XSD.integer)))
    return graph
