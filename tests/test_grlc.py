"""queries/ works as-is in grlc (issue 14, section 5).

Real grlc (PyPI grlc 1.3.11, in its own venv ``.venv-grlc`` because it pins rdflib, Flask, requests ...
to exact versions) serves ``queries/`` as a local folder, and ``queries/qc/`` as a second one (grlc
does not read subfolders), in front of a real SPARQL endpoint: the Oxigraph server (PyPI oxigraph)
holding the graph ``modgraph query`` uses (ontology without the shapes, data, inferred triples). Both
servers listen on 127.0.0.1 only. For every query, grlc is called over HTTP with the values its API
description offers a user (the ``#+ defaults``, each ``#+ enumerate`` value, and the optional
parameters left out), and its rows must be modgraph's rows for the same values.

grlc writes values into the query text unescaped (an IRI value as ``<value>``, so a slug becomes a
relative IRI) and answers a failed query with HTTP 200 and the endpoint's error as text/plain: a
reply that is not SPARQL JSON results fails the test. The static checks below need no server.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

import pytest
from rdflib import URIRef

from modgraph import catalogue as catalogue_mod
from modgraph import queries as q
from modgraph.api import Catalogue
from modgraph.paths import CatalogueRoot
from modgraph.engines.remote import json_term
from row_compare import multiset, row_multiset
from servers import free_port, missing, oxigraph_command, start, stop

ROOT = Path(__file__).resolve().parents[1]
QUERIES = ROOT / "queries"
ALL = q.discover(QUERIES)
LAUNCHER = Path(__file__).resolve().parent / "grlc_serve.py"

# grlc 1.3.11 (gquery.py) adds this exact line before every SELECT when a typed value is written in,
# unless the query text already contains it.
GRLC_XSD_PREFIX = "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>"
# Suffixes grlc reads as a datatype: `_integer`, or `_prefix_type` (`_xsd_decimal`); any other
# single suffix (`_decimal`, `_string`) grlc takes for a language tag.
GRLC_TYPED_SUFFIX = re.compile(r"_(integer|xsd_[A-Za-z0-9]+)$")
FULL_IRI = re.compile(r"^(https?://|urn:)[^\s<>\"{}|^`\\]+$")
REPLY_SECONDS = 300


def grlc_name(name: str) -> str:
    """The call name grlc gives a query: the file name without folder and extension."""
    return name.rsplit("/", 1)[-1]


def relative(query: q.NamedQuery) -> str:
    return str(query.path.relative_to(ROOT))


def header_values(query: q.NamedQuery) -> list[tuple[str, str, object]]:
    """Every value the header offers: (``default`` or ``enumerate``, parameter name, value)."""
    out = [("default", k, v) for item in query.header.get("defaults") or [] if isinstance(item, dict)
           for k, v in item.items()]
    for item in query.header.get("enumerate") or []:
        if isinstance(item, dict):
            out += [("enumerate", k, v) for k, values in item.items() for v in values or []]
    return out


# =============================================================================== static checks

@pytest.fixture(scope="module")
def cat() -> Catalogue:
    return Catalogue(ROOT)


def test_iri_defaults_and_enumerations_are_full_iris_of_the_catalogue(cat):
    """grlc sends a default or enumerated value as it is: `amw/intake` becomes <amw/intake> and finds nothing."""
    subjects = {s for s in cat.graph.subjects() if isinstance(s, URIRef)}
    problems = []
    for name, query in sorted(ALL.items()):
        kinds = {p.name: p.kind for p in query.parameters}
        for where, parameter, value in header_values(query):
            if kinds.get(parameter) != "iri":
                continue
            text = str(value)
            if not FULL_IRI.match(text):
                try:
                    hint = f"; write {q.resolve_resource(cat.graph, text, parameter)}"
                except Exception:  # noqa: BLE001 - only a hint for the message
                    hint = ""
                problems.append(f"{relative(query)}: {where} value '{text}' of the IRI parameter '{parameter}' "
                                f"is not a full IRI (grlc would send it as the relative IRI <{text}>){hint}")
            elif URIRef(text) not in subjects:
                problems.append(f"{relative(query)}: {where} value <{text}> of '{parameter}' is not a resource "
                                "of the catalogue")
    assert not problems, "\n".join(problems)


def test_typed_parameters_are_typed_for_grlc_and_declare_xsd():
    """grlc writes a typed value as "3"^^xsd:integer and inserts its xsd: PREFIX before every SELECT
    (subqueries too: a syntax error there) unless the file declares it in exactly grlc's words."""
    problems = []
    for name, query in sorted(ALL.items()):
        for parameter in query.parameters:
            if parameter.kind in ("iri", "literal") or parameter.kind.startswith("lang:"):
                continue
            if not GRLC_TYPED_SUFFIX.search(parameter.variable):
                problems.append(f"{relative(query)}: ?{parameter.variable}: grlc reads the suffix as a language "
                                f"tag; write ?{parameter.variable.rsplit('_', 1)[0]}_xsd_{parameter.kind}")
            if GRLC_XSD_PREFIX not in query.text:
                problems.append(f"{relative(query)}: has the typed parameter ?{parameter.variable} but does not "
                                f"declare '{GRLC_XSD_PREFIX}' (grlc then inserts it before every SELECT)")
    assert not problems, "\n".join(problems)


