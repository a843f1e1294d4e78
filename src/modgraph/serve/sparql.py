"""`/sparql`: the SPARQL 1.1 Protocol in front of the read-only Oxigraph server.

The front reads and checks the request (size, read-only, ``SERVICE``, nesting), forwards the query
to the backend with the client's ``Accept`` (Oxigraph negotiates JSON, XML, CSV, TSV, Turtle,
N-Triples, JSON-LD, RDF/XML with q-values), and reads the whole answer before sending anything:
Oxigraph sends 200 and the head of a result before evaluation ends, and when its timeout stops a
query it ends the body with a cancellation text, so only a buffered answer can become a clean 503.
Reading it also counts the rows (or triples) against the row cap.
"""

from __future__ import annotations

import csv
import io
import json
import urllib.parse
from dataclasses import dataclass

import httpx
import pyoxigraph as ox

from modgraph.engines.remote import OXIGRAPH_CANCELLED, syntax_message
from modgraph.errors import InputError
from modgraph.limits import shown
from modgraph.query_checks import precheck
from modgraph.tokens import iter_tokens

UPDATE_WORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
QUERY_WORDS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}
# Oxigraph checks its time limit between solutions; the front waits this much longer before it gives up
GRACE_SECONDS = 2.0
READ_ONLY = "This SPARQL endpoint is read-only: SPARQL Update and write methods are refused."


