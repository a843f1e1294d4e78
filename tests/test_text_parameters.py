"""Text and IRI parameter values (issue 14, section 3).

Text parameters compare normalised text in the SPARQL itself (case, runs of white space, white space at
either end, one full stop at the end), so grlc, which writes the value into the query, gets the same rows
as modgraph. An empty text is an error, not "match everything"; an IRI value with white space or a
character an IRI cannot hold is an error naming the parameter.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Literal

from modgraph import queries as named
from modgraph.api import Catalogue
from modgraph.errors import InputError
from modgraph.results import run_sparql

ROOT = Path(__file__).resolve().parents[1]
ID = "https://w3id.org/modgraph/id/module/"
TEXT_QUERIES = ["modules-by-precondition-text", "text-search"]

# 'Er zijn geen specifieke randvoorwaarden.' as the Randvoorwaarden section of these modules: AMW Intake
# (p. 9), Vraagverheldering (p. 15), Stabiliserende begeleiding (p. 21), Bemiddeling en (individuele)
# belangenbehartiging (p. 25), Stress op het werk de baas (p. 28), Sociale vaardigheidstraining (p. 31),
# Assertiviteitstraining (p. 32), In de put, uit de put (p. 33); BMW Aanmelding BMW (p. 6), Intake BMW
# (p. 7), Competentiegerichte begeleiding (p. 11), Begeleiding bij persoonlijke problemen (p. 13),
# Individuele begeleiding bij veranderingen in de werksituatie (p. 15), Consultatie aan leidinggevenden
# (p. 20), Training: Communicatietraining gericht op betere samenwerking (p. 26), and - printed without
# the full stop - Training: Persoonlijke effectiviteit (p. 23).
NO_SPECIFIC = {
    "amw/intake", "amw/vraagverheldering", "amw/stabiliserende-begeleiding", "amw/bemiddeling-en-belangenbehartiging",
    "amw/stress-op-het-werk-de-baas", "amw/sociale-vaardigheidstraining", "amw/assertiviteitstraining",
    "amw/in-de-put-uit-de-put",
    "bmw/aanmelding-bmw", "bmw/intake-bmw", "bmw/competentiegerichte-begeleiding",
    "bmw/begeleiding-bij-persoonlijke-problemen", "bmw/individuele-begeleiding-bij-veranderingen-in-de-werksituatie",
    "bmw/consultatie-aan-leidinggevenden", "bmw/training-communicatietraining-samenwerking",
    "bmw/training-persoonlijke-effectiviteit",
}
SENTENCE = "Er zijn geen specifieke randvoorwaarden"


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    return Catalogue(ROOT)


def modules(rows) -> set[str]:
    return {str(r["module"]).removeprefix(ID) for r in rows}


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "modgraph.cli", *args], capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("text", [SENTENCE, SENTENCE + ".", "  er ZIJN geen\nspecifieke   randvoorwaarden . "])
def test_precondition_text_with_or_without_full_stop(cat, text):
    assert modules(cat.query("modules-by-precondition-text", text=text)) == NO_SPECIFIC


@pytest.mark.parametrize("text", [SENTENCE, SENTENCE + ".", "ER ZIJN GEEN SPECIFIEKE RANDVOORWAARDEN.  "])
def test_text_search_with_or_without_full_stop(cat, text):
    assert modules(cat.query("text-search", text=text)) == NO_SPECIFIC


def test_another_word_is_still_another_text(cat):
    # AMW p. 12 'Deskundigheid op het terrein van schuldhulpverlening.' versus AMW p. 19 and BMW p. 8
    # 'Deskundigheid op het terrein van de schuldhulpverlening.'
    rows = cat.query("modules-by-precondition-text", text="Deskundigheid op het terrein van schuldhulpverlening")
    assert modules(rows) == {"amw/inventarisatie-schulden"}


@pytest.mark.parametrize("name", TEXT_QUERIES)
def test_normalisation_is_in_the_sparql(cat, name):
    """Bound directly (as grlc writes the value in), without modgraph's parameter handling."""
    query = cat.queries[name]
    variable = query.parameter("text").variable
    rows = run_sparql(cat.graph, query.text, {variable: Literal("  er zijn GEEN specifieke\trandvoorwaarden. ")},
                      source=name).rows
    assert {str(r["module"]).removeprefix(ID) for r in rows} == NO_SPECIFIC


