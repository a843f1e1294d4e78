"""The profile mechanism of `modgraph export`: static Turtle plus CONSTRUCT answers, by profile folder."""

from __future__ import annotations

import shutil

import pytest
from rdflib import URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, SKOS

from conftest import REPO, build_profile
from modgraph.engines import open_engine
from modgraph.errors import InputError
from modgraph.export import profiles
from modgraph.paths import CatalogueRoot


@pytest.fixture()
def root(tmp_path):
    """A copy of the catalogue with one small profile 'demo'."""
    for folder in ("ontology", "data", "queries", "inferred"):
        shutil.copytree(REPO / folder, tmp_path / folder)
    demo = tmp_path / "profiles" / "demo"
    demo.mkdir(parents=True)
    (demo / "scheme.ttl").write_text(
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "<urn:demo:scheme> a skos:ConceptScheme .\n", encoding="utf-8")
    (demo / "modules.rq").write_text(
        "# Every module as a concept of the demo scheme.\n"
        "PREFIX mg: <https://w3id.org/modgraph/def#>\n"
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
        "CONSTRUCT { ?m a skos:Concept ; skos:inScheme <urn:demo:scheme> } WHERE { ?m a mg:Module }\n",
        encoding="utf-8")
    return CatalogueRoot(tmp_path)


def test_a_profile_is_its_static_turtle_plus_its_constructs(root):
    with open_engine(root) as engine:
        graph = profiles.build(engine, root, "demo")
    assert (URIRef("urn:demo:scheme"), RDF.type, SKOS.ConceptScheme) in graph
    # Deel 2b has 22 modules and deel 2a 21: 43 concepts.
    assert len(set(graph.subjects(SKOS.inScheme, URIRef("urn:demo:scheme")))) == 43
    assert profiles.names(root) == ["demo"]


def test_an_unknown_profile_names_the_known_ones(root):
    with open_engine(root) as engine, pytest.raises(InputError) as info:
        profiles.build(engine, root, "nope")
    assert "--profile" in str(info.value) and "demo" in str(info.value)


def test_a_profile_query_must_construct(root):
    (root.profiles / "demo" / "wrong.rq").write_text("SELECT * WHERE { ?s ?p ?o } LIMIT 1\n", encoding="utf-8")
    with open_engine(root) as engine, pytest.raises(InputError) as info:
        profiles.build(engine, root, "demo")
    assert "wrong.rq" in str(info.value) and "CONSTRUCT" in str(info.value)


@pytest.mark.parametrize("name", profiles.rdf_names(CatalogueRoot(REPO)))
def test_every_profile_gives_the_same_graph_on_the_rdflib_engine(name):
    """The profiles' queries mean the same on every engine (docs/queries.md)."""
    assert isomorphic(build_profile(name, engine="rdflib"), build_profile(name))
