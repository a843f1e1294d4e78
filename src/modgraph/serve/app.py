"""The front server of `modgraph serve` (a Starlette app): `/sparql`, `/api`, `/id`, `/def`, `/` and
`/search`, one log line per request, read-only.

Every SPARQL query — the client's own, a named query, a page's — goes to the private Oxigraph
server through :func:`modgraph.serve.sparql.forward`, so all share its time limit and the caps.
Answers (and bound named-query texts) are kept in an :class:`AnswerCache`: the catalogue does not
change while it is served.
"""

from __future__ import annotations

import json
import logging
import time
import traceback
from dataclasses import dataclass, field

import httpx
from rdflib import Graph
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from modgraph.errors import InputError
from modgraph.export.formats import serialise
from modgraph.namespaces import BASE, ONTOLOGY_IRI
from modgraph.queries import NamedQuery
from modgraph.serve import api, pages, ui
from modgraph.serve.cache import AnswerCache
from modgraph.serve.description import RDF_MEDIA, service_description
from modgraph.serve.negotiation import choose
from modgraph.serve.sparql import READ_ONLY, Limits, Problem, QueryRequest, check_query, forward, parse_request

LOG = logging.getLogger("modgraph.serve")
WRITE_METHODS = {"PUT", "DELETE", "PATCH"}
N_TRIPLES = "application/n-triples"
# A resource's answers: Turtle first (for */*), HTML for a browser, then the other RDF forms of its page.
PAGE_FORMATS = {"ttl": "text/turtle", "html": "text/html", **pages.RDF_FORMATS, "turtle": "text/turtle"}
PAGE_TYPES = list(dict.fromkeys(PAGE_FORMATS.values()))
PAGES_RDF = {media: fmt for fmt, media in pages.RDF_FORMATS.items()}


@dataclass
class Site:
    """What the front serves: the backend, the limits, the named queries (``ready``: their texts with
    the example values written in), the ontology's HTML documentation and the shapes."""

    backend_url: str
    limits: Limits
    named: dict[str, NamedQuery]
    ready: dict[str, str]
    triples: int
    ontology_html: str  # the ontology's documentation (modgraph docs), /def for a browser
    shapes: Graph
    resolver: object  # an Engine on the backend, for parameter values given as slug or title
    version: str = "0"
    assets: dict[str, tuple[bytes, str]] = field(default_factory=dict)


