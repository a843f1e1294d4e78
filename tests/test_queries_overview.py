"""The overview and comparison queries: module-card, modules-per-function,
functions-in-one-werksoort, werksoort-comparison and overlap.

Every expected answer is read from the source documents, not from a query's output:
AMW = deel 2b (../shared/sources/000_592630499203680d.txt), BMW = deel 2a
(../shared/sources/003_fa264c4e35d7fac0.txt). The sentence an expectation rests on is quoted in a
comment. Queries run on the catalogue as users see it: asserted + inferred triples.
"""

from __future__ import annotations

import re

import pytest

from modgraph.api import Catalogue
from modgraph.namespaces import BASE, MG_NS

SKOS = "http://www.w3.org/2004/02/skos/core#"


def iri(path: str) -> str:
    return BASE + path


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    return Catalogue()


def squash(title: str) -> str:
    """A title with the spacing around '/' removed: the table of contents prints
    'Bemiddeling/conflictbegeleiding' where the module page prints 'Bemiddeling / conflictbegeleiding'."""
    return re.sub(r"\s*/\s*", "/", title.strip())


def titles_of(row: dict) -> set[str]:
    """Every title of a modules-per-function row: the heading and the other printed titles."""
    others = [t for t in str(row.get("otherTitles", "")).split(" | ") if t]
    return {squash(str(row["title"]))} | {squash(t) for t in others}


def values(card: list[dict], field: str) -> set:
    """The values of one field of a module card."""
    return {row["value"] for row in card if row["field"] == field}


def row_for(card: list[dict], field: str, value) -> dict:
    matches = [row for row in card if row["field"] == field and row["value"] == value]
    assert len(matches) == 1, f"{field} = {value}: {len(matches)} rows"
    return matches[0]


# ==================================================================== modules-per-function

# AMW, 'Arbeidsrelevante maatschappelijk-werk modulen geordend per functie' (table of contents),
# titles and pages as printed there:
#   Toegangsfuncties / Functie: aanmelding / • Aanmelding ....8
#   Functie: intake, indicatie en verwijzing / • Intake ....9 / • Inventarisatie schulden/intake
#   schuldhulpverlening ....11
#   Uitvoeringsfuncties / Functie: informatie, advies en concrete dienstverlening / • Informatie en advies ....13
#   Functie: begeleiding / • Wachttijdbegeleiding ....14 ... • Activerende begeleiding naar (betaalde) arbeid ....20
#   Functie: ondersteuning / • Stabiliserende begeleiding ....21 / • Voortraject arbeidstoeleiding ....22
#   Functie: onderzoek en rapportage / • Onderzoek en rapportage ....23
#   Functie: bemiddeling / • Bemiddeling en (individuele) belangenbehartiging ....25
#   Functie: groepswerk en training / • Stress op het werk de baas ....28 ... • Uitkomen met inkomen ....34
AMW_TOC = [
    ("Toegangsfuncties", "aanmelding", "Aanmelding", 8),
    ("Toegangsfuncties", "intake, indicatie en verwijzing", "Intake", 9),
    ("Toegangsfuncties", "intake, indicatie en verwijzing", "Inventarisatie schulden/intake schuldhulpverlening", 11),
    ("Uitvoeringsfuncties", "informatie, advies en concrete dienstverlening", "Informatie en advies", 13),
    ("Uitvoeringsfuncties", "begeleiding", "Wachttijdbegeleiding", 14),
    ("Uitvoeringsfuncties", "begeleiding", "Vraagverheldering", 15),
    ("Uitvoeringsfuncties", "begeleiding", "Veranderings- en competentiegerichte begeleiding", 16),
    ("Uitvoeringsfuncties", "begeleiding", "Ondersteunende en verwerkingsgerichte begeleiding", 17),
    ("Uitvoeringsfuncties", "begeleiding", "Praktische en materiële begeleiding", 18),
    ("Uitvoeringsfuncties", "begeleiding", "Budgetbegeleiding", 19),
    ("Uitvoeringsfuncties", "begeleiding", "Activerende begeleiding naar (betaalde) arbeid", 20),
    ("Uitvoeringsfuncties", "ondersteuning", "Stabiliserende begeleiding", 21),
    ("Uitvoeringsfuncties", "ondersteuning", "Voortraject arbeidstoeleiding", 22),
    ("Uitvoeringsfuncties", "onderzoek en rapportage", "Onderzoek en rapportage", 23),
    ("Uitvoeringsfuncties", "bemiddeling", "Bemiddeling en (individuele) belangenbehartiging", 25),
    ("Uitvoeringsfuncties", "groepswerk en training", "Stress op het werk de baas", 28),
    ("Uitvoeringsfuncties", "groepswerk en training", "Omgaan met (fysieke) spanningsklachten", 29),
    ("Uitvoeringsfuncties", "groepswerk en training", "Weer aan de slag", 30),
    ("Uitvoeringsfuncties", "groepswerk en training", "Sociale vaardigheidstraining", 31),
    ("Uitvoeringsfuncties", "groepswerk en training", "Assertiviteitstraining", 32),
    ("Uitvoeringsfuncties", "groepswerk en training", "In de put, uit de put", 33),
    ("Uitvoeringsfuncties", "groepswerk en training", "Uitkomen met inkomen", 34),
]

