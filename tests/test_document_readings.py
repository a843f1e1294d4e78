"""Readings of the documents (issue 14, section 1): each class of defect the re-reading found is a check.

- stated ranges: a range 'X tot Y gesprekken' has both ends, and no number is computed (every count is
  one the text writes);
- explicit referrals: a sentence that refers the client on is evidence of a referral relation;
- the group's own intake talk is not the Intake module;
- methods come from what the module does, not from its randvoorwaarden (a required skill);
- a goal theme's words are in the goal, or the module's editorial note calls the link an interpretation;
- a telephone setting is the module's own contact, not a call to third parties;
- a sentence that denies a prior intake is a negative statement.

Then every fact this re-reading added, changed or removed, with the sentence of the document it rests on.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import OWL, RDF, Graph, URIRef
from rdflib.namespace import DCTERMS, SKOS

from modgraph.catalogue import load
from modgraph.namespaces import BASE, MG
from modgraph.paths import CatalogueRoot

ROOT = Path(__file__).resolve().parents[1]
SECTION_TEXTS = [MG.targetGroupText, MG.workRelevanceText, MG.durationText, MG.settingText,
                 MG.workingMethodText, MG.additionalInformationText, MG.preconditionsText]
INTAKES = {URIRef(BASE + "module/amw/intake"), URIRef(BASE + "module/bmw/intake-bmw")}


def iri(slug: str) -> URIRef:
    return URIRef(BASE + slug)


def module(slug: str) -> URIRef:
    return iri("module/" + slug)


def short(term) -> str:
    return str(term).removeprefix(BASE).removeprefix("module/")


@pytest.fixture(scope="module")
def graph() -> Graph:
    return load(CatalogueRoot(ROOT)).graph


def modules(graph):
    return sorted(graph.subjects(RDF.type, MG.Module))


def statements(graph, subject, predicate=None, obj=None):
    """(statement, quote) of the module's evidence for predicate/object."""
    out = []
    for st in graph.subjects(RDF.subject, subject):
        if predicate is not None and graph.value(st, RDF.predicate) != predicate:
            continue
        if obj is not None and graph.value(st, RDF.object) != obj:
            continue
        out.append((st, str(graph.value(st, MG.quote))))
    return out


def notes(graph, subject) -> str:
    return " ".join(str(n) for n in graph.objects(subject, SKOS.editorialNote))


def item_texts(graph, subject, prop) -> list[str]:
    return [str(t) for item in graph.objects(subject, prop) for t in graph.objects(item, DCTERMS.description)]


# ==================================================================== stated ranges

RANGE = re.compile(r"(\d+) (?:tot|à|of) (\d+)(?: à (\d+))? (?:\w+ )?(?:gesprekken|bijeenkomsten|dagdelen|groepsgesprekken)")
NUMBER_WORDS = {"eenmalig": 1, "éénmalig": 1, "één": 1, "eén": 1, "zes": 6, "tien": 10, "twaalf": 12}


def stated_numbers(text: str) -> set[int]:
    numbers = {int(n) for n in re.findall(r"\b\d+\b", text)}
    words = re.findall(r"\w+", text.lower())
    return numbers | {NUMBER_WORDS[w] for w in words if w in NUMBER_WORDS}


def test_a_stated_range_has_both_ends(graph):
    problems = []
    for m in modules(graph):
        text = str(graph.value(m, MG.durationText) or "")
        found = RANGE.search(text)
        if not found:
            continue
        low, high = int(found.group(1)), int(found.group(3) or found.group(2))
        got = (graph.value(m, MG.minSessions), graph.value(m, MG.maxSessions))
        got = tuple(int(v) if v is not None else None for v in got)
        if got != (low, high):
            problems.append(f"{short(m)}: '{found.group(0)}' but min/max {got}")
    assert not problems, "\n".join(problems)


def test_session_counts_are_numbers_the_text_states(graph):
    # A sum of two kinds of contact is computed, not stated (issue 14): every count is written in the text.
    problems = []
    for m in modules(graph):
        text = str(graph.value(m, MG.durationText) or "")
        for prop in (MG.minSessions, MG.maxSessions):
            value = graph.value(m, prop)
            if value is not None and int(value) not in stated_numbers(text):
                problems.append(f"{short(m)}: {short(prop)} {value} is not a number of '{text}'")
    assert not problems, "\n".join(problems)