def create_app(site: Site) -> Starlette:
    """The ASGI application serving ``site``."""
    client = httpx.AsyncClient(limits=httpx.Limits(max_connections=64, max_keepalive_connections=32))

    cache = AnswerCache(site.limits.cache_bytes)
    bound_texts = AnswerCache(4_000_000)  # named queries with their values written in: kept even with --cache-mb 0

    async def run_sparql(text: str, accept: str, dataset: QueryRequest | None = None) -> tuple[bytes, str]:
        graphs = (dataset.default_graphs, dataset.named_graphs) if dataset else ((), ())
        key = ("sparql", text, accept, *graphs)
        answer = cache.get(key)
        if answer is None:
            answer = await forward(client, site.backend_url, QueryRequest(text, *graphs), accept, site.limits)
            cache.put(key, *answer)
        return answer

    async def bind(query: NamedQuery, values: dict[str, str]) -> str:
        """The query with ``values`` written in; resolving a slug or title costs requests, so it is kept."""
        key = (query.name, tuple(sorted(values.items())))
        kept = bound_texts.get(key)
        if kept is not None:
            return kept[0].decode("utf-8")
        bound = await run_in_threadpool(api.bound_text, query, values, site.resolver)
        bound_texts.put(key, bound.encode("utf-8"), "application/sparql-query")
        return bound

    async def sparql_endpoint(request: Request) -> Response:
        body = await read_body(request, site.limits.max_request_bytes)
        query = parse_request(request.method, request.headers.get("content-type", ""), request.url.query, body)
        if query.text is None:
            return rdf_response(service_description(str(request.url.replace(query="")), site.triples),
                                request.headers.get("accept"))
        check_query(query.text)
        answer, media = await run_sparql(query.text, request.headers.get("accept", ""), query)
        return Response(answer, media_type=media, headers={"Vary": "Accept"})

    async def api_index(request: Request) -> Response:
        if choose(request.headers.get("accept"), ["text/html", "application/json"]) == "application/json":
            return RedirectResponse("/api/openapi.json", status_code=303)
        items = "".join(f"<li><a href=\"/api/{n}?{_example_query(site.named[n])}\">{n}</a>: "
                        f"{_escape(site.named[n].summary)}</li>" for n in sorted(site.named))
        return HTMLResponse(f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>modgraph API"
                            f"</title></head><body><h1>Named queries</h1><p>OpenAPI: <a href=\"/api/openapi.json\">"
                            f"/api/openapi.json</a>. Each link runs the query with its example values.</p>"
                            f"<ul>{items}</ul></body></html>")

    openapi = api.openapi(site.named, site.version)

    async def openapi_document(request: Request) -> Response:
        return JSONResponse(openapi)

    async def api_query(request: Request) -> Response:
        name = request.path_params["name"]
        if name.endswith(".rq") and name[:-3] in site.named:
            return PlainTextResponse(site.named[name[:-3]].text, media_type="application/sparql-query")
        query = site.named.get(name)
        if query is None:
            raise Problem(404, f"no named query '{name}' (the list: /api)")
        values: dict[str, str] = {}
        for key, value in request.query_params.multi_items():
            if key in values:
                raise Problem(400, f"parameter {key}: give it once")
            values[key] = value
        fmt = values.pop("format", None)
        accept = request.headers.get("accept", "")
        if fmt is not None:
            offered = api.formats(query)
            if fmt not in offered:
                raise Problem(400, f"parameter format: '{fmt[:40]}' is not one of {', '.join(sorted(offered))}")
            accept = offered[fmt]
        try:
            bound = await bind(query, values)
        except InputError as exc:
            raise Problem(400, str(exc)) from None
        answer, media = await run_sparql(bound, accept)
        return Response(answer, media_type=media, headers={"Vary": "Accept"})

    async def resource(request: Request) -> Response:
        iri = pages.catalogue_iri("/id/" + request.path_params["rest"])
        if iri is None:
            raise Problem(404, f"no resource at {request.url.path} (not a catalogue IRI)")
        return await page(iri, negotiate_page(request))

    async def ontology(request: Request) -> Response:
        media = negotiate_page(request)
        if media == "text/html":
            return HTMLResponse(site.ontology_html)
        return await page(ONTOLOGY_IRI, media)

    async def page(iri: str, media: str) -> Response:
        """The page of a catalogue or ontology IRI in ``media``, from the backend (kept once made)."""
        kept = cache.get(("page", iri, media))
        if kept is None:
            try:
                text = pages.resource_query(iri)
            except InputError as exc:
                raise Problem(400, str(exc)) from None
            answer, _ = await run_sparql(text, N_TRIPLES)
            body = await run_in_threadpool(page_body, iri, answer, media)  # parsing and rendering: off the loop
            if body is None:
                raise Problem(404, f"no resource <{iri}> in the catalogue")
            kept = (body, media)
            cache.put(("page", iri, media), *kept)
        return Response(kept[0], media_type=kept[1], headers={"Vary": "Accept"})

    async def shapes(request: Request) -> Response:
        media = negotiate_page(request, html=False)
        kept = cache.get(("shapes", media))
        if kept is None:
            kept = (await run_in_threadpool(serialise, site.shapes, PAGES_RDF[media]), media)
            cache.put(("shapes", media), *kept)
        return Response(kept[0], media_type=media, headers={"Vary": "Accept"})

    async def index(request: Request) -> Response:
        return HTMLResponse(ui.index_page(site.named, site.ready))

    async def search(request: Request) -> Response:
        text = request.query_params.get("q", "").strip()
        if not text:
            return HTMLResponse(ui.search_page("", [], "Type a word or phrase, e.g. GGZ or re-integratie."))
        query = site.named["text-search"]
        try:
            bound = await bind(query, {"text": text})
        except InputError as exc:
            return HTMLResponse(ui.search_page(text, [], str(exc)), status_code=400)
        answer, _ = await run_sparql(bound, "application/sparql-results+json")
        hits = {}
        for row in json.loads(answer)["results"]["bindings"]:
            module = row.get("module", {}).get("value", "")
            if module.startswith(BASE):
                hits[module] = ("/id/" + module[len(BASE):], row.get("title", {}).get("value", module),
                                row.get("werksoortLabel", {}).get("value", ""))
        return HTMLResponse(ui.search_page(text, sorted(hits.values(), key=lambda h: (h[1].casefold(), h[0]))))

    async def asset(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in site.assets:
            raise Problem(404, f"no asset {name}")
        content, media = site.assets[name]
        return Response(content, media_type=media, headers={"Cache-Control": "public, max-age=86400"})

    async def refuse_write(request: Request) -> Response:
        raise Problem(403, READ_ONLY)

    async def problem(request: Request, exc: Problem) -> Response:
        return PlainTextResponse(exc.message + "\n", status_code=exc.status, headers=exc.headers)

    async def http_error(request: Request, exc) -> Response:
        status = getattr(exc, "status_code", 500)
        message = {404: f"no page {request.url.path}", 405: f"{request.method} is not allowed on {request.url.path}"}
        return PlainTextResponse(message.get(status, str(getattr(exc, "detail", "error"))) + "\n", status_code=status,
                                 headers=getattr(exc, "headers", None))

    async def internal_error(request: Request, exc: Exception) -> Response:
        LOG.error("internal error on %s %s: %s", request.method, request.url.path,
                  "".join(traceback.format_exception(exc)).strip())
        return PlainTextResponse("internal error: the server's log has the details\n", status_code=500)

    from starlette.exceptions import HTTPException

    routes = [
        Route("/", index), Route("/search", search),
        Route("/sparql", sparql_endpoint, methods=["GET", "POST"]),
        Route("/update", refuse_write, methods=["GET", "POST"]),
        Route("/api", api_index), Route("/api/openapi.json", openapi_document),
        Route("/api/{name:path}", api_query),
        Route("/id/{rest:path}", resource),
        Route("/def", ontology), Route("/def/shapes", shapes),
        Route("/assets/{name}", asset),
    ]
    # Read-only and without credentials: any web page may query it (a YASGUI or notebook elsewhere)
    cors = Middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST"], allow_headers=["*"],
                      max_age=86400)
    app = Starlette(routes=routes, middleware=[Middleware(RequestLog), cors],
                    exception_handlers={Problem: problem, HTTPException: http_error, Exception: internal_error})
    app.state.client = client
    return app


