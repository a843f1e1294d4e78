"""List-level named queries (issue 14, section 3): each answers for all modules in one call what used to
need a per-module query run once per module.

Queries: prerequisites-all, group-composition, shared-goal-sentences, shared-goal-themes, module-sections
(modules-by-target-group is tested in test_target_audiences.py). Every expected answer is read from the
documents (AMW = deel 2b, ../shared/sources/000_592630499203680d.txt; BMW = deel 2a,
../shared/sources/003_fa264c4e35d7fac0.txt), with the sentence it rests on quoted.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from modgraph import queries as named
from modgraph.api import Catalogue
from modgraph.results import run_sparql

ROOT = Path(__file__).resolve().parents[1]
ID = "https://w3id.org/modgraph/id/"
LIST_QUERIES = ["prerequisites-all", "group-composition", "shared-goal-sentences", "shared-goal-themes",
                "module-sections", "modules-by-target-group"]


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    return Catalogue(ROOT)


def slug(iri) -> str:
    return str(iri).removeprefix(ID + "module/")


# ------------------------------------------------------------------ prerequisites-all

INTAKE_VOORAF = "Aan deze module gaat een intake vooraf."
# The modules whose Doelgroep says 'Aan deze module gaat een intake vooraf.' (AMW p. 29, 31, 32, 33;
# BMW p. 23, 24, 26): a required prior intake, the Intake module of the module's own document.
REQUIRED_INTAKE = {
    "amw/omgaan-met-spanningsklachten": "amw/intake", "amw/sociale-vaardigheidstraining": "amw/intake",
    "amw/assertiviteitstraining": "amw/intake", "amw/in-de-put-uit-de-put": "amw/intake",
    "bmw/training-persoonlijke-effectiviteit": "bmw/intake-bmw", "bmw/training-omgaan-met-werkstress": "bmw/intake-bmw",
    "bmw/training-communicatietraining-samenwerking": "bmw/intake-bmw",
}


@pytest.fixture(scope="module")
def prerequisites(cat):
    return cat.query("prerequisites-all")


def test_prerequisites_list_every_module(cat, prerequisites):
    assert len({r["module"] for r in prerequisites}) == 43
    bmw = cat.query("prerequisites-all", werksoort="https://w3id.org/modgraph/id/werksoort/bmw")
    assert {r["werksoortLabel"] for r in bmw} == {"BMW"} and len({r["module"] for r in bmw}) == 21


def test_required_prior_intake(prerequisites):
    required = {slug(r["module"]): slug(r["prior"]) for r in prerequisites
                if r.get("required") and r.get("quote") == INTAKE_VOORAF}
    assert required == REQUIRED_INTAKE
    for row in prerequisites:
        if slug(row["module"]) in REQUIRED_INTAKE and row.get("quote") == INTAKE_VOORAF:
            assert row["priorIsIntake"] is True and row["statedIn"] == row["module"]
    # By reading: every 'gaat ... vooraf' that is required names an intake; no other module is required.
    assert all(r["priorIsIntake"] for r in prerequisites if r.get("required"))


@pytest.mark.parametrize(("module", "prior", "quote", "stated_in"), [
    # AMW p. 21: a prior intake only under a condition.
    ("amw/stabiliserende-begeleiding", "amw/intake",
     "Indien de hulpverlener behoefte aan informatie heeft gaat aan deze module een (verkorte) intake vooraf.",
     "amw/stabiliserende-begeleiding"),
    # BMW p. 27: 'eventueel onderzoek en rapportage vooraf'.
    ("bmw/teambegeleiding", "bmw/onderzoek-en-rapportage-voor-een-team",
     "Aan deze module gaat een signaal van leidinggevende of een of meer van de medewerkers, en eventueel "
     "onderzoek en rapportage vooraf.", "bmw/teambegeleiding"),
    # AMW p. 30: 'kan volgen op', two prior modules in one sentence.
    ("amw/weer-aan-de-slag", "amw/voortraject-arbeidstoeleiding",
     "Deze cursus kan volgen op het voortraject arbeidstoeleiding (pagina 22) of op activerende begeleiding "
     "naar (betaalde) arbeid (pagina 20).", "amw/weer-aan-de-slag"),
    ("amw/weer-aan-de-slag", "amw/activerende-begeleiding-naar-betaalde-arbeid",
     "Deze cursus kan volgen op het voortraject arbeidstoeleiding (pagina 22) of op activerende begeleiding "
     "naar (betaalde) arbeid (pagina 20).", "amw/weer-aan-de-slag"),
    # AMW p. 11, stated in the earlier module: 'Na deze module start gewoonlijk budgetbegeleiding.'
    ("amw/budgetbegeleiding", "amw/inventarisatie-schulden", "Na deze module start gewoonlijk budgetbegeleiding.",
     "amw/inventarisatie-schulden"),
])
def test_optional_prior_modules_with_their_quote(prerequisites, module, prior, quote, stated_in):
    rows = [r for r in prerequisites if slug(r["module"]) == module and slug(r.get("prior", "")) == prior]
    assert rows, f"{module}: no row for {prior}"
    assert all(r["required"] is False for r in rows)
    assert any(r.get("quote", "").startswith(quote) and slug(r["statedIn"]) == stated_in for r in rows), rows


@pytest.mark.parametrize("module", [
    "amw/aanmelding", "bmw/aanmelding-bmw",  # the registrations start a pathway
    "amw/wachttijdbegeleiding", "bmw/intake-bmw",
    # AMW p. 13: 'zonder dat daar een uitgebreide intake aan vooraf is gegaan' - no prior module stated.
    "amw/informatie-en-advies",
])
def test_module_without_stated_prerequisite_has_one_empty_row(prerequisites, module):
    rows = [r for r in prerequisites if slug(r["module"]) == module]
    assert len(rows) == 1 and "prior" not in rows[0] and "required" not in rows[0]


# ------------------------------------------------------------------ group-composition

# module -> (min group, max group, begeleiders, min meetings, max meetings, unit), from Setting and
# Duur en frequentie; None = not stated.
GROUPS = {
    # p. 28 'Een groep van 8 tot 12 personen met 2 begeleiders.' 'Twaalf wekelijkse bijeenkomsten en een
    # terugkombijeenkomst van 2,5 uur.'
    "amw/stress-op-het-werk-de-baas": (8, 12, 2, 12, 12, "bijeenkomst"),
    # p. 29: no Setting and no Duur en frequentie section.
    "amw/omgaan-met-spanningsklachten": (None, None, None, None, None, None),
    # p. 30 'Een groep van 8 tot 12 personen met 2 begeleiders.' '6 wekelijkse bijeenkomsten en 1
    # terugbijeenkomst 2 maanden na afsluiting.'
    "amw/weer-aan-de-slag": (8, 12, 2, 6, 6, "bijeenkomst"),
    # p. 31 'Een groep van 8 tot 12 personen.' 'Tien wekelijkse bijeenkomsten van 1,5 tot 2 uur per keer.'
    "amw/sociale-vaardigheidstraining": (8, 12, None, 10, 10, "bijeenkomst"),
    # p. 32 'Een groep van 8 tot 12 personen met 2 begeleiders.' '10 tot 12 wekelijkse bijeenkomsten ...'
    "amw/assertiviteitstraining": (8, 12, 2, 10, 12, "bijeenkomst"),
    # p. 33 'Een groep van 8 tot 10 personen met 2 begeleiders.' '10 tot 12 tweewekelijkse bijeenkomsten van 2 uur ...'
    "amw/in-de-put-uit-de-put": (8, 10, 2, 10, 12, "bijeenkomst"),
    # p. 34 'Een groep van 8 tot 12 personen met 2 begeleiders.' 'Zes wekelijkse bijeenkomsten van 2 uur ...'
    "amw/uitkomen-met-inkomen": (8, 12, 2, 6, 6, "bijeenkomst"),
    # BMW p. 23 'Een groep van 8 tot 10 personen.' '2 tot 4 dagdelen.'
    "bmw/training-persoonlijke-effectiviteit": (8, 10, None, 2, 4, "dagdeel"),
    # p. 24 'Een groep van 8 tot 10 personen.' '1 tot 4 dagdelen.'
    "bmw/training-omgaan-met-werkstress": (8, 10, None, 1, 4, "dagdeel"),
    # p. 25 'In een groep. In een groepsruimte.' '1 tot 4 dagdelen.'
    "bmw/training-omgaan-met-functieverandering": (None, None, None, 1, 4, "dagdeel"),
    # p. 26 'Een groep van 8 tot 10 personen.' '1 tot 4 dagdelen.'
    "bmw/training-communicatietraining-samenwerking": (8, 10, None, 1, 4, "dagdeel"),
    # p. 27 'Het team of de afdeling met de leidinggevende.' '1 tot 5 bijeenkomsten.'
    "bmw/teambegeleiding": (None, None, None, 1, 5, "bijeenkomst"),
    # p. 28 'Op de plaats waar de betrokkene(n) zich bevindt /bevinden.' '3 tot 5 groepsgesprekken met een
    # follow-up op een later tijdstip.'
    "bmw/teambegeleiding-opvang-na-traumatische-ervaringen": (None, None, None, 3, 5, "groepsgesprek"),
}
SETTING_TEXTS = {
    "amw/in-de-put-uit-de-put": "Een groep van 8 tot 10 personen met 2 begeleiders. In een groepsruimte, doorgaans op kantoor.",
    "bmw/training-omgaan-met-functieverandering": "In een groep. In een groepsruimte.",
}


def test_group_composition_of_every_group_module(cat):
    rows = cat.query("group-composition")
    got = {slug(r["module"]): (r.get("minGroupSize"), r.get("maxGroupSize"), r.get("facilitators"),
                               r.get("minSessions"), r.get("maxSessions"), r.get("unitLabel")) for r in rows}
    assert len(rows) == len(GROUPS) == 13  # 7 modules 'groepswerk en training', 6 'teambegeleiding en trainingen'
    assert got == GROUPS
    texts = {slug(r["module"]): r.get("settingText") for r in rows}
    for module, text in SETTING_TEXTS.items():
        assert texts[module] == text


def test_group_composition_of_one_werksoort(cat):
    rows = cat.query("group-composition", werksoort="bmw")
    assert {slug(r["module"]) for r in rows} == {m for m in GROUPS if m.startswith("bmw/")}


# ------------------------------------------------------------------ shared-goal-sentences

# Goal sentences printed in the same words in two or more modules (found by reading every Doel/Doelen
# section of both documents; none is shared across the two documents).
SHARED_SENTENCES = {
    "Eventueel verzuim is voorkomen of teruggedrongen.": {  # BMW p. 12, 13, 15
        "bmw/communicatiebegeleiding", "bmw/begeleiding-bij-persoonlijke-problemen",
        "bmw/individuele-begeleiding-bij-veranderingen-in-de-werksituatie"},
    "De cliënt heeft relevante informatie en/of advies gekregen.": {  # AMW p. 9, 33
        "amw/intake", "amw/in-de-put-uit-de-put"},
    "De spanningen zijn weer hanteerbaar voor de cliënt.": {  # AMW p. 17, 21
        "amw/ondersteunende-en-verwerkingsgerichte-begeleiding", "amw/stabiliserende-begeleiding"},
    "De cliënt heeft meer zelfvertrouwen en een realistischer kijk op mogelijkheden en beperkingen in de gegeven situatie.": {
        "amw/veranderings-en-competentiegerichte-begeleiding",  # AMW p. 16, 17
        "amw/ondersteunende-en-verwerkingsgerichte-begeleiding"},
    "De cliënt heeft meer zelfvertrouwen en een realistische kijk op mogelijkheden en beperkingen in de gegeven situatie.": {
        "amw/sociale-vaardigheidstraining", "amw/assertiviteitstraining"},  # AMW p. 31, 32
    "De zelfredzaamheid van de cliënt is vergroot.": {  # AMW p. 16, 31
        "amw/veranderings-en-competentiegerichte-begeleiding", "amw/sociale-vaardigheidstraining"},
    "De cliënt heeft zich sociale vaardigheden eigen gemaakt en kan deze beter toepassen in het dagelijks leven.": {
        "amw/sociale-vaardigheidstraining", "amw/assertiviteitstraining"},  # AMW p. 31, 32
    "De cliënt is zich bewust van zijn kwaliteiten en mogelijkheden.": {  # AMW p. 20, 30
        "amw/activerende-begeleiding-naar-betaalde-arbeid", "amw/weer-aan-de-slag"},
    "De cliënt heeft meer zelfvertrouwen en een realistische kijk op zijn arbeidsmogelijkheden en -beperkingen.": {
        "amw/activerende-begeleiding-naar-betaalde-arbeid", "amw/weer-aan-de-slag"},
    "De cliënt weet wat hij kan doen om de belemmeringen voor het vinden van passend werk op te heffen.": {
        "amw/activerende-begeleiding-naar-betaalde-arbeid", "amw/weer-aan-de-slag"},
}


def test_shared_goal_sentences(cat):
    rows = cat.query("shared-goal-sentences")
    got = {r["sentence"]: {slug(m) for m in r["moduleIris"].split(" | ")} for r in rows}
    assert got == SHARED_SENTENCES
    for row in rows:
        assert row["moduleCount"] == len(SHARED_SENTENCES[row["sentence"]])
        assert row["printedForms"] == 1  # letter for letter the same
        assert row["werksoortCount"] == 1
    # Ordered by the number of modules: the one sentence of three modules first.
    assert rows[0]["sentence"] == "Eventueel verzuim is voorkomen of teruggedrongen."


# ------------------------------------------------------------------ shared-goal-themes

def test_shared_goal_themes(cat):
    rows = cat.query("shared-goal-themes")
    by_theme = {r["theme"].removeprefix(ID + "goal-theme/"): r for r in rows}
    # Every goal with 'De spanningen ... hanteerbaar' in the documents: AMW p. 14 'De spanningen blijven
    # hanteerbaar voor de cliënt.', p. 17 and p. 21 'De spanningen zijn weer hanteerbaar voor de cliënt.',
    # p. 29 'De spanningen zijn (weer) hanteerbaar voor de cliënt.'; BMW p. 10 'De spanningen in de
    # werksituatie blijven hanteerbaar voor de medewerker.', p. 15 'De spanningen zijn weer hanteerbaar voor
    # de medewerker; ...', p. 28 'De spanningen zijn dusdanig hanteerbaar dat de medewerkers weer adequaat
    # kunnen functioneren.'
    tension = by_theme["spanningen-hanteerbaar"]
    assert set(tension["amwModules"].split(" | ")) == {
        "Wachttijdbegeleiding", "Ondersteunende en verwerkingsgerichte begeleiding", "Stabiliserende begeleiding",
        "Omgaan met (fysieke) spanningsklachten"}
    assert set(tension["bmwModules"].split(" | ")) == {
        "Overbruggingshulp", "Individuele begeleiding bij veranderingen in de werksituatie",
        "Teambegeleiding: Opvang en begeleiding na traumatische ervaringen"}
    assert (tension["amwModuleCount"], tension["bmwModuleCount"], tension["moduleCount"]) == (4, 3, 7)
    assert "De spanningen in de werksituatie blijven hanteerbaar voor de medewerker." in tension["bmwGoals"].split(" | ")
    # Only BMW has modules for leidinggevenden ('De intermediair heeft zich vaardigheden eigen gemaakt met
    # betrekking tot zijn eigen rol ...', BMW p. 16): a theme of one werksoort only is not listed.
    assert "rol-als-leidinggevende" not in by_theme
    for row in rows:
        assert row["amwModuleCount"] >= 1 and row["bmwModuleCount"] >= 1
        assert len(row["amwModules"].split(" | ")) == row["amwModuleCount"]
        assert len(row["bmwModules"].split(" | ")) == row["bmwModuleCount"]
    counts = [r["moduleCount"] for r in rows]
    assert counts == sorted(counts, reverse=True)


# ------------------------------------------------------------------ module-sections

SECTIONS = ["Doelgroep", "Doel", "Duur en frequentie (globale inschatting)", "Setting", "Werkwijze/activiteiten",
            "Eventuele aanvullende informatie", "Randvoorwaarden"]
# What the documents do not print, read module by module (every other section of the scheme is there;
# 'Er zijn geen specifieke randvoorwaarden' counts as the Randvoorwaarden section, and BMW p. 16 heads
# its working method 'Activiteiten / werkwijze / methode').
LACKING = {
    ("amw/omgaan-met-spanningsklachten", "Duur en frequentie (globale inschatting)"),  # p. 29: Doelen, then Werkwijze
    ("amw/omgaan-met-spanningsklachten", "Setting"),
    ("amw/aanmelding", "Eventuele aanvullende informatie"),
    ("amw/vraagverheldering", "Eventuele aanvullende informatie"),
    ("amw/onderzoek-en-rapportage", "Eventuele aanvullende informatie"),
    ("bmw/aanmelding-bmw", "Eventuele aanvullende informatie"),
    ("bmw/communicatiebegeleiding", "Eventuele aanvullende informatie"),
    ("bmw/reintegratiebegeleiding", "Eventuele aanvullende informatie"),
    ("bmw/individuele-begeleiding-bij-veranderingen-in-de-werksituatie", "Eventuele aanvullende informatie"),
    ("bmw/verwijzingstraject", "Eventuele aanvullende informatie"),
    ("bmw/onderzoek-en-rapportage-voor-een-team", "Eventuele aanvullende informatie"),
    ("bmw/training-persoonlijke-effectiviteit", "Eventuele aanvullende informatie"),
    ("bmw/training-omgaan-met-werkstress", "Eventuele aanvullende informatie"),
    ("bmw/teambegeleiding-opvang-na-traumatische-ervaringen", "Eventuele aanvullende informatie"),
}


def test_module_sections_has_and_lacks(cat):
    rows = cat.query("module-sections")
    assert len(rows) == 43 * 7
    assert {(slug(r["module"]), r["section"]) for r in rows if not r["present"]} == LACKING
    first = [r for r in rows if slug(r["module"]) == "amw/aanmelding"]
    assert [r["section"] for r in first] == SECTIONS and [r["position"] for r in first] == list(range(1, 8))
    assert {r["section"] for r in rows if r["optionalSection"]} == {"Eventuele aanvullende informatie"}


def test_module_sections_filters(cat):
    lacking = cat.query("module-sections", present="false", werksoort="amw")
    assert {(slug(r["module"]), r["section"]) for r in lacking} == {x for x in LACKING if x[0].startswith("amw/")}
    present = cat.query("module-sections", present="true")
    assert len(present) == 43 * 7 - len(LACKING) and all(r["present"] for r in present)


# ------------------------------------------------------------------ all list queries

@pytest.mark.parametrize("name", LIST_QUERIES)
def test_example_line_runs(cat, name):
    assert cat.query(name, **cat.queries[name].example_params)


@pytest.mark.parametrize("name", LIST_QUERIES)
def test_iri_defaults_and_enumerations_are_full_iris(cat, name):
    """grlc sends a slug as a relative IRI: IRI parameters' defaults and enumerations are full IRIs."""
    query = cat.queries[name]
    iri_params = {p.name for p in query.parameters if p.kind == "iri"}
    for item in query.header.get("defaults", []) or []:
        for key, value in item.items():
            if key in iri_params:
                assert str(value).startswith("https://"), (name, key, value)
    for item in query.header.get("enumerate", []) or []:
        for key, values in item.items():
            if key in iri_params:
                assert all(str(v).startswith("https://") for v in values), (name, key)


