"""The ``remote`` backend: any SPARQL 1.1 Protocol endpoint (the Oxigraph server, Virtuoso, Fuseki ...).

The query is checked here first (syntax, nesting, ``SERVICE``, the output format) so a bad query
gives the same message as in process, then sent by POST as an HTML form (``query=``): Virtuoso
never answers ``Content-Type: application/sparql-query`` and cuts long GET URLs. Parameters are
bound as inline VALUES blocks (:mod:`modgraph.engines.binding`), never pasted into the text.
``default-graph-uri`` names the published catalogue graph: Virtuoso's default graph is the union of
every graph, its system graphs included. Answers are read as SPARQL JSON (SELECT, ASK) or N-Triples
(CONSTRUCT, DESCRIBE) into rdflib terms.

The time limit is enforced by the client: the connection and every read get the time that is
left, and the request is abandoned (connection closed) when it runs out. Only the standard library
is used (urllib handles Basic and Digest authentication, which Virtuoso's ``-auth`` endpoints need).
"""

from __future__ import annotations

import http.client
import json
import os
import re
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
import warnings

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD

from modgraph.engines.base import Bindings, Engine
from modgraph.engines.binding import bind_values, iri_term
from modgraph.errors import InputError
from modgraph.limits import DEFAULT_QUERY_TIMEOUT, WorkTimeout, shown
from modgraph.namespaces import PREFIXES
from modgraph.query_checks import FORMATS, check_format, precheck
from modgraph.results import Rows

__all__ = ["DEFAULT_GRAPH", "HttpClient", "RemoteEngine", "check_url", "PASSWORD_VARIABLE"]

PASSWORD_VARIABLE = "MODGRAPH_PASSWORD"
RESULTS_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"
_CHUNK = 1 << 16
_MESSAGE_CHARACTERS = 300


def check_url(url, what: str = "--endpoint") -> str:
    """``url`` when it is an http(s) URL with a host; else an InputError naming ``what``."""
    if not isinstance(url, str) or not url.strip():
        raise InputError("give the endpoint's URL (http://HOST:PORT/PATH)", what)
    parts = urllib.parse.urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(f"'{shown(url)}' is not an http:// or https:// URL", what)
    return url.strip()