def test_two_kinds_of_contact_say_how_the_count_was_read(graph):
    # AMW p. 23: "Gemiddeld gaat het om 1 à 2 gesprekken met de cliënt en eventueel 1 à 2 gesprekken met
    # gezin / naastbetrokkenen, binnen enkele weken afgerond."
    amw = module("amw/onderzoek-en-rapportage")
    assert (int(graph.value(amw, MG.minSessions)), int(graph.value(amw, MG.maxSessions))) == (1, 2)
    assert "two kinds of contact" in notes(graph, amw)
    # BMW p. 18: "1 gesprek met opdrachtgever ter verduidelijking van de onderzoeksvraag, 2 tot 3 gesprekken met
    # de betrokken medewerkers, eventueel 1 gesprek met naastbetrokkenen en een adviesgesprek."
    bmw = module("bmw/onderzoek-en-rapportage-voor-een-team")
    assert (int(graph.value(bmw, MG.minSessions)), int(graph.value(bmw, MG.maxSessions))) == (2, 3)
    assert "four kinds of contact" in notes(graph, bmw)


# ==================================================================== explicit referrals

# 'verwijzen naar', 'verwijzing naar/voor', '(door)verwezen (worden) naar', '... doorverwezen, ...': the
# client is referred on by this module. Not: 'doorverwezen zijn door' / 'wordt verwezen ... door derden'
# (referred to this module), 'verwezen zijn naar' (referred before this module), a randvoorwaarde about
# referral agreements.
REFERRAL_ON = re.compile(
    r"\b(?:door)?verwijz(?:en|ing) (?:naar|voor)\b|\b(?:door)?verwezen (?:worden )?naar\b|\bdoorverwezen\b(?! zijn door)",
    re.IGNORECASE)


def test_a_sentence_that_refers_on_is_a_referral_relation(graph):
    problems = []
    for m in modules(graph):
        texts = [str(t) for p in SECTION_TEXTS if p != MG.preconditionsText for t in graph.objects(m, p)]
        texts += item_texts(graph, m, MG.hasGoal) + item_texts(graph, m, MG.hasActivity)
        evidence = [q for p in (MG.refersTo, MG.leadsTo) for _, q in statements(graph, m, p)]
        for text in texts:
            for found in REFERRAL_ON.finditer(text):
                covering = [q for q in evidence
                            if q in text and text.index(q) <= found.start() < text.index(q) + len(q)]
                if not covering:
                    problems.append(f"{short(m)}: '{found.group(0)}' has no mg:refersTo/mg:leadsTo quoting it: "
                                    f"...{text[max(0, found.start() - 60):found.end() + 40]}...")
    assert not problems, "\n".join(problems)


# ==================================================================== the group's own intake talk

def test_the_groups_own_intake_talk_is_not_evidence_for_the_intake_module(graph):
    # deel 2b, introduction to groepswerk: "Vaak vindt nog een specifieke intake voor de betreffende groep
    # plaats, in verband met specifieke (contra)indicaties: kan iemand in een groep functioneren?"
    group_functions = {iri("function/amw/groepswerk-en-training"), iri("function/bmw/teambegeleiding-en-trainingen")}
    problems = []
    for m in modules(graph):
        if not set(graph.objects(m, MG.function)) & group_functions:
            continue
        for st, quote in statements(graph, m):
            if graph.value(st, RDF.object) in INTAKES and re.search(r"in de groep past|intakegesprek", quote):
                problems.append(f"{short(m)} {short(graph.value(st, RDF.predicate))}: {quote}")
    assert not problems, "\n".join(problems)


def test_group_modules_whose_text_states_a_prior_intake(graph):
    # "Aan deze module gaat een intake vooraf." - AMW p. 29, 31, 32, 33; BMW p. 23, 24, 26. Not Stress op het
    # werk de baas (p. 28) nor Uitkomen met inkomen (p. 34): they state only the group's own intake talk
    # ("Voorafgaand aan de cursus ... een intakegesprek ..., waarin duidelijk wordt of de cliënt in de groep past.").
    required = {short(m) for m, _, o in graph.triples((None, MG.requiresPriorModule, None)) if o in INTAKES}
    assert required == {
        "amw/omgaan-met-spanningsklachten", "amw/sociale-vaardigheidstraining", "amw/assertiviteitstraining",
        "amw/in-de-put-uit-de-put", "bmw/training-persoonlijke-effectiviteit", "bmw/training-omgaan-met-werkstress",
        "bmw/training-communicatietraining-samenwerking"}
    for slug in required:
        assert {q for _, q in statements(graph, module(slug), MG.requiresPriorModule)} == {
            "Aan deze module gaat een intake vooraf."}, slug


