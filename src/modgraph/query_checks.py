"""Checks on a SPARQL query text before it runs: syntax, nesting depth, SERVICE, output format.

rdflib's parser recurses once per level of ``{ ( [``: a few dozen levels end in a RecursionError,
so the depth is counted first (outside comments, strings and IRIs) and capped. ``SERVICE`` is found
in the parse tree, so the word in a string, a comment or an IRI does not count.
"""

from __future__ import annotations

import functools
import re

from modgraph.errors import InputError
from modgraph.limits import MAX_QUERY_NESTING

ROW_FORMATS = ("table", "csv", "tsv", "json", "markdown")
GRAPH_FORMATS = ("turtle", "nt", "jsonld")
FORMATS = ROW_FORMATS + GRAPH_FORMATS

# Tokens whose brackets nest nothing: comments, long and short strings, IRIs.
_SKIPPED = re.compile(
    r"#[^\n]*"
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'(?:[^'\\\n]|\\.)*'"
    r'|"(?:[^"\\\n]|\\.)*"'
    r'|<[^<>"{}|^`\\\x00-\x20]*>',
    re.S,
)
_OPEN, _CLOSE = "{([", "})]"


def nesting_depth(text: str) -> tuple[int, int]:
    """The deepest nesting of ``{ ( [`` in a query (outside comments, strings, IRIs) and the line where it is reached."""
    depth = deepest = 0
    deepest_at = 0
    position = 0
    spans = [(m.start(), m.end()) for m in _SKIPPED.finditer(text)] + [(len(text), len(text))]
    for start, end in spans:
        for index in range(position, start):
            char = text[index]
            if char in _OPEN:
                depth += 1
                if depth > deepest:
                    deepest, deepest_at = depth, index
            elif char in _CLOSE:
                depth = max(0, depth - 1)
        position = end
    return deepest, text.count("\n", 0, deepest_at) + 1


def check_query(text: str, source: str = "query", *, allow_service: bool = False) -> str:
    """Check a query before it runs; return its form: SELECT, ASK, CONSTRUCT or DESCRIBE.

    Errors (InputError at ``source``): not a text, empty, nested deeper than MAX_QUERY_NESTING,
    a syntax error (line and column), and ``SERVICE`` unless ``allow_service``.
    """
    return parse_checked(text, source, allow_service=allow_service)[1]


def parse_checked(text: str, source: str = "query", *, allow_service: bool = False) -> tuple:
    """rdflib's parse tree of a checked query (see :func:`check_query`) and its form.

    Parsing a long query takes rdflib a noticeable time, so a caller that runs the query passes
    this tree on (``translateQuery``) rather than parsing the text again.
    """
    if not isinstance(text, str):
        raise InputError(f"the query must be a text, not {type(text).__name__}", source)
    _check_size(text, source)
    from pyparsing import ParseException  # rdflib's SPARQL parser: imported when used (it is slow to import)
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        tree = parseQuery(text)
    except ParseException as exc:
        raise InputError(f"SPARQL syntax error at line {exc.lineno}, column {exc.col}: {exc.msg}", source) from None
    except RecursionError:
        raise InputError("the query is nested too deeply to parse", source) from None
    except Exception as exc:  # rdflib raises plain exceptions for some bad terms
        raise InputError(f"SPARQL error: {' '.join(str(exc).split())}", source) from None
    query = tree[1]
    if not allow_service and _uses_service(query):
        raise InputError("the query uses SERVICE (a request to another endpoint); a catalogue query may not "
                         "reach out (--allow-service permits it)", source)
    return tree, query.name.removesuffix("Query").upper()


def _uses_service(node) -> bool:
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        return node.name == "ServiceGraphPattern" or any(_uses_service(v) for v in node.values())
    if isinstance(node, (ParseResults, list, tuple)):
        return any(_uses_service(v) for v in node)
    return False


def check_format(form: str, fmt: str) -> None:
    """``fmt`` must suit the query form: rows for SELECT and ASK, a graph for CONSTRUCT and DESCRIBE.

    ``table`` (the command's default) is accepted for a graph and gives Turtle.
    """
    if fmt not in FORMATS:
        raise InputError(f"unknown format '{fmt}' (one of: {', '.join(FORMATS)})", "--format")
    if form in ("CONSTRUCT", "DESCRIBE") and fmt in ROW_FORMATS and fmt != "table":
        raise InputError(f"a {form} query gives a graph, not rows: use {', '.join(GRAPH_FORMATS)}", "--format")
    if form in ("SELECT", "ASK") and fmt in GRAPH_FORMATS:
        raise InputError(f"a {form} query gives {'rows' if form == 'SELECT' else 'true or false'}, not a graph: "
                         f"use {', '.join(ROW_FORMATS)}", "--format")


_FORMS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}


def _check_size(text: str, source: str) -> None:
    """Not empty, and not nested deeper than MAX_QUERY_NESTING (parsers recurse per level)."""
    if not text.strip():
        raise InputError("the query is empty", source)
    deepest, line = nesting_depth(text)
    if deepest > MAX_QUERY_NESTING:
        raise InputError(f"the query nests brackets {deepest} levels deep (line {line}); "
                         f"the limit is {MAX_QUERY_NESTING}", source)


def precheck(text: str, source: str = "query", *, allow_service: bool = False) -> str:
    """The checks of :func:`check_query` that need no parser; return the query form (see :func:`_prechecked`)."""
    if not isinstance(text, str):
        raise InputError(f"the query must be a text, not {type(text).__name__}", source)
    return _prechecked(text, source, allow_service)


@functools.lru_cache(maxsize=256)  # a named query is checked once per process, not once per run
def _prechecked(text: str, source: str, allow_service: bool) -> str:
    """The checks of :func:`check_query` that need no parser; return the query form.

    For engines that parse the query themselves (pyoxigraph, a remote endpoint): not a text, empty,
    too deeply nested, ``SERVICE`` (a keyword outside comments, strings and IRIs) unless
    ``allow_service``. Syntax errors are the engine's to report. A text whose form cannot be found
    is left to the engine's parser too (reported as SELECT).
    """
    from modgraph.tokens import iter_tokens

    _check_size(text, source)
    form = None
    for kind, value, _ in iter_tokens(text):
        if kind != "word":
            continue
        word = value.upper()
        if form is None and word in _FORMS:
            form = word
        elif word == "SERVICE" and not allow_service:
            raise InputError("the query uses SERVICE (a request to another endpoint); a catalogue query may not "
                             "reach out (--allow-service permits it)", source)
    return form or "SELECT"
