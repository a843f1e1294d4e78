"""Who each module is for (issue 14, section 2): the target-audience concepts and dcterms:audience.

The expected audience of every module is read from the module's 'Doelgroep' section in the documents
(AMW = deel 2b, ../shared/sources/000_592630499203680d.txt; BMW = deel 2a,
../shared/sources/003_fa264c4e35d7fac0.txt): the party the section names as the target group, not a
party that only gives a signal, refers, registers someone or requests the help. The sentence each
expectation rests on is quoted beside it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import RDF, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, SKOS

from conftest import VALID, short
from modgraph.api import Catalogue
from modgraph.errors import InputError

ROOT = Path(__file__).resolve().parents[1]
ID = Namespace("https://w3id.org/modgraph/id/")
MG = Namespace("https://w3id.org/modgraph/def#")
SCHEME = ID["scheme/target-audiences"]

# module slug -> (audience slugs, the Doelgroep sentence(s) that name them)
EXPECTED = {
    # ---- AMW (deel 2b)
    "amw/aanmelding": ({"clienten"}, "Iedereen met psychosociale of praktische problemen."),
    "amw/intake": ({"clienten", "clientsystemen"}, "Cliënten/cliëntsystemen met psychosociale klachten of problemen."),
    "amw/inventarisatie-schulden": ({"clienten", "clientsystemen"}, "Cliënten/cliëntsystemen met problematische schulden."),
    "amw/informatie-en-advies": (
        {"clienten"},
        "Iedereen die informatie, advies of hulp wil hebben bij sociaal-maatschappelijke en psychosociale vragen."),
    "amw/wachttijdbegeleiding": (
        {"clienten", "clientsystemen"},
        "Cliënten/cliëntsystemen die op de wachtlijst van de AMW-instelling staan en voor wie de ervaren "
        "lijdensdruk hoog is."),
    "amw/vraagverheldering": (
        {"clienten", "clientsystemen"},
        "Cliënten/cliëntsystemen met klachten of problemen die tijdens het intake-gesprek onvoldoende verhelderd zijn"),
    "amw/veranderings-en-competentiegerichte-begeleiding": (
        {"clienten", "clientsystemen"}, "Cliënten/cliëntsystemen die kampen met psychosociale problematiek"),
    "amw/ondersteunende-en-verwerkingsgerichte-begeleiding": (
        # 'De hulp wordt aangevraagd door cliënten zelf en/of verwijzers': verwijzers only request it.
        {"clienten", "clientsystemen"}, "Cliënten/cliëntsystemen die kampen met psychosociale problematiek"),
    "amw/praktische-en-materiele-begeleiding": (
        {"clienten", "clientsystemen"}, "Cliënten/cliëntsystemen met praktische en/of materiële problemen."),
    "amw/budgetbegeleiding": (
        {"clienten", "clientsystemen"}, "Cliënten/cliëntsystemen met (problematische) schulden of dreigende schulden."),
    "amw/activerende-begeleiding-naar-betaalde-arbeid": (
        {"clienten", "niet-werkenden"},
        "Cliënten die niet (meer) werken, al dan niet een uitkering ontvangen (WAO/WIA, WWB of WW)"),
    "amw/stabiliserende-begeleiding": (
        {"clienten", "clientsystemen"}, "Cliënten/cliëntsystemen met chronische problematiek"),
    "amw/voortraject-arbeidstoeleiding": (
        # 'vaak in opdracht van de uitkerende instantie': the instantie requests, it is not the audience.
        {"clienten", "niet-werkenden"}, "Cliënten zonder (betaald) werk met een arbeidsplicht"),
    "amw/onderzoek-en-rapportage": (
        {"clienten", "clientsystemen", "aanverwante-instellingen"},
        "• Cliënten/cliëntsystemen met een verzoek om een rapportage ... • (Hulpverleners van) aanverwante "
        "instellingen of instanties die vragen om informatie ten behoeve van multidisciplinaire diagnostiek en "
        "samenwerking."),
    "amw/bemiddeling-en-belangenbehartiging": (
        {"clienten", "clientsystemen"},
        "Cliënten/cliëntsystemen die zich onheus bejegend voelen en/of conflicten hebben"),
    "amw/stress-op-het-werk-de-baas": (
        # Clients with problems at work: still clients of AMW, not employees of a BMW organisation.
        {"clienten"}, "Cliënten die problemen hebben op het werk"),
    "amw/omgaan-met-spanningsklachten": ({"clienten"}, "Mensen met stress en daaruit voortkomend (fysieke) spanningsklachten."),
    "amw/weer-aan-de-slag": (
        {"clienten", "niet-werkenden"}, "Cliënten die niet (meer) werken ... en in staat en bereid zijn weer te gaan werken."),
    "amw/sociale-vaardigheidstraining": ({"clienten"}, "Mensen met psychosociale problematiek"),
    "amw/assertiviteitstraining": ({"clienten"}, "Cliënten die vanwege gebrek aan assertieve vaardigheden problemen ervaren"),
    "amw/in-de-put-uit-de-put": ({"clienten"}, "Cliënten/patiënten met depressieve klachten."),
    "amw/uitkomen-met-inkomen": ({"clienten"}, "(Jong)volwassenen met een eigen huishouden"),
    # ---- BMW (deel 2a); 'De medewerker meldt zichzelf aan of wordt verwezen of aangemeld door derden':
    # the derden refer, they are not the audience.
    "bmw/aanmelding-bmw": ({"medewerkers"}, "Medewerkers met klachten of problemen van (deels) psychosociale aard."),
    "bmw/intake-bmw": ({"medewerkers"}, "Medewerkers met klachten of problemen van (deels) psychosociale aard."),
    "bmw/intake-schuldhulpverlening-bmw": ({"medewerkers"}, "Medewerkers met problematische schulden en loonbeslagen"),
    "bmw/informatie-en-advies-bmw": ({"medewerkers"}, "Medewerkers die informatie, advies of concrete hulp willen"),
    "bmw/overbruggingshulp": ({"medewerkers"}, "Medewerkers die verwezen zijn naar andere hulpverleners of instellingen"),
    "bmw/competentiegerichte-begeleiding": (
        {"medewerkers", "teams"}, "Medewerkers/ teams die competenties willen vergroten of veranderen"),
    "bmw/communicatiebegeleiding": (
        # 'Doorgaans aangevraagd door leidinggevende of managementteam': the management only requests it.
        {"medewerkers", "teams", "leidinggevenden"},
        "Medewerkers/teams/leidinggevenden waarbij ineffectieve communicatie leidt of dreigt te leiden tot "
        "verminderd functioneren"),
    "bmw/begeleiding-bij-persoonlijke-problemen": (
        {"medewerkers"}, "Medewerkers met klachten met (deels) psychosociale oorzaak"),
    "bmw/reintegratiebegeleiding": ({"medewerkers"}, "Ziekgemelde medewerkers die weer in staat zijn terug te keren"),
    "bmw/individuele-begeleiding-bij-veranderingen-in-de-werksituatie": (
        {"medewerkers", "teams"}, "Medewerkers/teams die moeite hebben met het accepteren van veranderingen"),
    "bmw/coachen-van-leidinggevenden": (
        {"leidinggevenden"}, "Leidinggevenden die hun competenties wat betreft het begeleiden van medewerkers willen vergroten."),
    "bmw/verwijzingstraject": ({"medewerkers"}, "Medewerkers die (waarschijnlijk) geïndiceerd zijn"),
    "bmw/onderzoek-en-rapportage-voor-een-team": (
        # The leidinggevende asks for and receives the report; the title says it is 'voor een team'. The
        # medewerkers only give signals: 'Eventueel op initiatief van de BMWer na signalen van medewerkers'.
        {"leidinggevenden", "teams"},
        "Een leidinggevende met een verzoek om een rapportage ten behoeve van inzicht in een ervaren probleem "
        "in een team/ afdeling."),
    "bmw/bemiddeling-conflictbegeleiding": (
        {"medewerkers", "teams"}, "Medewerkers/teams die conflicten/problemen hebben op het werk."),
    "bmw/consultatie-aan-leidinggevenden": (
        {"het-management", "leidinggevenden"}, "Management en leidinggevenden met vragen over de begeleiding van medewerkers."),
    "bmw/training-persoonlijke-effectiviteit": ({"medewerkers"}, "Medewerkers die effectiever willen functioneren op het werk."),
    "bmw/training-omgaan-met-werkstress": (
        {"medewerkers"}, "Medewerkers met spanningsklachten en medewerkers op afdelingen waar spanningsklachten te verwachten zijn"),
    "bmw/training-omgaan-met-functieverandering": (
        {"medewerkers"}, "Medewerkers die te maken krijgen met een functiewijziging of met een reorganisatie"),
    "bmw/training-communicatietraining-samenwerking": (
        {"medewerkers"}, "Medewerkers die beter willen leren samenwerken door te werken aan hun sociale vaardigheden."),
    "bmw/teambegeleiding": (
        # 'Aan deze module gaat een signaal van leidinggevende of een of meer van de medewerkers ... vooraf':
        # the leidinggevende and the medewerkers only give the signal.
        {"teams"}, "Teams of afdelingen met onderlinge conflicten of communicatieproblemen."),
    "bmw/teambegeleiding-opvang-na-traumatische-ervaringen": (
        {"medewerkers"}, "Medewerkers die een incident meemaken waarbij directe ondersteuning van een professional noodzakelijk is."),
}


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    return Catalogue(ROOT)


def _audiences(graph, module: URIRef) -> set[str]:
    return {str(a).removeprefix(str(ID) + "target-audience/") for a in graph.objects(module, DCTERMS.audience)}


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).casefold()


def _occurs(label: str, text: str) -> bool:
    """The label occurs in the text as whole words (case ignored): 'team' is not found in 'managementteam'."""
    return re.search(r"(?<!\w)" + re.escape(_fold(label)) + r"(?!\w)", _fold(text)) is not None


def test_every_module_is_expected():
    assert len(EXPECTED) == 43
    files = {p.relative_to(ROOT / "data" / "modules").with_suffix("").as_posix()
             for p in (ROOT / "data" / "modules").rglob("*.ttl")}
    assert files == set(EXPECTED)


@pytest.mark.parametrize("slug", sorted(EXPECTED))
def test_module_audiences_as_the_doelgroep_names_them(cat, slug):
    audiences, sentence = EXPECTED[slug]
    module = ID["module/" + slug]
    text = str(cat.graph.value(module, MG.targetGroupText))
    # The quoted sentence is the module's own Doelgroep text (the pieces around '...').
    for piece in sentence.split(" ... "):
        assert _fold(piece) in _fold(text), f"{slug}: the quote is not in the Doelgroep text"
    assert _audiences(cat.graph, module) == audiences


def test_every_module_has_an_audience(cat):
    modules = set(cat.graph.subjects(RDF.type, MG.Module))
    assert len(modules) == 43
    assert [str(m) for m in sorted(modules) if not _audiences(cat.graph, m)] == []


def test_each_audience_link_has_its_words_in_the_doelgroep_text(cat):
    """The evidence of a link: a label or altLabel of the concept occurs in the module's Doelgroep text."""
    problems = []
    for module, audience in cat.graph.subject_objects(DCTERMS.audience):
        text = str(cat.graph.value(module, MG.targetGroupText))
        labels = [str(label) for p in (SKOS.prefLabel, SKOS.altLabel) for label in cat.graph.objects(audience, p)
                  if isinstance(label, Literal) and label.language == "nl"]
        if not any(_occurs(label, text) for label in labels):
            problems.append(f"{short(str(module))} -> {audience}: none of {labels} in {text!r}")
    assert problems == []