# ==================================================================== methods and randvoorwaarden

def test_no_method_rests_on_a_randvoorwaarde(graph):
    # A required skill ('Kennis van motiverende gesprekstechnieken.') is not a method the module uses.
    problems = []
    for m in modules(graph):
        preconditions = item_texts(graph, m, MG.hasPrecondition)
        for prop in (MG.usesMethod, MG.mainElement):
            for st, quote in statements(graph, m, prop):
                if any(quote in text for text in preconditions):
                    problems.append(f"{short(m)} {short(graph.value(st, RDF.object))}: '{quote}' is a randvoorwaarde")
    assert not problems, "\n".join(problems)


# ==================================================================== goal themes

# Words a goal states when it meets the theme's definition (data/vocab/goal-themes.ttl).
THEME_WORDS = {
    "arbeidsmogelijkheden": r"passend werk|kwaliteiten en mogelijkheden|arbeidsmogelijkheden",
    "balans-werk-prive": r"balans",
    "communicatie-en-samenwerking": r"communicatie|samenwerking",
    "conflict-opgelost": r"conflict|relatie .*hersteld|samenwerkingsrelatie is hersteld",
    "financiele-vaardigheden": r"financiën|begroten|budgetteren|begroting|inkomsten|uitgaven|administratie",
    "financien-op-orde": r"financiële administratie|schulden|papieren geordend|financiële problemen",
    "functioneren-hersteld": r"functioneren|werk uit te voeren",
    "gemotiveerd-voor-hulp": r"gemotiveerd|gestimuleerd|bereid",
    "grip-op-situatie": r"greep|duidelijkheid|prioriteiten",
    "hulpvraag-verhelderd": r"hulpvraag|begeleidingsvraag|verhelderd|ontrafeld|ordening in de problemen",
    "informatie-en-advies": r"informatie|advies",
    "inzicht-in-eigen-situatie": r"inzicht|bewust|herkent|kent de samenhang",
    "omgaan-met-stress": r"stress|spanning",
    "praktische-problemen-opgelost": r"problemen .*opgelost|oplossing",
    "rol-als-leidinggevende": r"leidinggevende|intermediair",
    "sociale-en-communicatieve-vaardigheden": r"vaardigheden|assertief te reageren",
    "spanningen-hanteerbaar": r"spanningen .*hanteerbaar",
    "toegang-tot-hulp": r"afspraak|bemoeizorg|verwezen naar het spreekuur",
    "vaardigheden-en-gedragsverandering": r"vaardigheden|gedragsverandering",
    "verergering-voorkomen": r"verergert|nieuwe problemen",
    "verwerking-en-acceptatie": r"verwerk|geaccepteerd",
    "verwijzing": r"\bis .*verwezen|\bdoorverwezen",
    "verzuim-voorkomen": r"verzuim",
    "vraag-beantwoord": r"vraag van de aanvrager",
    "werk-en-werkhervatting": r"arbeid|werk",
    "zelfredzaamheid": r"zelfredzaamheid|zonder hulpverlening",
    "zelfvertrouwen-en-realistische-kijk": r"zelfvertrouwen|realistische",
}
# Links that are interpretations (the goal does not use the theme's words); each module's editorial note
# says so. (module, goal position, theme)
INTERPRETED_THEMES = {
    ("amw/assertiviteitstraining", 1, "sociale-en-communicatieve-vaardigheden"),
    ("amw/in-de-put-uit-de-put", 4, "vaardigheden-en-gedragsverandering"),
    ("amw/omgaan-met-spanningsklachten", 4, "zelfredzaamheid"),
    ("bmw/aanmelding-bmw", 1, "informatie-en-advies"),
    ("bmw/bemiddeling-conflictbegeleiding", 3, "zelfredzaamheid"),
    ("bmw/coachen-van-leidinggevenden", 3, "zelfvertrouwen-en-realistische-kijk"),
    ("bmw/onderzoek-en-rapportage-voor-een-team", 1, "informatie-en-advies"),
    ("bmw/training-omgaan-met-werkstress", 3, "inzicht-in-eigen-situatie"),
}


