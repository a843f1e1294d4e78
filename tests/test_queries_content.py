"""Answers of the named queries, checked against the source documents.

Every expected answer below is written from reading the two documents (AMW = deel 2b,
../shared/sources/000_592630499203680d.txt; BMW = deel 2a, ../shared/sources/003_fa264c4e35d7fac0.txt),
with the sentence it rests on quoted in a comment; none is copied from a query's output. Queries:
target-group-modules, bmw-and-target-groups, intensity, modules-max-sessions, group-modules,
cross-werksoort-referrals, modules-by-legal-framework, text-search and the quality checks qc/*.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import RDF, Graph, Literal, Namespace, URIRef

from modgraph import queries
from modgraph.api import Catalogue
from modgraph.results import run_sparql

ROOT = Path(__file__).resolve().parents[1]
ID = Namespace("https://w3id.org/modgraph/id/")
MG = Namespace("https://w3id.org/modgraph/def#")

# The quality checks this file answers for (others may add more under queries/qc/).
QC_CHECKS = [
    "qc/goal-without-theme-violation",
    "qc/min-sessions-above-max-violation",
    "qc/module-without-function-violation",
    "qc/orphan-item-violation",
    "qc/quote-not-in-module-text-violation",
    "qc/relation-without-evidence-violation",
    "qc/sequencing-without-evidence-violation",
    "qc/sessions-without-unit-violation",
    "qc/statement-without-triple-violation",
]


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    return Catalogue(ROOT)


def module(slug: str) -> str:
    return str(ID["module/" + slug])


def slug(row: dict) -> str:
    """The module slug (amw/intake) of a row."""
    return str(row["module"]).removeprefix(str(ID) + "module/")


def slugs(rows) -> set[str]:
    return {slug(r) for r in rows}


# ------------------------------------------------------------------ target groups and module types

# AMW, 'Arbeidsrelevante maatschappelijk-werk modulen geordend per type' (titles as the module headings
# print them; the list prints 'In de put uit de put' without the comma).
TYPE_A = {  # 'Type a: algemene modulen waarbij arbeid een thema kan zijn'
    "Aanmelding", "Wachttijdbegeleiding", "Veranderings- en competentiegerichte begeleiding",
    "Ondersteunende en verwerkingsgerichte begeleiding", "Praktische en materiële begeleiding",
    "Budgetbegeleiding", "Stabiliserende begeleiding", "Sociale vaardigheidstraining",
    "Assertiviteitstraining", "In de put, uit de put", "Uitkomen met inkomen",
    "Omgaan met (fysieke) spanningsklachten",
}
TYPE_B = {  # 'Type b: algemene modulen met een specifieke toelichting'
    "Intake", "Inventarisatie schulden / intake schuldhulpverlening", "Informatie en advies",
    "Vraagverheldering", "Bemiddeling en (individuele) belangenbehartiging", "Onderzoek en rapportage",
}
TYPE_C = {  # 'Type c: arbeid staat centraal'
    "Voortraject arbeidstoeleiding", "Activerende begeleiding naar (betaalde) arbeid", "Weer aan de slag",
    "Stress op het werk de baas",
}
# 'a) ... Deze kunnen voor alle doelgroepen relevant zijn'; 'b) ... Deze zijn relevant voor doelgroep 1
# en 3'; 'c) ... relevant voor doelgroep 2 en 4'.
TYPES_FOR_TARGET_GROUP = {1: {"a", "b"}, 2: {"a", "c"}, 3: {"a", "b"}, 4: {"a", "c"}}
TYPE_MODULES = {"a": TYPE_A, "b": TYPE_B, "c": TYPE_C}


@pytest.mark.parametrize("doelgroep", [1, 2, 3, 4])
def test_target_group_modules_follow_the_module_types(cat, doelgroep):
    rows = cat.query("target-group-modules", doelgroep=doelgroep)
    by_type: dict[str, set[str]] = {}
    for row in rows:
        by_type.setdefault(row["typeNotation"], set()).add(row["title"])
    assert by_type == {t: TYPE_MODULES[t] for t in TYPES_FOR_TARGET_GROUP[doelgroep]}
    # Only AMW modules: deel 2a orders the BMW modules by function, not by type.
    assert all(s.startswith("amw/") for s in slugs(rows))


@pytest.mark.parametrize("module_type, titles", sorted(TYPE_MODULES.items()))
def test_amw_module_list_per_type(cat, module_type, titles):
    # Each of the 22 AMW modules is listed under exactly one type.
    rows = [r for n in (1, 2) for r in cat.query("target-group-modules", doelgroep=n)]
    assert {r["title"] for r in rows if r["typeNotation"] == module_type} == titles
    assert len(TYPE_A | TYPE_B | TYPE_C) == 22


def test_bmw_overlap_per_target_group(cat):
    # AMW, Doelgroepen: 'Een deel van deze doelgroepen overlapt met de doelgroepen van het
    # bedrijfsmaatschappelijk werk. Dat geldt met name voor doelgroep 2 en in mindere mate voor
    # doelgroep 1 en 3. Doelgroep 4 komt bij het BMW nauwelijks of niet voor.'
    rows = cat.query("bmw-and-target-groups")
    got = {int(r["number"]): (r["overlapLabel"], r["sentence"]) for r in rows}
    both = "Dat geldt met name voor doelgroep 2 en in mindere mate voor doelgroep 1 en 3."
    assert got == {
        1: ("in mindere mate", both),
        2: ("met name", both),
        3: ("in mindere mate", both),
        4: ("nauwelijks of niet", "Doelgroep 4 komt bij het BMW nauwelijks of niet voor."),
    }
    assert {str(r["section"]) for r in rows} == {str(ID["document/deel-2b/section/doelgroepen"])}


# ------------------------------------------------------------------ intensity

# (min, max, unit) for every module whose 'Duur en frequentie' states a number, read from the documents;
# None where the document gives no number on that side.
SESSIONS = {
    # AMW
    "amw/aanmelding": (1, 1, "gesprek"),  # 'In principe kort (5 tot 15 minuten) en eenmalig.'
    "amw/intake": (1, 2, "gesprek"),  # 'Gemiddeld 1 tot 2 gesprekken van drie kwartier tot een uur.'
    "amw/inventarisatie-schulden": (1, 3, "gesprek"),  # '1 tot 3 gesprekken in enkele weken.'
    "amw/informatie-en-advies": (1, 1, "gesprek"),  # 'In principe éénmalig op initiatief van de cliënt.'
    "amw/vraagverheldering": (None, 3, "gesprek"),  # 'Maximaal 3 gesprekken.'
    "amw/veranderings-en-competentiegerichte-begeleiding": (5, 12, "gesprek"),  # 'Gemiddeld 5 tot 10 à 12 gesprekken.'
    "amw/ondersteunende-en-verwerkingsgerichte-begeleiding": (5, 12, "gesprek"),  # 'Gemiddeld 5 tot 10 à 12 gesprekken.'
    # 'Gemiddeld 3 tot 5 gesprekken bij kortere trajecten en meerdere gesprekken bij langer durende trajecten.':
    # the stated range (the longer trajectories have no number).
    "amw/praktische-en-materiele-begeleiding": (3, 5, "gesprek"),
    # 'Indien het een kort traject is, volstaat meestal budgetbegeleiding van 5 tot 10 gesprekken.' (the
    # 36-month conditional trajectory has no number)
    "amw/budgetbegeleiding": (5, 10, "gesprek"),
    "amw/activerende-begeleiding-naar-betaalde-arbeid": (5, 10, "gesprek"),  # 'Gemiddeld 5 tot 10 gesprekken ...'
    "amw/voortraject-arbeidstoeleiding": (3, 5, "gesprek"),  # 'Circa 3 à 5 gesprekken gedurende één tot enkele maanden.'
    # 'Gemiddeld gaat het om 1 à 2 gesprekken met de cliënt en eventueel 1 à 2 gesprekken met gezin /
    # naastbetrokkenen': two kinds of contact; the stated range with the client, not a sum.
    "amw/onderzoek-en-rapportage": (1, 2, "gesprek"),
    "amw/stress-op-het-werk-de-baas": (12, 12, "bijeenkomst"),  # 'Twaalf wekelijkse bijeenkomsten en een terugkombijeenkomst van 2,5 uur.'
    "amw/weer-aan-de-slag": (6, 6, "bijeenkomst"),  # '6 wekelijkse bijeenkomsten en 1 terugbijeenkomst 2 maanden na afsluiting.'
    "amw/sociale-vaardigheidstraining": (10, 10, "bijeenkomst"),  # 'Tien wekelijkse bijeenkomsten van 1,5 tot 2 uur per keer.'
    "amw/assertiviteitstraining": (10, 12, "bijeenkomst"),  # '10 tot 12 wekelijkse bijeenkomsten van 1,5 tot 2,5 uur per keer ...'
    "amw/in-de-put-uit-de-put": (10, 12, "bijeenkomst"),  # '10 tot 12 tweewekelijkse bijeenkomsten van 2 uur ...'
    "amw/uitkomen-met-inkomen": (6, 6, "bijeenkomst"),  # 'Zes wekelijkse bijeenkomsten van 2 uur en een terugkombijeenkomst.'
    # BMW
    "bmw/aanmelding-bmw": (1, 1, "gesprek"),  # 'Eén kort gesprek.'
    "bmw/intake-bmw": (1, 2, "gesprek"),  # 'Gemiddeld 1 of 2 gesprekken van drie kwartier tot een uur.'
    "bmw/intake-schuldhulpverlening-bmw": (1, 3, "gesprek"),  # 'Gemiddeld 1 tot 3 gesprekken in enkele weken.'
    "bmw/informatie-en-advies-bmw": (1, 1, "gesprek"),  # 'In principe éénmalig op initiatief van de medewerker.'
    "bmw/competentiegerichte-begeleiding": (3, 5, "gesprek"),  # 'Gemiddeld 3 tot 5 gesprekken.'
    "bmw/communicatiebegeleiding": (3, 5, "gesprek"),  # 'Gemiddeld 3 tot 5 gesprekken in maximaal twee maanden.'
    "bmw/begeleiding-bij-persoonlijke-problemen": (3, 5, "gesprek"),  # 'Gemiddeld 3 tot 5 gesprekken.'
    "bmw/reintegratiebegeleiding": (3, 8, "gesprek"),  # '3 tot 8 gesprekken gedurende maximaal enkele maanden.'
    "bmw/individuele-begeleiding-bij-veranderingen-in-de-werksituatie": (3, 5, "gesprek"),  # 'Gemiddeld 3 tot 5 gesprekken.'
    "bmw/coachen-van-leidinggevenden": (3, 5, "gesprek"),  # 'Gemiddeld 3 tot 5 gesprekken.'
    "bmw/verwijzingstraject": (1, 2, "gesprek"),  # '1 tot 2 gesprekken.'
    # '1 gesprek met opdrachtgever ..., 2 tot 3 gesprekken met de betrokken medewerkers, eventueel 1 gesprek
    # met naastbetrokkenen en een adviesgesprek.': four kinds of contact; the one stated range (the
    # employees concerned), not a sum.
    "bmw/onderzoek-en-rapportage-voor-een-team": (2, 3, "gesprek"),
    "bmw/bemiddeling-conflictbegeleiding": (1, 3, "gesprek"),  # '1 tot 3 gesprekken binnen een tijdsbestek van 8 weken.'
    "bmw/consultatie-aan-leidinggevenden": (1, 2, "gesprek"),  # 'Gemiddeld 1 tot 2 gesprekken.'
    "bmw/training-persoonlijke-effectiviteit": (2, 4, "dagdeel"),  # '2 tot 4 dagdelen.'
    "bmw/training-omgaan-met-werkstress": (1, 4, "dagdeel"),  # '1 tot 4 dagdelen.'
    "bmw/training-omgaan-met-functieverandering": (1, 4, "dagdeel"),  # '1 tot 4 dagdelen.'
    "bmw/training-communicatietraining-samenwerking": (1, 4, "dagdeel"),  # '1 tot 4 dagdelen.'
    "bmw/teambegeleiding": (1, 5, "bijeenkomst"),  # '1 tot 5 bijeenkomsten.'
    "bmw/teambegeleiding-opvang-na-traumatische-ervaringen": (3, 5, "groepsgesprek"),  # '3 tot 5 groepsgesprekken met een follow-up ...'
}
NO_COUNT = {
    "amw/wachttijdbegeleiding",  # 'af en toe contact ... Variërend van eenmaal per 14 dagen tot eenmaal per maand.'
    "amw/stabiliserende-begeleiding",  # 'Gemiddeld circa één keer per maand een face-to-facegesprek ...'
    "amw/bemiddeling-en-belangenbehartiging",  # 'Nader in te vullen, afhankelijk van ernst en omvang van de situatie.'
    "amw/omgaan-met-spanningsklachten",  # the module prints no 'Duur en frequentie'
    "bmw/overbruggingshulp",  # 'af en toe contact ... Variërend van eenmaal per 14 dagen tot eenmaal per maand.'
}


def _sessions(rows) -> dict[str, tuple]:
    return {slug(r): (r.get("minSessions"), r.get("maxSessions"),
                      str(r["unit"]).rsplit("/", 1)[-1] if r.get("unit") else None) for r in rows}


def test_sessions_min_max_and_unit_of_every_module(cat):
    got = _sessions(cat.query("intensity"))
    assert set(got) == set(SESSIONS) | NO_COUNT and len(got) == 43  # all 43 modules
    assert {s: got[s] for s in SESSIONS} == SESSIONS
    assert {s: got[s] for s in NO_COUNT} == {s: (None, None, None) for s in NO_COUNT}


def test_a_stated_range_has_both_ends(cat):
    # Issue 14: where a module states 'X tot Y' gesprekken both ends are recorded, also when the range
    # holds for one kind of trajectory or contact only (the editorial note says which).
    got = _sessions(cat.query("intensity", werksoort="amw", unit="gesprek"))
    assert got["amw/budgetbegeleiding"] == (5, 10, "gesprek")  # 'budgetbegeleiding van 5 tot 10 gesprekken'
    assert got["amw/praktische-en-materiele-begeleiding"] == (3, 5, "gesprek")  # 'Gemiddeld 3 tot 5 gesprekken'
    got = _sessions(cat.query("intensity", werksoort="bmw", unit="gesprek"))
    # '2 tot 3 gesprekken met de betrokken medewerkers'
    assert got["bmw/onderzoek-en-rapportage-voor-een-team"] == (2, 3, "gesprek")


def test_session_minutes(cat):
    rows = {slug(r): (r.get("minMinutes"), r.get("maxMinutes")) for r in cat.query("intensity")}
    stated = {s: minutes for s, minutes in rows.items() if minutes != (None, None)}
    assert stated == {
        "amw/aanmelding": (5, 15),  # 'In principe kort (5 tot 15 minuten) en eenmalig.'
        "amw/intake": (45, 60),  # '... gesprekken van drie kwartier tot een uur.'
        "bmw/intake-bmw": (45, 60),  # '... gesprekken van drie kwartier tot een uur.'
        "amw/sociale-vaardigheidstraining": (90, 120),  # '... van 1,5 tot 2 uur per keer.'
        "amw/assertiviteitstraining": (90, 150),  # '... van 1,5 tot 2,5 uur per keer ...'
        "amw/in-de-put-uit-de-put": (120, 120),  # '... bijeenkomsten van 2 uur ...'
        "amw/uitkomen-met-inkomen": (120, 120),  # 'Zes wekelijkse bijeenkomsten van 2 uur ...'
        # Stress op het werk de baas: '... en een terugkombijeenkomst van 2,5 uur.' - which meetings the
        # 2,5 uur applies to is not clear, so no minutes.
    }


def test_follow_up_meetings(cat):
    rows = cat.query("intensity")
    got = {slug(r): r["followUpLabel"] for r in rows if r.get("followUpLabel")}
    planned = {
        "amw/stress-op-het-werk-de-baas",  # '... en een terugkombijeenkomst van 2,5 uur.'
        "amw/weer-aan-de-slag",  # '... en 1 terugbijeenkomst 2 maanden na afsluiting.'
        "amw/assertiviteitstraining",  # '... per keer en een terugkombijeenkomst.'
        "amw/in-de-put-uit-de-put",  # '... van 2 uur en een terugkombijeenkomst.'
        "amw/uitkomen-met-inkomen",  # '... van 2 uur en een terugkombijeenkomst.'
        "bmw/teambegeleiding-opvang-na-traumatische-ervaringen",  # '... met een follow-up op een later tijdstip.'
    }
    optional = {
        "bmw/communicatiebegeleiding",  # 'Eventueel nog een terugkomgesprek na een aantal maanden.'
        "bmw/begeleiding-bij-persoonlijke-problemen",  # 'Eventueel een terugkomgesprek.'
        "bmw/reintegratiebegeleiding",  # 'Eventueel nog een terugkomgesprek na een aantal maanden.'
        "bmw/individuele-begeleiding-bij-veranderingen-in-de-werksituatie",  # 'Eventueel een terugkomgesprek.'
    }
    assert {s for s, label in got.items() if label == "terugkomcontact gepland"} == planned
    assert {s for s, label in got.items() if label == "eventueel terugkomcontact"} == optional


def test_frequencies(cat):
    rows = {slug(r): set(filter(None, r["frequencies"].split(" / "))) for r in cat.query("intensity")}
    # 'Bij aanvang meestal wekelijks, daarna eens in de twee à drie weken.' (AMW) / 'Bij aanvang
    # wekelijks, daarna eens in de twee à drie weken.' (BMW Competentiegerichte begeleiding)
    for changing in ("amw/veranderings-en-competentiegerichte-begeleiding",
                     "amw/ondersteunende-en-verwerkingsgerichte-begeleiding", "bmw/competentiegerichte-begeleiding"):
        assert rows[changing] == {"wekelijks", "eens in de twee à drie weken"}
    # 'Variërend van eenmaal per 14 dagen tot eenmaal per maand.' (Wachttijdbegeleiding, Overbruggingshulp)
    assert rows["amw/wachttijdbegeleiding"] == rows["bmw/overbruggingshulp"] == {
        "eenmaal per 14 dagen tot eenmaal per maand"}
    assert rows["amw/in-de-put-uit-de-put"] == {"tweewekelijks"}  # '10 tot 12 tweewekelijkse bijeenkomsten'
    # 'In het begin wekelijks, daarna minder frequent.'
    assert rows["bmw/begeleiding-bij-persoonlijke-problemen"] == {"wekelijks", "afnemend"}


def test_EX5_modules_measured_in_dagdelen(cat):
    # EX5. BMW: '2 tot 4 dagdelen.' (Training: Persoonlijke effectiviteit) and '1 tot 4 dagdelen.' (the
    # three other trainings). AMW counts no module in dagdelen.
    bmw = cat.query("intensity", werksoort="bmw", unit="dagdeel")
    assert {r["title"]: [r["minSessions"], r["maxSessions"]] for r in bmw} == {
        "Training: Persoonlijke effectiviteit": [2, 4],
        "Training: Omgaan met werkstress": [1, 4],
        "Training: Omgaan met (functie)verandering": [1, 4],
        "Training: Communicatietraining gericht op betere samenwerking": [1, 4],
    }
    assert cat.query("intensity", werksoort="amw", unit="dagdeel") == []
    # The general 'Trainingen beslaan gemiddeld 1 tot 4 dagdelen.' of the BMW introduction is not a module.
    assert all("/module/" in str(r["module"]) for r in bmw)


def test_optional_parameters_left_out_mean_all(cat):
    # Left out, werksoort means both and unit every module (also those that state no count).
    everything = _sessions(cat.query("intensity"))
    per_werksoort = {**_sessions(cat.query("intensity", werksoort="amw")),
                     **_sessions(cat.query("intensity", werksoort="bmw"))}
    assert everything == per_werksoort and len(everything) == 43
    assert set(_sessions(cat.query("intensity", unit="dagdeel"))) == {
        s for s, (_, _, unit) in SESSIONS.items() if unit == "dagdeel"}


def test_modules_with_at_most_three_gesprekken(cat):
    # From SESSIONS above: every module counted in gesprekken whose stated maximum is 3 or less.
    expected = {s for s, (_, most, unit) in SESSIONS.items() if unit == "gesprek" and most is not None and most <= 3}
    assert expected == {
        "amw/aanmelding", "amw/informatie-en-advies", "amw/intake", "amw/inventarisatie-schulden",
        "amw/vraagverheldering", "bmw/aanmelding-bmw", "bmw/informatie-en-advies-bmw", "bmw/intake-bmw",
        "bmw/intake-schuldhulpverlening-bmw", "bmw/verwijzingstraject", "bmw/bemiddeling-conflictbegeleiding",
        "bmw/consultatie-aan-leidinggevenden",
        # '1 à 2 gesprekken met de cliënt' (AMW p. 23); '2 tot 3 gesprekken met de betrokken medewerkers' (BMW p. 18)
        "amw/onderzoek-en-rapportage", "bmw/onderzoek-en-rapportage-voor-een-team",
    }
    assert slugs(cat.query("modules-max-sessions", max=3, unit="gesprek")) == expected
    assert slugs(cat.query("modules-max-sessions", max=3)) == expected  # unit left out: gesprek


def test_at_most_n_sessions_never_compares_units(cat):
    # EX5 note: 'Dagdelen are not gesprekken or bijeenkomsten'. At most 4 gesprekken: no training of
    # '1 tot 4 dagdelen'; at most 4 dagdelen: exactly the four trainings.
    gesprekken = slugs(cat.query("modules-max-sessions", max=4, unit="gesprek"))
    assert not any(s.startswith("bmw/training-") for s in gesprekken)
    assert "amw/onderzoek-en-rapportage" in gesprekken  # '1 à 2 gesprekken met de cliënt': at most 2
    assert slugs(cat.query("modules-max-sessions", max=4, unit="dagdeel")) == {
        "bmw/training-persoonlijke-effectiviteit", "bmw/training-omgaan-met-werkstress",
        "bmw/training-omgaan-met-functieverandering", "bmw/training-communicatietraining-samenwerking"}
    # Teambegeleiding '1 tot 5 bijeenkomsten'; Weer aan de slag and Uitkomen met inkomen have 6.
    assert slugs(cat.query("modules-max-sessions", max=5, unit="bijeenkomst")) == {"bmw/teambegeleiding"}
    assert slugs(cat.query("modules-max-sessions", max=6, unit="bijeenkomst")) == {
        "bmw/teambegeleiding", "amw/weer-aan-de-slag", "amw/uitkomen-met-inkomen"}
    # '3 tot 5 groepsgesprekken met een follow-up op een later tijdstip.'
    assert slugs(cat.query("modules-max-sessions", max=5, unit="groepsgesprek")) == {
        "bmw/teambegeleiding-opvang-na-traumatische-ervaringen"}
    # 'Gemiddeld 3 tot 5 gesprekken bij kortere trajecten ...': the stated maximum is 5 (the editorial note
    # says that longer trajectories have more, without a number).
    assert "amw/praktische-en-materiele-begeleiding" in slugs(cat.query("modules-max-sessions", max=5))
    assert "amw/praktische-en-materiele-begeleiding" not in slugs(cat.query("modules-max-sessions", max=4))


# ------------------------------------------------------------------ group modules and Goossens

def test_EX6_group_modules_by_main_element(cat):
    # EX6. 'Psycho-educatie vormt het belangrijkste element van deze module.' (Stress op het werk de baas,
    # Training: Omgaan met werkstress; Omgaan met (functie)verandering: 'Psycho-educatie in relatie tot
    # ... vormt het belangrijkste element'); 'Gedragsmodificatie vormt het belangrijkste element van deze
    # module.' (Omgaan met (fysieke) spanningsklachten, Weer aan de slag, Sociale vaardigheidstraining,
    # Uitkomen met inkomen, Training: Persoonlijke effectiviteit, Training: Communicatietraining);
    # 'Psycho-educatie en gedragsmodificatie vormen de belangrijkste elementen van deze module.' (In de
    # put, uit de put); 'Lotgenotencontact en psycho-educatie vormen de belangrijkste elementen van deze
    # module.' (Teambegeleiding: Opvang ...). Assertiviteitstraining and Teambegeleiding name none.
    rows = cat.query("group-modules")
    got: dict[str, set[str]] = {}
    for r in rows:
        got.setdefault(r["elementLabel"], set()).add(f"{r['werksoortLabel']}:{r['title']}")
    assert got == {
        "psycho-educatie": {
            "AMW:Stress op het werk de baas", "AMW:In de put, uit de put", "BMW:Training: Omgaan met werkstress",
            "BMW:Training: Omgaan met (functie)verandering",
            "BMW:Teambegeleiding: Opvang en begeleiding na traumatische ervaringen"},
        "gedragsmodificatie": {
            "AMW:Omgaan met (fysieke) spanningsklachten", "AMW:Weer aan de slag", "AMW:Sociale vaardigheidstraining",
            "AMW:In de put, uit de put", "AMW:Uitkomen met inkomen", "BMW:Training: Persoonlijke effectiviteit",
            "BMW:Training: Communicatietraining gericht op betere samenwerking"},
        "lotgenotencontact": {"BMW:Teambegeleiding: Opvang en begeleiding na traumatische ervaringen"},
        "not stated": {"AMW:Assertiviteitstraining", "BMW:Teambegeleiding"},
    }


def test_main_elements_map_to_goossens_group_types(cat):
    # AMW groepswerk inleiding: 'Lotgenotencontact ... Psycho-educatie ... Gedragsmodificatie ... Deze drie
    # elementen zijn te vergelijken met de drie typen groepen uit de typologie ... van Wim Goossen. Hij
    # spreekt over respectievelijk belevings- en ervaringsgeoriënteerde groepen, cognitief georiënteerde
    # groepen en gedrags- en vaardigheidsgeoriënteerde groepen.'
    rows = cat.query("group-modules")
    pairs = {(r["elementLabel"], r.get("groupTypeLabel")) for r in rows}
    assert pairs == {
        ("lotgenotencontact", "belevings- en ervaringsgeoriënteerde groepen"),
        ("psycho-educatie", "cognitief georiënteerde groepen"),
        ("gedragsmodificatie", "gedrags- en vaardigheidsgeoriënteerde groepen"),
        ("not stated", None),
    }
    quotes = {r.get("quote") for r in rows if r["title"] == "In de put, uit de put"}
    assert quotes == {"Psycho-educatie en gedragsmodificatie vormen de belangrijkste elementen van deze module."}


# ------------------------------------------------------------------ cross-werksoort involvement

def _involvement(rows) -> set[tuple[str, str, str]]:
    return {(slug(r), str(r["relation"]).removeprefix(str(MG)), str(r["partner"]).removeprefix(str(ID))) for r in rows}


def test_cross_werksoort_referrals(cat):
    rows = cat.query("cross-werksoort-referrals")
    other = [r for r in rows if r["category"] == "andere werksoort"]
    # AMW Intake and Vraagverheldering, box 'Inzet van deze module voor mensen met arbeidsrelevante
    # problematiek': 'De cliënt kan doorverwezen zijn door bedrijfsarts of BMWer.' and 'De maatschappelijk
    # werker kan de cliënt verwijzen naar bedrijfsarts of BMWer.' BMW Verwijzingstraject: 'Medewerkers die
    # (waarschijnlijk) geïndiceerd zijn voor (gespecialiseerde) hulpverlening, bijvoorbeeld het algemeen
    # maatschappelijk werk of de GGZ, maar de stap daar naar toe niet zelfstandig zetten.'
    assert _involvement(other) == {
        ("amw/intake", "referredBy", "role/bmwer"), ("amw/intake", "refersTo", "role/bmwer"),
        ("amw/vraagverheldering", "referredBy", "role/bmwer"), ("amw/vraagverheldering", "refersTo", "role/bmwer"),
        ("bmw/verwijzingstraject", "refersTo", "werksoort/amw"),
    }
    quotes = {r["quote"] for r in other}
    assert "De cliënt kan doorverwezen zijn door bedrijfsarts of BMWer." in quotes
    assert "De maatschappelijk werker kan de cliënt verwijzen naar bedrijfsarts of BMWer." in quotes


def test_ggz_involvement(cat):
    # EX4 'Which modules mention the GGZ, and in what role?': 'Deze cursus wordt vaak samen met de
    # preventie-afdeling van de GGZ-instelling georganiseerd.' (Stress op het werk de baas), 'Deze module
    # wordt vaak samen met de preventie-afdeling van de GGZ-instelling georganiseerd.' (Assertiviteitstraining,
    # In de put, uit de put); BMW Verwijzingstraject: '... bijvoorbeeld het algemeen maatschappelijk werk of
    # de GGZ ...'
    rows = [r for r in cat.query("cross-werksoort-referrals") if r["category"] == "GGZ"]
    assert _involvement(rows) == {
        ("amw/stress-op-het-werk-de-baas", "deliveredWith", "organisation/ggz-instelling"),
        ("amw/assertiviteitstraining", "deliveredWith", "organisation/ggz-instelling"),
        ("amw/in-de-put-uit-de-put", "deliveredWith", "organisation/ggz-instelling"),
        ("bmw/verwijzingstraject", "refersTo", "organisation/ggz-instelling"),
    }


def test_referrals_to_other_organisations(cat):
    rows = [r for r in cat.query("cross-werksoort-referrals") if r["category"] == "andere organisatie"]
    got = _involvement(rows)
    # AMW Informatie en advies: 'De cliënt kan zonodig doorverwezen worden naar de sociaal raadslieden, de
    # UWV, de vakbond, het CWI of het spreekuur van de sociaal raadslieden.'
    assert {("amw/informatie-en-advies", "refersTo", f"organisation/{o}") for o in ("uwv", "vakbond", "cwi")} <= got
    # BMW Intake schuldhulpverlening: 'Stappenplan voor doorverwijzing naar de Gemeentelijke Kredietbank,
    # Sociale Dienst of een andere organisatie die schuldhulpverlening aanbiedt.'
    assert {("bmw/intake-schuldhulpverlening-bmw", "refersTo", f"organisation/{o}")
            for o in ("gemeentelijke-kredietbank", "sociale-dienst", "schuldhulpverlenende-organisatie")} <= got
    # AMW Weer aan de slag: 'het geven van voorlichting en adviezen door de cursusleiding en door
    # werk-gerelateerde intanties ( bijv. DWI, reïntegratiebureau);'
    assert {("amw/weer-aan-de-slag", "deliveredWith", f"organisation/{o}") for o in ("dwi", "reintegratiebureau")} <= got
    # Persons in roles are not organisations: the bedrijfsarts never appears in this category.
    assert not any(partner.startswith("role/") for _, _, partner in got)


# ------------------------------------------------------------------ legal frameworks

# Where the module texts name a law, regulation or standard.
FRAMEWORKS = {
    # AMW Activerende begeleiding naar (betaalde) arbeid and Weer aan de slag: 'Cliënten die niet (meer)
    # werken, al dan niet een uitkering ontvangen (WAO/WIA, WWB of WW) ...'
    "wao": {"amw/activerende-begeleiding-naar-betaalde-arbeid", "amw/weer-aan-de-slag"},
    "wia": {"amw/activerende-begeleiding-naar-betaalde-arbeid", "amw/weer-aan-de-slag"},
    "wwb": {"amw/activerende-begeleiding-naar-betaalde-arbeid", "amw/weer-aan-de-slag"},
    "ww": {"amw/activerende-begeleiding-naar-betaalde-arbeid", "amw/weer-aan-de-slag"},
    # AMW Budgetbegeleiding: '... de duur van het schuldsaneringstraject (WSNP).'; BMW Intake
    # schuldhulpverlening: '... een minnelijk of wettelijk traject volgens de Wet Schuldsanering
    # Natuurlijke Personen.'
    "wsnp": {"amw/budgetbegeleiding", "bmw/intake-schuldhulpverlening-bmw"},
    # BMW Reïntegratiebegeleiding: 'Kennis van de Wet Verbetering Poortwachter en de financiële
    # consequenties daarvan voor medewerker en organisatie.'
    "wet-verbetering-poortwachter": {"bmw/reintegratiebegeleiding"},
    # AMW Onderzoek en rapportage: 'Actuele kennis van de privacywetgeving.' and 'Het LISV heeft een
    # standaard ontwikkeld voor de communicatie van bedrijfs- en verzekeringsartsen met behandelaars.'
    "privacywetgeving": {"amw/onderzoek-en-rapportage"},
    "lisv-standaard": {"amw/onderzoek-en-rapportage"},
    # AMW Informatie en advies: '... regelingen van de werkgever of arbeidswetgeving en rechten / plichten
    # van de cliënt als werknemer.'; BMW Informatie en advies: 'Actuele kennis van wet- en regelgeving op
    # het terrein van arbeid, welzijn, zorg en wonen.'
    "arbeidswetgeving": {"amw/informatie-en-advies", "bmw/informatie-en-advies-bmw"},
}


def test_modules_by_legal_framework(cat):
    got: dict[str, set[str]] = {}
    rows = cat.query("modules-by-legal-framework")
    for r in rows:
        got.setdefault(str(r["framework"]).rsplit("/", 1)[-1], set()).add(slug(r))
    assert got == FRAMEWORKS
    assert all(r.get("quote") for r in rows)


def test_one_legal_framework_with_its_sentences(cat):
    rows = cat.query("modules-by-legal-framework", framework="wsnp")
    assert slugs(rows) == FRAMEWORKS["wsnp"]
    quotes = {r["quote"] for r in rows}
    assert "Een en ander hangt af van de oorzaak en de ernst van de schulden en de duur van het " \
           "schuldsaneringstraject (WSNP)." in quotes
    # Weer aan de slag names the WAO/WIA twice: in the Doelgroep and in a randvoorwaarde ('bereid en in
    # staat zijn om weer te kunnen gaan werken (bijv. je zit niet in een Bezwaarprocedure tegen de
    # beëindiging van je WAO/WIA;').
    wao = [r for r in cat.query("modules-by-legal-framework", framework="wao") if r["title"] == "Weer aan de slag"]
    assert len({r["quote"] for r in wao}) == 2
    # Left out, the parameter keeps every framework: the WSNP rows are among them.
    everything = cat.query("modules-by-legal-framework")
    assert {(r["title"], r["quote"]) for r in rows} < {(r["title"], r["quote"]) for r in everything}


# ------------------------------------------------------------------ text search

def test_text_search_ignores_case(cat):
    # 'GGZ' in module texts: the three AMW group modules ('... samen met de preventie-afdeling van de
    # GGZ-instelling georganiseerd.') and BMW Verwijzingstraject ('... het algemeen maatschappelijk werk of
    # de GGZ ...'). The introductions ('GGZ-maatschappelijk werk') are no module.
    expected = {"amw/stress-op-het-werk-de-baas", "amw/assertiviteitstraining", "amw/in-de-put-uit-de-put",
                "bmw/verwijzingstraject"}
    assert slugs(cat.query("text-search", text="GGZ")) == expected
    assert slugs(cat.query("text-search", text="ggz")) == expected
    fields = {(slug(r), r["field"]) for r in cat.query("text-search", text="GGZ")}
    assert ("bmw/verwijzingstraject", "doelgroep (tekst)") in fields


@pytest.mark.parametrize("text", ["reintegratie", "REÏNTEGRATIE", "Reïntegratie"])
def test_text_search_ignores_accents(cat, text):
    # 'arbeidsreïntegratiemogelijkheden' (AMW Informatie en advies, box), 'reïntegratiebureau' (AMW Weer aan
    # de slag, werkwijze) and the title 'Reïntegratiebegeleiding' (BMW).
    assert slugs(cat.query("text-search", text=text)) == {
        "amw/informatie-en-advies", "amw/weer-aan-de-slag", "bmw/reintegratiebegeleiding"}


def test_text_search_in_titles_and_items(cat):
    # 'materiële': the title and Doelgroep of Praktische en materiële begeleiding, and '(waaronder materiële
    # omstandigheden als huisvesting en financiën)' in AMW Intake, AMW Onderzoek en rapportage and BMW Intake.
    rows = cat.query("text-search", text="materiele")
    assert slugs(rows) == {"amw/praktische-en-materiele-begeleiding", "amw/intake", "amw/onderzoek-en-rapportage",
                           "bmw/intake-bmw"}
    assert ("amw/praktische-en-materiele-begeleiding", "Praktische en materiële begeleiding") in {
        (slug(r), r["text"]) for r in rows}
    # 'Bij sociale vaardigheidstrainingen wordt gewerkt met draaiboeken (bijv. de Goldsteintraining).'
    assert slugs(cat.query("text-search", text="goldsteintraining")) == {
        "amw/sociale-vaardigheidstraining", "bmw/training-communicatietraining-samenwerking"}
    # A precondition item: 'Piketdienst buiten kantooruren.' (BMW Teambegeleiding: Opvang ...).
    piket = cat.query("text-search", text="piketdienst")
    assert {(slug(r), r["field"], r["text"]) for r in piket} == {
        ("bmw/teambegeleiding-opvang-na-traumatische-ervaringen", "heeft randvoorwaarde", "Piketdienst buiten kantooruren.")}


def test_text_search_finds_nothing_for_unknown_text(cat):
    assert cat.query("text-search", text="zzqq-geen-tekst") == []


# ------------------------------------------------------------------ quality checks

@pytest.mark.parametrize("name", QC_CHECKS)
def test_quality_check_finds_nothing_on_the_catalogue(cat, name):
    rows = cat.query(name)
    assert rows == [], f"{name}: {rows[:5]}"


def _broken(cat: Catalogue, add=(), remove=()) -> Graph:
    graph = Graph()
    for triple in cat.graph:
        graph.add(triple)
    for triple in remove:
        graph.remove(triple)
    for triple in add:
        graph.add(triple)
    return graph


def _check(graph: Graph, cat: Catalogue, name: str) -> list[dict]:
    return run_sparql(graph, cat.queries[name].text).rows


INTAKE = URIRef(module("amw/intake"))
STRESS = URIRef(module("amw/stress-op-het-werk-de-baas"))
DESCRIPTION = URIRef("http://purl.org/dc/terms/description")


@pytest.mark.parametrize("name, add, remove", [
    ("qc/sequencing-without-evidence-violation",
     [(INTAKE, MG.canBeFollowedBy, URIRef(module("bmw/teambegeleiding")))], []),
    ("qc/module-without-function-violation", [], [(INTAKE, MG.function, ID["function/amw/intake-indicatie-en-verwijzing"])]),
    ("qc/module-without-function-violation", [(INTAKE, MG.function, ID["function/bmw/begeleiding"])],
     [(INTAKE, MG.function, ID["function/amw/intake-indicatie-en-verwijzing"])]),
    ("qc/sessions-without-unit-violation", [], [(INTAKE, MG.sessionUnit, ID["session-unit/gesprek"])]),
    ("qc/quote-not-in-module-text-violation",
     [(STRESS + "/statement/7", MG.quote, Literal("Deze cursus wordt altijd door de GGZ gegeven.", lang="nl"))],
     [(STRESS + "/statement/7", MG.quote,
       Literal("Deze cursus wordt vaak samen met de preventie-afdeling van de GGZ-instelling georganiseerd.", lang="nl"))]),
    ("qc/goal-without-theme-violation", [], [(STRESS + "/goal/2", MG.goalTheme, ID["goal-theme/omgaan-met-stress"])]),
    ("qc/orphan-item-violation", [(ID["module/amw/geen-module/goal/1"], RDF.type, MG.Goal)], []),
    ("qc/orphan-item-violation", [(STRESS + "/statement/99", RDF.type, RDF.Statement),
                                  (STRESS + "/statement/99", RDF.subject, ID["organisation/uwv"])], []),
    ("qc/relation-without-evidence-violation", [(INTAKE, MG.refersTo, ID["organisation/uwv"])], []),
    ("qc/relation-without-evidence-violation", [(INTAKE, MG.usesMethod, ID["method/ret"])], []),
    ("qc/statement-without-triple-violation", [], [(STRESS, MG.deliveredWith, ID["organisation/ggz-instelling"])]),
    ("qc/min-sessions-above-max-violation", [(INTAKE, MG.minSessions, Literal(3))], [(INTAKE, MG.minSessions, Literal(1))]),
])
def test_quality_check_finds_a_planted_defect(cat, name, add, remove):
    assert all(t in cat.graph for t in remove), "the test removes a triple the catalogue does not have"
    assert _check(_broken(cat, add, remove), cat, name), f"{name} misses the planted defect"


# ------------------------------------------------------------------ the same answers on a second engine

@pytest.fixture(scope="module")
def oxstore(cat) -> ox.Store:
    store = ox.Store()
    store.load(cat.graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return store


def _cell(term) -> str | None:
    """A cell as text: the IRI or the lexical form; the frequencies of intensity sorted (GROUP_CONCAT order)."""
    if term is None:
        return None
    text = term.value if isinstance(term, (ox.NamedNode, ox.Literal)) else str(term)
    return " / ".join(sorted(text.split(" / ")))


@pytest.mark.parametrize("name, params", [
    # Optional parameters left out: the paths the header's example defaults do not take.
    ("intensity", {}),
    ("intensity", {"unit": "groepsgesprek"}),
    ("modules-max-sessions", {"max": 3}),
    ("modules-by-legal-framework", {}),
    ("text-search", {"text": "Cliënt"}),
    ("target-group-modules", {"doelgroep": 3}),
])
def test_same_answers_on_pyoxigraph_with_parameters_left_out(cat, oxstore, name, params):
    query = cat.queries[name]
    bindings = queries.bind(query, {k: str(v) for k, v in params.items()}, cat.graph)
    ours = run_sparql(cat.graph, query.text, bindings)
    assert ours.rows
    text = query.text  # the parameters written in as terms, as grlc sends a query to any SPARQL server
    for variable, term in bindings.items():
        text = re.sub(r"\?" + re.escape(variable) + r"\b", term.n3(), text)
    theirs = oxstore.query(text)
    assert sorted((tuple(_cell(r.get(v)) for v in ours.variables) for r in ours.rows), key=str) == \
        sorted((tuple(_cell(s[v]) for v in ours.variables) for s in theirs), key=str)
