"""The named-query machinery (issue 6): headers, parameters, safety, formats, and a second engine.

Answers to the users' questions are tested in the other test_queries_*.py files; this file checks
that every query file is well-formed and behaves the same on rdflib and on pyoxigraph.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from modgraph import queries as q
from modgraph.api import Catalogue
from modgraph.errors import InputError
from modgraph.results import run_sparql
from row_compare import multiset, row_multiset, solution_rows

ROOT = Path(__file__).resolve().parents[1]
ALL = q.discover(ROOT / "queries")
NAMED = {name: query for name, query in ALL.items() if not name.startswith("qc/")}
QC = {name: query for name, query in ALL.items() if name.startswith("qc/")}


def cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "modgraph.cli", *args], capture_output=True, text=True,
                          input=stdin, timeout=300)


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    return Catalogue(ROOT)


@pytest.fixture(scope="module")
def oxstore(cat) -> ox.Store:
    store = ox.Store()
    store.load(cat.graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return store


def test_there_are_named_queries_and_qc_checks():
    assert len(NAMED) >= 14
    assert len(QC) >= 3


@pytest.mark.parametrize("name", sorted(ALL))
def test_header(name):
    query = ALL[name]
    for key in ("summary", "description", "tags"):
        assert query.header.get(key), f"{name}: the #+ header needs '{key}'"
    assert query.example.startswith("modgraph query"), f"{name}: needs a '# Example: modgraph query ...' line"
    params = {p.name for p in query.parameters}
    defaults = {k for item in query.header.get("defaults", []) or [] for k in item}
    assert defaults <= params, f"{name}: defaults for parameters the query does not have: {defaults - params}"
    assert {p.name for p in query.parameters if p.required} <= defaults, f"{name}: every required parameter needs a default"
    enumerate_ = query.header.get("enumerate", []) or []
    enumerated = {k if isinstance(k, str) else next(iter(k)) for k in enumerate_}
    assert enumerated <= params, f"{name}: enumerate names parameters the query does not have"
    for parameter in query.parameters:
        assert "_" not in parameter.name, f"{name}: parameter names have no underscore inside ({parameter.name})"


def test_header_that_is_not_yaml_is_rejected(tmp_path):
    path = tmp_path / "bad.rq"
    path.write_text("#+ summary: [unclosed\nSELECT * WHERE { ?s ?p ?o }\n")
    with pytest.raises(InputError, match="not valid YAML"):
        q.load_query(path)


def _default_bindings(query, graph) -> dict:
    values = {k: str(v) for item in query.header.get("defaults", []) or [] for k, v in item.items()}
    return q.bind(query, values, graph)


@pytest.mark.parametrize("name", sorted(NAMED))
def test_every_query_answers_with_its_defaults(cat, name):
    query = NAMED[name]
    rows = run_sparql(cat.graph, query.text, _default_bindings(query, cat.graph), source=name)
    assert rows.rows or rows.boolean is not None, f"{name} returns nothing with its defaults"


@pytest.mark.parametrize("name", sorted(QC))
def test_quality_checks_return_no_rows(cat, name):
    query = QC[name]
    rows = run_sparql(cat.graph, query.text, _default_bindings(query, cat.graph), source=name)
    assert rows.rows == [], f"{name}: " + "; ".join(str(r) for r in rows.rows[:5])


def _grlc_text(query, bindings) -> str:
    """The query with parameters written in as terms, the way grlc sends it to any SPARQL server."""
    text = query.text
    for variable, term in sorted(bindings.items(), key=lambda kv: -len(kv[0])):
        text = re.sub(r"\?" + re.escape(variable) + r"\b", term.n3(), text)
    return text


@pytest.mark.parametrize("name", sorted(ALL))
def test_same_rows_on_pyoxigraph(cat, oxstore, name):
    query = ALL[name]
    bindings = _default_bindings(query, cat.graph)
    ours = run_sparql(cat.graph, query.text, bindings, source=name)
    theirs = oxstore.query(_grlc_text(query, bindings))
    if ours.boolean is not None:
        assert bool(theirs) == ours.boolean
        return
    variables = ours.variables
    assert [v.value for v in theirs.variables] == variables
    assert row_multiset(ours, query.text) == multiset(variables, solution_rows(theirs, variables), query.text), \
        f"{name}: rdflib and pyoxigraph disagree"


def _literal_parameter_query():
    for name, query in sorted(NAMED.items()):
        for parameter in query.parameters:
            if parameter.kind == "literal":
                return name, parameter
    pytest.skip("no query with a literal parameter")


@pytest.mark.parametrize("payload", [
    'x" } UNION { ?s ?p ?o } #',
    "x' . ?s ?p ?o . FILTER('1'",
    "> } SELECT * WHERE { ?s ?p ?o }",
    "\\\" }} DELETE WHERE { ?s ?p ?o }",
])
def test_literal_values_cannot_change_the_query(cat, payload):
    name, parameter = _literal_parameter_query()
    rows = cat.rows(name, **{parameter.name: payload})
    nonsense = cat.rows(name, **{parameter.name: "zzqq-no-such-text-zzqq"})
    assert len(rows.rows) == len(nonsense.rows) == 0


@pytest.mark.parametrize("payload", ["amw/intake> } UNION { ?s ?p ?o", "<http://x> . ?s ?p ?o", "intake\" }"])
def test_iri_values_cannot_change_the_query(cat, payload):
    with pytest.raises(InputError):
        cat.rows("follow-ups", module=payload)


def test_module_parameter_takes_iri_slug_or_title(cat):
    by_slug = cat.rows("follow-ups", module="amw/voortraject-arbeidstoeleiding").rows
    by_iri = cat.rows("follow-ups", module="https://w3id.org/modgraph/id/module/amw/voortraject-arbeidstoeleiding").rows
    by_title = cat.rows("follow-ups", module="Voortraject arbeidstoeleiding").rows
    assert by_slug == by_iri == by_title and by_slug


def test_overview_title_finds_the_module(cat):
    # deel 2a's overview prints 'Coaching van leidinggevenden', the heading 'Coachen van leidinggevenden'
    assert q.resolve_resource(cat.graph, "Coaching van leidinggevenden", "module") == \
        URIRef("https://w3id.org/modgraph/id/module/bmw/coachen-van-leidinggevenden")


def test_unknown_query_lists_close_names():
    result = cli("query", "folow-ups")
    assert result.returncode == 2
    assert "follow-ups" in result.stderr and "Traceback" not in result.stderr


def test_missing_parameter_names_it():
    result = cli("query", "text-search") if "text-search" in NAMED else cli("query", "follow-ups", "-p", "x=1")
    assert result.returncode == 2
    assert "parameter" in result.stderr and "Traceback" not in result.stderr


def test_ill_typed_parameter_names_it_and_what_it_expects():
    name, parameter = next(((n, p) for n, qq in sorted(NAMED.items()) for p in qq.parameters if p.kind == "integer"),
                           (None, None))
    if name is None:
        pytest.skip("no query with an integer parameter")
    result = cli("query", name, "-p", f"{parameter.name}=three")
    assert result.returncode == 2
    assert f"parameter {parameter.name}" in result.stderr and "integer" in result.stderr


def test_unknown_parameter_is_refused():
    result = cli("query", "follow-ups", "-p", "module=amw/intake", "-p", "colour=red")
    assert result.returncode == 2 and "colour" in result.stderr


def test_formats():
    args = ["query", "follow-ups", "-p", "module=amw/voortraject-arbeidstoeleiding"]
    as_json = json.loads(cli(*args, "--format", "json").stdout)
    assert as_json["head"]["vars"][0] == "followUp"
    assert {b["followUp"]["value"] for b in as_json["results"]["bindings"]} >= {
        "https://w3id.org/modgraph/id/module/amw/weer-aan-de-slag"}
    assert cli(*args, "--format", "csv").stdout.splitlines()[0].startswith("followUp,title")
    assert cli(*args, "--format", "tsv").stdout.splitlines()[0].startswith("?followUp\t?title")
    assert cli(*args, "--format", "markdown").stdout.splitlines()[1].startswith("|---")
    assert "Weer aan de slag" in cli(*args).stdout


def test_adhoc_sparql_from_stdin_and_syntax_error():
    ok = cli("sparql", "-", "--format", "csv",
             stdin="PREFIX mg: <https://w3id.org/modgraph/def#> SELECT (COUNT(?m) AS ?n) WHERE { ?m a mg:Module }")
    assert ok.returncode == 0 and ok.stdout.splitlines()[1] == "43"
    bad = cli("sparql", "-", stdin="SELECT ?x WHERE { ?x ?y }")
    assert bad.returncode == 2 and "line" in bad.stderr and "Traceback" not in bad.stderr


def test_asserted_only_leaves_out_inferred_relations():
    # Only the group modules state that an intake precedes them; 'Intake can be followed by ...' is inferred.
    query = ("PREFIX mg: <https://w3id.org/modgraph/def#> SELECT ?m WHERE { "
             "<https://w3id.org/modgraph/id/module/amw/intake> mg:canBeFollowedBy ?m }")
    full = cli("sparql", "-", "--format", "csv", stdin=query).stdout.splitlines()
    asserted = cli("--asserted-only", "sparql", "-", "--format", "csv", stdin=query).stdout.splitlines()
    assert len(full) > len(asserted)


def test_api_rows_and_python_values(cat):
    rows = cat.query("follow-ups", module="amw/voortraject-arbeidstoeleiding")
    assert {r["title"] for r in rows} >= {"Weer aan de slag", "Activerende begeleiding naar (betaalde) arbeid"}
    assert all(isinstance(r["title"], str) for r in rows)


def test_integer_binding_is_typed():
    parameter = q.Parameter(name="max", variable="_max_integer", required=True, kind="integer")
    assert q.to_term(parameter, "5", None) == Literal(5, datatype=XSD.integer)