class RequestLog(BaseHTTPMiddleware):
    """One log line per request (method, path, status, duration); write methods refused with 403."""

    async def dispatch(self, request: Request, call_next) -> Response:
        started = time.perf_counter()
        if request.method in WRITE_METHODS or (request.method == "POST" and request.url.path != "/sparql"):
            response: Response = PlainTextResponse(READ_ONLY + "\n", status_code=403)
        else:
            response = await call_next(request)
        LOG.info("%s %s %d %.1f ms", request.method, request.url.path, response.status_code,
                 (time.perf_counter() - started) * 1000)
        return response


async def read_body(request: Request, cap: int) -> bytes:
    """The request body, refused with 413 once it is over ``cap`` bytes (declared or read)."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > cap:
        raise Problem(413, f"the request body is {int(declared):,} bytes; the limit is {cap:,}")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > cap:
            raise Problem(413, f"the request body is over {cap:,} bytes, the limit")
    return bytes(body)


def negotiate_page(request: Request, *, html: bool = True) -> str:
    """The media type of a resource's answer: the ``format`` parameter, else the Accept header
    (Turtle for ``*/*``; HTML when a browser asks for it); 406 when none fits."""
    offers = PAGE_TYPES if html else [t for t in PAGE_TYPES if t != "text/html"]
    fmt = request.query_params.get("format")
    if fmt is not None:
        media = PAGE_FORMATS.get(fmt)
        if media is None or media not in offers:
            raise Problem(400, f"parameter format: '{fmt[:40]}' is not one of "
                               f"{', '.join(k for k, v in PAGE_FORMATS.items() if v in offers)}")
        return media
    media = choose(request.headers.get("accept"), offers)
    if media is None:
        raise Problem(406, f"none of the accepted media types can be given; this resource is available as "
                           f"{', '.join(offers)}")
    return media


def page_body(iri: str, answer: bytes, media: str) -> bytes | None:
    """The page of ``iri`` in ``media`` from the backend's N-Triples ``answer``; None when the IRI is unknown."""
    graph = Graph().parse(data=answer.decode("utf-8"), format="nt")
    if not pages.is_known(iri, graph):
        return None
    if media == "text/html":
        return pages.render_html(iri, graph).encode("utf-8")
    return pages.render_rdf(iri, graph, PAGES_RDF[media])


def rdf_response(graph: Graph, accept: str | None) -> Response:
    """``graph`` serialised in the RDF media type ``accept`` prefers (Turtle for none); 406 when none fits."""
    media = choose(accept, list(RDF_MEDIA))
    if media is None:
        raise Problem(406, f"the service description is available as {', '.join(RDF_MEDIA)}")
    data = graph.serialize(format=RDF_MEDIA[media], encoding="utf-8")
    return Response(data, media_type=media, headers={"Vary": "Accept"})


def _escape(text: str) -> str:
    import html

    return html.escape(text)


def _example_query(query: NamedQuery) -> str:
    import urllib.parse

    return _escape(urllib.parse.urlencode(query.example_params))


def example_texts(named: dict[str, NamedQuery], resolver) -> dict[str, str]:
    """Each named query's text with its ``# Example:`` values written in (left out: a query whose
    example cannot be bound, which the tests of the queries would report)."""
    ready = {}
    for name, query in named.items():
        try:
            ready[name] = api.bound_text(query, query.example_params, resolver)
        except InputError as exc:
            LOG.warning("named query %s: its example cannot be bound (%s)", name, exc)
    return ready