class Problem(Exception):
    """A request the front answers itself with ``status`` and a one-line plain-text ``message``."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


@dataclass(frozen=True)
class Limits:
    """What one request may cost: evaluation time, rows (or triples) in the answer, request body
    bytes, and answer bytes (read from the backend before the rows can be counted); and the memory
    for answers kept (:mod:`modgraph.serve.cache`)."""

    timeout: float = 10.0
    max_rows: int = 100_000
    max_request_bytes: int = 1_000_000
    max_answer_bytes: int = 256_000_000
    cache_bytes: int = 64_000_000  # answers kept in memory (0: none)


@dataclass(frozen=True)
class QueryRequest:
    """A protocol request: the query text and its dataset (``default-graph-uri``, ``named-graph-uri``)."""

    text: str | None
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


def parse_request(method: str, content_type: str, url_query: str, body: bytes) -> QueryRequest:
    """The query of a GET or POST protocol request; updates are 403, other media types 415."""
    url_fields = urllib.parse.parse_qsl(url_query, keep_blank_values=True)
    media = content_type.split(";")[0].strip().lower()
    if method == "GET":
        fields = url_fields
    elif media == "application/x-www-form-urlencoded":
        fields = url_fields + urllib.parse.parse_qsl(_text(body), keep_blank_values=True)
    elif media == "application/sparql-query":
        fields = url_fields + [("query", _text(body))]
    elif media == "application/sparql-update":
        raise Problem(403, READ_ONLY)
    else:
        raise Problem(415, f"a POST to /sparql is application/x-www-form-urlencoded or application/sparql-query, "
                           f"not '{shown(media or 'none', 80)}'")
    names = [name for name, _ in fields]
    if "update" in names:
        raise Problem(403, READ_ONLY)
    queries = [value for name, value in fields if name == "query"]
    if len(queries) > 1:
        raise Problem(400, "give one query parameter, not several")
    return QueryRequest(queries[0] if queries else None,
                        tuple(v for n, v in fields if n == "default-graph-uri"),
                        tuple(v for n, v in fields if n == "named-graph-uri"))


def _text(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Problem(400, f"the request body is not UTF-8 (byte {exc.start})") from None


def check_query(text: str) -> None:
    """Refuse before evaluation: an update (403), an empty or too deeply nested query, ``SERVICE`` (400)."""
    form_seen = False
    for kind, value, _ in iter_tokens(text):
        if kind == "word":
            word = value.upper()
            form_seen = form_seen or word in QUERY_WORDS
            if word in UPDATE_WORDS and not form_seen:
                raise Problem(403, READ_ONLY)
            if word == "SERVICE":
                raise Problem(400, "the query uses SERVICE (a request to another endpoint), which this endpoint "
                                   "does not allow")
    try:
        precheck(text, "query")
    except InputError as exc:
        raise Problem(400, exc.message) from None


async def forward(client: httpx.AsyncClient, backend_url: str, request: QueryRequest, accept: str,
                  limits: Limits) -> tuple[bytes, str]:
    """Run the query on the backend; the whole answer and its media type, or a :class:`Problem`."""
    form = [("query", request.text)]
    form += [("default-graph-uri", g) for g in request.default_graphs]
    form += [("named-graph-uri", g) for g in request.named_graphs]
    headers = {"Accept": accept or "*/*", "Content-Type": "application/x-www-form-urlencoded"}
    content = urllib.parse.urlencode(form).encode("utf-8")
    for attempt in (1, 2):
        body = bytearray()
        try:
            async with client.stream("POST", backend_url, content=content, headers=headers,
                                     timeout=limits.timeout + GRACE_SECONDS) as reply:
                async for chunk in reply.aiter_bytes():
                    body += chunk
                    if len(body) > limits.max_answer_bytes:
                        raise Problem(400, f"the answer is larger than {limits.max_answer_bytes:,} bytes, the "
                                           f"server's cap: add a LIMIT (and OFFSET to page through it)")
                status, media = reply.status_code, reply.headers.get("content-type", "")
            break
        except httpx.TimeoutException:
            raise _timed_out(limits) from None
        except httpx.TransportError as exc:
            # A kept-alive connection the backend has closed fails before any answer: a query only reads, so
            # it is sent once more on a fresh connection.
            if attempt == 1 and not body:
                continue
            raise Problem(502, f"the SPARQL engine did not answer ({type(exc).__name__})") from None
        except httpx.HTTPError as exc:
            raise Problem(502, f"the SPARQL engine did not answer ({type(exc).__name__})") from None
    body = bytes(body)
    if OXIGRAPH_CANCELLED in body[-200:]:
        raise _timed_out(limits)
    if status != 200:
        message = " ".join(body[:2000].decode("utf-8", "replace").split()) or f"HTTP {status}"
        if status == 400 and message.startswith("error at "):
            message = syntax_message(message)
        if status >= 500:
            raise Problem(502, f"the SPARQL engine failed: {shown(message, 300)}")
        raise Problem(status, shown(message, 1000))
    rows = count_rows(body, media)
    if rows > limits.max_rows:
        raise Problem(400, f"the answer has more than {limits.max_rows:,} rows, the server's cap: add a LIMIT "
                           f"(and OFFSET to page through it)")
    return body, media


def _timed_out(limits: Limits) -> Problem:
    return Problem(503, f"the query did not finish within {limits.timeout:g} s, the server's time limit; "
                        f"it was stopped", {"Retry-After": "0"})


def count_rows(body: bytes, media_type: str) -> int:
    """The solutions (or triples) of an answer in the media type the backend chose."""
    media = media_type.split(";")[0].strip().lower()
    if media in ("application/sparql-results+json", "application/json"):
        answer = json.loads(body)
        return len(answer.get("results", {}).get("bindings", [])) if "results" in answer else 0
    if media == "text/csv":
        return max(0, sum(1 for _ in csv.reader(io.StringIO(body.decode("utf-8")))) - 1)
    if media == "text/tab-separated-values":
        return max(0, body.count(b"\n") - 1 + (not body.endswith(b"\n") and b"\n" in body))
    results = ox.QueryResultsFormat.from_media_type(media)
    if results is not None:
        answer = ox.parse_query_results(body, format=results)
        return 0 if isinstance(answer, ox.QueryBoolean) else sum(1 for _ in answer)
    rdf = ox.RdfFormat.from_media_type(media)
    if rdf is not None:
        return sum(1 for _ in ox.parse(body, format=rdf))
    return 0