def test_every_theme_has_its_words_listed(graph):
    themes = {str(t).rsplit("/", 1)[-1] for t in graph.subjects(RDF.type, MG.GoalTheme)}
    assert themes == set(THEME_WORDS)


def test_goal_themes_are_in_the_goal_or_noted_as_interpretation(graph):
    problems, interpreted = [], set()
    for m in modules(graph):
        for goal in graph.objects(m, MG.hasGoal):
            text = str(graph.value(goal, DCTERMS.description))
            position = int(graph.value(goal, URIRef("https://schema.org/position")))
            for theme in graph.objects(goal, MG.goalTheme):
                name = str(theme).rsplit("/", 1)[-1]
                if re.search(THEME_WORDS[name], text, re.IGNORECASE):
                    continue
                key = (short(m), position, name)
                if key in INTERPRETED_THEMES and "by interpretation" in notes(graph, m) and name in notes(graph, m):
                    interpreted.add(key)
                else:
                    problems.append(f"{key}: '{text}' does not state the theme and no editorial note says why")
    assert not problems, "\n".join(problems)
    assert interpreted == INTERPRETED_THEMES


def test_referral_theme_needs_a_referral_to_another_party(graph):
    # AMW p. 8: "De cliënt is verwezen naar het spreekuur informatie en advies, of:" - the AMW's own module
    # Informatie en advies, not another provider: toegang-tot-hulp, not verwijzing.
    goal = module("amw/aanmelding") + "/goal/4"
    assert set(graph.objects(URIRef(goal), MG.goalTheme)) == {iri("goal-theme/toegang-tot-hulp")}
    # BMW p. 17: "De problematiek van de medewerker is voldoende verhelderd om hem adequaat te kunnen verwijzen."
    goal = module("bmw/verwijzingstraject") + "/goal/1"
    assert set(graph.objects(URIRef(goal), MG.goalTheme)) == {iri("goal-theme/hulpvraag-verhelderd")}


# ==================================================================== telephone settings

def test_telephone_setting_is_the_modules_own_contact(graph):
    # A call to third parties ('telefonische raadpleging van huisarts ...', 'telefonisch contact op met een
    # instantie', 'telefonisch contact met andere informanten') is not a channel of the module.
    third_party = re.compile(r"raadpleging|contact op met|contact met andere", re.IGNORECASE)
    with_phone = set()
    for m in modules(graph):
        sentences = re.split(r"(?<=\.)\s+", str(graph.value(m, MG.settingText) or ""))
        own = [s for s in sentences if re.search(r"elefonisch", s) and not third_party.search(s)]
        if (m, MG.place, iri("place/telefonisch")) in graph:
            with_phone.add(short(m))
            assert own, f"{short(m)}: mg:place telefonisch without a Setting sentence about its own contact"
    # AMW p. 8 "Telefonisch of spreekuur op kantoor ..."; p. 20 "... telefonisch, op kantoor of elders.";
    # BMW p. 6 "Individueel. Meestal telefonisch."
    assert with_phone == {"amw/aanmelding", "amw/activerende-begeleiding-naar-betaalde-arbeid", "bmw/aanmelding-bmw"}


# ==================================================================== negative statements

def test_a_sentence_denying_a_prior_intake_is_a_negative_statement(graph):
    denial = re.compile(r"zonder dat daar een [\w ]*intake aan vooraf is gegaan|geen intake", re.IGNORECASE)
    for m in modules(graph):
        texts = [str(t) for p in SECTION_TEXTS for t in graph.objects(m, p)]
        if any(denial.search(t) for t in texts):
            denied = {(graph.value(n, OWL.assertionProperty), graph.value(n, OWL.targetIndividual))
                      for n in graph.subjects(OWL.sourceIndividual, m)
                      if (n, RDF.type, OWL.NegativePropertyAssertion) in graph}
            assert any(p == MG.requiresPriorModule and o in INTAKES for p, o in denied), short(m)


# ==================================================================== every fact of the re-reading