# BMW, 'Overzicht modulen BMW' (table of contents), titles and pages as printed there:
#   Modulen voor de toegangsfuncties van het BMW / Functie: aanmelding, intake, indicatie en
#   verwijzing / • Aanmelding BMW ....6 / • Intake BMW ....7 / • Intake schuldhulpverlening BMW ....8
#   Modulen voor de uitvoeringsfuncties van het BMW / Functie: informatie, advies en concrete
#   dienstverlening / • Informatie en advies BMW ....9
#   Functie: begeleiding / • Overbruggingshulp ....10 ... • Coaching van leidinggevenden ....16
#   Functie: bemoeizorg / • Verwijzingstraject ....17
#   Functie: onderzoek en rapportage / • Onderzoek en rapportage (voor een team) ....18
#   Functie: bemiddeling / • Bemiddeling/conflictbegeleiding ....19
#   Functie: consultatie / • Consultatie aan leidinggevenden ....20
#   Functie: teambegeleiding en trainingen / • Training: Persoonlijke effectiviteit ....23 ...
#   • Teambegeleiding: Opvang en begeleiding na traumatische ervaringen ....28
BMW_TOC = [
    ("Toegangsfuncties", "aanmelding, intake, indicatie en verwijzing", "Aanmelding BMW", 6),
    ("Toegangsfuncties", "aanmelding, intake, indicatie en verwijzing", "Intake BMW", 7),
    ("Toegangsfuncties", "aanmelding, intake, indicatie en verwijzing", "Intake schuldhulpverlening BMW", 8),
    ("Uitvoeringsfuncties", "informatie, advies en concrete dienstverlening", "Informatie en advies BMW", 9),
    ("Uitvoeringsfuncties", "begeleiding", "Overbruggingshulp", 10),
    ("Uitvoeringsfuncties", "begeleiding", "Competentiegerichte begeleiding", 11),
    ("Uitvoeringsfuncties", "begeleiding", "Communicatiebegeleiding", 12),
    ("Uitvoeringsfuncties", "begeleiding", "Begeleiding bij persoonlijke problemen", 13),
    ("Uitvoeringsfuncties", "begeleiding", "Reïntegratiebegeleiding", 14),
    ("Uitvoeringsfuncties", "begeleiding", "Individuele begeleiding bij veranderingen in de werksituatie", 15),
    ("Uitvoeringsfuncties", "begeleiding", "Coaching van leidinggevenden", 16),
    ("Uitvoeringsfuncties", "bemoeizorg", "Verwijzingstraject", 17),
    ("Uitvoeringsfuncties", "onderzoek en rapportage", "Onderzoek en rapportage (voor een team)", 18),
    ("Uitvoeringsfuncties", "bemiddeling", "Bemiddeling/conflictbegeleiding", 19),
    ("Uitvoeringsfuncties", "consultatie", "Consultatie aan leidinggevenden", 20),
    ("Uitvoeringsfuncties", "teambegeleiding en trainingen", "Training: Persoonlijke effectiviteit", 23),
    ("Uitvoeringsfuncties", "teambegeleiding en trainingen", "Training: Omgaan met werkstress", 24),
    ("Uitvoeringsfuncties", "teambegeleiding en trainingen", "Training: Omgaan met (functie)verandering", 25),
    ("Uitvoeringsfuncties", "teambegeleiding en trainingen",
     "Training: Communicatietraining gericht op betere samenwerking", 26),
    ("Uitvoeringsfuncties", "teambegeleiding en trainingen", "Teambegeleiding", 27),
    ("Uitvoeringsfuncties", "teambegeleiding en trainingen",
     "Teambegeleiding: Opvang en begeleiding na traumatische ervaringen", 28),
]


