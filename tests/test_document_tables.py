"""Tables read from the two documents: goals per module, and partners named by both documents.

Goal counts: the bullets of each module's 'Doelen' section (a 'Doel' paragraph without bullets is one
goal), read from deel 2b (AMW) and deel 2a (BMW) in document order.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, URIRef

from modgraph.catalogue import load
from modgraph.namespaces import BASE, MG
from modgraph.paths import CatalogueRoot

ROOT = Path(__file__).resolve().parents[1]

GOALS = {
    # deel 2b
    "amw/aanmelding": 5, "amw/intake": 3, "amw/inventarisatie-schulden": 3, "amw/informatie-en-advies": 1,
    "amw/wachttijdbegeleiding": 2, "amw/vraagverheldering": 1,
    "amw/veranderings-en-competentiegerichte-begeleiding": 3,
    "amw/ondersteunende-en-verwerkingsgerichte-begeleiding": 3, "amw/praktische-en-materiele-begeleiding": 4,
    "amw/budgetbegeleiding": 2, "amw/activerende-begeleiding-naar-betaalde-arbeid": 3,
    "amw/stabiliserende-begeleiding": 4, "amw/voortraject-arbeidstoeleiding": 2, "amw/onderzoek-en-rapportage": 1,
    "amw/bemiddeling-en-belangenbehartiging": 3, "amw/stress-op-het-werk-de-baas": 2,
    "amw/omgaan-met-spanningsklachten": 6, "amw/weer-aan-de-slag": 4, "amw/sociale-vaardigheidstraining": 4,
    "amw/assertiviteitstraining": 4, "amw/in-de-put-uit-de-put": 5, "amw/uitkomen-met-inkomen": 4,
    # deel 2a
    "bmw/aanmelding-bmw": 1, "bmw/intake-bmw": 3, "bmw/intake-schuldhulpverlening-bmw": 2,
    "bmw/informatie-en-advies-bmw": 1, "bmw/overbruggingshulp": 2, "bmw/competentiegerichte-begeleiding": 2,
    "bmw/communicatiebegeleiding": 5, "bmw/begeleiding-bij-persoonlijke-problemen": 3,
    "bmw/reintegratiebegeleiding": 1, "bmw/individuele-begeleiding-bij-veranderingen-in-de-werksituatie": 2,
    "bmw/coachen-van-leidinggevenden": 3, "bmw/verwijzingstraject": 3, "bmw/onderzoek-en-rapportage-voor-een-team": 1,
    "bmw/bemiddeling-conflictbegeleiding": 4, "bmw/consultatie-aan-leidinggevenden": 1,
    "bmw/training-persoonlijke-effectiviteit": 2, "bmw/training-omgaan-met-werkstress": 4,
    "bmw/training-omgaan-met-functieverandering": 3, "bmw/training-communicatietraining-samenwerking": 2,
    "bmw/teambegeleiding": 3, "bmw/teambegeleiding-opvang-na-traumatische-ervaringen": 3,
}

# Named in both documents; each must be one resource that modules of both werksoorten point at.
SHARED = {
    "role/bedrijfsarts": "AMW p. 9 'doorverwezen door bedrijfsarts'; BMW p. 7 'raadpleging van bedrijfsarts'",
    "role/leidinggevende": "AMW p. 9 'arbo-arts of leidinggevende'; BMW p. 12 'aangevraagd door leidinggevende'",
    "organisation/ggz-instelling": "AMW p. 28 'preventie-afdeling van de GGZ-instelling'; BMW p. 17 'of de GGZ'",
    "organisation/gemeentelijke-kredietbank": "AMW p. 19 'de kredietbank'; BMW p. 8 'de Gemeentelijke Kredietbank'",
    "organisation/sociaal-fonds": "AMW p. 11 'een sociaal fonds'; BMW p. 8 'het sociaal fonds van de werkgever'",
    "organisation/arbodienst": "AMW p. 25 'het CWI of de arbodienst'; BMW p. 9 'de arbodienst'",
    "organisation/werkgever": "AMW p. 9 'de werkgever / leidinggevende'; BMW p. 19 'adviseren aan werkgever'",
}


@pytest.fixture(scope="module")
def graph():
    root = CatalogueRoot(ROOT)
    return load(root, inferred=root.inferred).graph


def test_goal_table_covers_all_43_modules():
    assert len(GOALS) == 43


@pytest.mark.parametrize("slug", sorted(GOALS))
def test_goals_per_module(graph, slug):
    module = URIRef(f"{BASE}module/{slug}")
    goals = list(graph.objects(module, MG.hasGoal))
    assert len(goals) == GOALS[slug]
    assert sorted(graph.value(g, URIRef("https://schema.org/position")).toPython() for g in goals) == \
        list(range(1, GOALS[slug] + 1))


@pytest.mark.parametrize("partner", sorted(SHARED))
def test_partner_named_in_both_documents_is_one_resource(graph, partner):
    iri = URIRef(BASE + partner)
    werksoorten = {str(graph.value(m, MG.werksoort)).rsplit("/", 1)[-1]
                   for m in graph.subjects(MG.involves, iri) if (m, RDF.type, MG.Module) in graph}
    assert werksoorten == {"amw", "bmw"}, SHARED[partner]


def test_wsnp_is_one_framework_for_both_documents(graph):
    # AMW p. 19 'schuldsaneringstraject (WSNP)'; BMW p. 8 'Wet Schuldsanering Natuurlijke Personen'
    wsnp = URIRef(BASE + "legal-framework/wsnp")
    werksoorten = {str(graph.value(m, MG.werksoort)).rsplit("/", 1)[-1] for m in graph.subjects(MG.legalFramework, wsnp)}
    assert werksoorten == {"amw", "bmw"}


def test_goossens_typology_is_one_scheme_cited_by_both_documents(graph):
    from rdflib.namespace import DCTERMS
    scheme = URIRef(BASE + "scheme/group-types")
    assert set(graph.objects(scheme, DCTERMS.source)) == {URIRef(BASE + "document/deel-2a"), URIRef(BASE + "document/deel-2b")}
