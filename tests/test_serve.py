"""`modgraph serve` (issue 18), tested over real HTTP against a running server process.

One server for the session (tests/servers.py ``modgraph_site``), started as a user starts it
(`modgraph --root REPO serve --port P`) with small limits so the limits can be reached: a 2 s time
limit, 5,000 rows (the catalogue has more triples), 20,000 request bytes. Expected answers come
from the source documents.
"""

from __future__ import annotations

import os
import re
import threading
import time
from pathlib import Path

import httpx
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from conftest import REPO
from modgraph import queries as q

SD = "http://www.w3.org/ns/sparql-service-description#"
JSON_RESULTS = "application/sparql-results+json"
COUNT_MODULES = "PREFIX mg: <https://w3id.org/modgraph/def#> SELECT (COUNT(?m) AS ?n) WHERE { ?m a mg:Module }"
CONSTRUCT_MODULES = ("PREFIX mg: <https://w3id.org/modgraph/def#> CONSTRUCT { ?m a mg:Module } "
                     "WHERE { ?m a mg:Module }")
# 7,723 triples squared, each pair compared: ~60 million comparisons, far over the 2 s limit. (A three-way
# cross product is not stopped on time: Oxigraph builds its hash join before it checks the time; docs/serve.md.)
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . FILTER (STR(?a) < STR(?d)) }"
NAMED = q.discover(REPO / "queries")


pytest_plugins = ["servers"]


@pytest.fixture(scope="module")
def server(modgraph_site):
    return modgraph_site


@pytest.fixture(scope="module")
def http(server):
    with httpx.Client(base_url=server.base, timeout=60) as client:
        yield client


def count_of(reply: httpx.Response) -> int:
    assert reply.status_code == 200, reply.text
    return int(reply.json()["results"]["bindings"][0]["n"]["value"])


# --- the SPARQL 1.1 Protocol -------------------------------------------------------------------------

def test_get_post_form_and_post_query_give_the_same_answer(http):
    # deel 2b: "het arbeidsrelevante AMW-aanbod in 22 modulen"; deel 2a: the 21 BMW modules
    assert count_of(http.get("/sparql", params={"query": COUNT_MODULES})) == 43
    assert count_of(http.post("/sparql", data={"query": COUNT_MODULES})) == 43
    assert count_of(http.post("/sparql", content=COUNT_MODULES.encode(),
                              headers={"Content-Type": "application/sparql-query"})) == 43


def test_results_are_json_by_default_and_negotiated_by_q_value(http):
    plain = http.get("/sparql", params={"query": COUNT_MODULES})
    assert plain.headers["content-type"].startswith(JSON_RESULTS)
    cases = {
        "text/csv;q=0.5, application/sparql-results+xml;q=0.9": "application/sparql-results+xml",
        "application/sparql-results+xml;q=0.2, text/csv": "text/csv",
        "text/tab-separated-values": "text/tab-separated-values",
        "*/*": JSON_RESULTS,
    }
    for accept, media in cases.items():
        reply = http.get("/sparql", params={"query": COUNT_MODULES}, headers={"Accept": accept})
        assert reply.status_code == 200 and reply.headers["content-type"].startswith(media), (accept, reply.headers)
        assert "43" in reply.text


def test_ask_answers_a_boolean(http):
    query = 'ASK { ?m <http://www.w3.org/2004/02/skos/core#prefLabel> "Weer aan de slag"@nl }'
    assert http.get("/sparql", params={"query": query}).json()["boolean"] is True


@pytest.mark.parametrize("media, rdflib_format", [("text/turtle", "turtle"), ("application/n-triples", "nt"),
                                                  ("application/ld+json", "json-ld"),
                                                  ("application/rdf+xml", "xml")])
def test_construct_is_negotiated_in_four_rdf_formats(http, media, rdflib_format):
    reply = http.get("/sparql", params={"query": CONSTRUCT_MODULES}, headers={"Accept": media})
    assert reply.status_code == 200 and reply.headers["content-type"].startswith(media)
    graph = Graph().parse(data=reply.text, format=rdflib_format)
    assert len(set(graph.subjects(RDF.type, URIRef("https://w3id.org/modgraph/def#Module")))) == 43


def test_default_graph_uri_and_named_graph_uri_choose_the_dataset(http):
    # the catalogue is the server's default graph; a dataset made of a graph that does not exist is empty
    assert count_of(http.get("/sparql", params={"query": COUNT_MODULES})) == 43
    assert count_of(http.get("/sparql", params={"query": COUNT_MODULES, "default-graph-uri": "urn:none"})) == 0
    named = http.post("/sparql", data={"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
                                       "named-graph-uri": "urn:none"})
    assert count_of(named) == 0