C = "organisation/collega-instelling"
H = "organisation/hulpverleningsinstelling"
ADDED = [
    # (module, relation, object, the sentence of the document that states it, page)
    ("amw/intake", "consults", C,
     "Zonodig telefonische raadpleging van huisarts, ouders, andere hulpverlener(s) en/of andere betrokkenen.", 9),
    ("amw/intake", "refersTo", C,
     "De cliënt is gemotiveerd voor de hulpverlening (eventueel verwijzing naar andere werksoort/discipline).", 9),
    ("bmw/intake-bmw", "consults", C, "Zonodig telefonische raadpleging van bedrijfsarts, leidinggevende, HRM "
     "adviseur, andere hulpverlener(s) en/of andere betrokkenen.", 7),
    ("amw/stabiliserende-begeleiding", "deliveredWith", C,
     "Inschakelen van vrijwilligers en mantelzorg en andere professionele hulpverleners waar nodig.", 21),
    ("amw/praktische-en-materiele-begeleiding", "deliveredWith", C,
     "De praktische problemen van de cliënt zijn opgelost of de oplossing is in gang gezet, eventueel door "
     "inschakeling van leidinggevende, anderen vanuit de arbeidsorganisatie, andere instellingen en/of vrijwilliger(s).", 18),
    ("amw/praktische-en-materiele-begeleiding", "coordinatesWith", C,
     "Indien nodig de hulp afstemmen met andere hulp- en dienstverleners zoals woonbegeleiders/SPV’en.", 18),
    ("amw/praktische-en-materiele-begeleiding", "mentionsPartner", C,
     "Het gaat om het regelen van allerhande praktische zaken, zoals verandering van werktijden, kinderopvang, "
     "schuldsanering, huisvesting, het invullen van formulieren, bemiddeling tussen cliënt en instanties enz.", 18),
    ("amw/praktische-en-materiele-begeleiding", "refersTo", C,
     "Indien de cliënt een continu doorlopend hulpaanbod behoeft, zal worden doorverwezen naar een instantie die "
     "hiertoe specifiek is uitgerust en/of worden vrijwilligers ingezet.", 18),
    ("amw/budgetbegeleiding", "mentionsPartner", C,
     "Indien dit het geval is, wordt met de cliënt toegewerkt naar een situatie waarin deze weer zelf het beheer "
     "voert over zijn financiën (of het wordt overgedragen aan een instantie/vrijwilliger die dit voortaan voor de "
     "cliënt doet).", 19),
    ("amw/bemiddeling-en-belangenbehartiging", "mentionsPartner", C,
     "Deze module kan worden ingezet voor mensen met conflicten/problemen op het werk (bijvoorbeeld met een collega "
     "of manager) of met werkgerelateerde instanties (het CWI of de arbodienst).", 25),
    ("amw/bemiddeling-en-belangenbehartiging", "mentionsPartner", C,
     "Cliënten/cliëntsystemen die zich onheus bejegend voelen en/of conflicten hebben met familie, vrienden, buren, "
     "op het werk, of met instanties.", 25),
    ("amw/bemiddeling-en-belangenbehartiging", "contacts", C,
     "Zonodig neemt de maatschappelijk werker telefonisch contact op met een instantie.", 25),
    ("amw/bemiddeling-en-belangenbehartiging", "contacts", C,
     "Uitleg te geven aan instanties daar waar het de belangen van de cliënt betreft en de communicatie weer op "
     "gang helpen.", 25),
    ("amw/weer-aan-de-slag", "deliveredWith", C, "het geven van voorlichting en adviezen door de cursusleiding en "
     "door werk-gerelateerde intanties ( bijv. DWI, reïntegratiebureau);", 30),
    ("amw/onderzoek-en-rapportage", "requestedBy", C, "(Hulpverleners van) aanverwante instellingen of instanties die "
     "vragen om informatie ten behoeve van multidisciplinaire diagnostiek en samenwerking.", 23),
    ("amw/activerende-begeleiding-naar-betaalde-arbeid", "hasAgreementsWith", C,
     "Afspraken op managementniveau over de (samenwerkings- en uitvoerings)verantwoordelijkheden van de "
     "verschillende hulpverleners en organisaties.", 20),
    ("amw/stress-op-het-werk-de-baas", "refersTo", C,
     "Zonodig wordt de cliënt verwezen naar een andere module of instelling.", 28),
    ("amw/assertiviteitstraining", "refersTo", C,
     "Zonodig wordt de cliënt verwezen naar een andere module of instelling.", 32),
    ("amw/uitkomen-met-inkomen", "refersTo", C,
     "Zonodig wordt de cliënt verwezen naar een andere module of instelling.", 34),
    ("bmw/overbruggingshulp", "mentionsPartner", C, "Medewerkers die verwezen zijn naar andere hulpverleners of "
     "instellingen, daar op een wachtlijst staan en voor wie de ervaren lijdensdruk hoog is.", 10),
    ("bmw/overbruggingshulp", "contacts", C, "Op het moment dat de situatie van de medewerker tijdens de wachttijd "
     "dusdanig verergert dat ze onhoudbaar wordt, neemt de maatschappelijk werker contact op met de instantie "
     "waarop de cliënt wacht met het verzoek om de cliënt voorrang te verlenen.", 10),
    ("bmw/overbruggingshulp", "hasAgreementsWith", C, "Zo mogelijk afspraken met hulp- en dienstverleners over "
     "voorrang voor medewerkers in een onhoudbare situatie.", 10),
    ("bmw/teambegeleiding-opvang-na-traumatische-ervaringen", "refersTo", H,
     "De medewerker is bij risico op langer durend of blijvend letsel doorverwezen, en heeft zicht op een "
     "doelmatige en efficiënte vervolghulpverlening.", 28),
    ("bmw/onderzoek-en-rapportage-voor-een-team", "mentionsPartner", "organisation/werkgever",
     "Individueel, team, eventueel met andere naastbetrokkenen binnen de arbeidsorganisatie.", 18),
]
REMOVED = [
    # (module, relation, object): why the text does not support it
    ("amw/stress-op-het-werk-de-baas", "requiresPriorModule", "module/amw/intake"),  # group's own intake talk (p. 28)
    ("amw/uitkomen-met-inkomen", "requiresPriorModule", "module/amw/intake"),  # group's own intake talk (p. 34)
    ("amw/uitkomen-met-inkomen", "usesMethod", "method/motiverende-gespreksvoering"),  # 'Kennis van motiverende gesprekstechnieken.'
    ("bmw/verwijzingstraject", "usesMethod", "method/motiverende-gespreksvoering"),  # 'Deskundigheid op het terrein van ...'
    ("amw/wachttijdbegeleiding", "usesMethod", "method/crisisinterventie"),  # 'Dit kan crisisinterventie betreffen' (randvoorwaarde)
    ("amw/intake", "place", "place/telefonisch"),  # 'Zonodig telefonische raadpleging van huisarts, ...'
    ("amw/bemiddeling-en-belangenbehartiging", "place", "place/telefonisch"),  # '... telefonisch contact op met een instantie.'
    ("bmw/onderzoek-en-rapportage-voor-een-team", "place", "place/telefonisch"),  # '... telefonisch contact met andere informanten.'
    ("amw/activerende-begeleiding-naar-betaalde-arbeid", "hasAgreementsWith", "organisation/netwerkpartners"),  # 'verschillende hulpverleners en organisaties'
    ("amw/praktische-en-materiele-begeleiding", "refersTo", H),  # 'een instantie die hiertoe specifiek is uitgerust'
    ("bmw/overbruggingshulp", "contacts", H),  # 'de instantie waarop de cliënt wacht'
]