class HttpClient:
    """HTTP requests to one server with optional credentials (Basic or Digest, as the server asks).

    The password comes from the argument or the environment variable MODGRAPH_PASSWORD; it is
    never written into a message.
    """

    def __init__(self, user: str | None = None, password: str | None = None) -> None:
        handlers = []
        if user:
            if password is None:
                password = os.environ.get(PASSWORD_VARIABLE)
            if password is None:
                raise InputError(f"a user is given but no password: set the environment variable {PASSWORD_VARIABLE}",
                                 "--user")
            self._manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            self._digest = urllib.request.HTTPDigestAuthHandler(self._manager)
            handlers = [self._digest, urllib.request.HTTPBasicAuthHandler(self._manager)]
        self._credentials = (user, password) if user else None
        self._verified: set[str] = set()  # hosts that accepted the credentials
        self.authenticated = bool(user)
        self.server = ""  # the Server header of the last answer (which software answers)
        self._opener = urllib.request.build_opener(*handlers)

    def request(self, method: str, url: str, *, body: bytes | None = None, content_type: str | None = None,
                accept: str | None = None, timeout: float | None, where: str) -> tuple[str, bytes]:
        """(content type, body) of a 2xx answer; everything else is an InputError (or WorkTimeout).

        ``where`` locates an error the server reports (a query file); connection problems name the URL.
        """
        headers = {}
        if content_type:
            headers["Content-Type"] = content_type
        if accept:
            headers["Accept"] = accept
        deadline = None if timeout is None else time.monotonic() + timeout
        request = urllib.request.Request(url, data=body, headers=headers, method=method)
        target = _without_query(url)
        if self._credentials:  # for this server only: the password never goes to another host
            parts = urllib.parse.urlsplit(url)
            self._manager.add_password(None, f"{parts.scheme}://{parts.netloc}/", *self._credentials)
        try:
            if self._credentials and body:
                self._authorize(request, _left(deadline, timeout, target))
            with self._opener.open(request, timeout=_left(deadline, timeout, target)) as reply:
                kind = reply.headers.get("Content-Type", "")
                self.server = reply.headers.get("Server", "")
                chunks = []
                while True:
                    _set_timeout(reply, _left(deadline, timeout, target))
                    chunk = reply.read(_CHUNK)
                    if not chunk:
                        break
                    chunks.append(chunk)
                return kind, b"".join(chunks)
        except urllib.error.HTTPError as exc:
            raise _http_error(exc, target, where, self.authenticated) from None
        except (TimeoutError, socket.timeout):
            raise _timeout(timeout, target, where) from None
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, (TimeoutError, socket.timeout)):
                raise _timeout(timeout, target, where) from None
            raise InputError(f"cannot reach the endpoint: {_reason(exc.reason)}", target) from None
        except ValueError as exc:  # urllib: an authentication scheme it does not know
            raise InputError(f"cannot authenticate: {_reason(exc)}", target) from None
        except (http.client.HTTPException, ConnectionError, OSError) as exc:
            raise InputError(f"the connection failed: {_reason(exc)}", target) from None

    def _authorize(self, request: urllib.request.Request, timeout: float | None) -> None:
        """Send the credentials with the request itself: a server that asks for them (HTTP 401) while a
        large body is being sent closes the connection (a broken pipe), so the challenge is fetched
        first with a request without body (Digest: its nonce; Basic needs none)."""
        probe = urllib.request.Request(request.full_url, method="GET")
        try:
            with urllib.request.urlopen(probe, timeout=timeout):
                return  # no credentials asked for
        except urllib.error.HTTPError as exc:
            challenge = exc.headers.get("WWW-Authenticate", "") if exc.code == 401 else ""
            exc.close()
        if challenge and request.host not in self._verified:  # a wrong password fails here, without a body
            try:
                with self._opener.open(urllib.request.Request(request.full_url, method="GET"), timeout=timeout):
                    pass
            except urllib.error.HTTPError as exc:
                exc.close()
                if exc.code in (401, 403):
                    raise
            self._verified.add(request.host)
        scheme, _, rest = challenge.partition(" ")
        if scheme.lower() == "digest":
            fields = urllib.request.parse_keqv_list(urllib.request.parse_http_list(rest))
            header = self._digest.get_authorization(request, fields)
            if header:
                request.add_unredirected_header("Authorization", f"Digest {header}")
        elif scheme.lower() == "basic":
            import base64

            token = base64.b64encode(":".join(self._credentials).encode("utf-8")).decode("ascii")
            request.add_unredirected_header("Authorization", f"Basic {token}")