def test_word_check_is_whole_words():
    assert _occurs("teams", "Medewerkers/ teams die ...")
    assert _occurs("team", "een ervaren probleem in een team/ afdeling")
    assert not _occurs("team", "aangevraagd door leidinggevende of managementteam")
    assert _occurs("(jong)volwassenen", "(Jong)volwassenen met een eigen huishouden")


def test_scheme_has_every_concept_in_nl_and_en_and_each_is_used(cat):
    graph = cat.graph
    concepts = set(graph.subjects(RDF.type, MG.TargetAudience))
    assert {str(c).rsplit("/", 1)[-1] for c in concepts} == {
        "clienten", "clientsystemen", "niet-werkenden", "aanverwante-instellingen",
        "medewerkers", "leidinggevenden", "het-management", "teams"}
    for concept in concepts:
        assert (concept, SKOS.inScheme, SCHEME) in graph
        assert (SCHEME, SKOS.hasTopConcept, concept) in graph
        for predicate in (SKOS.prefLabel, SKOS.definition):
            assert sorted(o.language for o in graph.objects(concept, predicate)) == ["en", "nl"], (concept, predicate)
        assert any(True for _ in graph.subjects(DCTERMS.audience, concept)), f"{concept} is linked to no module"


def test_scheme_says_how_it_differs_from_the_amw_target_groups(cat):
    definition = str(next(d for d in cat.graph.objects(SCHEME, SKOS.definition) if d.language == "en"))
    assert "four AMW target groups" in definition and "module type" in definition