@pytest.mark.parametrize("slug, relation, obj, quote, page", ADDED, ids=lambda v: str(v)[:40])
def test_added_relation_with_its_quote(graph, slug, relation, obj, quote, page):
    m, p, o = module(slug), MG[relation], iri(obj)
    assert (m, p, o) in graph
    found = {(q, int(graph.value(st, MG.page))) for st, q in statements(graph, m, p, o)}
    assert (quote, page) in found


@pytest.mark.parametrize("slug, relation, obj", REMOVED, ids=lambda v: str(v)[:40])
def test_removed_reading_is_gone_with_its_evidence(graph, slug, relation, obj):
    m, p, o = module(slug), MG[relation], iri(obj)
    assert (m, p, o) not in graph
    assert statements(graph, m, p, o) == []


def test_precondition_partners_of_the_re_reading(graph):
    # AMW p. 18: "Deskundigheid op het terrein van voorkomende praktische problemen van de cliënt (bijvoorbeeld
    # conflicten op het werk), eventueel door samenwerking met andere instellingen of disciplines."
    item = URIRef(module("amw/praktische-en-materiele-begeleiding") + "/precondition/1")
    assert set(graph.objects(item, MG.concernsPartner)) == {iri(C)}
    # AMW p. 20: "Afspraken op managementniveau over de (samenwerkings- en uitvoerings)verantwoordelijkheden van
    # de verschillende hulpverleners en organisaties."
    item = URIRef(module("amw/activerende-begeleiding-naar-betaalde-arbeid") + "/precondition/3")
    assert set(graph.objects(item, MG.concernsPartner)) == {iri(C)}
    # BMW p. 10: "Zo mogelijk afspraken met hulp- en dienstverleners over voorrang voor medewerkers in een
    # onhoudbare situatie."
    item = URIRef(module("bmw/overbruggingshulp") + "/precondition/3")
    assert set(graph.objects(item, MG.concernsPartner)) == {iri(C)}