@pytest.mark.parametrize("werksoort, toc", [("amw", AMW_TOC), ("bmw", BMW_TOC)])
def test_modules_per_function_follow_the_table_of_contents(cat, werksoort, toc):
    """Every module of the document, in the document's order, with function group, function and page."""
    rows = cat.query("modules-per-function", werksoort=werksoort)
    assert len(rows) == len(toc), [r["title"] for r in rows]
    for row, (group, function, title, page) in zip(rows, toc):
        assert row["werksoort"] == iri(f"werksoort/{werksoort}")
        assert (row["functionGroupLabel"], row["functionLabel"], row["page"]) == (group, function, page), row
        # The title printed in the table of contents is the module's heading or one of its other titles.
        assert squash(title) in titles_of(row), (title, row)


def test_modules_per_function_without_werksoort_lists_both_documents(cat):
    # 22 AMW modules (deel 2b) and 21 BMW modules (deel 2a) in the two tables of contents.
    rows = cat.query("modules-per-function")
    assert [r["page"] for r in rows] == [p for *_, p in AMW_TOC] + [p for *_, p in BMW_TOC]
    assert {r["werksoort"] for r in rows[:22]} == {iri("werksoort/amw")}
    assert {r["werksoort"] for r in rows[22:]} == {iri("werksoort/bmw")}


def test_EX1_bmw_modules_of_function_begeleiding(cat):
    """EX1: which BMW modules belong to the function 'begeleiding'? One of them has two titles."""
    # deel 2a, Overzicht modulen BMW: 'Functie: begeleiding' • Overbruggingshulp • Competentiegerichte
    # begeleiding • Communicatiebegeleiding • Begeleiding bij persoonlijke problemen
    # • Reïntegratiebegeleiding • Individuele begeleiding bij veranderingen in de werksituatie
    # • Coaching van leidinggevenden. The module page (p. 16) is headed 'Coachen van leidinggevenden'.
    rows = cat.query("modules-per-function", werksoort="bmw", function="bmw/begeleiding")
    assert {r["title"] for r in rows} == {
        "Overbruggingshulp",
        "Competentiegerichte begeleiding",
        "Communicatiebegeleiding",
        "Begeleiding bij persoonlijke problemen",
        "Reïntegratiebegeleiding",
        "Individuele begeleiding bij veranderingen in de werksituatie",
        "Coachen van leidinggevenden",
    }
    assert {r["function"] for r in rows} == {iri("function/bmw/begeleiding")}
    coaching = [r for r in rows if "Coaching van leidinggevenden" in str(r.get("otherTitles", "")).split(" | ")]
    assert [r["module"] for r in coaching] == [iri("module/bmw/coachen-van-leidinggevenden")]


def test_EX1_the_overview_title_finds_the_module(cat):
    # The overview's 'Coaching van leidinggevenden' is the module 'Coachen van leidinggevenden' (p. 16).
    card = cat.query("module-card", module="Coaching van leidinggevenden")
    assert "Coachen van leidinggevenden" in values(card, "titel")
    assert "Coaching van leidinggevenden" in values(card, "andere titel (inhoudsopgave of typelijst)")
    assert values(card, "functie") == {iri("function/bmw/begeleiding")}
    assert values(card, "pagina") == {16}


# ==================================================================== functions-in-one-werksoort

def _one_werksoort(cat, criterion):
    rows = cat.query("functions-in-one-werksoort")
    return {(r["werksoortLabel"], r["functionLabel"]) for r in rows if r["criterion"] == criterion}