def test_a_module_without_audience_breaks_the_shape(root_factory):
    from conftest import validate_root

    text = (VALID / "amw-test-module.ttl").read_text(encoding="utf-8")
    line = "    dcterms:audience <target-audience/clienten> ;\n"
    assert text.count(line) == 1
    root = root_factory({"data/modules/test/amw-test-module.ttl": text.replace(line, "")})
    outcome = validate_root(root)
    fired = {short(outcome.rule_of(f)) for f in outcome.report.findings}
    assert fired == {"mgsh:Module-audience"}


# ------------------------------------------------------------------ the query modules-by-target-group

def _by_audience(cat, **params) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for row in cat.query("modules-by-target-group", **params):
        out.setdefault(str(row["audience"]).rsplit("/", 1)[-1], set()).add(
            str(row["module"]).removeprefix(str(ID) + "module/"))
    return out


def test_query_lists_every_link_without_parameters(cat):
    expected: dict[str, set[str]] = {}
    for slug, (audiences, _) in EXPECTED.items():
        for audience in audiences:
            expected.setdefault(audience, set()).add(slug)
    assert _by_audience(cat) == expected


def test_bmw_modules_for_leidinggevenden(cat):
    # The question: BMW modules meant for leidinggevenden - not Teambegeleiding, where a
    # leidinggevende only gives a signal ('Aan deze module gaat een signaal van leidinggevende ... vooraf').
    got = _by_audience(cat, audience="https://w3id.org/modgraph/id/target-audience/leidinggevenden",
                       werksoort="https://w3id.org/modgraph/id/werksoort/bmw")
    assert got == {"leidinggevenden": {
        "bmw/coachen-van-leidinggevenden",          # 'Leidinggevenden die hun competenties ...'
        "bmw/communicatiebegeleiding",               # 'Medewerkers/teams/leidinggevenden waarbij ...'
        "bmw/consultatie-aan-leidinggevenden",       # 'Management en leidinggevenden met vragen ...'
        "bmw/onderzoek-en-rapportage-voor-een-team",  # 'Een leidinggevende met een verzoek om een rapportage ...'
    }}