def test_method_evidence_of_the_re_reading(graph):
    # BMW p. 16: "Bij coaching wordt direct aangesloten bij de behoefte en vragen van degene die gecoacht wordt."
    # and "Coaching is te beschouwen als een methode." - not the randvoorwaarde "Kennis van coachingstechnieken."
    assert {q for _, q in statements(graph, module("bmw/coachen-van-leidinggevenden"), MG.usesMethod)} == {
        "Bij coaching wordt direct aangesloten bij de behoefte en vragen van degene die gecoacht wordt.",
        "Coaching is te beschouwen als een methode."}
    # AMW p. 29: "Bij lichaamsgericht werken wordt gewerkt met draaiboeken." - not "Deskundigheid in de methode
    # lichaamsgericht werken."
    assert {q for _, q in statements(graph, module("amw/omgaan-met-spanningsklachten"), MG.usesMethod,
                                     iri("method/lichaamsgericht-werken"))} == {
        "Bij lichaamsgericht werken wordt gewerkt met draaiboeken."}
    # BMW p. 10: "Indien nodig wordt crisishulpverlening ingezet." - not "Afspraken over crisishulpverlening."
    assert {q for _, q in statements(graph, module("bmw/overbruggingshulp"), MG.usesMethod)} == {
        "Indien nodig wordt crisishulpverlening ingezet."}


def test_statements_are_numbered_from_one_without_gaps(graph):
    problems = []
    for m in modules(graph):
        numbers = sorted(int(str(st).rsplit("/", 1)[-1]) for st in graph.subjects(RDF.subject, m)
                         if str(st).startswith(str(m) + "/statement/"))
        if numbers != list(range(1, len(numbers) + 1)):
            problems.append(f"{short(m)}: {numbers}")
    assert not problems, "\n".join(problems)


def test_partner_concepts_say_which_phrasings_they_cover(graph):
    # BMW p. 9: "Afspraken over doorverwijzing binnen de organisatie van de medewerker en de arbodienst.";
    # AMW p. 11: "... andere financiële regelingen vanuit het bedrijf."; AMW p. 18: "... anderen vanuit de
    # arbeidsorganisatie ...": one party, the employer, whose definition says so.
    employer = iri("organisation/werkgever")
    alt = {str(label) for label in graph.objects(employer, SKOS.altLabel)}
    assert {"arbeidsorganisatie", "bedrijf", "organisatie van de medewerker"} <= alt
    definition = " ".join(str(d) for d in graph.objects(employer, SKOS.definition))
    assert all(word in definition for word in ("arbeidsorganisatie", "het bedrijf", "organisatie van de medewerker"))
    # The generic parties: "andere hulpverlener(s)" (AMW p. 9, BMW p. 7), "andere professionele hulpverleners"
    # (AMW p. 21), "andere instellingen" (AMW p. 18), "instanties" (AMW p. 25).
    generic = {str(label) for prop in (SKOS.prefLabel, SKOS.altLabel) for label in graph.objects(iri(C), prop)}
    assert {"andere hulpverlener(s)", "andere professionele hulpverleners", "andere instellingen", "instanties"} <= generic