# =============================================================================== the servers

def grlc_python() -> str:
    """The interpreter of grlc's own venv (``$GRLC_PYTHON`` or .venv-grlc, made by scripts/test)."""
    python = os.environ.get("GRLC_PYTHON") or str(ROOT / ".venv-grlc" / "bin" / "python")
    check = subprocess.run([python, "-c", "import grlc.server"], capture_output=True, text=True,
                           cwd=ROOT / "tests", timeout=120) if Path(python).is_file() else None
    if check is None or check.returncode != 0:
        detail = check.stderr.strip().splitlines()[-1] if check is not None and check.stderr.strip() else "missing"
        pytest.fail(f"grlc is not installed in {python} ({detail}): run ./scripts/test (it creates .venv-grlc)")
    return python


def http_get(url: str, accept: str = "application/json", timeout: float = REPLY_SECONDS):
    """(status, content type, body) of a GET; HTTP errors are returned, not raised."""
    request = urllib.request.Request(url, headers={"Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as reply:
            return reply.status, reply.headers.get("Content-Type", ""), reply.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", ""), exc.read().decode("utf-8", "replace")


def answers(url: str):
    """A readiness check for :func:`servers.start`: ``url`` answers HTTP 200."""
    def ready() -> bool:
        try:
            return http_get(url, timeout=5)[0] == 200
        except OSError:
            return False
    return ready


@pytest.fixture(scope="session")
def sparql_endpoint(tmp_path_factory) -> str:
    """The Oxigraph server on 127.0.0.1, loaded with what `modgraph query` loads (asserted + inferred)."""
    command = oxigraph_command()
    if command is None:
        missing("the Oxigraph server (`oxigraph`, PyPI oxigraph, a dependency of modgraph)", "not installed")
    folder = tmp_path_factory.mktemp("oxigraph")
    root = CatalogueRoot(ROOT)
    files = catalogue_mod.ontology_files(root) + catalogue_mod.data_files(root)
    if root.inferred.is_file():
        files.append(root.inferred)
    load = subprocess.run([command, "load", "--location", str(folder / "store"), "--file", *map(str, files)],
                          capture_output=True, text=True, timeout=300)
    if load.returncode != 0:
        pytest.fail(f"oxigraph load failed ({load.returncode}): {load.stderr.strip()[-2000:]}")
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}/query"
    server = start("oxigraph", [command, "serve-read-only", "--location", str(folder / "store"),
                                "--bind", f"127.0.0.1:{port}", "--timeout-s", str(REPLY_SECONDS)], endpoint, folder)
    try:
        yield endpoint
    finally:
        stop(server)


@pytest.fixture(scope="session")
def grlc(sparql_endpoint, tmp_path_factory) -> dict[str, str]:
    """grlc serving queries/ and, in a second process, queries/qc/: folder name -> API base URL."""
    python = grlc_python()
    folder = tmp_path_factory.mktemp("grlc")
    servers, bases = [], {}
    try:
        for label, queries in (("queries", QUERIES), ("qc", QUERIES / "qc")):
            port = free_port()
            bases[label] = f"http://127.0.0.1:{port}"
            servers.append(start(f"grlc-{label}", [python, str(LAUNCHER), str(queries), sparql_endpoint, str(port)],
                                 bases[label], folder, ready=answers(bases[label] + "/"),
                                 env={**os.environ, "PYTHONUTF8": "1"}))
        yield bases
    finally:
        for server in servers:
            stop(server)


def base_for(grlc: dict[str, str], name: str) -> str:
    return grlc["qc"] if name.startswith("qc/") else grlc["queries"]


@pytest.fixture(scope="session")
def grlc_specs(grlc) -> dict[str, dict]:
    """grlc's API description (swagger) of each served folder."""
    specs = {}
    for label, base in grlc.items():
        status, _, body = http_get(base + "/api-local/swagger")
        assert status == 200, f"grlc's API description of {label}: HTTP {status}: {body[:500]}"
        specs[label] = json.loads(body)
    return specs


def test_the_sparql_endpoint_holds_the_graph_modgraph_queries(cat, sparql_endpoint):
    status, kind, body = http_get(sparql_endpoint + "?" + urllib.parse.urlencode(
        {"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}), accept="application/sparql-results+json")
    assert status == 200 and "json" in kind, body[:500]
    assert int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) == len(cat.graph)


def test_grlc_offers_every_query_with_modgraphs_parameters_defaults_and_enumerations(grlc_specs):
    """Every .rq file is a grlc API path whose parameters, defaults and enumerations are the header's."""
    problems = []
    for label, spec in grlc_specs.items():
        wanted = {grlc_name(n): query for n, query in ALL.items() if n.startswith("qc/") == (label == "qc")}
        served = {path.lstrip("/"): item for path, item in spec.get("paths", {}).items()}
        if set(served) != set(wanted):
            problems.append(f"{label}: grlc serves {sorted(served)}, the folder holds {sorted(wanted)} "
                            f"(grlc's warnings: {spec.get('info', {}).get('description', '')[:500]})")
        for call, query in sorted(wanted.items()):
            if call not in served:
                continue
            params = {p["name"]: p for p in served[call]["get"]["parameters"] if p["name"] != "endpoint"}
            ours = {p.name: p for p in query.parameters}
            if set(params) != set(ours):
                problems.append(f"{relative(query)}: grlc sees the parameters {sorted(params)}, modgraph {sorted(ours)}")
                continue
            for pname, parameter in ours.items():
                theirs = params[pname]
                if bool(theirs.get("required")) != parameter.required:
                    problems.append(f"{relative(query)}: '{pname}' required={theirs.get('required')} in grlc")
                if (theirs.get("format") == "iri") != (parameter.kind == "iri"):
                    problems.append(f"{relative(query)}: '{pname}' is {parameter.kind} for modgraph, "
                                    f"{theirs.get('format') or theirs.get('type')} for grlc")
            defaults = {k: v for where, k, v in header_values(query) if where == "default"}
            offered = {k: p["default"] for k, p in params.items() if "default" in p}
            if {k: str(v) for k, v in offered.items()} != {k: str(v) for k, v in defaults.items()}:
                problems.append(f"{relative(query)}: grlc offers the defaults {offered}, the header {defaults}")
            for pname, p in params.items():
                header_enum = sorted(str(v) for where, k, v in header_values(query) if where == "enumerate" and k == pname)
                if sorted(str(v) for v in p.get("enum", [])) != header_enum:
                    problems.append(f"{relative(query)}: grlc enumerates {p.get('enum')} for '{pname}'")
    assert not problems, "\n".join(problems)


# =============================================================================== same rows

def calls(name: str, query: q.NamedQuery) -> list[tuple[str, dict[str, str]]]:
    """The calls a grlc user is offered: all defaults; each enumerated value (with the required
    defaults); the optional parameters left out. Distinct calls only."""
    defaults = {k: str(v) for where, k, v in header_values(query) if where == "default"}
    required = {p.name: defaults[p.name] for p in query.parameters if p.required and p.name in defaults}
    out = [("defaults", defaults)]
    for where, parameter, value in header_values(query):
        if where == "enumerate":
            out.append((f"{parameter}={str(value).rsplit('/', 1)[-1]}", {**required, parameter: str(value)}))
    if any(not p.required for p in query.parameters):
        out.append(("optional-left-out", required))
    seen, distinct = set(), []
    for label, values in out:
        key = tuple(sorted(values.items()))
        if key not in seen:
            seen.add(key)
            distinct.append((label, values))
    return distinct


CASES = [(name, label, values) for name, query in sorted(ALL.items()) for label, values in calls(name, query)]


def grlc_rows(grlc: dict[str, str], name: str, values: dict[str, str]) -> tuple[list[str], list[dict]]:
    """Call grlc's API; anything but SPARQL JSON results (grlc passes an endpoint error on as
    HTTP 200 text/plain) fails with what came back."""
    url = f"{base_for(grlc, name)}/api-local/{grlc_name(name)}"
    if values:
        url += "?" + urllib.parse.urlencode(values)
    status, kind, body = http_get(url, accept="application/sparql-results+json")
    if status != 200 or "sparql-results+json" not in kind:
        pytest.fail(f"grlc {url} answered HTTP {status} {kind or '(no content type)'}, not SPARQL results:\n"
                    f"{body[:1500]}")
    answer = json.loads(body)
    return answer["head"]["vars"], answer["results"]["bindings"]


@pytest.mark.parametrize(("name", "label", "values"), CASES,
                         ids=[f"{name}[{label}]" for name, label, _ in CASES])
def test_grlc_gives_modgraphs_rows(cat, grlc, name, label, values):
    query = ALL[name]
    ours = cat.rows(name, **values)
    variables, theirs = grlc_rows(grlc, name, values)
    assert variables == ours.variables, f"{name}: grlc's columns {variables}, modgraph's {ours.variables}"
    ours_rows = row_multiset(ours, query.text)
    theirs_rows = multiset(variables, [{v: json_term(t) for v, t in b.items()} for b in theirs], query.text)
    if label == "defaults" and not name.startswith("qc/"):
        assert ours.rows, f"{name}: modgraph gives no rows with the header's defaults"
    missing, extra = ours_rows - theirs_rows, theirs_rows - ours_rows
    assert not missing and not extra, (
        f"{name} {values}: {len(ours.rows)} rows from modgraph, {len(theirs)} through grlc; "
        f"{sum(missing.values())} only from modgraph, e.g. {shown(missing)}; "
        f"{sum(extra.values())} only through grlc, e.g. {shown(extra)}")


def shown(rows: Counter) -> str:
    return "; ".join(str(row)[:300] for row in list(rows)[:2]) or "none"