def test_functions_in_one_werksoort_by_name(cat):
    # BMW (deel 2a) prints 'Functie: aanmelding, intake, indicatie en verwijzing', 'Functie: bemoeizorg',
    # 'Functie: consultatie', 'Functie: teambegeleiding en trainingen'; AMW (deel 2b) prints none of these
    # names. AMW prints 'Functie: aanmelding', 'Functie: intake, indicatie en verwijzing', 'Functie:
    # ondersteuning', 'Functie: groepswerk en training', which BMW does not print. Both print
    # 'informatie, advies en concrete dienstverlening', 'begeleiding', 'onderzoek en rapportage' and
    # 'bemiddeling'. (BMW's one access function has a name of its own, so by name it is BMW-only too.)
    assert _one_werksoort(cat, "naam") == {
        ("BMW", "aanmelding, intake, indicatie en verwijzing"),
        ("BMW", "bemoeizorg"),
        ("BMW", "consultatie"),
        ("BMW", "teambegeleiding en trainingen"),
        ("AMW", "aanmelding"),
        ("AMW", "intake, indicatie en verwijzing"),
        ("AMW", "ondersteuning"),
        ("AMW", "groepswerk en training"),
    }


def test_functions_in_one_werksoort_by_crosswalk(cat):
    # deel 2a: 'Met de indeling in functies wordt aangesloten op de modulenindeling voor
    # maatschappelijk-werkinstellingen.' BMW's access function covers AMW's two access functions and
    # 'teambegeleiding en trainingen' is BMW's counterpart of 'groepswerk en training'; bemoeizorg
    # (Verwijzingstraject) and consultatie (Consultatie aan leidinggevenden) have no AMW counterpart,
    # and AMW's ondersteuning (Stabiliserende begeleiding, Voortraject arbeidstoeleiding) none in BMW.
    assert _one_werksoort(cat, "crosswalk") == {
        ("BMW", "bemoeizorg"),
        ("BMW", "consultatie"),
        ("AMW", "ondersteuning"),
    }


def test_functions_in_one_werksoort_names_the_counterpart_of_a_renamed_function(cat):
    rows = cat.query("functions-in-one-werksoort")
    team = [r for r in rows if r["function"] == iri("function/bmw/teambegeleiding-en-trainingen")]
    assert [r["criterion"] for r in team] == ["naam"]
    assert "groepswerk en training" in team[0]["crosswalkMatches"]
    # Functie: teambegeleiding en trainingen lists six modules (pages 23 to 28).
    assert team[0]["modules"] == 6


# ==================================================================== werksoort-comparison

def test_werksoort_comparison_puts_matching_functions_side_by_side(cat):
    rows = cat.query("werksoort-comparison")
    by_bmw = {r.get("bmwFunctionLabel"): r for r in rows}
    # From the two tables of contents (see AMW_TOC and BMW_TOC): function -> (BMW modules, AMW modules).
    expected = {
        "aanmelding, intake, indicatie en verwijzing": ({"aanmelding", "intake, indicatie en verwijzing"}, 3, 3),
        "informatie, advies en concrete dienstverlening": ({"informatie, advies en concrete dienstverlening"}, 1, 1),
        "begeleiding": ({"begeleiding"}, 7, 7),
        "bemoeizorg": (set(), 1, 0),
        "onderzoek en rapportage": ({"onderzoek en rapportage"}, 1, 1),
        "bemiddeling": ({"bemiddeling"}, 1, 1),
        "consultatie": (set(), 1, 0),
        "teambegeleiding en trainingen": ({"groepswerk en training"}, 6, 7),
        None: ({"ondersteuning"}, 0, 2),   # the AMW-only function has no BMW function on its row
    }
    assert set(by_bmw) == set(expected)
    for bmw_function, (amw_functions, bmw_count, amw_count) in expected.items():
        row = by_bmw[bmw_function]
        got = {f for f in str(row["amwFunctionLabels"]).split(" | ") if f}
        assert (got, row["bmwModuleCount"], row["amwModuleCount"]) == (amw_functions, bmw_count, amw_count), row
    # BMW's order of functions (deel 2a), then the AMW-only function.
    assert [r.get("bmwFunctionLabel") for r in rows] == [
        "aanmelding, intake, indicatie en verwijzing", "informatie, advies en concrete dienstverlening",
        "begeleiding", "bemoeizorg", "onderzoek en rapportage", "bemiddeling", "consultatie",
        "teambegeleiding en trainingen", None,
    ]


