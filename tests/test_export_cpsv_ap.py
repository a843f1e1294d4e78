"""The `cpsv-ap` export profile: every module a CPSV-AP 3.2.0 public service, conforming to the official
CPSV-AP shapes (standards/cpsv-ap/), with the fields the documents give.

Expected values come from the source documents (deel 2b = AMW, deel 2a = BMW); each is quoted."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS, XSD

from conftest import build_profile
from conftest import module_iri as module
from modgraph.export import standards

CPSV = Namespace("http://purl.org/vocab/cpsv#")
CV = Namespace("http://data.europa.eu/m8g/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
ID = "https://w3id.org/modgraph/id/"
NLD = URIRef("http://publications.europa.eu/resource/authority/country/NLD")




@pytest.fixture(scope="module")
def graph(root) -> Graph:
    return build_profile("cpsv-ap")


@pytest.fixture(scope="module")
def report(graph, root) -> standards.CheckReport:
    return standards.check(graph, root, "cpsv-ap")


def test_the_profile_conforms_to_the_official_cpsv_ap_shapes(report):
    assert report.shape_files == ["cpsv-ap/cpsv-ap-SHACL.ttl"]
    assert report.violations == []
    assert report.warnings == []   # the official shapes set no sh:severity: every result is a violation


def test_the_check_is_not_vacuous(graph, root):
    # Without the competent authorities (static Turtle of the profile) every service breaks the rule
    # 'cv:hasCompetentAuthority: class cv:PublicOrganisation'.
    stripped = Graph()
    for triple in graph:
        if triple[1] != RDF.type or triple[2] != CV.PublicOrganisation:
            stripped.add(triple)
    report = standards.check(stripped, root, "cpsv-ap")
    assert len([v for v in report.violations if "hasCompetentAuthority" in v]) == 43


def test_every_module_is_a_public_service(graph):
    services = set(graph.subjects(RDF.type, CPSV.PublicService))
    # Deel 2b describes 22 AMW modules, deel 2a 21 BMW modules.
    assert len(services) == 43
    assert len([s for s in services if str(s).startswith(f"{ID}module/amw/")]) == 22
    assert len([s for s in services if str(s).startswith(f"{ID}module/bmw/")]) == 21
    for service in services:
        identifiers = list(graph.objects(service, DCTERMS.identifier))
        assert len(identifiers) == 1 and str(service).endswith("/module/" + str(identifiers[0]))
        languages = {title.language for title in graph.objects(service, DCTERMS.title)}
        assert languages == {"nl", "en"}, service
        assert all(d.language == "nl" for d in graph.objects(service, DCTERMS.description))


def test_title_and_description_are_the_documents_words(graph):
    intake = module("amw/intake")
    assert Literal("Intake", lang="nl") in set(graph.objects(intake, DCTERMS.title))
    (description,) = graph.objects(intake, DCTERMS.description)
    # Deel 2b, Intake, Doelgroep: 'Cliënten/cliëntsystemen met psychosociale klachten of problemen.'
    # and Werkwijze: 'In overleg een hulpverleningsplan opstellen.'
    assert str(description).startswith("Doelgroep: Cliënten/cliëntsystemen met psychosociale klachten of problemen.")
    assert "\nWerkwijze: " in str(description)
    assert "In overleg een hulpverleningsplan opstellen." in str(description)


def test_every_code_is_a_concept_in_a_typed_scheme(graph):
    properties = (DCTERMS.audience, CV.thematicArea, CV.isClassifiedBy, CV.role, DCTERMS.type)
    codes = {o for p in properties for o in graph.objects(None, p)}
    assert codes
    for code in codes:
        assert (code, RDF.type, SKOS.Concept) in graph, code
        schemes = list(graph.objects(code, SKOS.inScheme))
        assert schemes, code
        for scheme in schemes:
            assert (scheme, RDF.type, SKOS.ConceptScheme) in graph, scheme
            assert any(label.language == "nl" for label in graph.objects(scheme, SKOS.prefLabel)), scheme


def test_audience_and_function(graph):
    service = module("bmw/coachen-van-leidinggevenden")
    # Deel 2a, 'Coaching van leidinggevenden' is listed under 'Functie: begeleiding'; its Doelgroep:
    # 'Leidinggevenden die hun competenties wat betreft het begeleiden van medewerkers willen vergroten.'
    assert set(graph.objects(service, CV.thematicArea)) == {URIRef(f"{ID}function/bmw/begeleiding")}
    assert URIRef(f"{ID}target-audience/leidinggevenden") in set(graph.objects(service, DCTERMS.audience))


def test_required_prior_module(graph):
    # Deel 2a, Training: Persoonlijke effectiviteit, Doelgroep: 'Aan deze module gaat een intake vooraf.'
    training = module("bmw/training-persoonlijke-effectiviteit")
    assert set(graph.objects(training, DCTERMS.requires)) == {module("bmw/intake-bmw")}
    # Deel 2b, Inventarisatie schulden: 'Over het algemeen wordt de inventarisatie van de schulden
    # gecombineerd met, of voorafgegaan dan wel gevolgd door, een ‘gewone’ intake.' - related, not required.
    debts = module("amw/inventarisatie-schulden")
    assert module("amw/intake") in set(graph.objects(debts, CV.relatedService))
    assert module("amw/intake") not in set(graph.objects(debts, DCTERMS.requires))
    assert debts in set(graph.objects(module("amw/intake"), CV.relatedService))


def test_partner_participation_with_its_role_and_sentence(graph):
    # Deel 2b, Intake, Setting: 'Zonodig telefonische raadpleging van huisarts, ouders, andere
    # hulpverlener(s) en/of andere betrokkenen.'
    huisarts = URIRef(f"{ID}role/huisarts")
    participations = [p for p in graph.objects(module("amw/intake"), CV.hasParticipation)
                      if (p, CV.hasParticipant, huisarts) in graph]
    assert len(participations) == 1
    (participation,) = participations
    (role,) = graph.objects(participation, CV.role)
    assert Literal("raadpleegt", lang="nl") in set(graph.objects(role, SKOS.prefLabel))
    assert Literal("Zonodig telefonische raadpleging van huisarts, ouders, andere hulpverlener(s) en/of "
                   "andere betrokkenen.", lang="nl") in set(graph.objects(participation, DCTERMS.description))
    assert (huisarts, RDF.type, FOAF.Agent) in graph
    assert Literal("huisarts", lang="nl") in set(graph.objects(huisarts, DCTERMS.title))


def test_preconditions_are_requirements(graph):
    # Deel 2b, Inventarisatie schulden, Randvoorwaarden: '• Deskundigheid op het terrein van
    # schuldhulpverlening.'
    requirements = list(graph.objects(module("amw/inventarisatie-schulden"), CV.holdsRequirement))
    titles = {str(t): r for r in requirements for t in graph.objects(r, DCTERMS.title)}
    requirement = titles["Deskundigheid op het terrein van schuldhulpverlening."]
    assert (requirement, RDF.type, CV.Requirement) in graph
    assert set(graph.objects(requirement, DCTERMS.type)) == {URIRef(f"{ID}precondition-kind/deskundigheid")}
    # Deel 2b, Intake: 'Er zijn geen specifieke randvoorwaarden.' - no requirement.
    assert list(graph.objects(module("amw/intake"), CV.holdsRequirement)) == []


def test_processing_time_only_where_the_document_gives_it(graph):
    # Deel 2b, Aanmelding, Duur en frequentie: 'In principe kort (5 tot 15 minuten) en eenmalig.'
    assert list(graph.objects(module("amw/aanmelding"), CV.processingTime)) == [
        Literal("PT15M", datatype=XSD.duration)]
    # Deel 2b, Intake: 'Gemiddeld 1 tot 2 gesprekken van drie kwartier tot een uur.' - the time the
    # whole service takes is not stated.
    assert list(graph.objects(module("amw/intake"), CV.processingTime)) == []


def test_competent_authority_per_werksoort(graph):
    # Introduction of both parts: 'het aanbod van BMW en maatschappelijk-werkinstellingen'.
    (amw,) = graph.objects(module("amw/intake"), CV.hasCompetentAuthority)
    (bmw,) = graph.objects(module("bmw/intake-bmw"), CV.hasCompetentAuthority)
    assert any("maatschappelijk-werkinstellingen" in str(label) for label in graph.objects(amw, SKOS.prefLabel))
    assert any("bedrijfsmaatschappelijk werk" in str(label) for label in graph.objects(bmw, SKOS.prefLabel))
    for authority in (amw, bmw):
        assert (authority, RDF.type, CV.PublicOrganisation) in graph
        assert set(graph.objects(authority, DCTERMS.spatial)) == {NLD}
    assert (NLD, RDF.type, DCTERMS.Location) in graph
    services = set(graph.subjects(RDF.type, CPSV.PublicService))
    assert {s for s in services if (s, CV.hasCompetentAuthority, amw) in graph} == \
        {s for s in services if "/module/amw/" in str(s)}

