"""Named queries on sequencing, preconditions and partners, tested against the source documents.

Every expected answer here was read from the two source documents, not from the queries' output:
AMW = ../shared/sources/000_592630499203680d.txt (deel 2b), BMW = ../shared/sources/003_fa264c4e35d7fac0.txt
(deel 2a). The sentences that state an answer are quoted next to it (footnote markers dropped, PDF
splits repaired, as in docs/authoring.md). Modules are named by their IRI slug (docs/authoring.md's
table) or by their Dutch title as printed.

Queries: follow-ups, pathways, prerequisites, combinations, preconditions, modules-by-precondition,
modules-by-precondition-text, partner-modules, partners-per-werksoort.
"""

from __future__ import annotations

import re

import pytest

from modgraph import queries as q
from modgraph.api import Catalogue
from modgraph.namespaces import BASE

MG = "https://w3id.org/modgraph/def#"

MY_QUERIES = ["follow-ups", "pathways", "prerequisites", "combinations", "preconditions",
              "modules-by-precondition", "modules-by-precondition-text", "partner-modules",
              "partners-per-werksoort"]

# The 43 modules (docs/authoring.md), with their headings as printed.
AMW_MODULES = [
    "aanmelding", "intake", "inventarisatie-schulden", "informatie-en-advies", "wachttijdbegeleiding",
    "vraagverheldering", "veranderings-en-competentiegerichte-begeleiding",
    "ondersteunende-en-verwerkingsgerichte-begeleiding", "praktische-en-materiele-begeleiding",
    "budgetbegeleiding", "activerende-begeleiding-naar-betaalde-arbeid", "stabiliserende-begeleiding",
    "voortraject-arbeidstoeleiding", "onderzoek-en-rapportage", "bemiddeling-en-belangenbehartiging",
    "stress-op-het-werk-de-baas", "omgaan-met-spanningsklachten", "weer-aan-de-slag",
    "sociale-vaardigheidstraining", "assertiviteitstraining", "in-de-put-uit-de-put", "uitkomen-met-inkomen",
]
BMW_MODULES = [
    "aanmelding-bmw", "intake-bmw", "intake-schuldhulpverlening-bmw", "informatie-en-advies-bmw",
    "overbruggingshulp", "competentiegerichte-begeleiding", "communicatiebegeleiding",
    "begeleiding-bij-persoonlijke-problemen", "reintegratiebegeleiding",
    "individuele-begeleiding-bij-veranderingen-in-de-werksituatie", "coachen-van-leidinggevenden",
    "verwijzingstraject", "onderzoek-en-rapportage-voor-een-team", "bemiddeling-conflictbegeleiding",
    "consultatie-aan-leidinggevenden", "training-persoonlijke-effectiviteit", "training-omgaan-met-werkstress",
    "training-omgaan-met-functieverandering", "training-communicatietraining-samenwerking", "teambegeleiding",
    "teambegeleiding-opvang-na-traumatische-ervaringen",
]
ALL_MODULES = [f"amw/{s}" for s in AMW_MODULES] + [f"bmw/{s}" for s in BMW_MODULES]


def iri(slug: str) -> str:
    """``amw/intake`` -> the module IRI; ``organisation/uwv`` and other typed slugs -> their IRI."""
    if slug.startswith(("amw/", "bmw/")):
        return f"{BASE}module/{slug}"
    return BASE + slug


def slug(value: str) -> str:
    """A module IRI -> ``amw/intake``."""
    return value[len(BASE + "module/"):] if value.startswith(BASE + "module/") else value


@pytest.fixture(scope="module")
def cat():
    return Catalogue()


# =============================================================================== the queries' form

@pytest.mark.parametrize("name", MY_QUERIES)
def test_query_has_header_example_and_runs_with_its_defaults(cat, name):
    """grlc header, `# Example:` and `# Parameters:` lines; every required parameter has a working default."""
    query = cat.queries[name]
    assert query.summary and query.description and query.tags, name
    assert query.example.startswith(f"modgraph query {name}"), query.example
    assert "\n# Parameters:" in query.text
    defaults = {k for item in query.header.get("defaults") or [] for k in item}
    for parameter in query.parameters:
        assert re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", parameter.name), parameter.name
        if parameter.required:
            assert parameter.name in defaults, f"{name}: no default for required '{parameter.name}'"
    assert cat.query(name, **q.defaults(query)), f"{name} gives no rows with its defaults"


@pytest.mark.parametrize("name", MY_QUERIES)
def test_query_example_line_runs(cat, name):
    """The `# Example:` command works and gives rows."""
    assert cat.query(name, **cat.queries[name].example_params)


# Parameter values other than the defaults, run the way grlc runs them: the values written into the query
# text as terms (optional parameters left out stay variables), on pyoxigraph; same rows as modgraph's rdflib.
ENGINE_CASES = [
    ("pathways", {}), ("pathways", {"werksoort": "amw"}), ("pathways", {"werksoort": "bmw"}),
    ("partners-per-werksoort", {}), ("partners-per-werksoort", {"werksoort": "amw"}),
    ("modules-by-precondition", {}), ("modules-by-precondition", {"kind": "sociale-kaart"}),
    ("modules-by-precondition", {"partner": "netwerkpartners"}),
    ("modules-by-precondition", {"kind": "afspraken-met-partners", "partner": "uitkerende-instantie"}),
    ("modules-by-precondition-text", {"text": "  er zijn geen SPECIFIEKE\nrandvoorwaarden. "}),
    ("follow-ups", {"module": "amw/intake"}), ("prerequisites", {"module": "amw/budgetbegeleiding"}),
    ("preconditions", {"module": "amw/intake"}), ("combinations", {"module": "amw/sociale-vaardigheidstraining"}),
    ("partner-modules", {"partner": "leidinggevende"}),
]