def test_werksoort_comparison_lists_the_modules_of_both_sides(cat):
    rows = cat.query("werksoort-comparison")
    access = next(r for r in rows if r.get("bmwFunctionLabel") == "aanmelding, intake, indicatie en verwijzing")
    # deel 2a p. 6-8: Aanmelding BMW, Intake BMW, Intake schuldhulpverlening BMW; deel 2b p. 8-11:
    # Aanmelding (functie aanmelding), Intake and Inventarisatie schulden / intake schuldhulpverlening
    # (functie intake, indicatie en verwijzing).
    assert set(access["bmwModules"].split(" | ")) == {"Aanmelding BMW", "Intake BMW", "Intake schuldhulpverlening BMW"}
    assert set(access["amwModules"].split(" | ")) == {
        "Aanmelding", "Intake", "Inventarisatie schulden / intake schuldhulpverlening"}
    assert access["mapping"] == "skos:narrowMatch"
    support = next(r for r in rows if r.get("bmwFunctionLabel") is None)
    # deel 2b: 'Functie: ondersteuning • Stabiliserende begeleiding ....21 • Voortraject arbeidstoeleiding ....22'
    assert set(support["amwModules"].split(" | ")) == {"Stabiliserende begeleiding", "Voortraject arbeidstoeleiding"}
    assert support["bmwModules"] == ""


# ==================================================================== overlap

def _pair(rows, amw, bmw):
    found = [r for r in rows if r["amwModule"] == iri(amw) and r["bmwModule"] == iri(bmw)]
    assert len(found) == 1, f"{amw} - {bmw}: {len(found)} rows"
    return found[0]


def test_EX7_overlap_puts_overbruggingshulp_first_for_wachttijdbegeleiding(cat):
    """EX7: which BMW module does the same job as AMW 'Wachttijdbegeleiding', and why?"""
    rows = cat.query("overlap", module="amw/wachttijdbegeleiding", minScore=1)
    assert rows, "no overlap at all"
    assert rows[0]["bmwModule"] == iri("module/bmw/overbruggingshulp"), [r["bmwTitle"] for r in rows[:5]]
    assert rows[0]["score"] > rows[1]["score"]
    shared = set(rows[0]["sharedItems"].split(" | "))
    # Both are printed under 'Functie: begeleiding' (deel 2b p. 14, deel 2a p. 10).
    # AMW: 'De spanningen blijven hanteerbaar voor de cliënt.' BMW: 'De spanningen in de werksituatie
    # blijven hanteerbaar voor de medewerker.'
    # AMW: '... voorkomen wordt dat de situatie verergert of dat er nieuwe problemen ontstaan.' BMW: '...
    # voorkomen wordt dat de situatie tijdens de wachttijd verergert of dat er nieuwe problemen ontstaan.'
    # Both: 'Variërend van eenmaal per 14 dagen tot eenmaal per maand.'
    # Setting, AMW: 'Individueel, relatie of gezin, eventueel met naastbetrokkenen. Doorgaans op kantoor.'
    # BMW: 'Individueel. Doorgaans op kantoor van de BMWer of in de werkomgeving van de medewerker.'
    # (Crisis help is not shared: AMW names crisisinterventie only in its randvoorwaarde, 'Dit kan
    # crisisinterventie betreffen', which is not a method the module uses - issue 14.)
    assert {
        iri("function/amw/begeleiding"),
        iri("goal-theme/spanningen-hanteerbaar"),
        iri("goal-theme/verergering-voorkomen"),
        iri("frequency/eens-per-14-dagen-tot-eens-per-maand"),
        iri("setting/individueel"),
        iri("place/kantoor"),
    } <= shared
    assert iri("method/crisisinterventie") not in shared
    assert "functie: begeleiding [skos:exactMatch]" in rows[0]["shared"].split(" | ")
    # The ranking explains itself: one listed item per counted item, the same function weighs 2.
    assert rows[0]["sharedCount"] == len(shared) == len(rows[0]["shared"].split(" | "))
    assert rows[0]["score"] == rows[0]["sharedCount"] + 1


def test_EX7_overlap_seen_from_overbruggingshulp(cat):
    rows = cat.query("overlap", module="bmw/overbruggingshulp", minScore=1)
    # Wachttijdbegeleiding has the highest score (Activerende begeleiding ties with it: both name providers
    # without naming them, <organisation/collega-instelling>, and share the kinds of precondition).
    top = max(r["score"] for r in rows)
    wachttijd = [r for r in rows if r["amwModule"] == iri("module/amw/wachttijdbegeleiding")]
    assert wachttijd and wachttijd[0]["score"] == top, [(r["amwTitle"], r["score"]) for r in rows[:5]]
    assert all(r["bmwModule"] == iri("module/bmw/overbruggingshulp") for r in rows)