ENGINE_CASES = [
    ("prerequisites-all", {}), ("prerequisites-all", {"werksoort": "amw"}),
    ("group-composition", {}), ("shared-goal-sentences", {}), ("shared-goal-themes", {}),
    ("module-sections", {}), ("module-sections", {"present": "true", "werksoort": "bmw"}),
    ("modules-by-target-group", {}), ("modules-by-target-group", {"audience": "target-audience/teams"}),
]


@pytest.fixture(scope="module")
def oxstore(cat):
    ox = pytest.importorskip("pyoxigraph")
    store = ox.Store()
    store.load(cat.graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return store


def _value(term):
    if term is None:
        return None
    text = str(term) if isinstance(term, str) else str(term.value)
    return tuple(sorted(text.split(" | "))) if " | " in text else text


@pytest.mark.parametrize(("name", "params"), ENGINE_CASES, ids=lambda v: v if isinstance(v, str) else repr(v))
def test_same_rows_on_pyoxigraph_with_values_written_in(cat, oxstore, name, params):
    """The way grlc runs a query: values written into the text, left-out parameters stay variables."""
    query = cat.queries[name]
    bindings = named.bind(query, params, cat.graph)
    text = query.text
    for variable, term in sorted(bindings.items(), key=lambda kv: -len(kv[0])):
        text = re.sub(r"\?" + re.escape(variable) + r"\b", term.n3(), text)
    ours = run_sparql(cat.graph, query.text, bindings, source=name)
    theirs = oxstore.query(text)
    variables = ours.variables
    assert [v.value for v in theirs.variables] == variables
    ours_rows = Counter(tuple(_value(r.get(v)) for v in variables) for r in ours.rows)
    theirs_rows = Counter(tuple(_value(s[v]) for v in variables) for s in theirs)
    assert ours_rows == theirs_rows
    assert ours_rows