def test_a_request_without_query_gets_the_service_description(http, server):
    reply = http.get("/sparql", headers={"Accept": "text/turtle"})
    assert reply.status_code == 200 and reply.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=reply.text, format="turtle")
    endpoints = set(graph.objects(None, URIRef(SD + "endpoint")))
    assert endpoints == {URIRef(server.base + "/sparql")}
    assert URIRef(SD + "BasicFederatedQuery") not in set(graph.objects(None, URIRef(SD + "feature")))


def test_any_web_page_may_query_it(http):
    reply = http.get("/sparql", params={"query": COUNT_MODULES}, headers={"Origin": "https://example.org"})
    assert reply.headers["access-control-allow-origin"] == "*"
    preflight = http.options("/sparql", headers={"Origin": "https://example.org", "Access-Control-Request-Method": "POST",
                                                 "Access-Control-Request-Headers": "content-type"})
    assert preflight.status_code == 200 and "POST" in preflight.headers["access-control-allow-methods"]


def test_an_accept_header_nothing_fits_gets_406(http):
    reply = http.get("/sparql", params={"query": COUNT_MODULES}, headers={"Accept": "image/png"})
    assert reply.status_code == 406


# --- refusals: the right status and a clear body, never a stack trace -------------------------------

def refused(reply: httpx.Response, status: int, *words: str) -> None:
    assert reply.status_code == status, (reply.status_code, reply.text)
    assert "Traceback" not in reply.text and 'File "' not in reply.text
    for word in words:
        assert word.lower() in reply.text.lower(), reply.text


def test_a_malformed_query_is_400_with_the_parsers_position(http):
    refused(http.get("/sparql", params={"query": "SELECT ?s WHERE { ?s ?p }"}), 400, "syntax error", "line 1")