def test_overlap_counts_a_close_function_once(cat):
    # AMW 'Stress op het werk de baas' (Functie: groepswerk en training, p. 28) and BMW 'Training:
    # Omgaan met werkstress' (Functie: teambegeleiding en trainingen, p. 24): related functions, not the
    # same. Both: 'Psycho-educatie vormt het belangrijkste element van deze module.'
    rows = cat.query("overlap", module="amw/stress-op-het-werk-de-baas", minScore=1)
    row = _pair(rows, "module/amw/stress-op-het-werk-de-baas", "module/bmw/training-omgaan-met-werkstress")
    shared = set(row["sharedItems"].split(" | "))
    assert {iri("function/amw/groepswerk-en-training"), iri("method/psycho-educatie")} <= shared
    assert row["score"] == row["sharedCount"]


def test_overlap_min_score_limits_the_rows(cat):
    everything = cat.query("overlap", minScore=1)
    high = cat.query("overlap", minScore=8)
    assert high and len(high) < len(everything)
    assert all(r["score"] >= 8 for r in high)
    assert {(r["amwModule"], r["bmwModule"]) for r in high} == {
        (r["amwModule"], r["bmwModule"]) for r in everything if r["score"] >= 8}
    # Ranked: scores never go up.
    assert [r["score"] for r in everything] == sorted((r["score"] for r in everything), reverse=True)
    # Only AMW-BMW pairs.
    assert all(r["amwModule"].startswith(iri("module/amw/")) and r["bmwModule"].startswith(iri("module/bmw/"))
               for r in everything)


# ==================================================================== module-card

def test_module_card_wachttijdbegeleiding(cat):
    card = cat.query("module-card", module="amw/wachttijdbegeleiding")
    # deel 2b, table of contents: 'Functie: begeleiding • Wachttijdbegeleiding ....14', under
    # 'Uitvoeringsfuncties'; 'Type a: algemene modulen waarbij arbeid een thema kan zijn • Wachttijdbegeleiding'.
    assert "Wachttijdbegeleiding" in values(card, "titel")
    assert values(card, "werksoort") == {iri("werksoort/amw")}
    assert values(card, "brondocument") == {iri("document/deel-2b")}
    assert values(card, "pagina") == {14}
    assert values(card, "functie") == {iri("function/amw/begeleiding")}
    assert values(card, "functiegroep") == {iri("function-group/amw/uitvoeringsfuncties")}
    assert values(card, "moduletype") == {iri("module-type/amw/a")}
    # Doelgroep: 'Cliënten/cliëntsystemen die op de wachtlijst van de AMW-instelling staan en voor wie de
    # ervaren lijdensdruk hoog is.'
    assert values(card, "doelgroep (tekst)") == {
        "Cliënten/cliëntsystemen die op de wachtlijst van de AMW-instelling staan en voor wie de ervaren "
        "lijdensdruk hoog is."}
    # Doelen: '• De spanningen blijven hanteerbaar voor de cliënt*.' '• De cliënt heeft dusdanige informatie
    # en ondersteuning dat voorkomen wordt dat de situatie verergert of dat er nieuwe problemen ontstaan.'
    goals = sorted((r["position"], r["value"]) for r in card if r["field"] == "doel")
    assert goals == [
        (1, "De spanningen blijven hanteerbaar voor de cliënt."),
        (2, "De cliënt heeft dusdanige informatie en ondersteuning dat voorkomen wordt dat de situatie "
            "verergert of dat er nieuwe problemen ontstaan."),
    ]
    themes = {r["item"] for r in card if r["field"] == "doelthema"}
    assert themes == {iri("module/amw/wachttijdbegeleiding/goal/1"), iri("module/amw/wachttijdbegeleiding/goal/2")}
    # Duur en frequentie: 'af en toe contact ... Variërend van eenmaal per 14 dagen tot eenmaal per maand.'
    # No number of sessions is printed.
    assert values(card, "frequentie") == {iri("frequency/eens-per-14-dagen-tot-eens-per-maand")}
    assert values(card, "minimum aantal contacten") == set()
    assert values(card, "maximum aantal contacten") == set()
    # Setting: 'Individueel, relatie of gezin, eventueel met naastbetrokkenen. Doorgaans op kantoor.'
    assert values(card, "deelnemers (setting)") == {
        iri("setting/individueel"), iri("setting/relatie-of-gezin"), iri("setting/naastbetrokkenen")}
    assert values(card, "plaats of contactvorm (setting)") == {iri("place/kantoor")}
    # Werkwijze/activiteiten: two bullets.
    assert len([r for r in card if r["field"] == "activiteit"]) == 2
    # Randvoorwaarde: one paragraph. It names crisisinterventie as help that may be started instead of
    # waiting ('Dit kan crisisinterventie betreffen, maar ook begeleidings- of ondersteuningsmodulen.'), not
    # a method the module uses (issue 14): no 'gebruikt methode'.
    preconditions = [r for r in card if r["field"] == "randvoorwaarde"]
    assert len(preconditions) == 1
    assert preconditions[0]["value"].startswith("Op het moment dat de situatie onhoudbaar is")
    assert values(card, "gebruikt methode") == set()
    # No 'Er zijn geen specifieke randvoorwaarden' here.
    assert values(card, "geen specifieke randvoorwaarden") == set()