@pytest.mark.parametrize("name", TEXT_QUERIES)
@pytest.mark.parametrize("value", ["", "   ", " . "])
def test_empty_text_matches_nothing_in_the_sparql(cat, name, value):
    """What grlc gets for an empty text: no rows, not every text."""
    query = cat.queries[name]
    variable = query.parameter("text").variable
    assert run_sparql(cat.graph, query.text, {variable: Literal(value)}, source=name).rows == []


@pytest.mark.parametrize("name", TEXT_QUERIES)
@pytest.mark.parametrize("value", ["", "  ", "\n\t"])
def test_empty_text_is_an_input_error(cat, name, value):
    with pytest.raises(InputError, match="empty") as caught:
        cat.query(name, text=value)
    assert "parameter text" in str(caught.value)


def test_empty_text_on_the_command_line_exits_2_naming_the_parameter():
    result = cli("query", "text-search", "--param", "text=  ")
    assert result.returncode == 2
    assert "parameter text" in result.stderr and "empty" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


@pytest.mark.parametrize("value", [
    "https://w3id.org/modgraph/id/module/amw/intake x",
    "https://w3id.org/modgraph/id/module/amw/intake>",
    "https://w3id.org/modgraph/id/module/amw/<intake",
    'https://w3id.org/modgraph/id/module/amw/intake"',
    "https://w3id.org/modgraph/id/module/amw/{intake}",
    "https://w3id.org/modgraph/id/module/amw/intake|x",
    "https://w3id.org/modgraph/id/module/amw/intake^x",
    "https://w3id.org/modgraph/id/module/amw/intake`",
    "https://w3id.org/modgraph/id/module/amw/intake\\",
    "https://w3id.org/modgraph/id/module/amw/in\ttake",
])
def test_iri_with_a_forbidden_character_is_an_input_error(cat, value):
    with pytest.raises(InputError, match="not an IRI") as caught:
        cat.query("follow-ups", module=value)
    assert "parameter module" in str(caught.value)


def test_iri_with_a_space_on_the_command_line_exits_2_naming_the_parameter():
    result = cli("query", "modules-by-target-group", "--param",
                 "audience=https://w3id.org/modgraph/id/target-audience/teams >")
    assert result.returncode == 2
    assert "parameter audience" in result.stderr and "not an IRI" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_empty_iri_value_is_an_input_error(cat):
    with pytest.raises(InputError, match="empty"):
        cat.query("follow-ups", module=" ")


def test_titles_with_spaces_still_resolve(cat):
    """The check is for values given as IRIs: a module's exact title may hold spaces."""
    rows = cat.query("follow-ups", module="Voortraject arbeidstoeleiding")
    assert rows
    assert named.resolve_resource(cat.graph, " https://w3id.org/modgraph/id/module/amw/intake ", "module") \
        == named.resolve_resource(cat.graph, "amw/intake", "module")


def test_the_concept_folders_are_the_folders_of_the_vocabularies():
    """Every IRI folder of data/vocab and data/documents is tried for a slug, and no other."""
    import re as _re

    folders = set()
    for path in [*(ROOT / "data" / "vocab").glob("*.ttl"), *(ROOT / "data" / "documents").glob("*.ttl")]:
        folders |= set(_re.findall(r"^<([a-z-]+)/", path.read_text(encoding="utf-8"), _re.M))
    assert set(named.CONCEPT_FOLDERS) == folders


@pytest.mark.parametrize("value, iri", [
    ("bijeenkomst", "session-unit/bijeenkomst"),          # deel 2b counts 'bijeenkomsten' (e.g. p. 30)
    ("bmw/begeleiding", "function/bmw/begeleiding"),      # deel 2a's function 'begeleiding'
    ("leidinggevenden", "target-audience/leidinggevenden"),
])
def test_a_concept_slug_resolves_on_every_engine_without_a_search(cat, value, iri):
    from modgraph.engines import from_graph

    class NoSearch:
        """An engine that refuses the search over every subject (the slow path at scale)."""

        def __init__(self, engine):
            self.engine = engine

        def run(self, text, bindings=None, **options):
            assert "STRENDS" not in text, "searched every subject"
            return self.engine.run(text, bindings, **options)

    expected = "https://w3id.org/modgraph/id/" + iri
    assert str(named.resolve_resource(cat.graph, value, "p")) == expected
    with from_graph(cat.graph) as engine:
        assert str(named.resolve_resource(NoSearch(engine), value, "p")) == expected
