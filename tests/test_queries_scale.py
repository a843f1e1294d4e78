"""Queries that scale and mean the same on every engine (issue 16; rules in docs/queries.md).

Two kinds of checks, no timings (speed is measured by benchmarks/queries_scale.py):
- the named queries answer about the modules of the documents: with a synthetic national catalogue
  of local variants loaded beside the catalogue (``modgraph synth``), every named query gives the
  rows it gives on the catalogue alone;
- the query texts avoid the constructs that Virtuoso 7.2 evaluates differently from SPARQL 1.1
  (each rule was measured against Virtuoso 7.2.5; see docs/queries.md).
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest

from modgraph import queries as q
from modgraph.api import Catalogue

ROOT = Path(__file__).resolve().parents[1]
ALL = q.discover(ROOT / "queries")
NAMED = {name: query for name, query in ALL.items() if not name.startswith("qc/")}


def _written_in(text: str, bindings: dict) -> str:
    for variable, term in sorted(bindings.items(), key=lambda kv: -len(kv[0])):
        text = re.sub(r"\?" + re.escape(variable) + r"\b", lambda _: term.n3(), text)
    return text


def _rows(store: ox.Store, text: str) -> Counter:
    result = store.query(text)
    names = [v.value for v in result.variables]
    rows = Counter()
    for solution in result:
        cells = []
        for name in names:
            term = solution[name]
            value = None if term is None else str(term)
            if value and value.startswith('"'):  # GROUP_CONCAT parts come in any order
                lexical, _, rest = value[1:].rpartition('"')
                for separator in (" | ", "; ", " / "):
                    if separator in lexical:
                        lexical = separator.join(sorted(lexical.split(separator)))
                value = f'"{lexical}"{rest}'
            cells.append(value)
        rows[tuple(cells)] += 1
    return rows


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    return Catalogue(ROOT)


@pytest.fixture(scope="module")
def stores(cat, tmp_path_factory):
    """The catalogue alone, and the catalogue with two providers' local variants (seed 1)."""
    out = tmp_path_factory.mktemp("synth") / "two"
    done = subprocess.run([sys.executable, "-m", "modgraph.cli", "--root", str(ROOT), "synth", "--providers", "2",
                           "--seed", "1", "--out", str(out), "--quiet"], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    data = cat.graph.serialize(format="nt", encoding="utf-8")
    alone, registry = ox.Store(), ox.Store()
    alone.load(data, format=ox.RdfFormat.N_TRIPLES)
    registry.load(data, format=ox.RdfFormat.N_TRIPLES)
    files = sorted(out.rglob("*.nt"))
    assert files
    for path in files:
        registry.load(path=str(path), format=ox.RdfFormat.N_TRIPLES)
    variants = registry.query("SELECT (COUNT(*) AS ?n) WHERE { ?v <http://www.w3.org/ns/prov#wasDerivedFrom> ?m }")
    assert int(next(iter(variants))["n"].value) > 10, "the synth output holds local variants"
    return alone, registry


# Lists of the registry's offers: they list the local variants too (tests/test_synth.py:
# 'Every AMW institution offers the access modules, so its Intake is listed under that function').
REGISTRY_LISTS = {"modules-per-function"}


@pytest.mark.parametrize("name", sorted(NAMED))
def test_local_variants_do_not_change_the_answer(cat, stores, name):
    """A provider's local variant repeats its national module: the documents' answers stay the same."""
    query = NAMED[name]
    text = _written_in(query.text, q.bind(query, query.example_params, cat.graph))
    alone, registry = stores
    expected = _rows(alone, text)
    assert expected, f"{name}: no rows on the catalogue with its example parameters"
    found = _rows(registry, text)
    if name in REGISTRY_LISTS:
        assert found - expected and not expected - found, f"{name}: lists the national modules and the variants"
    else:
        assert found == expected, f"{name}: local variants changed the answer"


def _code(text: str) -> str:
    """The query without comments, strings and IRIs (so that their contents do not count)."""
    text = re.sub(r'"(?:[^"\\\n]|\\.)*"', '""', text)
    text = re.sub(r"<[^<>\s]*>", "<>", text)
    return re.sub(r"#[^\n]*", "", text)


def _exists_bodies(code: str) -> list[str]:
    bodies = []
    for match in re.finditer(r"\bEXISTS\s*\{", code, flags=re.I):
        depth, i = 1, match.end()
        while depth and i < len(code):
            depth += {"{": 1, "}": -1}.get(code[i], 0)
            i += 1
        bodies.append(code[match.end():i - 1])
    return bodies


def _select_variables(code: str) -> set[str]:
    head = re.search(r"\bSELECT\b(.*?)\bWHERE\b", code, flags=re.I | re.S)
    return set(re.findall(r"\?(\w+)", head.group(1))) if head else set()


@pytest.mark.parametrize("name", sorted(ALL))
def test_no_comparison_with_an_unbound_parameter(name):
    """Virtuoso 7.2: ?x = ?unbound is false, not an error, so COALESCE(?x = ?__p, true) keeps no row."""
    code = _code(ALL[name].text)
    assert not re.search(r"COALESCE\s*\([^()]*=\s*\?__\w+", code, flags=re.I), \
        f"{name}: use BIND (COALESCE(?__param, \"any\") AS ?wanted) and FILTER (?wanted = \"any\" || ...)"


@pytest.mark.parametrize("name", sorted(ALL))
def test_no_property_path_inside_exists(name):
    """Virtuoso 7.2: EXISTS over a property path is false (so NOT EXISTS is true)."""
    for body in _exists_bodies(_code(ALL[name].text)):
        body = body.replace("||", " ").replace("&&", " ")
        assert not re.search(r"[\w>)]\s*[/|^]\s*[\w<^(]|:\w+[+*?](?=\s)|\^\s*\w+:", body), \
            f"{name}: a property path inside EXISTS: {body.strip()[:120]}"


@pytest.mark.parametrize("name", sorted(ALL))
def test_no_or_between_exists(name):
    """Virtuoso 7.2 does not compile EXISTS {...} || EXISTS {...}."""
    assert not re.search(r"\}\s*\)?\s*\|\|\s*\(?\s*(NOT\s+)?EXISTS", _code(ALL[name].text), flags=re.I), name


@pytest.mark.parametrize("name", sorted(ALL))
def test_no_replace_of_a_replaced_text(name):
    """Virtuoso 7.2's REPLACE garbles accented characters in a string that another REPLACE made."""
    assert not re.search(r"REPLACE\s*\(\s*REPLACE\s*\(", _code(ALL[name].text), flags=re.I), \
        f"{name}: wrap the inner result in SUBSTR(..., 1) or fold the text with one REPLACE"


@pytest.mark.parametrize("name", sorted(ALL))
def test_projected_booleans_are_cast(name):
    """Virtuoso 7.2 returns a computed boolean as the integer 1 or 0 unless it is cast with xsd:boolean."""
    code = _code(ALL[name].text)
    projected = _select_variables(code)
    for match in re.finditer(r"\bBIND\s*\((.*?)\bAS\s+\?(\w+)\s*\)", code, flags=re.I | re.S):
        expression, variable = match.group(1).strip(), match.group(2)
        if variable not in projected:
            continue
        boolean = re.match(r"(true|false|NOT\s+EXISTS|EXISTS)\b", expression, flags=re.I) or \
            re.fullmatch(r"\?\w+\s*(=|!=|<|>|<=|>=)\s*\S+|\?\w+\s+IN\s*\(.*\)", expression, flags=re.S)
        assert not boolean, f"{name}: ?{variable} is a boolean: BIND (xsd:boolean({expression[:40]}...) AS ?{variable})"