def test_module_card_intake_numbers_referrals_and_no_preconditions(cat):
    card = cat.query("module-card", module="amw/intake")
    # Duur en frequentie: 'Gemiddeld 1 tot 2 gesprekken van drie kwartier tot een uur.'
    assert values(card, "minimum aantal contacten") == {1}
    assert values(card, "maximum aantal contacten") == {2}
    assert values(card, "eenheid van contact") == {iri("session-unit/gesprek")}
    assert values(card, "minimale duur per contact (minuten)") == {45}
    assert values(card, "maximale duur per contact (minuten)") == {60}
    # Randvoorwaarden: 'Er zijn geen specifieke randvoorwaarden.'
    assert values(card, "geen specifieke randvoorwaarden") == {True}
    assert values(card, "randvoorwaarden (tekst)") == {"Er zijn geen specifieke randvoorwaarden."}
    assert [r for r in card if r["field"] == "randvoorwaarde"] == []
    # 'De cliënt kan doorverwezen zijn door bedrijfsarts of BMWer.' (p. 9)
    assert values(card, "wordt verwezen door") == {iri("role/bedrijfsarts"), iri("role/bmwer")}
    for partner in ("role/bedrijfsarts", "role/bmwer"):
        row = row_for(card, "wordt verwezen door", iri(partner))
        assert row["quote"] == "De cliënt kan doorverwezen zijn door bedrijfsarts of BMWer."
        assert row["quotePage"] == "9"


def test_module_card_no_preconditions_printed_without_full_stop(cat):
    # deel 2a, Training: Persoonlijke effectiviteit (p. 23): 'Randvoorwaarden / Er zijn geen specifieke
    # randvoorwaarden' - printed without the full stop.
    card = cat.query("module-card", module="bmw/training-persoonlijke-effectiviteit")
    assert values(card, "geen specifieke randvoorwaarden") == {True}
    assert values(card, "randvoorwaarden (tekst)") == {"Er zijn geen specifieke randvoorwaarden"}


def test_module_card_sequencing_from_both_sides(cat):
    # Voortraject arbeidstoeleiding (p. 22): 'Deze module kan gevolgd worden door activerende begeleiding
    # naar (betaalde) arbeid (pagina 20) of de groep weer aan de slag (pagina 30).'
    card = cat.query("module-card", module="amw/voortraject-arbeidstoeleiding")
    assert values(card, "kan gevolgd worden door") == {
        iri("module/amw/activerende-begeleiding-naar-betaalde-arbeid"), iri("module/amw/weer-aan-de-slag")}
    sentence = ("Deze module kan gevolgd worden door activerende begeleiding naar (betaalde) arbeid (pagina 20) "
                "of de groep weer aan de slag (pagina 30).")
    for follow_up in ("module/amw/activerende-begeleiding-naar-betaalde-arbeid", "module/amw/weer-aan-de-slag"):
        row = row_for(card, "kan gevolgd worden door", iri(follow_up))
        assert sentence in row["quote"].split(" | ")
        assert "22" in row["quotePage"].split(", ")
    # The reverse, stated in the later module (Activerende begeleiding, p. 20): 'Deze module kan volgen
    # op het voortraject arbeidstoeleiding (pagina 22) en opgevolgd worden door de groep weer aan de slag
    # (pagina 30).' It shows on Voortraject's card too, with the page it stands on.
    row = row_for(card, "kan gevolgd worden door", iri("module/amw/activerende-begeleiding-naar-betaalde-arbeid"))
    assert "20" in row["quotePage"].split(", ")
    assert any(q.startswith("Deze module kan volgen op het voortraject arbeidstoeleiding") for q in row["quote"].split(" | "))


