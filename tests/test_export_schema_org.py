"""The `schema-org` export profile: every module a schema:Service in the namespace the official schema.org
shapes target (http://schema.org/), conforming to those shapes (standards/schema-org/, release 30.0, with
the data-type patch its SOURCE.md describes), with the fields the documents give.

Expected values come from the source documents (deel 2b = AMW, deel 2a = BMW); each is quoted."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF

from conftest import build_profile
from conftest import module_iri as module
from modgraph.export import standards

SDO = Namespace("http://schema.org/")
SH = Namespace("http://www.w3.org/ns/shacl#")
ID = "https://w3id.org/modgraph/id/"
NLD = URIRef("http://publications.europa.eu/resource/authority/country/NLD")
AMW_PROVIDER = URIRef(f"{ID}provider/maatschappelijk-werkinstellingen")
BMW_PROVIDER = URIRef(f"{ID}provider/bedrijfsmaatschappelijk-werk")




@pytest.fixture(scope="module")
def graph(root) -> Graph:
    return build_profile("schema-org")


def test_the_profile_conforms_to_the_official_schema_org_shapes(graph, root):
    report = standards.check(graph, root, "schema-org")
    assert report.shape_files == ["schema-org/schemaorg-shapes.shacl"]
    assert report.violations == []
    assert report.warnings == []   # the generated shapes set no sh:severity


def test_the_shapes_reach_the_export(graph, root):
    # The shapes target http://schema.org/: a provider given as text instead of an Organization breaks
    # the Service shape's 'schema:provider: Organization or Person', so the export's terms are checked.
    service = module("amw/intake")
    small = Graph()
    for triple in graph.triples((service, None, None)):
        small.add(triple)
    small.add((service, SDO.provider, Literal("NIZW Sociaal Beleid")))
    report = standards.check(small, root, "schema-org")
    assert [v for v in report.violations if str(SDO.provider) in v and str(service) in v]
    # Without the provider text the same small graph conforms: the patch lets text values through.
    small.remove((service, SDO.provider, Literal("NIZW Sociaal Beleid")))
    assert standards.check(small, root, "schema-org").violations == []


def test_the_official_shape_file_stays_as_published(root):
    # The data-type patch is applied to the shapes in memory only (standards/schema-org/SOURCE.md).
    shapes = standards.shapes_graph(root, ["schema-org/schemaorg-shapes.shacl"])
    text_shape = URIRef("http://schema.org/validation#ValidSchemaText")
    assert (text_shape, SH.nodeKind, SH.BlankNodeOrIRI) in shapes


def test_the_export_uses_the_namespace_the_shapes_target(graph):
    https_terms = {str(t) for triple in graph for t in triple if str(t).startswith("https://schema.org/")}
    assert https_terms == set()


def test_every_module_is_a_service(graph):
    services = set(graph.subjects(RDF.type, SDO.Service))
    # Deel 2b describes 22 AMW modules, deel 2a 21 BMW modules.
    assert len(services) == 43
    assert len([s for s in services if str(s).startswith(f"{ID}module/amw/")]) == 22
    assert len([s for s in services if str(s).startswith(f"{ID}module/bmw/")]) == 21
    for service in services:
        assert {name.language for name in graph.objects(service, SDO.name)} == {"nl", "en"}, service
        assert len(list(graph.objects(service, SDO.description))) == 1, service
        assert len(list(graph.objects(service, SDO.identifier))) == 1, service
        assert len(list(graph.objects(service, SDO.category))) == 1, service
        assert list(graph.objects(service, SDO.audience)), service
        (provider,) = graph.objects(service, SDO.provider)
        assert provider == (AMW_PROVIDER if "/module/amw/" in str(service) else BMW_PROVIDER)


def test_name_description_and_provider(graph):
    service = module("bmw/intake-bmw")
    # Deel 2a, heading 'Intake BMW'.
    assert Literal("Intake BMW", lang="nl") in set(graph.objects(service, SDO.name))
    assert Literal("Bedrijfsmaatschappelijk werk", lang="nl") in set(graph.objects(service, SDO.serviceType))
    # Introduction of both parts: 'het aanbod van BMW en maatschappelijk-werkinstellingen'.
    assert (BMW_PROVIDER, RDF.type, SDO.Organization) in graph
    assert (AMW_PROVIDER, RDF.type, SDO.Organization) in graph
    assert any("maatschappelijk-werkinstellingen" in str(n) for n in graph.objects(AMW_PROVIDER, SDO.name))
    assert (BMW_PROVIDER, SDO.areaServed, NLD) in graph and (NLD, RDF.type, SDO.Country) in graph
    # Deel 2b, Intake, Werkwijze: '• In overleg een hulpverleningsplan opstellen.'
    (description,) = graph.objects(module("amw/intake"), SDO.description)
    assert description.language == "nl" and "In overleg een hulpverleningsplan opstellen." in str(description)


def test_category_is_the_function(graph):
    # Deel 2a, table of contents: 'Functie: bemoeizorg' / '• Verwijzingstraject ... 17'.
    (category,) = graph.objects(module("bmw/verwijzingstraject"), SDO.category)
    assert category == URIRef(f"{ID}function/bmw/bemoeizorg")
    assert (category, RDF.type, SDO.CategoryCode) in graph
    assert (category, SDO.codeValue, Literal("bmw/bemoeizorg")) in graph
    (code_set,) = graph.objects(category, SDO.inCodeSet)
    assert (code_set, RDF.type, SDO.CategoryCodeSet) in graph


def test_audience(graph):
    # Deel 2a, Coachen van leidinggevenden, Doelgroep: 'Leidinggevenden die hun competenties wat betreft
    # het begeleiden van medewerkers willen vergroten.'
    audiences = set(graph.objects(module("bmw/coachen-van-leidinggevenden"), SDO.audience))
    assert audiences == {URIRef(f"{ID}target-audience/leidinggevenden")}
    (audience,) = audiences
    assert (audience, RDF.type, SDO.Audience) in graph
    assert Literal("leidinggevenden", lang="nl") in set(graph.objects(audience, SDO.audienceType))


def test_related_services(graph):
    # Deel 2a, Training: Persoonlijke effectiviteit, Doelgroep: 'Aan deze module gaat een intake vooraf.'
    training = module("bmw/training-persoonlijke-effectiviteit")
    assert module("bmw/intake-bmw") in set(graph.objects(training, SDO.isRelatedTo))
    # ... and the relation is found from the intake's side too.
    assert training in set(graph.objects(module("bmw/intake-bmw"), SDO.isRelatedTo))



def test_a_service_compacts_to_the_json_ld_a_page_embeds(graph):
    # schema.org's context ("@context": "https://schema.org") has "@vocab": "http://schema.org/": with it a
    # service's node reads with schema.org's plain names, as in <script type="application/ld+json">.
    import json

    service = module("amw/intake")
    node = Graph()
    for triple in graph.triples((service, None, None)):
        node.add(triple)
    data = json.loads(node.serialize(format="json-ld", context={"@vocab": "http://schema.org/"}, auto_compact=True))
    assert data["@type"] == "Service" and data["identifier"] == "amw/intake"
    assert {"name", "description", "audience", "category", "provider", "isRelatedTo", "areaServed"} <= set(data)
    assert data["provider"] == {"@id": str(AMW_PROVIDER)}
