"""`modgraph diagram pathways` and the named query behind it, sequencing-steps (issue 19).

Expected steps are read from the source documents: AMW = deel 2b (/work/shared/sources/000_592630499203680d.txt),
BMW = deel 2a (003_fa264c4e35d7fac0.txt); the sentence that states each step is quoted.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from modgraph.api import Catalogue

ROOT = Path(__file__).resolve().parents[1]
SVG = "{http://www.w3.org/2000/svg}"
needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz (dot) is not installed; scripts/test "
                                                                    "installs it as root")


def cli(*args: str, env=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "modgraph.cli", *args], capture_output=True, text=True, timeout=300,
                          env=env)


@pytest.fixture(scope="module")
def steps() -> list[dict]:
    cat = Catalogue(ROOT)
    try:
        return cat.query("sequencing-steps")
    finally:
        cat.close()


def step(frm: str, to: str) -> str:
    return f"https://w3id.org/modgraph/id/{frm}", f"https://w3id.org/modgraph/id/{to}"


# ------------------------------------------------------------------------------ the query sequencing-steps


def test_query_turns_steps_stated_in_the_later_module_around(steps):
    found = {(r["from"], r["to"], r["relation"].split("#")[1], r["statedAs"].split("#")[1]) for r in steps}
    # AMW p. 32 Assertiviteitstraining: "Aan deze module gaat een intake vooraf." (intake first).
    assert (*step("module/amw/intake", "module/amw/assertiviteitstraining"), "requiresPriorModule",
            "requiresPriorModule") in found
    # AMW p. 20 Activerende begeleiding: "Deze module kan volgen op het voortraject arbeidstoeleiding (pagina 22)".
    assert (*step("module/amw/voortraject-arbeidstoeleiding", "module/amw/activerende-begeleiding-naar-betaalde-arbeid"),
            "canBeFollowedBy", "canFollow") in found
    # AMW p. 11 Inventarisatie schulden: "Na deze module start gewoonlijk budgetbegeleiding."
    assert (*step("module/amw/inventarisatie-schulden", "module/amw/budgetbegeleiding"), "usuallyFollowedBy",
            "usuallyFollowedBy") in found


def test_query_cross_werksoort_referrals(steps):
    cross = {(r["from"], r["to"]) for r in steps if r["crossWerksoort"]}
    # BMW p. 17 Verwijzingstraject: "Medewerkers die (waarschijnlijk) geïndiceerd zijn voor (gespecialiseerde)
    # hulpverlening, bijvoorbeeld het algemeen maatschappelijk werk of de GGZ ..."
    assert step("module/bmw/verwijzingstraject", "werksoort/amw") in cross
    # AMW p. 9 Intake: "De maatschappelijk werker kan de cliënt verwijzen naar bedrijfsarts of BMWer." and "De cliënt
    # kan doorverwezen zijn door bedrijfsarts of BMWer." (a BMWer practises BMW).
    assert step("module/amw/intake", "role/bmwer") in cross
    assert step("role/bmwer", "module/amw/intake") in cross
    # A referral to an organisation is not a step: AMW p. 13 "... doorverwezen worden naar ... de UWV ..."
    assert not any(r["to"].endswith("organisation/uwv") for r in steps)
    # Every row quotes its sentence with a page.
    assert all(r["quote"] and r["page"] > 0 for r in steps)


def test_query_werksoort_parameter(steps):
    cat = Catalogue(ROOT)
    try:
        bmw = cat.query("sequencing-steps", werksoort="bmw")
    finally:
        cat.close()
    assert bmw and all("BMW" in (r["fromWerksoort"], r["toWerksoort"]) for r in bmw)
    assert {(r["from"], r["to"]) for r in bmw} < {(r["from"], r["to"]) for r in steps}


# ------------------------------------------------------------------------------ the diagram


def parse(path: Path) -> tuple[dict[str, ET.Element], list[ET.Element]]:
    svg = ET.parse(path).getroot()
    nodes = {g.find(f"{SVG}title").text: g for g in svg.iter(f"{SVG}g") if "node" in g.get("class", "").split()
             or g.get("class", "").startswith("node")}
    edges = [g for g in svg.iter(f"{SVG}g") if g.get("class", "").startswith("edge")]
    return nodes, edges


def edge_kinds(edges) -> set[tuple[str, str, str]]:
    out = set()
    for g in edges:
        title = g.find(f"{SVG}title").text  # "a->b"
        source, target = title.split("->")
        out.add((source, target, g.get("class")))
    return out


@needs_dot
def test_diagram_of_all_steps(tmp_path, steps):
    out = tmp_path / "pathways.svg"
    done = cli("diagram", "pathways", "--out", str(out))
    assert done.returncode == 0, done.stderr
    nodes, edges = parse(out)
    modules = [n for n, g in nodes.items() if "module" in g.get("class", "")]
    expected_ends = {e.removeprefix("https://w3id.org/modgraph/id/") for r in steps for e in (r["from"], r["to"])}
    assert set(modules) | {n for n, g in nodes.items() if "werksoort" in g.get("class", "")} == expected_ends
    kinds = edge_kinds(edges)
    # One edge per pair and kind of step (a step stated in both modules is one edge).
    assert len(kinds) == len({(r["from"], r["to"], r["relation"]) for r in steps}) == len(edges)
    assert ("module/amw/inventarisatie-schulden", "module/amw/budgetbegeleiding", "edge usuallyFollowedBy") in kinds
    assert ("module/amw/intake", "module/amw/assertiviteitstraining", "edge requiresPriorModule") in kinds
    assert ("module/bmw/verwijzingstraject", "werksoort/amw", "edge refersTo cross") in kinds
    # Coloured by werksoort: the AMW Intake is blue, the BMW Intake orange.
    fill = lambda node: next(nodes[node].iter(f"{SVG}path")).get("fill")  # noqa: E731
    assert fill("module/amw/intake") == "#dbe9f6" and fill("module/bmw/intake-bmw") == "#fbe6d2"


@needs_dot
def test_diagram_filters(tmp_path):
    out = tmp_path / "bmw.svg"
    assert cli("diagram", "pathways", "--werksoort", "BMW", "--out", str(out)).returncode == 0
    _, edges = parse(out)
    kinds = edge_kinds(edges)
    # BMW p. 16 Training Omgaan met werkstress ... "Aan deze module gaat een intake vooraf."
    assert ("module/bmw/intake-bmw", "module/bmw/training-omgaan-met-werkstress", "edge requiresPriorModule") in kinds
    assert not any(s.startswith("module/amw") and t.startswith("module/amw") for s, t, _ in kinds)
    out = tmp_path / "voortraject.svg"
    assert cli("diagram", "pathways", "--module", "amw/voortraject-arbeidstoeleiding", "--out", str(out)).returncode == 0
    nodes, _ = parse(out)
    # AMW p. 22: "Deze module kan gevolgd worden door activerende begeleiding naar (betaalde) arbeid (pagina 20) of
    # de groep weer aan de slag (pagina 30)."; p. 20: "... en opgevolgd worden door de groep weer aan de slag".
    assert set(nodes) - {"legend"} == {"module/amw/voortraject-arbeidstoeleiding",
                                       "module/amw/activerende-begeleiding-naar-betaalde-arbeid",
                                       "module/amw/weer-aan-de-slag"}


@pytest.mark.parametrize("args, where", [
    (["--werksoort", "GGZ"], "--werksoort"),
    (["--module", "amw/nope"], "--module"),
])
def test_bad_input_is_one_line(tmp_path, args, where):
    out = tmp_path / "x.svg"
    done = cli("diagram", "pathways", *args, "--out", str(out))
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and where in done.stderr, done.stderr
    assert not out.exists()


def test_unwritable_out_and_missing_dot(tmp_path):
    out = tmp_path / "missing" / "x.svg"
    if shutil.which("dot"):
        done = cli("diagram", "pathways", "--out", str(out))
        assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
    env = dict(os.environ, PATH=str(tmp_path))  # no dot on this PATH
    done = cli("diagram", "pathways", "--out", str(tmp_path / "y.svg"), env=env)
    assert done.returncode == 2
    assert done.stderr == ("modgraph: error: diagram: Graphviz's `dot` is not installed or not on PATH "
                           "(Debian/Ubuntu: apt-get install graphviz)\n")
    assert not (tmp_path / "y.svg").exists() and not out.parent.exists()
