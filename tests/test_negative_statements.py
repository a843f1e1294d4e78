"""Negative statements (issue 14, section 1): what a module's text denies is data, with its quote.

'Informatie en advisering gebeurt ..., zonder dat daar een uitgebreide intake aan vooraf is gegaan.'
is an owl:NegativePropertyAssertion below the module (<module/amw/SLUG/negative/N>) carrying mg:quote
and mg:page like the rdf:Statement evidence, so 'which modules start without an intake' is a query
(modules-without-prior-intake) and the reasoner rejects a catalogue that asserts what a module denies.
Expected values are read from the documents.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import OWL, RDF
from rdflib.namespace import DCTERMS

from modgraph.api import Catalogue
from modgraph.catalogue import load
from modgraph.namespaces import BASE, MG
from modgraph.paths import CatalogueRoot

ROOT = Path(__file__).resolve().parents[1]

# deel 2b p. 13 (Informatie en advies, Aanvullende informatie) and deel 2a p. 9 (Informatie en advies
# BMW, Aanvullende informatie): the only sentences in either document that deny a prior intake.
EXPECTED = {
    ("amw/informatie-en-advies", "requiresPriorModule", "amw/intake", 13,
     "Informatie en advisering gebeurt naar aanleiding van een vraag van een cliënt, zonder dat daar een "
     "uitgebreide intake aan vooraf is gegaan."),
    ("bmw/informatie-en-advies-bmw", "requiresPriorModule", "bmw/intake-bmw", 9,
     "Informatie en advisering gebeurt naar aanleiding van een vraag van een aanvrager, zonder dat daar een "
     "uitgebreide intake aan vooraf is gegaan."),
}
SECTION_TEXTS = [MG.targetGroupText, MG.workRelevanceText, MG.durationText, MG.settingText,
                 MG.workingMethodText, MG.additionalInformationText, MG.preconditionsText]


def slug(iri) -> str:
    return str(iri).removeprefix(BASE + "module/")


@pytest.fixture(scope="module")
def graph():
    return load(CatalogueRoot(ROOT)).graph


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    return Catalogue(ROOT)


def negatives(graph):
    return sorted(graph.subjects(RDF.type, OWL.NegativePropertyAssertion))


def test_negative_statements_are_the_sentences_of_the_documents(graph):
    got = set()
    for node in negatives(graph):
        got.add((slug(graph.value(node, OWL.sourceIndividual)),
                 str(graph.value(node, OWL.assertionProperty)).removeprefix(str(MG)),
                 slug(graph.value(node, OWL.targetIndividual)),
                 int(graph.value(node, MG.page)), str(graph.value(node, MG.quote))))
    assert got == EXPECTED


def test_negative_statements_hang_below_their_module_numbered_from_one(graph):
    per_module: dict[str, list[int]] = {}
    for node in negatives(graph):
        module = graph.value(node, OWL.sourceIndividual)
        match = re.fullmatch(re.escape(str(module)) + r"/negative/(\d+)", str(node))
        assert match, f"{node} does not hang below {module}"
        per_module.setdefault(str(module), []).append(int(match.group(1)))
    for module, numbers in per_module.items():
        assert sorted(numbers) == list(range(1, len(numbers) + 1)), module


def test_negative_quote_is_in_the_module_text(graph):
    for node in negatives(graph):
        module = graph.value(node, OWL.sourceIndividual)
        texts = [str(t) for p in SECTION_TEXTS for t in graph.objects(module, p)]
        texts += [str(t) for p in (MG.hasGoal, MG.hasActivity, MG.hasPrecondition)
                  for item in graph.objects(module, p) for t in graph.objects(item, DCTERMS.description)]
        quote = str(graph.value(node, MG.quote))
        assert any(quote in text for text in texts), f"{node}: quote not in the module's text"


def test_denied_relation_is_not_asserted(graph):
    for node in negatives(graph):
        triple = (graph.value(node, OWL.sourceIndividual), graph.value(node, OWL.assertionProperty),
                  graph.value(node, OWL.targetIndividual))
        assert triple not in graph


def test_query_modules_without_prior_intake(cat):
    rows = cat.query("modules-without-prior-intake")
    assert {(slug(r["module"]), slug(r["intake"]), r["quote"], int(r["page"])) for r in rows} == {
        (module, intake, quote, page) for module, _, intake, page, quote in EXPECTED}
    assert all(r["deniedRelation"] == str(MG.requiresPriorModule) for r in rows)
    assert {r["deniedRelationLabel"] for r in rows} == {"vereist voorafgaande module"}


@pytest.mark.parametrize("werksoort, expected", [
    ("amw", {"amw/informatie-en-advies"}), ("bmw", {"bmw/informatie-en-advies-bmw"})])
def test_query_modules_without_prior_intake_per_werksoort(cat, werksoort, expected):
    rows = cat.query("modules-without-prior-intake", werksoort=werksoort)
    assert {slug(r["module"]) for r in rows} == expected


def test_modules_without_prior_intake_are_not_modules_with_prior_intake(cat):
    # The two lists exclude each other: no module both requires and is denied a prior intake.
    without = {r["module"] for r in cat.query("modules-without-prior-intake")}
    with_intake = {str(s) for s in cat.graph.subjects(MG.requiresPriorModule, None)}
    assert without and without.isdisjoint(with_intake)


def test_reasoner_rejects_what_a_module_denies(tmp_path):
    """HermiT reads the owl:NegativePropertyAssertion: asserting the denied relation is inconsistent."""
    root = tmp_path / "catalogue"
    shutil.copytree(ROOT / "ontology", root / "ontology")
    shutil.copytree(ROOT / "data", root / "data")
    (root / "data" / "contradiction.ttl").write_text(
        f"<{BASE}module/amw/informatie-en-advies> <{MG.requiresPriorModule}> <{BASE}module/amw/intake> .\n",
        encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "modgraph.cli", "--root", str(root), "reason"],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "inconsistent" in result.stdout
    assert "informatie-en-advies" in result.stdout
    assert not (root / "inferred").exists()


def test_reasoner_sees_the_negative_statements(graph):
    # The negative statements are part of the reasoner's input (they are axioms, not evidence).
    from modgraph.reason import reasoner_input

    selected = reasoner_input(graph)
    for node in negatives(graph):
        assert (node, RDF.type, OWL.NegativePropertyAssertion) in selected
        assert (node, OWL.sourceIndividual, graph.value(node, OWL.sourceIndividual)) in selected