@pytest.fixture(scope="module")
def oxstore(cat):
    ox = pytest.importorskip("pyoxigraph")
    store = ox.Store()
    store.load(cat.graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return store


def _value(term, separators):
    if term is None:
        return None
    # The lexical form: rdflib terms are str subclasses, pyoxigraph terms have .value.
    text = str(term) if isinstance(term, str) else str(term.value)
    for separator in separators:
        if separator in text:
            return tuple(sorted(text.split(separator)))
    return text


@pytest.mark.parametrize(("name", "params"), ENGINE_CASES, ids=lambda v: v if isinstance(v, str) else repr(v))
def test_same_rows_on_pyoxigraph_with_grlc_style_parameters(cat, oxstore, name, params):
    from modgraph import queries as named
    from modgraph.results import run_sparql

    query = cat.queries[name]
    bindings = named.bind(query, params, cat.graph)
    text = query.text
    for variable, term in sorted(bindings.items(), key=lambda kv: -len(kv[0])):
        text = re.sub(r"\?" + re.escape(variable) + r"\b", lambda _m, t=term: t.n3(), text)
    separators = re.findall(r'separator="([^"]+)"', query.text)
    ours = run_sparql(cat.graph, query.text, bindings)
    theirs = oxstore.query(text)
    variables = [v.value for v in theirs.variables]
    assert variables == ours.variables
    mine = sorted((tuple(repr(_value(r.get(v), separators)) for v in variables) for r in ours.rows))
    other = sorted((tuple(repr(_value(s[v], separators)) for v in variables) for s in theirs))
    assert mine == other
    assert mine, f"{name} {params}: no rows"


# =============================================================================== worked examples

def test_EX2_follow_ups_of_voortraject_arbeidstoeleiding(cat):
    # AMW p. 22, Voortraject arbeidstoeleiding: "Deze module kan gevolgd worden door activerende
    # begeleiding naar (betaalde) arbeid (pagina 20) of de groep weer aan de slag (pagina 30)."
    rows = cat.query("follow-ups", module="Voortraject arbeidstoeleiding")
    direct = {r["title"] for r in rows if r["direct"]}
    assert direct == {"Activerende begeleiding naar (betaalde) arbeid", "Weer aan de slag"}
    # Nothing further along a pathway either: neither of the two states a step beyond the other.
    assert {r["title"] for r in rows} == direct
    quote = ("Deze module kan gevolgd worden door activerende begeleiding naar (betaalde) arbeid (pagina 20) "
             "of de groep weer aan de slag (pagina 30).")
    for title in direct:
        assert quote in {r.get("quote") for r in rows if r["title"] == title}, title
    # The same relations stated from the other side (AMW p. 20 and p. 30) quote those modules.
    quotes = {r.get("quote") for r in rows}
    assert ("Deze module kan volgen op het voortraject arbeidstoeleiding (pagina 22) en opgevolgd worden door "
            "de groep weer aan de slag (pagina 30).") in quotes
    assert ("Deze cursus kan volgen op het voortraject arbeidstoeleiding (pagina 22) of op activerende "
            "begeleiding naar (betaalde) arbeid (pagina 20).") in quotes
    # The inverse answers the reverse question.
    before = cat.query("prerequisites", module="amw/weer-aan-de-slag")
    assert {r["title"] for r in before if r["direct"]} == {
        "Voortraject arbeidstoeleiding", "Activerende begeleiding naar (betaalde) arbeid"}


EX3_TEXT = "Afspraken op managementniveau met netwerkpartners over samenwerking, consultatie, toeleiding en overdracht."


def test_EX3_modules_with_the_netwerkpartners_precondition(cat):
    # AMW p. 16, 17, 18: the Randvoorwaarde(n) of Veranderings- en competentiegerichte begeleiding,
    # Ondersteunende en verwerkingsgerichte begeleiding and (second bullet) Praktische en materiële
    # begeleiding read "Afspraken op managementniveau met netwerkpartners over samenwerking,
    # consultatie, toeleiding en overdracht."
    rows = cat.query("modules-by-precondition-text", text=EX3_TEXT)
    assert {r["title"] for r in rows} == {
        "Veranderings- en competentiegerichte begeleiding",
        "Ondersteunende en verwerkingsgerichte begeleiding",
        "Praktische en materiële begeleiding",
    }
    assert {(slug(r["module"]), r["position"]) for r in rows} == {
        ("amw/veranderings-en-competentiegerichte-begeleiding", 1),
        ("amw/ondersteunende-en-verwerkingsgerichte-begeleiding", 1),
        ("amw/praktische-en-materiele-begeleiding", 2),
    }
    # Look-alikes are other preconditions: Activerende begeleiding ('... over de (samenwerkings- en
    # uitvoerings)verantwoordelijkheden ...'), Voortraject arbeidstoeleiding ('... rondom de
    # samenwerking met de uitkerende en arbeidstoeleidende instanties'), Verwijzingstraject ('... met
    # de instellingen waarnaar verwezen wordt').
    assert not {r["title"] for r in rows} & {
        "Activerende begeleiding naar (betaalde) arbeid", "Voortraject arbeidstoeleiding", "Verwijzingstraject"}


def test_EX4_modules_that_involve_the_ggz(cat):
    # AMW p. 28: "Deze cursus wordt vaak samen met de preventie-afdeling van de GGZ-instelling georganiseerd."
    # AMW p. 32 and p. 33: "Deze module wordt vaak samen met de preventie-afdeling van de GGZ-instelling
    # georganiseerd."  BMW p. 17, Verwijzingstraject: "Medewerkers die (waarschijnlijk) geïndiceerd zijn
    # voor (gespecialiseerde) hulpverlening, bijvoorbeeld het algemeen maatschappelijk werk of de GGZ, ..."
    rows = cat.query("partner-modules", partner="GGZ")
    found = {(r["werksoort"], r["title"], r["involvement"].removeprefix(MG)) for r in rows}
    assert found == {
        ("AMW", "Stress op het werk de baas", "deliveredWith"),
        ("AMW", "Assertiviteitstraining", "deliveredWith"),
        ("AMW", "In de put, uit de put", "deliveredWith"),
        ("BMW", "Verwijzingstraject", "refersTo"),
    }
    assert {r["involvementLabel"] for r in rows} == {"wordt uitgevoerd samen met", "verwijst naar"}
    assert {r["partner"] for r in rows} == {BASE + "organisation/ggz-instelling"}
    for row in rows:
        if row["werksoort"] == "AMW":
            assert "samen met de preventie-afdeling van de GGZ-instelling georganiseerd" in row["quote"]
        else:
            assert "bijvoorbeeld het algemeen maatschappelijk werk of de GGZ" in row["quote"]


# =============================================================================== sequencing table
#
# Every sequencing relation the two documents state, once per place the text states it.
# kind: 'step'     - the later module can come after the earlier one (kan volgen op, kan gevolgd worden
#                    door, opgevolgd worden door, na deze module start gewoonlijk, a prior module only
#                    under a condition);
#       'required' - 'aan deze module gaat een intake vooraf' / 'voorafgaand aan de cursus/module wordt
#                    een intakegesprek gevoerd';
#       'lead'     - 'kan leiden tot', or an outcome that is another module;
#       'combination', 'recommended' - 'gecombineerd met' / 'nog andere modulen inzetten, bijvoorbeeld',
#                    and 'een combinatie met ... is aanbevolen' (earlier/later are just the two modules).

Q_INVENTARISATIE = ("Over het algemeen wordt de inventarisatie van de schulden gecombineerd met, of voorafgegaan "
                    "dan wel gevolgd door, een ‘gewone’ intake.")
Q_INFO_AMW = ("Informatie en advies kan leiden tot een aanmelding/intake voor hulpverlening door het AMW of een "
              "verwijzing voor hulpverlening elders.")
Q_ACTIVEREND = ("Deze module kan volgen op het voortraject arbeidstoeleiding (pagina 22) en opgevolgd worden door "
                "de groep weer aan de slag (pagina 30).")
Q_VOORTRAJECT = ("Deze module kan gevolgd worden door activerende begeleiding naar (betaalde) arbeid (pagina 20) "
                 "of de groep weer aan de slag (pagina 30).")
Q_WEER = ("Deze cursus kan volgen op het voortraject arbeidstoeleiding (pagina 22) of op activerende begeleiding "
          "naar (betaalde) arbeid (pagina 20).")
Q_INTAKE_VOORAF = "Aan deze module gaat een intake vooraf."
Q_GROEP_INTAKE = "een intakegesprek gevoerd, waarin duidelijk wordt of de cliënt in de groep past."

SEQUENCING = [
    # (stated in, earlier, later, kind, quote (or a part of it), what the text says)
    # --- AMW
    ("amw/aanmelding", "amw/aanmelding", "amw/intake", "lead",
     "Er is een afspraak gemaakt voor een intakegesprek", "Doelen (p. 8)"),
    ("amw/aanmelding", "amw/aanmelding", "amw/intake", "lead",
     "Afspraak maken voor een intakegesprek.", "Werkwijze (p. 8)"),
    ("amw/aanmelding", "amw/aanmelding", "amw/informatie-en-advies", "lead",
     "De cliënt is verwezen naar het spreekuur informatie en advies", "Doelen (p. 8)"),
    ("amw/inventarisatie-schulden", "amw/intake", "amw/inventarisatie-schulden", "step",
     Q_INVENTARISATIE, "voorafgegaan ... door een 'gewone' intake (p. 11)"),
    ("amw/inventarisatie-schulden", "amw/inventarisatie-schulden", "amw/intake", "step",
     Q_INVENTARISATIE, "gevolgd door een 'gewone' intake (p. 11)"),
    ("amw/inventarisatie-schulden", "amw/inventarisatie-schulden", "amw/intake", "combination",
     Q_INVENTARISATIE, "gecombineerd met ... een 'gewone' intake (p. 11)"),
    ("amw/inventarisatie-schulden", "amw/inventarisatie-schulden", "amw/budgetbegeleiding", "step",
     "Na deze module start gewoonlijk budgetbegeleiding.", "Na deze module start gewoonlijk (p. 11)"),
    ("amw/informatie-en-advies", "amw/informatie-en-advies", "amw/aanmelding", "lead",
     Q_INFO_AMW, "kan leiden tot een aanmelding (p. 13)"),
    ("amw/informatie-en-advies", "amw/informatie-en-advies", "amw/intake", "lead",
     Q_INFO_AMW, "kan leiden tot een ... intake (p. 13)"),
    ("amw/informatie-en-advies", "amw/informatie-en-advies", "amw/intake", "lead",
     "(e.e.a. kan leiden tot een uitgebreidere intake om de hulpvraag te onderzoeken)", "Doelen (p. 13)"),
    ("amw/vraagverheldering", "amw/intake", "amw/vraagverheldering", "step",
     "die tijdens het intake-gesprek onvoldoende verhelderd zijn", "Doelgroep (p. 15)"),
    ("amw/activerende-begeleiding-naar-betaalde-arbeid", "amw/voortraject-arbeidstoeleiding",
     "amw/activerende-begeleiding-naar-betaalde-arbeid", "step", Q_ACTIVEREND, "kan volgen op (p. 20)"),
    ("amw/activerende-begeleiding-naar-betaalde-arbeid", "amw/activerende-begeleiding-naar-betaalde-arbeid",
     "amw/weer-aan-de-slag", "step", Q_ACTIVEREND, "opgevolgd worden door (p. 20)"),
    ("amw/activerende-begeleiding-naar-betaalde-arbeid", "amw/activerende-begeleiding-naar-betaalde-arbeid",
     "amw/sociale-vaardigheidstraining", "recommended",
     "Een combinatie met een training sociale vaardigheden is aanbevolen.", "combinatie ... aanbevolen (p. 20)"),
    ("amw/stabiliserende-begeleiding", "amw/intake", "amw/stabiliserende-begeleiding", "step",
     "Indien de hulpverlener behoefte aan informatie heeft gaat aan deze module een (verkorte) intake vooraf.",
     "conditional prior intake (p. 21)"),
    ("amw/voortraject-arbeidstoeleiding", "amw/voortraject-arbeidstoeleiding",
     "amw/activerende-begeleiding-naar-betaalde-arbeid", "step", Q_VOORTRAJECT, "kan gevolgd worden door (p. 22)"),
    ("amw/voortraject-arbeidstoeleiding", "amw/voortraject-arbeidstoeleiding", "amw/weer-aan-de-slag", "step",
     Q_VOORTRAJECT, "kan gevolgd worden door (p. 22)"),
    # Stress op het werk de baas (p. 28): "Voorafgaand aan de cursus voeren beide begeleiders een intakegesprek,
    # waarin duidelijk wordt of de cliënt in de groep past." is the group's own talk about fit, which the
    # introduction to groepswerk distinguishes from the Intake module ("Vaak vindt nog een specifieke intake
    # voor de betreffende groep plaats"): no sequencing (likewise Uitkomen met inkomen, p. 34, and the second
    # sentences of Assertiviteitstraining, p. 32, and In de put, uit de put, p. 33).
    ("amw/omgaan-met-spanningsklachten", "amw/intake", "amw/omgaan-met-spanningsklachten", "required",
     Q_INTAKE_VOORAF, "gaat een intake vooraf (p. 29)"),
    ("amw/weer-aan-de-slag", "amw/voortraject-arbeidstoeleiding", "amw/weer-aan-de-slag", "step",
     Q_WEER, "kan volgen op (p. 30)"),
    ("amw/weer-aan-de-slag", "amw/activerende-begeleiding-naar-betaalde-arbeid", "amw/weer-aan-de-slag", "step",
     Q_WEER, "kan volgen op (p. 30)"),
    ("amw/sociale-vaardigheidstraining", "amw/intake", "amw/sociale-vaardigheidstraining", "required",
     Q_INTAKE_VOORAF, "gaat een intake vooraf (p. 31)"),
    ("amw/assertiviteitstraining", "amw/intake", "amw/assertiviteitstraining", "required",
     Q_INTAKE_VOORAF, "gaat een intake vooraf (p. 32)"),
    ("amw/in-de-put-uit-de-put", "amw/intake", "amw/in-de-put-uit-de-put", "required",
     Q_INTAKE_VOORAF, "gaat een intake vooraf (p. 33)"),
    # --- BMW
    ("bmw/informatie-en-advies-bmw", "bmw/informatie-en-advies-bmw", "bmw/aanmelding-bmw", "lead",
     "Informatie en advies kan leiden tot een aanmelding voor begeleiding, coaching, een training of een workshop.",
     "kan leiden tot een aanmelding (p. 9)"),
    ("bmw/informatie-en-advies-bmw", "bmw/informatie-en-advies-bmw", "bmw/intake-bmw", "lead",
     "(e.e.a. kan leiden tot een uitgebreidere intake om de begeleidingsvraag te onderzoeken)", "Doelen (p. 9)"),
    ("bmw/competentiegerichte-begeleiding", "bmw/competentiegerichte-begeleiding",
     "bmw/training-communicatietraining-samenwerking", "combination",
     "Waar nodig nog andere modulen inzetten, bijvoorbeeld een communicatietraining, of verwijzen naar hulpverlening.",
     "nog andere modulen inzetten, bijvoorbeeld (p. 11)"),
    ("bmw/consultatie-aan-leidinggevenden", "bmw/consultatie-aan-leidinggevenden", "bmw/coachen-van-leidinggevenden",
     "step", "Als er meer gesprekken nodig zijn kan gekozen worden voor een coachingstraject.",
     "coachingstraject na consultatie (p. 20)"),
    ("bmw/training-persoonlijke-effectiviteit", "bmw/intake-bmw", "bmw/training-persoonlijke-effectiviteit",
     "required", Q_INTAKE_VOORAF, "gaat een intake vooraf (p. 23)"),
    ("bmw/training-omgaan-met-werkstress", "bmw/intake-bmw", "bmw/training-omgaan-met-werkstress",
     "required", Q_INTAKE_VOORAF, "gaat een intake vooraf (p. 24)"),
    ("bmw/training-communicatietraining-samenwerking", "bmw/intake-bmw",
     "bmw/training-communicatietraining-samenwerking", "required", Q_INTAKE_VOORAF, "gaat een intake vooraf (p. 26)"),
    ("bmw/teambegeleiding", "bmw/onderzoek-en-rapportage-voor-een-team", "bmw/teambegeleiding", "step",
     "Aan deze module gaat een signaal van leidinggevende of een of meer van de medewerkers, en eventueel "
     "onderzoek en rapportage vooraf.", "eventueel onderzoek en rapportage vooraf (p. 27)"),
]


def _seq_id(entry):
    stated, earlier, later, kind, _quote, what = entry
    return f"{kind}:{earlier}->{later}:{what}"


def _quotes(rows):
    return [r.get("quote") or "" for r in rows]


@pytest.mark.parametrize("entry", SEQUENCING, ids=_seq_id)
def test_stated_sequencing_relation(cat, entry):
    stated, earlier, later, kind, quote, _what = entry
    if kind in ("step", "required", "lead"):
        after = [r for r in cat.query("follow-ups", module=earlier) if r["followUp"] == iri(later)]
        assert after and all(r["direct"] for r in after), f"follow-ups({earlier}) lacks {later} as a direct step"
        assert any(quote in q for q in _quotes(after)), f"follow-ups({earlier}) -> {later}: quote not found"
        before = [r for r in cat.query("prerequisites", module=later) if r["prior"] == iri(earlier)]
        if kind == "lead":
            # 'kan leiden tot' is a step of a pathway, not a prerequisite.
            assert all(r["relation"] == MG + "leadsTo" for r in after)
            assert not [r for r in before if r["direct"]], f"{earlier} must not be a direct prerequisite of {later}"
        else:
            assert before and all(r["direct"] for r in before), f"prerequisites({later}) lacks {earlier}"
            assert {r["required"] for r in before} == {kind == "required"}
            assert any(quote in q for q in _quotes(before)), f"prerequisites({later}) <- {earlier}: quote not found"
            assert iri(stated) in {r.get("statedIn") for r in before if quote in (r.get("quote") or "")}
    else:
        for one, other in ((earlier, later), (later, earlier)):
            rows = [r for r in cat.query("combinations", module=one) if r["other"] == iri(other)]
            assert rows, f"combinations({one}) lacks {other}"
            assert {r["recommended"] for r in rows} == {kind == "recommended"}
            assert any(quote in q for q in _quotes(rows)), f"combinations({one}) -> {other}: quote not found"
            assert iri(stated) in {r.get("statedIn") for r in rows}


def _expected(kinds, key, value):
    out = {m: set() for m in ALL_MODULES}
    for _stated, earlier, later, kind, _quote, _what in SEQUENCING:
        if kind in kinds:
            entry = {"earlier": earlier, "later": later}
            out[entry[key]].add(entry[value])
    return out


FOLLOW_UPS = _expected({"step", "required", "lead"}, "earlier", "later")
PRIORS = _expected({"step", "required"}, "later", "earlier")
REQUIRED = _expected({"required"}, "later", "earlier")
COMBINED = _expected({"combination", "recommended"}, "earlier", "later")
for _a, _bs in list(COMBINED.items()):
    for _b in _bs:
        COMBINED[_b] = COMBINED[_b] | {_a}


@pytest.mark.parametrize("module", ALL_MODULES)
def test_direct_follow_ups_are_exactly_the_stated_ones(cat, module):
    """No module has a direct follow-up that the documents do not state (e.g. Aanmelding BMW: 'maakt een
    afspraak' names no module; Intake schuldhulpverlening BMW: 'Dit kan leiden tot verzuim' is no module)."""
    rows = cat.query("follow-ups", module=module)
    assert {slug(r["followUp"]) for r in rows if r["direct"]} == FOLLOW_UPS[module]


@pytest.mark.parametrize("module", ALL_MODULES)
def test_direct_prerequisites_are_exactly_the_stated_ones(cat, module):
    """E.g. Training: Omgaan met (functie)verandering: 'Vaak is er een bijeenkomst voorafgaande aan deze
    module' is a meeting, not a module; it states no intake (unlike the other three trainings)."""
    rows = cat.query("prerequisites", module=module)
    assert {slug(r["prior"]) for r in rows if r["direct"]} == PRIORS[module]
    assert {slug(r["prior"]) for r in rows if r["direct"] and r["required"]} == REQUIRED[module]


@pytest.mark.parametrize("module", ALL_MODULES)
def test_combinations_are_exactly_the_stated_ones(cat, module):
    rows = cat.query("combinations", module=module)
    assert {slug(r["other"]) for r in rows} == COMBINED[module]


def test_prerequisites_follow_the_order_back_transitively(cat):
    # Budgetbegeleiding comes after Inventarisatie schulden ("Na deze module start gewoonlijk
    # budgetbegeleiding.", p. 11), which can come after an intake ("voorafgegaan dan wel gevolgd door, een
    # 'gewone' intake"): Intake is an indirect, not required, prior module.
    rows = cat.query("prerequisites", module="amw/budgetbegeleiding")
    assert {(slug(r["prior"]), r["direct"], r["required"]) for r in rows} == {
        ("amw/inventarisatie-schulden", True, False), ("amw/intake", False, False)}
    # Weer aan de slag: "Deze cursus kan volgen op het voortraject arbeidstoeleiding (pagina 22) of op
    # activerende begeleiding" - both direct, none required, nothing before them.
    rows = cat.query("prerequisites", module="amw/weer-aan-de-slag")
    assert {(slug(r["prior"]), r["direct"], r["required"]) for r in rows} == {
        ("amw/voortraject-arbeidstoeleiding", True, False),
        ("amw/activerende-begeleiding-naar-betaalde-arbeid", True, False)}
    # Training: Omgaan met werkstress: "Aan deze module gaat een intake vooraf." (BMW p. 24) - Intake BMW,
    # required, and nothing stated before the intake.
    rows = cat.query("prerequisites", module="bmw/training-omgaan-met-werkstress")
    assert {(r["title"], r["direct"], r["required"]) for r in rows} == {("Intake BMW", True, True)}
    assert {r["quote"] for r in rows} == {Q_INTAKE_VOORAF}


def test_follow_ups_further_along_the_pathway(cat):
    # Intake -> Inventarisatie schulden (p. 11: 'voorafgegaan ... door een gewone intake') -> Budgetbegeleiding
    # ('Na deze module start gewoonlijk budgetbegeleiding'): Budgetbegeleiding follows the Intake, not directly.
    rows = cat.query("follow-ups", module="amw/intake")
    assert {slug(r["followUp"]) for r in rows if not r["direct"]} == {"amw/budgetbegeleiding"}
    # The relation of the usual follow-up is the most specific one, with its Dutch label.
    rows = cat.query("follow-ups", module="amw/inventarisatie-schulden")
    budget = [r for r in rows if r["followUp"] == iri("amw/budgetbegeleiding")]
    assert {(r["relation"], r["relationLabel"]) for r in budget} == {
        (MG + "usuallyFollowedBy", "wordt gewoonlijk gevolgd door")}


# =============================================================================== pathways

# From AMW Aanmelding (p. 8): "Er is een afspraak gemaakt voor een intakegesprek" and "De cliënt is verwezen
# naar het spreekuur informatie en advies". Informatie en advies (p. 13) "kan leiden tot een
# aanmelding/intake". The Intake precedes the modules whose text says so (table above) and
# Vraagverheldering (p. 15); Inventarisatie schulden can be followed by a 'gewone' intake and usually by
# Budgetbegeleiding (p. 11). Nothing is stated after those modules (a group's 'verwezen naar een andere
# module of instelling' names no module). Voortraject arbeidstoeleiding, Activerende begeleiding and Weer aan
# de slag are not reached: no step from registration or intake to them is stated.
AMW_PATHWAY_STEPS = {
    ("amw/aanmelding", "amw/intake"),
    ("amw/aanmelding", "amw/informatie-en-advies"),
    ("amw/informatie-en-advies", "amw/intake"),
    ("amw/informatie-en-advies", "amw/aanmelding"),
    ("amw/inventarisatie-schulden", "amw/intake"),
    ("amw/inventarisatie-schulden", "amw/budgetbegeleiding"),
} | {("amw/intake", m) for m in (
    "amw/inventarisatie-schulden", "amw/vraagverheldering", "amw/stabiliserende-begeleiding",
    "amw/omgaan-met-spanningsklachten", "amw/sociale-vaardigheidstraining",
    "amw/assertiviteitstraining", "amw/in-de-put-uit-de-put")}


def test_pathways_from_amw_aanmelding(cat):
    rows = cat.query("pathways", werksoort="amw")
    assert {r["start"] for r in rows} == {iri("amw/aanmelding")}
    assert {slug(r["module"]) for r in rows} == {m for step in AMW_PATHWAY_STEPS for m in step}
    assert {(slug(r["predecessor"]), slug(r["module"])) for r in rows if "predecessor" in r} == AMW_PATHWAY_STEPS
    assert {slug(r["module"]) for r in rows if r["isStart"]} == {"amw/aanmelding"}
    relations = {(slug(r["predecessor"]), slug(r["module"])): r["relationLabel"] for r in rows if "predecessor" in r}
    assert relations["amw/aanmelding", "amw/intake"] == "kan leiden tot"
    assert relations["amw/inventarisatie-schulden", "amw/budgetbegeleiding"] == "wordt gewoonlijk gevolgd door"
    assert relations["amw/intake", "amw/assertiviteitstraining"] == "kan gevolgd worden door"
    quotes = {(slug(r["predecessor"]), slug(r["module"])): r["quotes"] for r in rows if "predecessor" in r}
    # The intake before Assertiviteitstraining (p. 32) is quoted from the Doelgroep; the group's own
    # intake talk ("Voorafgaand aan de module wordt een intakegesprek gevoerd, waarin duidelijk wordt of de
    # cliënt in de groep past.") is not the Intake module and is not quoted for it.
    assert "Aan deze module gaat een intake vooraf. (p. 32)" in quotes["amw/intake", "amw/assertiviteitstraining"]
    assert Q_GROEP_INTAKE not in quotes["amw/intake", "amw/assertiviteitstraining"]
    assert "Er is een afspraak gemaakt voor een intakegesprek" in quotes["amw/aanmelding", "amw/intake"]


def test_pathways_from_bmw_aanmelding_state_no_step(cat):
    # BMW p. 6, Aanmelding BMW: "De BMWer vraagt kort wat de aanleiding is van de aanmelding, maakt een
    # afspraak." - an appointment, no module named, so the pathway is the registration alone.
    rows = cat.query("pathways", werksoort="bmw")
    assert [(slug(r["module"]), r["isStart"], r.get("predecessor")) for r in rows] == [("bmw/aanmelding-bmw", True, None)]
    assert rows[0]["title"] == "Aanmelding BMW"


def test_pathways_of_both_werksoorten_by_default(cat):
    rows = cat.query("pathways")
    assert {r["werksoort"] for r in rows} == {"AMW", "BMW"}
    assert {slug(r["start"]) for r in rows} == {"amw/aanmelding", "bmw/aanmelding-bmw"}
    assert {(slug(r["predecessor"]), slug(r["module"])) for r in rows if "predecessor" in r} == AMW_PATHWAY_STEPS


# =============================================================================== preconditions

# Number of randvoorwaarden per module, counted in the documents (one per bullet, a paragraph is one);
# 0 = the document says 'Er zijn geen specifieke randvoorwaarden'.
PRECONDITION_COUNTS = {
    "amw/aanmelding": 2, "amw/intake": 0, "amw/inventarisatie-schulden": 2, "amw/informatie-en-advies": 3,
    "amw/wachttijdbegeleiding": 1, "amw/vraagverheldering": 0,
    "amw/veranderings-en-competentiegerichte-begeleiding": 1,
    "amw/ondersteunende-en-verwerkingsgerichte-begeleiding": 1, "amw/praktische-en-materiele-begeleiding": 2,
    "amw/budgetbegeleiding": 2, "amw/activerende-begeleiding-naar-betaalde-arbeid": 3,
    "amw/stabiliserende-begeleiding": 0, "amw/voortraject-arbeidstoeleiding": 2, "amw/onderzoek-en-rapportage": 2,
    "amw/bemiddeling-en-belangenbehartiging": 0, "amw/stress-op-het-werk-de-baas": 0,
    "amw/omgaan-met-spanningsklachten": 1, "amw/weer-aan-de-slag": 3, "amw/sociale-vaardigheidstraining": 0,
    "amw/assertiviteitstraining": 0, "amw/in-de-put-uit-de-put": 0, "amw/uitkomen-met-inkomen": 2,
    "bmw/aanmelding-bmw": 0, "bmw/intake-bmw": 0, "bmw/intake-schuldhulpverlening-bmw": 1,
    "bmw/informatie-en-advies-bmw": 4, "bmw/overbruggingshulp": 3, "bmw/competentiegerichte-begeleiding": 0,
    "bmw/communicatiebegeleiding": 1, "bmw/begeleiding-bij-persoonlijke-problemen": 0,
    "bmw/reintegratiebegeleiding": 2, "bmw/individuele-begeleiding-bij-veranderingen-in-de-werksituatie": 0,
    "bmw/coachen-van-leidinggevenden": 1, "bmw/verwijzingstraject": 2, "bmw/onderzoek-en-rapportage-voor-een-team": 3,
    "bmw/bemiddeling-conflictbegeleiding": 2, "bmw/consultatie-aan-leidinggevenden": 0,
    "bmw/training-persoonlijke-effectiviteit": 0, "bmw/training-omgaan-met-werkstress": 1,
    "bmw/training-omgaan-met-functieverandering": 1, "bmw/training-communicatietraining-samenwerking": 0,
    "bmw/teambegeleiding": 1, "bmw/teambegeleiding-opvang-na-traumatische-ervaringen": 3,
}


def test_precondition_count_table_covers_the_43_modules():
    assert sorted(PRECONDITION_COUNTS) == sorted(ALL_MODULES) and len(ALL_MODULES) == 43


@pytest.mark.parametrize("module", ALL_MODULES)
def test_number_of_preconditions(cat, module):
    rows = cat.query("preconditions", module=module)
    listed = [r for r in rows if not r["noSpecificPreconditions"]]
    expected = PRECONDITION_COUNTS[module]
    assert len(listed) == expected
    assert [r["position"] for r in listed] == list(range(1, expected + 1)), "in the printed order"
    none = [r for r in rows if r["noSpecificPreconditions"]]
    if expected == 0:
        assert len(none) == 1 and "position" not in none[0]
        # Training: Persoonlijke effectiviteit (BMW p. 23) prints it without the full stop.
        text = "Er zijn geen specifieke randvoorwaarden"
        assert none[0]["text"] == (text if module == "bmw/training-persoonlijke-effectiviteit" else text + ".")
    else:
        assert not none
        assert all(r.get("kind") and r.get("kindLabel") for r in listed)


def test_preconditions_of_budgetbegeleiding_in_order_with_kind_and_partners(cat):
    # AMW p. 19: "• Deskundigheid op het terrein van de schuldhulpverlening.
    #             • Samenwerkingsafspraken met andere betroken ketenpartners zoals uitkerende instanties (bijv.
    #               CWI) en de kredietbank (of andere instantie die de schuldsanering van de cliënt regelt)."
    rows = cat.query("preconditions", module="Budgetbegeleiding")
    assert [r["text"] for r in rows] == [
        "Deskundigheid op het terrein van de schuldhulpverlening.",
        "Samenwerkingsafspraken met andere betroken ketenpartners zoals uitkerende instanties (bijv. CWI) en de "
        "kredietbank (of andere instantie die de schuldsanering van de cliënt regelt).",
    ]
    assert [r["kind"].removeprefix(BASE) for r in rows] == [
        "precondition-kind/deskundigheid", "precondition-kind/afspraken-met-partners"]
    assert rows[0].get("partners", "") == ""
    partners = set(rows[1]["partners"].split("; "))
    assert {iri("organisation/uitkerende-instantie"), iri("organisation/cwi"),
            iri("organisation/gemeentelijke-kredietbank"), iri("organisation/netwerkpartners")} <= partners
    assert {"CWI", "Gemeentelijke Kredietbank", "uitkerende instantie"} <= set(rows[1]["partnerLabels"].split("; "))


def test_preconditions_of_voortraject_arbeidstoeleiding(cat):
    # AMW p. 22: "• Deskundigheid op het terrein van motiverende gesprekstechnieken.
    #             • Afspraken op managementniveau rondom de samenwerking met de uitkerende en
    #               arbeidstoeleidende instanties."
    rows = cat.query("preconditions", module="amw/voortraject-arbeidstoeleiding")
    assert [(r["position"], r["kindLabel"]) for r in rows] == [(1, "deskundigheid"), (2, "afspraken met partners")]
    assert set(rows[1]["partners"].split("; ")) == {
        iri("organisation/uitkerende-instantie"), iri("organisation/arbeidstoeleidende-instantie")}


def test_preconditions_of_weer_aan_de_slag_are_conditions_on_the_client(cat):
    # AMW p. 30: "• algemene groepsvoorwaarden (kunnen functioneren in een groep); • bereid en in staat zijn om
    # weer te kunnen gaan werken (...); • je hebt nu geen werk."
    rows = cat.query("preconditions", module="amw/weer-aan-de-slag")
    assert rows[0]["text"].startswith("algemene groepsvoorwaarden")
    assert rows[2]["text"] == "je hebt nu geen werk."
    assert {r["kind"] for r in rows} == {iri("precondition-kind/clientvoorwaarde")}


# --------------------------------------------------------------------- modules-by-precondition

def _modules(rows):
    return {slug(r["module"]) for r in rows}


def test_modules_needing_a_social_map(cat):
    # "Een actuele sociale kaart en informatie over de bereikbaarheid van andere hulp- en dienstverleners."
    # (AMW Aanmelding p. 8); "Actuele sociale kaart en informatie over bereikbaarheid van (andere) hulp- en
    # dienstverleners." (AMW Informatie en advies p. 13, BMW Informatie en advies BMW p. 9,
    # Overbruggingshulp p. 10); "Actuele sociale kaart." (AMW Activerende begeleiding p. 20).
    rows = cat.query("modules-by-precondition", kind="sociale-kaart")
    assert _modules(rows) == {"amw/aanmelding", "amw/informatie-en-advies",
                              "amw/activerende-begeleiding-naar-betaalde-arbeid",
                              "bmw/informatie-en-advies-bmw", "bmw/overbruggingshulp"}
    assert {r["kindLabel"] for r in rows} == {"sociale kaart"}


def test_modules_with_conditions_on_the_client_or_on_position_and_independence(cat):
    # Weer aan de slag (AMW p. 30): three conditions the client must meet.
    rows = cat.query("modules-by-precondition", kind="clientvoorwaarde")
    assert [(slug(r["module"]), r["position"]) for r in rows] == [("amw/weer-aan-de-slag", i) for i in (1, 2, 3)]
    # "De BMWer en zijn rol zijn voor beide partijen acceptabel." / "Er is in heden of verleden geen
    # hulpverleningsrelatie (geweest) met één van beide partijen." (BMW p. 19); "Onafhankelijk kunnen
    # onderzoeken en adviseren." (BMW p. 18).
    rows = cat.query("modules-by-precondition", kind="positie-en-onafhankelijkheid")
    assert {(slug(r["module"]), r["position"]) for r in rows} == {
        ("bmw/bemiddeling-conflictbegeleiding", 1), ("bmw/bemiddeling-conflictbegeleiding", 2),
        ("bmw/onderzoek-en-rapportage-voor-een-team", 3)}


PRECONDITION_PARTNERS = {
    # "Afspraken op managementniveau met netwerkpartners ..." (AMW p. 16, 17, 18); "... dan zijn er hierover
    # afspraken met ketenpartners." (AMW p. 12); "Samenwerkingsafspraken met andere betroken ketenpartners ..."
    # (AMW p. 19).
    "netwerkpartners": {"amw/veranderings-en-competentiegerichte-begeleiding",
                        "amw/ondersteunende-en-verwerkingsgerichte-begeleiding",
                        "amw/praktische-en-materiele-begeleiding", "amw/inventarisatie-schulden",
                        "amw/budgetbegeleiding"},
    # Providers named without a name (issue 14): "Afspraken op managementniveau over de (samenwerkings- en
    # uitvoerings)verantwoordelijkheden van de verschillende hulpverleners en organisaties." (AMW p. 20);
    # "... eventueel door samenwerking met andere instellingen of disciplines." (AMW p. 18); "Zo mogelijk
    # afspraken met hulp- en dienstverleners over voorrang voor medewerkers in een onhoudbare situatie." (BMW p. 10).
    "collega-instelling": {"amw/activerende-begeleiding-naar-betaalde-arbeid",
                           "amw/praktische-en-materiele-begeleiding", "bmw/overbruggingshulp"},
    # "... zoals uitkerende instanties (bijv. CWI) en de kredietbank ..." (AMW p. 19).
    "cwi": {"amw/budgetbegeleiding"},
    "gemeentelijke-kredietbank": {"amw/budgetbegeleiding"},
    # + "Afspraken op managementniveau rondom de samenwerking met de uitkerende en arbeidstoeleidende
    # instanties." (AMW p. 22).
    "uitkerende-instantie": {"amw/budgetbegeleiding", "amw/voortraject-arbeidstoeleiding"},
    "arbeidstoeleidende-instantie": {"amw/voortraject-arbeidstoeleiding"},
    # "Afspraken over doorverwijzing binnen de organisatie van de medewerker en de arbodienst." (BMW p. 9).
    "arbodienst": {"bmw/informatie-en-advies-bmw"},
    # "Afspraken op managementniveau met de instellingen waarnaar verwezen wordt." (BMW p. 17).
    "hulpverleningsinstelling": {"bmw/verwijzingstraject"},
    # "Beschikbaarheid van voldoende informatie over de feitelijke situatie vanuit de afdeling
    # personeelszaken." (BMW p. 25) - information, not agreements.
    "afdeling-personeelszaken": {"bmw/training-omgaan-met-functieverandering"},
    "uwv": set(),
    "ggz-instelling": set(),
}


@pytest.mark.parametrize("partner", sorted(PRECONDITION_PARTNERS))
def test_modules_with_a_precondition_that_concerns_a_partner(cat, partner):
    rows = cat.query("modules-by-precondition", partner=partner)
    assert _modules(rows) == PRECONDITION_PARTNERS[partner]
    for row in rows:
        assert iri(f"organisation/{partner}") in row["partners"].split("; ")


def test_modules_whose_precondition_names_the_network_partners(cat):
    # The five that name them: 'met netwerkpartners' (AMW p. 16, 17, 18), 'met ketenpartners' (p. 12), 'betroken
    # ketenpartners' (p. 19).
    rows = cat.query("modules-by-precondition", partner="netwerkpartners")
    assert _modules(rows) == PRECONDITION_PARTNERS["netwerkpartners"]
    assert {r["kind"] for r in rows} == {iri("precondition-kind/afspraken-met-partners")}


def test_activerende_begeleiding_has_agreements_with_the_providers_it_names_generically(cat):
    # AMW p. 20: "Afspraken op managementniveau over de (samenwerkings- en uitvoerings)verantwoordelijkheden van
    # de verschillende hulpverleners en organisaties." - not the word 'netwerkpartners' (issue 14).
    rows = cat.query("partner-modules", partner="organisation/collega-instelling")
    assert ("amw/activerende-begeleiding-naar-betaalde-arbeid", MG + "hasAgreementsWith") in {
        (slug(r["module"]), r["involvement"]) for r in rows}
    rows = cat.query("partner-modules", partner="netwerkpartners")
    assert "amw/activerende-begeleiding-naar-betaalde-arbeid" not in {slug(r["module"]) for r in rows}


def test_modules_needing_agreements_with_the_benefits_agency(cat):
    # kind and partner together: AMW p. 19 (Budgetbegeleiding) and p. 22 (Voortraject arbeidstoeleiding).
    rows = cat.query("modules-by-precondition", kind="afspraken-met-partners", partner="uitkerende-instantie")
    assert {(slug(r["module"]), r["position"]) for r in rows} == {
        ("amw/budgetbegeleiding", 2), ("amw/voortraject-arbeidstoeleiding", 2)}
    # The personnel department precondition is about information, not agreements.
    assert not cat.query("modules-by-precondition", kind="afspraken-met-partners", partner="afdeling-personeelszaken")


def test_all_preconditions_without_parameters(cat):
    rows = cat.query("modules-by-precondition")
    assert len(rows) == sum(PRECONDITION_COUNTS.values())
    assert _modules(rows) == {m for m, n in PRECONDITION_COUNTS.items() if n}


# --------------------------------------------------------------------- modules-by-precondition-text

def test_precondition_text_is_compared_without_case_and_white_space(cat):
    messy = "  afspraken op MANAGEMENTNIVEAU met netwerkpartners\nover samenwerking,   consultatie, toeleiding en overdracht. "
    assert _modules(cat.query("modules-by-precondition-text", text=messy)) == _modules(
        cat.query("modules-by-precondition-text", text=EX3_TEXT))
    # One full stop at the end does not matter either (issue 14: normalised text).
    assert _modules(cat.query("modules-by-precondition-text", text=EX3_TEXT.rstrip("."))) == _modules(
        cat.query("modules-by-precondition-text", text=EX3_TEXT))


PRECONDITION_TEXTS = {
    # AMW p. 19 (Budgetbegeleiding) and BMW p. 8 (Intake schuldhulpverlening BMW)
    "Deskundigheid op het terrein van de schuldhulpverlening.": {
        "amw/budgetbegeleiding", "bmw/intake-schuldhulpverlening-bmw"},
    # AMW p. 12 (Inventarisatie schulden): without 'de'.
    "Deskundigheid op het terrein van schuldhulpverlening.": {"amw/inventarisatie-schulden"},
    # AMW p. 22 and BMW p. 17.
    "Deskundigheid op het terrein van motiverende gesprekstechnieken.": {
        "amw/voortraject-arbeidstoeleiding", "bmw/verwijzingstraject"},
    # AMW p. 24 and BMW p. 18.
    "In staat zijn om kort, bondig en helder te rapporteren.": {
        "amw/onderzoek-en-rapportage", "bmw/onderzoek-en-rapportage-voor-een-team"},
    # BMW p. 9 and p. 10 (AMW p. 13 says 'van andere hulp- en dienstverleners').
    "Actuele sociale kaart en informatie over bereikbaarheid van hulp- en dienstverleners.": {
        "bmw/informatie-en-advies-bmw", "bmw/overbruggingshulp"},
    "Actuele sociale kaart en informatie over bereikbaarheid van andere hulp- en dienstverleners.": {
        "amw/informatie-en-advies"},
}


@pytest.mark.parametrize("text", sorted(PRECONDITION_TEXTS))
def test_modules_with_exactly_this_precondition_text(cat, text):
    rows = cat.query("modules-by-precondition-text", text=text)
    assert _modules(rows) == PRECONDITION_TEXTS[text]
    assert all(r["text"] == text and not r["noSpecificPreconditions"] for r in rows)


def test_modules_stating_no_specific_preconditions_by_text(cat):
    # Printed as 'Er zijn geen specifieke randvoorwaarden.' by 15 modules; Training: Persoonlijke
    # effectiviteit (BMW p. 23) prints it without the full stop. Issue 14: text is compared normalised
    # (one full stop at the end does not matter), so both forms find all 16.
    expected = {m for m, n in PRECONDITION_COUNTS.items() if n == 0}
    assert "bmw/training-persoonlijke-effectiviteit" in expected and len(expected) == 16
    for text in ("Er zijn geen specifieke randvoorwaarden.", "Er zijn geen specifieke randvoorwaarden"):
        rows = cat.query("modules-by-precondition-text", text=text)
        assert _modules(rows) == expected
        assert all(r["noSpecificPreconditions"] and "precondition" not in r for r in rows)


# =============================================================================== partners

# How the modules involve seven partners, read from the documents; kinds are the sub-properties of
# mg:involves named in docs/authoring.md. A set of kinds is the exact answer; for the leidinggevende
# (named in many ways) the kinds listed must be among the answer.
PARTNER_MENTIONS = {
    "uwv": {
        # AMW p. 13: "De cliënt kan zonodig doorverwezen worden naar de sociaal raadslieden, de UWV, de
        # vakbond, het CWI of het spreekuur van de sociaal raadslieden."
        "amw/informatie-en-advies": ({"refersTo"}, "doorverwezen worden naar de sociaal raadslieden, de UWV"),
    },
    "cwi": {
        "amw/informatie-en-advies": ({"refersTo"}, "de UWV, de vakbond, het CWI"),
        # AMW p. 19: "Samenwerkingsafspraken met andere betroken ketenpartners zoals uitkerende instanties
        # (bijv. CWI) en de kredietbank ..."
        "amw/budgetbegeleiding": ({"hasAgreementsWith"}, "uitkerende instanties (bijv. CWI)"),
        # AMW p. 25: "... of met werkgerelateerde instanties (het CWI of de arbodienst)." - the other party.
        "amw/bemiddeling-en-belangenbehartiging": ({"mentionsPartner"}, "(het CWI of de arbodienst)"),
    },
    "GGZ": {
        # AMW p. 28, 32, 33 and BMW p. 17 (see EX4).
        "amw/stress-op-het-werk-de-baas": ({"deliveredWith"}, "preventie-afdeling van de GGZ-instelling"),
        "amw/assertiviteitstraining": ({"deliveredWith"}, "preventie-afdeling van de GGZ-instelling"),
        "amw/in-de-put-uit-de-put": ({"deliveredWith"}, "preventie-afdeling van de GGZ-instelling"),
        "bmw/verwijzingstraject": ({"refersTo"}, "het algemeen maatschappelijk werk of de GGZ"),
    },
    "bedrijfsarts": {
        # AMW p. 9 (Intake) and p. 15 (Vraagverheldering, the same box): "De cliënt kan doorverwezen zijn door
        # bedrijfsarts of BMWer." "... contact op te nemen met de bedrijfsarts ..." "De maatschappelijk werker
        # kan de cliënt verwijzen naar bedrijfsarts of BMWer."
        "amw/intake": ({"referredBy", "contacts", "refersTo"}, "kan doorverwezen zijn door bedrijfsarts"),
        "amw/vraagverheldering": ({"referredBy", "contacts", "refersTo"}, "verwijzen naar bedrijfsarts of BMWer"),
        # AMW p. 23: "Het LISV heeft een standaard ontwikkeld voor de communicatie van bedrijfs- en
        # verzekeringsartsen met behandelaars."
        "amw/onderzoek-en-rapportage": ({"mentionsPartner"}, "communicatie van bedrijfs- en verzekeringsartsen"),
        # BMW p. 7: "Zonodig telefonische raadpleging van bedrijfsarts, leidinggevende, HRM adviseur, ..."
        "bmw/intake-bmw": ({"consults"}, "telefonische raadpleging van bedrijfsarts"),
        # BMW p. 13: "In de regel worden deze medewerkers primair begeleid door de bedrijfsarts, ..."
        "bmw/begeleiding-bij-persoonlijke-problemen": ({"mentionsPartner"}, "primair begeleid door de bedrijfsarts"),
    },
    "Gemeentelijke Kredietbank": {
        # AMW p. 19: "... en de kredietbank (of andere instantie die de schuldsanering van de cliënt regelt)."
        "amw/budgetbegeleiding": ({"hasAgreementsWith"}, "en de kredietbank"),
        # BMW p. 8: "De medewerker is doorverwezen naar de Gemeentelijke Kredietbank, ..."; "Stappenplan voor
        # doorverwijzing naar de Gemeentelijke Kredietbank, ..."; "Die beslissing ligt bij de Gemeentelijke
        # Kredietbank of een andere bank met het Keurmerk NVVK" - the one who decides.
        "bmw/intake-schuldhulpverlening-bmw": ({"refersTo", "mentionsPartner"},
                                               "doorverwezen naar de Gemeentelijke Kredietbank"),
    },
    "sociaal fonds": {
        # AMW p. 11: "Het kan bijvoorbeeld gaan om informatie over voorschotregelingen, de aanwezigheid van een
        # sociaal fonds en andere financiële regelingen vanuit het bedrijf."
        "amw/inventarisatie-schulden": ({"mentionsPartner"}, "de aanwezigheid van een sociaal fonds"),
        # BMW p. 8: "In voorkomende gevallen neemt de BMWer contact op met het sociaal fonds van de werkgever
        # van de medewerker voor een gift of renteloze lening."
        "bmw/intake-schuldhulpverlening-bmw": ({"contacts"}, "contact op met het sociaal fonds van de werkgever"),
    },
    "leidinggevende": {
        # AMW p. 9 / p. 15: "Zonodig wordt in overleg met de cliënt de arbo-arts of leidinggevende van de cliënt
        # geraadpleegd." "... contact op te nemen met de bedrijfsarts en eventueel de werkgever / leidinggevende."
        "amw/intake": ({"consults", "contacts"}, "de arbo-arts of leidinggevende van de cliënt geraadpleegd"),
        "amw/vraagverheldering": ({"consults", "contacts"}, "eventueel de werkgever / leidinggevende"),
        # AMW p. 11: "De MWer neemt zonodig contact op met arbo-arts of leidinggevende over verzuim ..."
        "amw/inventarisatie-schulden": ({"contacts"}, "contact op met arbo-arts of leidinggevende"),
        # AMW p. 18: "... eventueel door inschakeling van leidinggevende, anderen vanuit de arbeidsorganisatie ..."
        "amw/praktische-en-materiele-begeleiding": ({"deliveredWith"}, "door inschakeling van leidinggevende"),
        # AMW p. 25: "... conflicten/problemen op het werk (bijvoorbeeld met een collega of manager) ..."
        "amw/bemiddeling-en-belangenbehartiging": (set(), "met een collega of manager"),
        # BMW p. 7: "Zonodig telefonische raadpleging van bedrijfsarts, leidinggevende, HRM adviseur, ..."
        "bmw/intake-bmw": ({"consults"}, "raadpleging van bedrijfsarts, leidinggevende"),
        # BMW p. 11: "Individueel of met het team, eventueel met de leidinggevende."
        "bmw/competentiegerichte-begeleiding": (set(), "eventueel met de leidinggevende"),
        # BMW p. 12: "Doorgaans aangevraagd door leidinggevende of managementteam."
        "bmw/communicatiebegeleiding": ({"requestedBy"}, "Doorgaans aangevraagd door leidinggevende"),
        # BMW p. 13: "Individueel, incidenteel met de leidinggevende." / "... een taak heeft in het contact met
        # de leidinggevende."
        "bmw/begeleiding-bij-persoonlijke-problemen": (set(), "leidinggevende"),
        # BMW p. 14: "Individueel, incidenteel met de leidinggevende."
        "bmw/reintegratiebegeleiding": (set(), "incidenteel met de leidinggevende"),
        # BMW p. 18: "Een leidinggevende met een verzoek om een rapportage ..."
        "bmw/onderzoek-en-rapportage-voor-een-team": ({"requestedBy"}, "Een leidinggevende met een verzoek"),
        # BMW p. 20: "De leidinggevende legt de vraag aan het BMW voor."
        "bmw/consultatie-aan-leidinggevenden": (set(), "De leidinggevende legt de vraag aan het BMW voor."),
        # BMW p. 27: "Aan deze module gaat een signaal van leidinggevende ... vooraf." / "Het team of de afdeling
        # met de leidinggevende."
        "bmw/teambegeleiding": (set(), "leidinggevende"),
        # BMW p. 28: "Bevindingen afstemmen/terugkoppelen aan leidinggevenden en management."
        "bmw/teambegeleiding-opvang-na-traumatische-ervaringen": ({"coordinatesWith"},
                                                                  "terugkoppelen aan leidinggevenden"),
        # Not a partner: in Coachen van leidinggevenden the leidinggevende is the client (Doelgroep).
    },
}
EXACT_KINDS = {"uwv", "cwi", "GGZ", "bedrijfsarts", "Gemeentelijke Kredietbank", "sociaal fonds"}


@pytest.mark.parametrize("partner", sorted(PARTNER_MENTIONS))
def test_modules_that_involve_a_partner(cat, partner):
    rows = cat.query("partner-modules", partner=partner)
    expected = PARTNER_MENTIONS[partner]
    assert {slug(r["module"]) for r in rows} == set(expected)
    for module, (kinds, quote) in expected.items():
        mine = [r for r in rows if slug(r["module"]) == module]
        found = {r["involvement"].removeprefix(MG) for r in mine}
        if partner in EXACT_KINDS:
            assert found == kinds, module
        else:
            assert kinds <= found, module
        assert all(r.get("involvementLabel") for r in mine)
        assert any(quote in (r.get("quote") or "") for r in mine), f"{module}: no quote with '{quote}'"


# Modules that refer to '(gespecialiseerde) hulpverlening' (<organisation/hulpverleningsinstelling>: the help
# a client is referred to, where the text names the help and not who gives it), with the words that say so.
HULPVERLENING_REFERRALS = {
    # AMW p. 13: "... en mogelijk wijzen op / verwijzen naar andere hulpverlening."
    "amw/informatie-en-advies": "verwijzen naar andere hulpverlening",
    # BMW p. 7, Intake BMW, goal: "De medewerker is gemotiveerd voor begeleiding (eventueel verwijzing naar
    # hulpverlening)." - the same referral as Competentiegerichte begeleiding's 'verwijzen naar hulpverlening'.
    "bmw/intake-bmw": "(eventueel verwijzing naar hulpverlening)",
    # BMW p. 11: "Waar nodig nog andere modulen inzetten, bijvoorbeeld een communicatietraining, of verwijzen
    # naar hulpverlening."
    "bmw/competentiegerichte-begeleiding": "of verwijzen naar hulpverlening",
    # BMW p. 17: "Medewerkers die (waarschijnlijk) geïndiceerd zijn voor (gespecialiseerde) hulpverlening, ..."
    "bmw/verwijzingstraject": "geïndiceerd zijn voor (gespecialiseerde) hulpverlening",
    # BMW p. 28: "De medewerker is bij risico op langer durend of blijvend letsel doorverwezen, en heeft zicht op
    # een doelmatige en efficiënte vervolghulpverlening."
    "bmw/teambegeleiding-opvang-na-traumatische-ervaringen": "blijvend letsel doorverwezen",
}
# Modules that refer to providers they do not name (<organisation/collega-instelling>), with the words.
UNNAMED_PROVIDER_REFERRALS = {
    # AMW p. 8: "De cliënt is terug- of doorverwezen naar een collega-instelling of -hulpverlener."
    "amw/aanmelding": "doorverwezen naar een collega-instelling of -hulpverlener",
    # AMW p. 9: "De cliënt is gemotiveerd voor de hulpverlening (eventueel verwijzing naar andere werksoort/discipline)."
    "amw/intake": "eventueel verwijzing naar andere werksoort/discipline",
    # AMW p. 18: "... zal worden doorverwezen naar een instantie die hiertoe specifiek is uitgerust ..."
    "amw/praktische-en-materiele-begeleiding": "doorverwezen naar een instantie die hiertoe specifiek is uitgerust",
    # AMW p. 28, 32, 34: "Zonodig wordt de cliënt verwezen naar een andere module of instelling."
    "amw/stress-op-het-werk-de-baas": "Zonodig wordt de cliënt verwezen naar een andere module of instelling.",
    "amw/assertiviteitstraining": "Zonodig wordt de cliënt verwezen naar een andere module of instelling.",
    "amw/uitkomen-met-inkomen": "Zonodig wordt de cliënt verwezen naar een andere module of instelling.",
}


def test_modules_that_refer_to_providers_they_do_not_name(cat):
    rows = [r for r in cat.query("partner-modules", partner="organisation/collega-instelling")
            if r["involvement"] == MG + "refersTo"]
    assert {slug(r["module"]) for r in rows} == set(UNNAMED_PROVIDER_REFERRALS)
    for module, words in UNNAMED_PROVIDER_REFERRALS.items():
        assert any(words in (r.get("quote") or "") for r in rows if slug(r["module"]) == module), module


@pytest.mark.parametrize("module", sorted(HULPVERLENING_REFERRALS))
def test_modules_that_refer_to_hulpverlening(cat, module):
    rows = [r for r in cat.query("partner-modules", partner="organisation/hulpverleningsinstelling")
            if slug(r["module"]) == module and r["involvement"] == MG + "refersTo"]
    assert rows, f"{module} does not refer to (gespecialiseerde) hulpverlening"
    assert any(HULPVERLENING_REFERRALS[module] in (r.get("quote") or "") for r in rows)


def test_no_other_module_refers_to_hulpverlening(cat):
    # In de put, uit de put (p. 33) states no referral, unlike the other group modules.
    rows = cat.query("partner-modules", partner="organisation/hulpverleningsinstelling")
    assert {slug(r["module"]) for r in rows if r["involvement"] == MG + "refersTo"} <= set(HULPVERLENING_REFERRALS)


def test_partner_given_by_iri_slug_or_label_is_the_same_partner(cat):
    by_label = cat.query("partner-modules", partner="Gemeentelijke Kredietbank")
    by_slug = cat.query("partner-modules", partner="gemeentelijke-kredietbank")
    by_iri = cat.query("partner-modules", partner=iri("organisation/gemeentelijke-kredietbank"))
    assert by_label == by_slug == by_iri
    # 'kredietbank' is the alternative label the AMW document uses (p. 19).
    assert cat.query("partner-modules", partner="kredietbank") == by_label


PARTNER_IRIS = {"uwv": "organisation/uwv", "cwi": "organisation/cwi", "GGZ": "organisation/ggz-instelling",
                "bedrijfsarts": "role/bedrijfsarts", "Gemeentelijke Kredietbank": "organisation/gemeentelijke-kredietbank",
                "sociaal fonds": "organisation/sociaal-fonds", "leidinggevende": "role/leidinggevende"}


def _counts_from_table():
    counts = {}
    for partner, modules in PARTNER_MENTIONS.items():
        for module in modules:
            key = (module.split("/")[0].upper(), iri(PARTNER_IRIS[partner]))
            counts[key] = counts.get(key, 0) + 1
    return counts


def test_partners_per_werksoort_counts(cat):
    # UWV and CWI are named by AMW modules only; GGZ, bedrijfsarts, Gemeentelijke Kredietbank, sociaal fonds
    # and leidinggevende by both (table above).
    rows = cat.query("partners-per-werksoort")
    found = {(r["werksoort"], r["partner"]): r["modules"] for r in rows}
    expected = _counts_from_table()
    assert expected[("AMW", iri("role/leidinggevende"))] == 5 and expected[("BMW", iri("role/leidinggevende"))] == 9
    for key, count in expected.items():
        assert found.get(key) == count, key
    for partner in ("organisation/uwv", "organisation/cwi"):
        assert ("BMW", iri(partner)) not in found
    # The kinds of partner and the titles of the modules.
    by_key = {(r["werksoort"], r["partner"]): r for r in rows}
    assert by_key["AMW", iri("organisation/uwv")]["partnerKind"] == "organisatie"
    assert by_key["BMW", iri("role/bedrijfsarts")]["partnerKind"] == "rol"
    assert set(by_key["BMW", iri("role/bedrijfsarts")]["moduleTitles"].split("; ")) == {
        "Intake BMW", "Begeleiding bij persoonlijke problemen"}
    # BMW Verwijzingstraject (p. 17) names 'het algemeen maatschappelijk werk' as where employees are referred.
    amw = by_key["BMW", iri("werksoort/amw")]
    assert (amw["partnerKind"], amw["modules"], amw["moduleTitles"]) == ("werksoort", 1, "Verwijzingstraject")


def test_partners_per_werksoort_for_one_werksoort(cat):
    rows = cat.query("partners-per-werksoort", werksoort="bmw")
    assert {r["werksoort"] for r in rows} == {"BMW"}
    found = {r["partner"]: r["modules"] for r in rows}
    for (werksoort, partner), count in _counts_from_table().items():
        if werksoort == "BMW":
            assert found.get(partner) == count, partner
    # Sorted by number of modules, most first: the leidinggevende (9 BMW modules) leads.
    assert rows[0]["partner"] == iri("role/leidinggevende")
    assert [r["modules"] for r in rows] == sorted((r["modules"] for r in rows), reverse=True)