def test_modules_for_the_management_and_for_teams(cat):
    # 'Management en leidinggevenden met vragen over de begeleiding van medewerkers.' is the only
    # Doelgroep that names the management as the target group.
    assert _by_audience(cat, audience="target-audience/het-management") == {
        "het-management": {"bmw/consultatie-aan-leidinggevenden"}}
    assert _by_audience(cat, audience="target-audience/teams")["teams"] == {
        "bmw/competentiegerichte-begeleiding", "bmw/communicatiebegeleiding",
        "bmw/individuele-begeleiding-bij-veranderingen-in-de-werksituatie", "bmw/bemiddeling-conflictbegeleiding",
        "bmw/onderzoek-en-rapportage-voor-een-team", "bmw/teambegeleiding"}


def test_amw_modules_for_people_not_in_work(cat):
    # 'Cliënten die niet (meer) werken' (twice) and 'Cliënten zonder (betaald) werk met een arbeidsplicht'.
    got = _by_audience(cat, audience="target-audience/niet-werkenden", werksoort="amw")
    assert got == {"niet-werkenden": {"amw/activerende-begeleiding-naar-betaalde-arbeid", "amw/weer-aan-de-slag",
                                     "amw/voortraject-arbeidstoeleiding"}}
    assert _by_audience(cat, audience="target-audience/niet-werkenden", werksoort="bmw") == {}


def test_query_rows_carry_the_doelgroep_text(cat):
    rows = cat.query("modules-by-target-group", audience="target-audience/het-management")
    assert [r["targetGroupText"] for r in rows] == [
        "Management en leidinggevenden met vragen over de begeleiding van medewerkers."]
    assert rows[0]["audienceLabel"] == "management" and rows[0]["title"] == "Consultatie aan leidinggevenden"


def test_query_rejects_an_iri_with_a_space(cat):
    with pytest.raises(InputError, match="audience"):
        cat.query("modules-by-target-group", audience="https://w3id.org/modgraph/id/target-audience/teams x")


def test_audience_slugs_do_not_shadow_partners_or_settings(cat):
    """The plural slugs name the audiences; the singular ones still name the partner roles and the setting."""
    from modgraph.queries import resolve_resource

    for plural in ("clienten", "clientsystemen", "niet-werkenden", "aanverwante-instellingen", "medewerkers",
                   "leidinggevenden", "het-management", "teams"):
        assert resolve_resource(cat.graph, plural, "audience") == ID["target-audience/" + plural]
    assert resolve_resource(cat.graph, "leidinggevende", "partner") == ID["role/leidinggevende"]
    assert resolve_resource(cat.graph, "management", "partner") == ID["role/management"]
    assert resolve_resource(cat.graph, "team", "participants") == ID["setting/team"]
