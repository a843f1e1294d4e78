"""ontology/modgraph.ttl: it parses, its header is complete, every mg: term is labelled and defined in
Dutch and English, and it loads in owlready2 (the library the reasoner runs on)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, SKOS

from conftest import REPO
from modgraph.catalogue import parse_turtle
from modgraph.namespaces import MG_NS, ONTOLOGY_IRI, PREFIXES

ONTOLOGY_FILE = REPO / "ontology" / "modgraph.ttl"
VANN = Namespace("http://purl.org/vocab/vann/")
XSD_DATE = URIRef("http://www.w3.org/2001/XMLSchema#date")
ONTOLOGY = URIRef(ONTOLOGY_IRI)

TERM_TYPES = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property}


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return parse_turtle(ONTOLOGY_FILE)


def _mg_terms(graph: Graph) -> set[URIRef]:
    return {s for s in graph.subjects(RDF.type) if isinstance(s, URIRef) and str(s).startswith(MG_NS)}


def _languages(graph: Graph, subject, predicate) -> list[str | None]:
    return sorted((o.language or "") for o in graph.objects(subject, predicate) if isinstance(o, Literal))


def test_ontology_parses_and_declares_itself(ontology):
    assert len(ontology) > 500
    assert list(ontology.subjects(RDF.type, OWL.Ontology)) == [ONTOLOGY]


@pytest.mark.parametrize(
    "predicate",
    [DCTERMS.title, DCTERMS.description, DCTERMS.license, DCTERMS.creator, DCTERMS.created,
     OWL.versionIRI, OWL.versionInfo, VANN.preferredNamespacePrefix, VANN.preferredNamespaceUri,
     DCTERMS.bibliographicCitation],
    ids=lambda p: p.n3(Graph().namespace_manager) if isinstance(p, URIRef) else str(p),
)
def test_header_has(ontology, predicate):
    assert ontology.value(ONTOLOGY, predicate) is not None, f"the ontology header has no {predicate}"


def test_header_values(ontology):
    for predicate in (DCTERMS.title, DCTERMS.description):
        assert _languages(ontology, ONTOLOGY, predicate) == ["en", "nl"], f"{predicate} in nl and en"
    license_ = ontology.value(ONTOLOGY, DCTERMS.license)
    assert isinstance(license_, URIRef) and str(license_).startswith("http"), license_
    created = ontology.value(ONTOLOGY, DCTERMS.created)
    assert isinstance(created, Literal) and created.datatype == XSD_DATE and created.value is not None, created
    info = str(ontology.value(ONTOLOGY, OWL.versionInfo))
    version_iri = ontology.value(ONTOLOGY, OWL.versionIRI)
    assert isinstance(version_iri, URIRef)
    assert str(version_iri).startswith(ONTOLOGY_IRI) and str(version_iri).endswith(info), (version_iri, info)
    assert str(ontology.value(ONTOLOGY, VANN.preferredNamespacePrefix)) == "mg"
    assert str(ontology.value(ONTOLOGY, VANN.preferredNamespaceUri)) == MG_NS == PREFIXES["mg"]


def test_header_cites_both_source_documents(ontology):
    citations = [str(c) for c in ontology.objects(ONTOLOGY, DCTERMS.bibliographicCitation)]
    for part in ("2a", "2b"):
        assert any(f"deel {part}" in c.lower() for c in citations), f"no citation of deel {part}: {citations}"


def test_every_mg_term_is_labelled_and_defined_in_nl_and_en(ontology):
    terms = _mg_terms(ontology)
    assert {URIRef(MG_NS + n) for n in ("Module", "Partner", "page", "werksoort", "quote")} <= terms
    problems = []
    for term in sorted(terms):
        if not set(ontology.objects(term, RDF.type)) & TERM_TYPES:
            problems.append(f"{term}: not typed as a class or property")
        for predicate in (RDFS.label, SKOS.definition):
            languages = _languages(ontology, term, predicate)
            for lang in ("nl", "en"):
                if languages.count(lang) != 1:
                    problems.append(f"{term}: {languages.count(lang)} {predicate.n3()} @{lang}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", sorted((REPO / "ontology").glob("*.ttl")), ids=lambda p: p.name)
def test_every_mg_iri_used_in_the_ontology_folder_is_declared(ontology, path):
    """A typo in a domain, range, shape path or alignment (mg:Goall) is an undeclared term."""
    declared = _mg_terms(ontology)
    used = {t for triple in parse_turtle(path) for t in triple if isinstance(t, URIRef) and str(t).startswith(MG_NS)}
    assert used, f"{path.name} uses no mg: term"
    assert not sorted(used - declared), f"{path.name} uses mg: terms modgraph.ttl does not declare: {sorted(used - declared)}"


def test_ontology_loads_in_owlready2(ontology, tmp_path: Path):
    import owlready2

    source = tmp_path / "modgraph.nt"
    ontology.serialize(source, format="nt", encoding="utf-8")
    world = owlready2.World()
    loaded = world.get_ontology(source.as_uri()).load()
    assert loaded is not None
    classes = {c.iri: c for c in world.classes()}
    for name in ("Module", "Partner", "Organisation", "Role", "Goal", "Activity", "Precondition"):
        assert MG_NS + name in classes, f"owlready2 does not see mg:{name}"
    partner = classes[MG_NS + "Partner"]
    assert partner in classes[MG_NS + "Organisation"].is_a
    assert partner in classes[MG_NS + "Role"].is_a
    properties = {p.iri for p in world.properties()}
    assert {MG_NS + "werksoort", MG_NS + "page", MG_NS + "canFollow"} <= properties