def test_module_card_partners_methods_and_legal_frameworks(cat):
    card = cat.query("module-card", module="amw/activerende-begeleiding-naar-betaalde-arbeid")
    # Doelgroep: 'Cliënten die niet (meer) werken, al dan niet een uitkering ontvangen (WAO/WIA, WWB of WW) ...'
    assert values(card, "wettelijk kader") == {
        iri("legal-framework/wao"), iri("legal-framework/wia"), iri("legal-framework/wwb"), iri("legal-framework/ww")}
    assert row_for(card, "wettelijk kader", iri("legal-framework/wwb"))["quotePage"] == "20"
    # 'Er wordt gebruik gemaakt van verschillende methoden waaronder taakgericht werken.'
    # 'Motiverende gesprekstechnieken spelen een belangrijke rol ...'
    assert {iri("method/taakgericht-werken"), iri("method/motiverende-gespreksvoering")} <= values(card, "gebruikt methode")
    # 'Een combinatie met een training sociale vaardigheden is aanbevolen.'
    assert values(card, "aanbevolen combinatie met") == {iri("module/amw/sociale-vaardigheidstraining")}
    # ... and the same, seen from the training (a symmetric relation, quoted from p. 20).
    training = cat.query("module-card", module="amw/sociale-vaardigheidstraining")
    row = row_for(training, "aanbevolen combinatie met", iri("module/amw/activerende-begeleiding-naar-betaalde-arbeid"))
    assert row["quote"] == "Een combinatie met een training sociale vaardigheden is aanbevolen."
    assert row["quotePage"] == "20"
    # Sociale vaardigheidstraining (p. 31): 'Aan deze module gaat een intake vooraf.' and 'Gedragsmodificatie
    # vormt het belangrijkste element van deze module.'
    assert values(training, "vereist voorafgaande module") == {iri("module/amw/intake")}
    assert values(training, "kan volgen op") == set()     # the weaker form of the same fact is not repeated
    assert values(training, "belangrijkste element") == {iri("method/gedragsmodificatie")}
    assert iri("method/gedragsmodificatie") not in values(training, "gebruikt methode")


def test_module_card_overbruggingshulp_names_one_method(cat):
    # deel 2a p. 10, the only method the text names: 'Indien nodig wordt crisishulpverlening ingezet.'
    # (the Randvoorwaarde 'Afspraken over crisishulpverlening.' is an agreement, not evidence). 'Er kan een combinatie van methoden
    # toegepast worden, al naar gelang de aard van de problematiek en de behoeften van de medewerker.'
    # names none - the AMW twin Wachttijdbegeleiding prints the same sentence.
    card = cat.query("module-card", module="bmw/overbruggingshulp")
    assert values(card, "gebruikt methode") | values(card, "belangrijkste element") == {iri("method/crisisinterventie")}


def test_module_card_rows_are_facts_of_this_module(cat):
    card = cat.query("module-card", module="bmw/overbruggingshulp")
    # Every item a fact is about belongs to this module or is its function.
    for row in card:
        if "item" in row:
            assert row["item"].startswith(iri("module/bmw/overbruggingshulp/")) or row["field"] == "functiegroep", row
    # Every IRI value has a Dutch label, every mg: property is one of the ontology's.
    declared = {str(s) for s in cat.graph.subjects()}
    for row in card:
        if isinstance(row["value"], str) and row["value"].startswith(BASE):
            assert row.get("valueLabel"), row
        if row["property"].startswith(MG_NS):
            assert row["property"] in declared, row