def _without_query(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    netloc = parts.hostname + (f":{parts.port}" if parts.port else "") if parts.hostname else parts.netloc
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def _left(deadline: float | None, timeout: float | None, target: str) -> float | None:
    if deadline is None:
        return None
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError
    return left


def _set_timeout(reply, seconds: float | None) -> None:
    """Give the socket under ``reply`` the time that is left (urllib sets it once, at connect)."""
    raw = getattr(getattr(reply, "fp", None), "raw", None)
    sock = getattr(raw, "_sock", None)
    if sock is not None:
        sock.settimeout(seconds)


def _timeout(timeout: float | None, target: str, where: str) -> WorkTimeout:
    return WorkTimeout(f"the endpoint {target} did not answer within {timeout:g} s; the request was abandoned "
                       "(raise the limit with --timeout SECONDS)", where)


def _reason(reason) -> str:
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused (is the server running?)"
    if isinstance(reason, socket.gaierror):
        return f"unknown host ({reason.strerror or reason})"
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror[0].lower() + reason.strerror[1:]
    text = " ".join(str(reason).split())
    return text or type(reason).__name__


def _http_error(exc: urllib.error.HTTPError, target: str, where: str, authenticated: bool) -> InputError:
    if exc.code in (401, 403):
        why = "refused the credentials" if authenticated else "needs credentials (--user, and MODGRAPH_PASSWORD)"
        return InputError(f"the endpoint {why} (HTTP {exc.code})", target)
    try:
        text = exc.read(1 << 16).decode("utf-8", "replace")
    except OSError:
        text = ""
    return InputError(f"the endpoint {target} answered HTTP {exc.code}: {server_message(text) or exc.reason}", where)


def server_message(text: str) -> str:
    """A server's error text in one line: without the echoed query (Virtuoso appends it), markup or
    white-space runs, cut at 300 characters."""
    for marker in ("\nSPARQL query:", "SPARQL query:\n"):
        if marker in text:
            text = text.split(marker, 1)[0]
    if "<" in text and ">" in text and "<html" in text.lower():
        text = re.sub(r"<[^>]*>", " ", text)
    return shown(" ".join(text.split()), _MESSAGE_CHARACTERS)


_OXIGRAPH_SYNTAX = re.compile(r"^error at (\d+):(\d+): (.*)$", re.S)
# How the Oxigraph server ends a body when its time limit stopped the query (it has sent 200 and the head)
OXIGRAPH_CANCELLED = b"The SPARQL operation has been cancelled"


def syntax_message(text: str) -> str:
    """Oxigraph's parser message (``error at L:C: why``) on one line, as ``SPARQL syntax error at line L,
    column C: why``."""
    message = " ".join(text.split())
    located = _OXIGRAPH_SYNTAX.match(message)
    if located:
        line, column, why = located.groups()
        return f"SPARQL syntax error at line {line}, column {column}: {why}"
    return f"SPARQL syntax error: {message}"


def check_locally(text: str, source: str = "query", *, allow_service: bool = False) -> str:
    """The query's form after the checks an in-process run makes (nesting, ``SERVICE``, syntax, with
    pyoxigraph's parser, as the default engine), so a bad query fails before any request and with
    the same message."""
    import pyoxigraph

    form = precheck(text, source, allow_service=allow_service)
    try:
        pyoxigraph.Store().query(text)  # an empty store: parsing is the work
    except SyntaxError as exc:
        raise InputError(syntax_message(str(exc)), source) from None
    except (OSError, RuntimeError, ValueError):  # evaluation on no data: not this check's business
        pass
    return form


DEFAULT_GRAPH = "https://w3id.org/modgraph/graph/catalogue"  # where `modgraph publish` puts the catalogue


class RemoteEngine(Engine):
    """Queries a SPARQL 1.1 endpoint.

    ``graph`` is the graph queries see as their default graph (``default-graph-uri``): by default
    DEFAULT_GRAPH, where `modgraph publish` puts the catalogue; ``""`` sends none, so the server's
    own dataset applies (its named graphs reachable with GRAPH).
    """

    name = "remote"

    def __init__(self, endpoint: str, *, graph: str | None = None, user: str | None = None,
                 password: str | None = None) -> None:
        self.endpoint = check_url(endpoint)
        self.graph = DEFAULT_GRAPH if graph is None else graph
        if self.graph:
            iri_term(self.graph, "--graph")  # an IRI that can be sent
        self._http = HttpClient(user, password)

    def run(self, text: str, bindings: Bindings | None = None, *, source: str = "query",
            timeout: float | None = DEFAULT_QUERY_TIMEOUT, allow_service: bool = False,
            fmt: str | None = None) -> Rows:
        """Run ``text`` at the endpoint with ``bindings``; see :meth:`modgraph.engines.base.Engine.run`."""
        if fmt is not None and fmt not in FORMATS:
            check_format("SELECT", fmt)
        form = check_locally(text, source, allow_service=allow_service)
        if fmt is not None:
            check_format(form, fmt)
        form_fields = [("query", bind_values(text, bindings))]
        if self.graph:
            form_fields.append(("default-graph-uri", self.graph))
        graph_form = form in ("CONSTRUCT", "DESCRIBE")
        kind, body = self._http.request(
            "POST", self.endpoint, body=urllib.parse.urlencode(form_fields).encode("utf-8"),
            content_type="application/x-www-form-urlencoded",
            accept=N_TRIPLES if graph_form else f"{RESULTS_JSON}, application/json;q=0.9",
            timeout=timeout, where=source)
        if graph_form:
            return Rows(variables=[], rows=[], graph=self._graph(kind, body))
        return self._rows(kind, body)

    def _not_sparql(self, kind: str, body: bytes, expected: str) -> InputError:
        if body.rstrip().endswith(OXIGRAPH_CANCELLED):
            return WorkTimeout(f"the endpoint {self.endpoint} stopped the query at its own time limit", self.endpoint)
        sample = " ".join(body[:200].decode("utf-8", "replace").split())
        return InputError(f"the answer is not {expected} (Content-Type: {kind or 'none'}): "
                          f"{shown(sample) or 'empty'}", self.endpoint)

    def _rows(self, kind: str, body: bytes) -> Rows:
        try:
            answer = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise self._not_sparql(kind, body, "SPARQL JSON results") from None
        if not isinstance(answer, dict):
            raise self._not_sparql(kind, body, "SPARQL JSON results")
        if "boolean" in answer:
            return Rows(variables=[], rows=[], boolean=_boolean(answer["boolean"], self))
        try:
            variables = [str(v) for v in answer["head"]["vars"]]
            rows = [{name: json_term(value) for name, value in row.items()}
                    for row in answer["results"]["bindings"]]
        except (KeyError, TypeError, ValueError, AttributeError):
            raise self._not_sparql(kind, body, "SPARQL JSON results") from None
        return Rows(variables=variables, rows=rows)

    def _graph(self, kind: str, body: bytes) -> Graph:
        graph = Graph()
        for prefix, namespace in PREFIXES.items():
            graph.bind(prefix, namespace, override=True)
        if "html" in kind.lower() or "json" in kind.lower() or "xml" in kind.lower():
            raise self._not_sparql(kind, body, "N-Triples")
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                graph.parse(data=body.decode("utf-8"), format="nt")
        except Exception:  # rdflib raises several types for bad N-Triples
            raise self._not_sparql(kind, body, "N-Triples") from None
        return graph


def _boolean(value, engine: RemoteEngine) -> bool:
    """An ASK answer: true/false, or Virtuoso's 1/0."""
    if isinstance(value, bool):
        return value
    if value in (0, 1) or value in ("0", "1"):
        return bool(int(value))
    if value in ("true", "false"):
        return value == "true"
    raise InputError(f"the ASK answer is {shown(repr(value))}, not true or false", engine.endpoint)


def json_term(value: dict):
    """One SPARQL JSON results term as an rdflib term.

    Virtuoso also writes ``typed-literal``, and booleans as 1 and 0: they become true and false, so
    a boolean column reads the same from every engine.
    """
    kind, text = value["type"], value["value"]
    if kind == "uri":
        return URIRef(text)
    if kind == "bnode":
        return BNode(text)
    if kind not in ("literal", "typed-literal"):
        raise ValueError(kind)
    language = value.get("xml:lang")
    datatype = value.get("datatype")
    with warnings.catch_warnings():  # an ill-typed value stays a literal with its lexical form
        warnings.simplefilter("ignore")
        if language:
            return Literal(text, lang=language)
        if datatype == str(XSD.boolean) and text in ("1", "0"):
            text = "true" if text == "1" else "false"
        if datatype and datatype != str(XSD.string):
            return Literal(text, datatype=URIRef(datatype))
        return Literal(text)
