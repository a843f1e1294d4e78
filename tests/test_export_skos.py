"""The `skos` export profile: the catalogue's concept schemes meeting the Dutch NL-SBB profile.

The official shapes are standards/nl-sbb/skos-ap-nl.ttl (in the repository, so a clean clone can run
this); expected values come from the vocabulary files and the source documents, quoted.
"""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, RDFS, SKOS

from conftest import REPO, build_profile
from modgraph.export import standards

ID = "https://w3id.org/modgraph/id/"
MG = "https://w3id.org/modgraph/def#"



@pytest.fixture(scope="module")
def graph(root):
    return build_profile("skos")


@pytest.fixture(scope="module")
def vocab():
    """The vocabulary files as they are written (data/vocab/*.ttl), not as the profile reads them."""
    g = Graph()
    for path in sorted((REPO / "data" / "vocab").glob("*.ttl")):
        g.parse(path, format="turtle")
    return g


def test_no_violation_of_nl_sbb_and_no_warning(graph, root):
    report = standards.check(graph, root, "skos")
    assert report.shape_files == ["nl-sbb/skos-ap-nl.ttl"]
    assert report.violations == []
    # Not required for conformance (NL-SBB: only sh:Violation results make a scheme non-conformant),
    # but measured: the profile gives no warning (and no sh:Info: no orphan concept) either.
    assert report.warnings == []


def test_the_check_finds_a_concept_without_definition(graph, root):
    """The shapes really are applied: NL-SBB makes skos:definition a Violation."""
    broken = Graph()
    broken += graph
    theme = URIRef(ID + "goal-theme/spanningen-hanteerbaar")
    broken.remove((theme, SKOS.definition, None))
    report = standards.check(broken, root, "skos")
    assert any(line.startswith(str(theme)) and "definition" in line for line in report.violations)


def test_every_concept_scheme_of_the_vocabulary_files_is_exported(graph, vocab):
    schemes = set(vocab.subjects(RDF.type, SKOS.ConceptScheme))
    # Counted in data/vocab/: one scheme in each of 12 files, two in methods.ttl (methods, group
    # types), three in target-groups.ttl (target groups, module types, degree of overlap); none in
    # function-crosswalk.ttl, partners.ttl, werksoorten.ttl.
    assert len(schemes) == 16
    for scheme in schemes:
        assert (scheme, RDF.type, SKOS.ConceptScheme) in graph
        titles = {t.language for t in graph.objects(scheme, DCTERMS.title)}
        assert "nl" in titles, scheme
    # Plus the two schemes the profile mints for the partners.
    exported = set(graph.subjects(RDF.type, SKOS.ConceptScheme))
    assert exported == schemes | {URIRef(ID + "scheme/partner-organisations"), URIRef(ID + "scheme/partner-roles")}


def test_every_concept_of_the_vocabulary_files_is_exported_in_its_scheme(graph, vocab):
    members = set(vocab.subject_objects(SKOS.inScheme))
    assert len({concept for concept, _ in members}) == 146  # counted: subjects of skos:inScheme in data/vocab
    for concept, scheme in members:
        assert (concept, RDF.type, SKOS.Concept) in graph
        assert (concept, SKOS.inScheme, scheme) in graph
        assert set(vocab.objects(concept, SKOS.definition)) <= set(graph.objects(concept, SKOS.definition))
    # Nothing outside a scheme: every exported concept is in one.
    assert all((c, SKOS.inScheme, None) in graph for c in graph.subjects(RDF.type, SKOS.Concept))


def test_no_definition_is_added(graph, vocab):
    """Every exported definition is the catalogue's own: the profile invents none."""
    catalogue_definitions = set(vocab.objects(None, SKOS.definition))
    partners = Graph().parse(REPO / "data" / "documents" / "eindnotitie.ttl", format="turtle")
    catalogue_definitions |= set(partners.objects(None, SKOS.definition))
    assert set(graph.objects(None, SKOS.definition)) <= catalogue_definitions


