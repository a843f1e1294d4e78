"""The real catalogue (ontology/ and data/ of this repository).

These tests may fail while module files are still being written; the failure message is the
curator's report.
"""

from __future__ import annotations

import re

import pytest
from rdflib import RDF, URIRef

from conftest import REPO
from modgraph import catalogue as catalogue_mod
from modgraph import validate
from modgraph.namespaces import BASE, MG_NS
from modgraph.paths import CatalogueRoot

MODULE = URIRef(MG_NS + "Module")


@pytest.fixture(scope="module")
def real_catalogue():
    return catalogue_mod.load(CatalogueRoot(REPO))


def test_real_catalogue_conforms(real_catalogue):
    report = validate.run(real_catalogue, real_catalogue.root.shapes)
    assert report.modules >= 2
    assert not report.violations, validate.render(report, real_catalogue)


def test_module_files_hold_the_module_they_are_named_after(real_catalogue):
    """data/modules/amw/SLUG.ttl states <module/amw/SLUG> and no other module (docs/authoring.md)."""
    problems = []
    modules_dir = REPO / "data" / "modules"
    for path in sorted(modules_dir.rglob("*.ttl")):
        relative = path.relative_to(modules_dir)
        expected = URIRef(f"{BASE}module/{relative.with_suffix('').as_posix()}")
        stated = {s for s in catalogue_mod.parse_turtle(path).subjects(RDF.type, MODULE)}
        if stated != {expected}:
            problems.append(f"data/modules/{relative}: states {sorted(map(str, stated))}, expected {expected}")
        elif not re.fullmatch(r"(amw|bmw)/[a-z0-9]+(-[a-z0-9]+)*\.ttl", relative.as_posix()):
            problems.append(f"data/modules/{relative}: not data/modules/(amw|bmw)/SLUG.ttl")
    assert not problems, "\n".join(problems)


def test_every_mg_term_in_data_is_declared(real_catalogue):
    """An mg: term that the ontology does not declare is a typo (mg:hasGoals) that no shape catches."""
    ontology = catalogue_mod.parse_turtle(REPO / "ontology" / "modgraph.ttl")
    declared = {s for s in ontology.subjects(RDF.type) if str(s).startswith(MG_NS)}
    problems = []
    for path in catalogue_mod.data_files(real_catalogue.root):
        graph = catalogue_mod.parse_turtle(path)
        used = {t for triple in graph for t in triple if isinstance(t, URIRef) and str(t).startswith(MG_NS)}
        for term in sorted(used - declared):
            problems.append(f"{path.relative_to(REPO)}: {term}")
    assert not problems, "undeclared mg: terms:\n" + "\n".join(problems)