@pytest.mark.parametrize("how", ["form update", "sparql-update body", "update as query", "/update path"])
def test_updates_are_refused_with_403(http, how):
    update = "INSERT DATA { <urn:a> <urn:b> <urn:c> }"
    reply = {
        "form update": lambda: http.post("/sparql", data={"update": update}),
        "sparql-update body": lambda: http.post("/sparql", content=update.encode(),
                                                headers={"Content-Type": "application/sparql-update"}),
        "update as query": lambda: http.post("/sparql", data={"query": update}),
        "/update path": lambda: http.post("/update", data={"update": update}),
    }[how]()
    refused(reply, 403, "read-only")
    assert count_of(http.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { <urn:a> ?p ?o }"})) == 0


@pytest.mark.parametrize("method, path", [("PUT", "/sparql"), ("DELETE", "/sparql"), ("PATCH", "/sparql"),
                                          ("PUT", "/id/module/amw/intake"), ("POST", "/id/module/amw/intake"),
                                          ("DELETE", "/api/follow-ups"), ("PUT", "/store")])
def test_write_methods_are_refused_with_403(http, method, path):
    refused(http.request(method, path, content=b"<urn:a> <urn:b> <urn:c> ."), 403, "read-only")


def test_service_is_refused(http):
    query = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    refused(http.get("/sparql", params={"query": query}), 400, "SERVICE")


def test_an_oversized_body_is_413(http):
    padding = "# " + "x" * 30_000 + "\n"
    refused(http.post("/sparql", content=(padding + COUNT_MODULES).encode(),
                      headers={"Content-Type": "application/sparql-query"}), 413, "20,000")


def test_an_answer_over_the_row_cap_is_refused(http):
    refused(http.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"}), 400, "5,000 rows", "LIMIT")
    assert http.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 4000"}).status_code == 200


def test_unknown_pages_and_iris_are_404(http):
    refused(http.get("/id/module/amw/no-such-module", headers={"Accept": "text/turtle"}), 404, "no resource")
    refused(http.get("/nowhere"), 404, "/nowhere")
    refused(http.get("/id/module/amw/in%20take", headers={"Accept": "text/turtle"}), 404, "not a catalogue IRI")
    refused(http.get("/api/no-such-query"), 404, "no-such-query")


# --- the time limit --------------------------------------------------------------------------------

def _backend_pid(server) -> int:
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == server.process.pid and "oxigraph" in stat.with_name("cmdline").read_text():
                return int(stat.parent.name)
        except (OSError, IndexError, ValueError):
            continue
    raise AssertionError("the Oxigraph server behind modgraph serve was not found among its children")


def _cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def test_a_runaway_query_gets_503_other_queries_still_answer_and_its_work_stops(http, server):
    finished: dict[str, tuple[float, httpx.Response]] = {}

    def runaway():
        reply = http.get("/sparql", params={"query": RUNAWAY})
        finished["runaway"] = (time.monotonic(), reply)

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.5)
    quick = http.get("/api/follow-ups", params={"module": "amw/voortraject-arbeidstoeleiding"})
    finished["quick"] = (time.monotonic(), quick)
    thread.join(60)
    assert quick.status_code == 200
    runaway_at, reply = finished["runaway"]
    refused(reply, 503, "did not finish within 2 s")
    assert finished["quick"][0] < runaway_at, "the quick query waited for the runaway one"
    pid = _backend_pid(server)
    before = _cpu_ticks(pid)
    time.sleep(2)
    assert _cpu_ticks(pid) - before < 0.25 * os.sysconf("SC_CLK_TCK") * 2, "the stopped query still uses a core"


# --- named queries as an API -------------------------------------------------------------------------

def test_a_named_query_answers_with_its_parameters_as_the_documents_say(http):
    reply = http.get("/api/follow-ups", params={"module": "amw/voortraject-arbeidstoeleiding"})
    assert reply.status_code == 200
    rows = reply.json()["results"]["bindings"]
    # deel 2b p. 22, Voortraject arbeidstoeleiding: "Deze module kan gevolgd worden door activerende
    # begeleiding naar (betaalde) arbeid (pagina 20) of de groep weer aan de slag (pagina 30)."
    direct = {(r["followUp"]["value"].rsplit("/", 1)[1], r["page"]["value"]) for r in rows
              if r["direct"]["value"] == "true" and "kan gevolgd worden door activerende" in r["quote"]["value"]}
    assert direct == {("activerende-begeleiding-naar-betaalde-arbeid", "22"), ("weer-aan-de-slag", "22")}
    by_title = http.get("/api/follow-ups", params={"module": "Voortraject arbeidstoeleiding"})
    assert by_title.json() == reply.json()


def test_a_named_query_negotiates_and_takes_a_format_parameter(http):
    params = {"module": "amw/voortraject-arbeidstoeleiding"}
    by_accept = http.get("/api/follow-ups", params=params, headers={"Accept": "text/csv"})
    by_format = http.get("/api/follow-ups", params={**params, "format": "csv"})
    assert by_accept.status_code == 200 and by_format.status_code == 200, (by_accept.text, by_format.text)
    assert by_accept.headers["content-type"].startswith("text/csv")
    assert by_accept.text == by_format.text and "Weer aan de slag" in by_accept.text


@pytest.mark.parametrize("params, words", [({}, ["module", "needs"]), ({"module": "amw/no-such-module"}, ["module"]),
                                           ({"module": "amw/intake", "colour": "red"}, ["colour"]),
                                           ({"module": "amw/intake", "format": "png"}, ["format"])])
def test_bad_named_query_parameters_are_400_naming_the_parameter(http, params, words):
    refused(http.get("/api/follow-ups", params=params), 400, *words)


def test_a_parameter_cannot_change_the_query(http):
    reply = http.get("/api/text-search", params={"text": 'x" } UNION { ?s ?p ?o } #'})
    assert reply.status_code == 200 and reply.json()["results"]["bindings"] == []


def test_the_query_text_is_served_beside_the_operation(http):
    reply = http.get("/api/follow-ups.rq")
    assert reply.status_code == 200 and reply.text == (REPO / "queries" / "follow-ups.rq").read_text(encoding="utf-8")


def test_the_openapi_document_has_every_named_query_with_its_parameters(http):
    document = http.get("/api/openapi.json").json()
    assert document["openapi"].startswith("3.")
    assert set(document["paths"]) == {f"/api/{name}" for name in NAMED}
    for name, query in NAMED.items():
        operation = document["paths"][f"/api/{name}"]["get"]
        given = {p["name"]: p["required"] for p in operation["parameters"] if p["name"] != "format"}
        assert given == {p.name: p.required for p in query.parameters}, name
        assert operation["summary"] == query.summary


# --- the web UI ----------------------------------------------------------------------------------------

def test_the_start_page_offers_every_named_query_and_yasgui_from_this_server(http):
    page = http.get("/", headers={"Accept": "text/html"})
    assert page.status_code == 200
    offered = set(re.findall(r'data-query="([^"]+)"', page.text))
    assert offered == set(NAMED)
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert all(not s.startswith(("http:", "https:", "//")) for s in sources), sources
    for asset in ("/assets/yasgui.min.js", "/assets/yasgui.min.css"):
        assert http.get(asset).status_code == 200


def test_search_finds_the_modules_that_mention_a_word(http):
    page = http.get("/search", params={"q": "GGZ"})
    assert page.status_code == 200
    # deel 2b p. 32 (Assertiviteitstraining) and p. 33 (In de put, uit de put): "Deze cursus/module wordt
    # vaak samen met de preventie-afdeling van de GGZ-instelling georganiseerd."
    assert 'href="/id/module/amw/assertiviteitstraining"' in page.text
    assert 'href="/id/module/amw/in-de-put-uit-de-put"' in page.text


# --- the request log -----------------------------------------------------------------------------------

def test_one_log_line_per_request_with_method_path_status_and_duration(http, server):
    marker = f"/api/no-such-query-{time.monotonic_ns()}"
    http.get(marker)
    http.put("/sparql")
    http.get("/sparql", params={"query": COUNT_MODULES})
    time.sleep(0.3)
    lines = server.log.read_text(encoding="utf-8").splitlines()
    pattern = re.compile(r"^\S+ (GET|POST|PUT|DELETE|PATCH|HEAD) (/\S*) (\d{3}) (\d+\.\d) ms$")
    logged = [pattern.match(line) for line in lines]
    requests = [m.groups()[:3] for m in logged if m]
    assert requests[-3:] == [("GET", marker, "404"), ("PUT", "/sparql", "403"), ("GET", "/sparql", "200")]
    assert sum(1 for line in lines if marker in line) == 1


# --- resolvable IRIs -------------------------------------------------------------------------------------

MODULE = "https://w3id.org/modgraph/id/module/amw/weer-aan-de-slag"
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
SKOS_PREF = URIRef("http://www.w3.org/2004/02/skos/core#prefLabel")


@pytest.mark.parametrize("accept, media, rdflib_format", [
    ("text/turtle", "text/turtle", "turtle"), ("*/*", "text/turtle", "turtle"),
    ("application/ld+json", "application/ld+json", "json-ld"), ("application/n-triples", "application/n-triples", "nt"),
    ("application/rdf+xml", "application/rdf+xml", "xml")])
def test_a_module_iri_resolves_to_rdf_by_content_negotiation(http, accept, media, rdflib_format):
    reply = http.get("/id/module/amw/weer-aan-de-slag", headers={"Accept": accept})
    assert reply.status_code == 200 and reply.headers["content-type"].startswith(media)
    graph = Graph().parse(data=reply.text, format=rdflib_format)
    # deel 2b p. 30: the module "Weer aan de slag", which "kan volgen op het voortraject arbeidstoeleiding"
    assert {str(o) for o in graph.objects(URIRef(MODULE), SKOS_PREF)} >= {"Weer aan de slag"}
    assert (URIRef(MODULE), URIRef("https://w3id.org/modgraph/def#canFollow"),
            URIRef("https://w3id.org/modgraph/id/module/amw/voortraject-arbeidstoeleiding")) in graph


def test_a_browser_gets_the_module_page(http):
    reply = http.get("/id/module/amw/weer-aan-de-slag", headers={"Accept": BROWSER_ACCEPT})
    assert reply.status_code == 200 and reply.headers["content-type"].startswith("text/html")
    assert "Deze cursus kan volgen op het voortraject arbeidstoeleiding" in reply.text
    assert 'href="/id/module/amw/voortraject-arbeidstoeleiding"' in reply.text
    assert http.get("/id/module/amw/weer-aan-de-slag", params={"format": "ttl"},
                    headers={"Accept": BROWSER_ACCEPT}).headers["content-type"].startswith("text/turtle")


def test_every_module_and_what_it_links_to_resolves(http):
    modules = http.get("/sparql", params={"query": CONSTRUCT_MODULES}, headers={"Accept": "application/n-triples"})
    iris = sorted({str(s) for s in Graph().parse(data=modules.text, format="nt").subjects()})
    assert len(iris) == 43
    linked = set()
    for iri in iris:
        page = http.get("/id/" + iri.split("/id/", 1)[1], headers={"Accept": "text/html"})
        assert page.status_code == 200, iri
        linked |= set(re.findall(r'href="(/id/[^"#?]+)"', page.text))
    for path in sorted(linked):
        assert http.get(path, headers={"Accept": "text/turtle"}).status_code == 200, path


def test_the_ontology_resolves_at_def(http):
    page = http.get("/def", headers={"Accept": BROWSER_ACCEPT})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert 'id="Module"' in page.text
    ontology = Graph().parse(data=http.get("/def", headers={"Accept": "text/turtle"}).text, format="turtle")
    assert (URIRef("https://w3id.org/modgraph/def"), RDF.type, URIRef("http://www.w3.org/2002/07/owl#Ontology")) in ontology
    assert (URIRef("https://w3id.org/modgraph/def#Module"), RDF.type,
            URIRef("http://www.w3.org/2002/07/owl#Class")) in ontology
    shapes = Graph().parse(data=http.get("/def/shapes", headers={"Accept": "text/turtle"}).text, format="turtle")
    assert any(True for _ in shapes.subjects(RDF.type, URIRef("http://www.w3.org/ns/shacl#NodeShape")))
