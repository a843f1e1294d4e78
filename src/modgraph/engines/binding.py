"""Bind query parameters for a SPARQL endpoint: an inline ``VALUES`` block in every group.

The SPARQL 1.1 Protocol has no way to send bindings beside the query text, and pasting a value
into the text (what grlc does) lets the value change the query. So the values are written as
N-Triples terms, fully escaped, in a ``VALUES (?a ?b) { (t1 t2) }`` block placed at the start of
every group graph pattern that mentions a bound variable: the WHERE group of the query and of each
subquery (with every bound variable the (sub)query uses, so a variable used only in the projection,
``HAVING`` or ``ORDER BY`` is bound too), and the OPTIONAL, UNION, MINUS, GRAPH, SERVICE, EXISTS and
NOT EXISTS groups. A variable is then bound to its value wherever it is used, as with pyoxigraph's
``substitutions`` or rdflib's ``initBindings``. Not touched: the CONSTRUCT template, the brace that
only wraps a subquery (``{ SELECT ... }``) and the data block of a VALUES already there. The short form
``CONSTRUCT WHERE { ... }`` (triple patterns only) gets one VALUES clause after the query instead.

Braces are found with :mod:`modgraph.tokens`' tokenizer, which skips comments, strings (all four
quote forms) and IRIs, so a brace inside them is never taken for structure.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from modgraph.errors import InputError
from modgraph.limits import shown
from modgraph.tokens import iter_tokens

__all__ = ["bind_values", "iri_term", "nt_term"]

_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_VARIABLE = re.compile(r"^[A-Za-z0-9_\u00b7\u00c0-\ufffd]+$")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_NEEDS_ESCAPE = re.compile(r'[\\"\x00-\x1f\x7f\ud800-\udfff]')


def _escape_char(match: re.Match) -> str:
    char = match.group(0)
    if char in _ESCAPES:
        return _ESCAPES[char]
    if 0xD800 <= ord(char) <= 0xDFFF:
        raise ValueError("a lone surrogate is not a character")
    return f"\\u{ord(char):04X}"


def iri_term(value: str, where: str) -> str:
    """``<value>``: an IRI that can be written between < > in a query; else an InputError naming ``where``."""
    bad = _IRI_FORBIDDEN.search(value)
    if bad or not value:
        why = f"it contains {bad.group(0)!r}" if bad else "it is empty"
        raise InputError(f"<{shown(value)}> is not an IRI that can be sent: {why} (white space, control "
                         "characters and <>\"{}|^`\\ are not allowed in an IRI)", where)
    return f"<{value}>"


def nt_term(term, where: str = "parameter") -> str:
    """``term`` (an rdflib IRI or literal) as an N-Triples term, every special character escaped.

    A simple literal and an ``xsd:string`` literal are both written without datatype (the same
    term in RDF 1.1; some servers store them apart). A blank node, a variable or an IRI with a
    forbidden character is an InputError naming ``where``.
    """
    if isinstance(term, URIRef):
        return iri_term(str(term), where)
    if isinstance(term, Literal):
        try:
            body = '"' + _NEEDS_ESCAPE.sub(_escape_char, str(term)) + '"'
        except ValueError:
            raise InputError(f"the text '{shown(str(term))}' holds a lone surrogate, not a character", where) from None
        if term.language:  # rdflib accepts only well-formed language tags
            return f"{body}@{term.language}"
        if term.datatype is not None and term.datatype != XSD.string:
            return f"{body}^^{iri_term(str(term.datatype), where)}"
        return body
    if isinstance(term, BNode):
        raise InputError("a blank node cannot be bound for an endpoint (it names nothing outside one document)",
                         where)
    raise InputError(f"cannot bind a {type(term).__name__}: give an IRI or a literal", where)


@dataclass
class _Group:
    """A ``{`` that opens a group graph pattern, and the text whose variables it binds."""

    insert_at: int            # just after the brace
    scope: tuple[int, int]    # the span whose variables are bound here


@dataclass
class _Brace:
    kind: str                 # "group", "subquery" (wraps a SELECT), "template" or "data"
    start: int
    group: _Group | None = None
    first_inner_group: bool = True  # a subquery wrapper: its first inner group is the subquery's WHERE


def _tokens(text: str):
    """The significant tokens (kind, value, start, end): no white space, no comments."""
    for kind, value, start in iter_tokens(text):
        if kind not in ("ws", "comment"):
            yield kind, value, start, start + len(value)


def bind_values(text: str, bindings: Mapping | None) -> str:
    """The query ``text`` with ``bindings`` (variable name without ``?`` -> rdflib term) written in
    as inline VALUES blocks (see the module docstring); bindings of variables the query does not
    use are left out. The text is otherwise unchanged."""
    if not bindings:
        return text
    values: dict[str, str] = {}
    for name, term in bindings.items():
        name = str(name).lstrip("?$")
        if not _VARIABLE.match(name):
            raise InputError(f"'{shown(name)}' is not a SPARQL variable name", "parameter")
        values[name] = nt_term(term, f"parameter {name}")
    variables, groups, short_construct = _structure(text)
    used = variables & set(values)
    if not used:
        return text
    inserts = [(at, _values_block(sorted(names & used), values)) for at, names in groups if names & used]
    out, position = [], 0
    for at, block in sorted(inserts):
        out.append(text[position:at])
        out.append(f" {block} ")
        position = at
    out.append(text[position:])
    if short_construct:
        out.append(f"\n{_values_block(sorted(used), values)}\n")
    return "".join(out)


@functools.lru_cache(maxsize=256)
def _structure(text: str) -> tuple[frozenset, tuple, bool]:
    """The variables of a query text, its groups as (insert offset, variables in scope), and whether it
    is the short CONSTRUCT WHERE form; cached, as the same named query is bound again and again."""
    tokens = list(_tokens(text))
    groups, short_construct = _groups(tokens, len(text))
    scoped = []
    for group in groups:
        start, end = group.scope
        scoped.append((group.insert_at,
                       frozenset(value[1:] for kind, value, s, _ in tokens if kind == "var" and start <= s < end)))
    return frozenset(value[1:] for kind, value, _, _ in tokens if kind == "var"), tuple(scoped), short_construct


def _values_block(variables: list[str], values: dict[str, str]) -> str:
    names = " ".join(f"?{v}" for v in variables)
    terms = " ".join(values[v] for v in variables)
    return f"VALUES ({names}) {{ ({terms}) }}"


def _groups(tokens: list, length: int) -> tuple[list[_Group], bool]:
    """The group graph patterns of a query, and whether it is the short form CONSTRUCT WHERE."""
    groups: list[_Group] = []
    stack: list[_Brace] = []
    short_construct = False
    top_where_seen = False
    values_pending = False  # after VALUES: the next { opens its data block
    for index, (kind, value, start, end) in enumerate(tokens):
        word = value.upper() if kind == "word" else None
        if word == "VALUES":
            values_pending = True
            continue
        if value == "}" and kind == "punct":
            if stack:
                brace = stack.pop()
                if brace.group is not None and brace.group.scope[1] is None:
                    brace.group.scope = (brace.group.scope[0], end)
            continue
        if value != "{" or kind != "punct":
            continue
        previous = tokens[index - 1] if index else (None, "", 0, 0)
        before = tokens[index - 2] if index > 1 else (None, "", 0, 0)
        following = tokens[index + 1] if index + 1 < len(tokens) else (None, "", 0, 0)
        if values_pending:
            values_pending = False
            stack.append(_Brace("data", start))
            continue
        if previous[0] == "word" and previous[1].upper() == "CONSTRUCT":
            stack.append(_Brace("template", start))
            continue
        if (previous[0] == "word" and previous[1].upper() == "WHERE" and before[0] == "word"
                and before[1].upper() == "CONSTRUCT"):
            short_construct = True
            stack.append(_Brace("template", start))
            continue
        if following[0] == "word" and following[1].upper() == "SELECT":
            stack.append(_Brace("subquery", start))
            continue
        parent = stack[-1] if stack else None
        if parent is None and not top_where_seen:
            top_where_seen = True
            group = _Group(end, (0, length))  # the query's WHERE: every variable the query uses
        elif parent is not None and parent.kind == "subquery" and parent.first_inner_group:
            parent.first_inner_group = False
            group = _Group(end, (parent.start, _matching_end(tokens, parent.start)))
        else:
            group = _Group(end, (start, None))
        groups.append(group)
        stack.append(_Brace("group", start, group))
    for group in groups:
        if group.scope[1] is None:  # unbalanced: the endpoint will say where
            group.scope = (group.scope[0], length)
    return groups, short_construct


def _matching_end(tokens: list, start: int) -> int:
    """The end offset of the ``}`` that closes the ``{`` at offset ``start``."""
    depth = 0
    for kind, value, s, e in tokens:
        if s < start or kind != "punct":
            continue
        if value == "{":
            depth += 1
        elif value == "}":
            depth -= 1
            if depth == 0:
                return e
    return tokens[-1][3] if tokens else start