def test_partners_are_concepts_pointing_at_the_partner(graph, vocab):
    organisations = set(vocab.subjects(RDF.type, URIRef(MG + "Organisation")))
    roles = set(vocab.subjects(RDF.type, URIRef(MG + "Role")))
    assert len(roles) == 22  # the <role/...> blocks of data/vocab/partners.ttl
    for partners, scheme in ((organisations, "scheme/partner-organisations"), (roles, "scheme/partner-roles")):
        for partner in partners:
            concept = URIRef(str(partner).replace(ID, ID + "concept/"))
            assert (concept, FOAF.focus, partner) in graph
            assert (concept, SKOS.topConceptOf, URIRef(ID + scheme)) in graph
            assert set(vocab.objects(partner, SKOS.prefLabel)) == set(graph.objects(concept, SKOS.prefLabel))
    # The partner itself stays a partner (the ontology keeps mg:Partner disjoint from skos:Concept).
    assert (URIRef(ID + "role/bedrijfsarts"), RDF.type, SKOS.Concept) not in graph
    # partners.ttl: <role/arbo-arts> skos:closeMatch <role/bedrijfsarts>; inside one scheme NL-SBB
    # forbids mapping relations, so the export says skos:related.
    assert (URIRef(ID + "concept/role/arbo-arts"), SKOS.related, URIRef(ID + "concept/role/bedrijfsarts")) in graph


def test_the_function_crosswalk_follows_the_documents(graph):
    # Deel 2a: "Met de indeling in functies wordt aangesloten op de modulenindeling voor
    # maatschappelijk-werkinstellingen." Both lists have 'Functie: begeleiding' and 'Functie: bemiddeling'.
    assert (URIRef(ID + "function/bmw/begeleiding"), SKOS.exactMatch, URIRef(ID + "function/amw/begeleiding")) in graph
    assert (URIRef(ID + "function/bmw/bemiddeling"), SKOS.exactMatch, URIRef(ID + "function/amw/bemiddeling")) in graph
    # Deel 2a: "Functie: aanmelding, intake, indicatie en verwijzing" covers AMW's two access functions.
    bmw_access = URIRef(ID + "function/bmw/aanmelding-intake-indicatie-en-verwijzing")
    assert set(graph.objects(bmw_access, SKOS.narrowMatch)) == {
        URIRef(ID + "function/amw/aanmelding"), URIRef(ID + "function/amw/intake-indicatie-en-verwijzing")}
    # Deel 2a lists "Functie: bemoeizorg" and "Functie: consultatie", which deel 2b does not have.
    for only_bmw in ("bemoeizorg", "consultatie"):
        concept = URIRef(ID + f"function/bmw/{only_bmw}")
        assert (concept, SKOS.inScheme, URIRef(ID + "scheme/functions-bmw")) in graph
        assert not [o for p in (SKOS.exactMatch, SKOS.closeMatch, SKOS.narrowMatch) for o in graph.objects(concept, p)]


def test_module_types_and_target_groups_follow_deel_2b(graph):
    # Deel 2b: "b) Modulen die een specifieke inkleuring krijgen wanneer arbeid een rol speelt. ...
    # Deze zijn relevant voor doelgroep 1 en 3; c) Modulen waarbij arbeid centraal staat, ... en
    # relevant voor doelgroep 2 en 4".
    def related(slug):
        return {str(o).removeprefix(ID) for o in graph.objects(URIRef(ID + slug), SKOS.related)
                if str(o).startswith(ID + "target-group/")}
    assert related("module-type/amw/b") == {"target-group/amw/1", "target-group/amw/3"}
    assert related("module-type/amw/c") == {"target-group/amw/2", "target-group/amw/4"}
    # "Dat geldt met name voor doelgroep 2 ... Doelgroep 4 komt bij het BMW nauwelijks of niet voor."
    assert (URIRef(ID + "target-group/amw/2"), SKOS.related, URIRef(ID + "overlap-degree/met-name")) in graph
    assert (URIRef(ID + "target-group/amw/4"), SKOS.related, URIRef(ID + "overlap-degree/nauwelijks-of-niet")) in graph


def test_schemes_carry_an_nl_sbb_title_and_sources_a_name(graph):
    functions_bmw = URIRef(ID + "scheme/functions-bmw")
    assert Literal("Functies BMW", lang="nl") in set(graph.objects(functions_bmw, DCTERMS.title))
    assert any(graph.objects(functions_bmw, RDFS.comment))
    # data/documents/eindnotitie.ttl: deel 2a is titled "het BMW-aanbod in modulen".
    assert (URIRef(ID + "document/deel-2a"), DCTERMS.title, Literal("het BMW-aanbod in modulen", lang="nl")) in graph

