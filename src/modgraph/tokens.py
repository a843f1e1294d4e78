"""Where each IRI and typed literal occurs in a Turtle or SPARQL text, for reports with file:line:column.

rdflib builds the graph but keeps no positions. This light tokenizer reads the text once more and
returns every term (resolved to a full IRI, with its line and column: 1-based, in characters) and
every typed literal with the property it is a value of. It only serves reports: it assumes text
that its parser has accepted, and never decides what a file means.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from urllib.parse import urljoin

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

_TOKEN = re.compile(
    r"""
      (?P<ws>\s+)
    | (?P<comment>\#[^\n]*)
    | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
                 |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*(?:\\[uU][0-9A-Fa-f]+[^<>"{}|^`\\\x00-\x20]*)*>)
    | (?P<keyword>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
    | (?P<pname>(?:[A-Za-z][\w.-]*)?:(?:(?:[\w:%-]|\\[^\s])(?:[\w.:%-]|\\[^\s])*(?<!\.))?)
    | (?P<bnode>_:[\w.-]*(?<!\.))
    | (?P<var>[?$]\w+)
    | (?P<word>[A-Za-z_][\w-]*)
    | (?P<number>[+-]?(?:\d+\.\d+|\.\d+|\d+)(?:[eE][+-]?\d+)?)
    | (?P<datatype>\^\^)
    | (?P<punct>.)
    """,
    re.VERBOSE | re.DOTALL,
)

_ECHAR = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
_ESCAPE = re.compile(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)", re.DOTALL)


def iter_tokens(text: str):
    """The tokens of a Turtle or SPARQL text as ``(kind, value, offset)``; kinds as in ``_TOKEN``
    (``ws``, ``comment``, ``string``, ``iri``, ``pname``, ``var``, ``word``, ``punct`` ...)."""
    for match in _TOKEN.finditer(text):
        yield match.lastgroup, match.group(), match.start()


@dataclass(frozen=True)
class TermUse:
    """One IRI as written in the text (``mg:page`` or ``<module/amw/intake>``), resolved."""

    iri: str
    written: str
    line: int
    column: int
    role: str  # "subject", "predicate", "object", "datatype" or "other" (SPARQL, directives)


@dataclass(frozen=True)
class TypedLiteral:
    """A ``"lexical"^^datatype`` literal and the property it is a value of (Turtle only)."""

    lexical: str
    written: str
    datatype: str
    datatype_written: str
    predicate: str | None
    predicate_written: str
    line: int
    column: int


@dataclass
class Scan:
    """All terms and typed literals of one text."""

    terms: list[TermUse]
    literals: list[TypedLiteral]


def unescape_string(body: str) -> str:
    """The value of a Turtle/SPARQL string body: ``\\n``, ``\\"``, ``\\u00e9`` ... decoded."""

    def one(match: re.Match) -> str:
        code = match.group(1)
        if code[0] in "uU" and len(code) > 1:
            return chr(int(code[1:], 16))
        return _ECHAR.get(code, "\\" + code)

    return _ESCAPE.sub(one, body)


def resolve_iri(reference: str, base: str) -> str:
    """``reference`` resolved against ``base`` (urljoin alone drops an empty fragment: ``def#``)."""
    if not base or re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", reference):
        return reference
    resolved = urljoin(base, reference)
    return resolved + "#" if reference.endswith("#") and not resolved.endswith("#") else resolved


def _string_body(token: str) -> str:
    quote = 3 if token[:3] in ('"""', "'''") else 1
    return token[quote:-quote]


class _Lines:
    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def at(self, offset: int) -> tuple[int, int]:
        index = bisect.bisect_right(self.starts, offset) - 1
        return index + 1, offset - self.starts[index] + 1


class _Frame:
    """Where the tracker is inside one predicate-object list (the top level, a ``[ ]`` or a ``( )``)."""

    def __init__(self, state: str) -> None:
        self.state = state          # "subject", "predicate", "object", "after-object" or "collection"
        self.predicate: str | None = None
        self.predicate_written = ""


def scan(text: str, base: str = "") -> Scan:
    """Every term and typed literal of a Turtle or SPARQL ``text`` whose base IRI is ``base``."""
    lines = _Lines(text)
    prefixes: dict[str, str] = {}
    terms: list[TermUse] = []
    literals: list[TypedLiteral] = []
    frames = [_Frame("subject")]
    expect = None          # inside a directive: "prefix-name", "prefix-iri" or "base-iri"
    prefix_name = ""
    string = None          # the last string token and its position, until we know whether ^^ follows
    awaiting_datatype = False

    def resolve(kind: str, value: str) -> str | None:
        if kind == "iri":
            return resolve_iri(unescape_string(value[1:-1]), base)
        prefix, _, local = value.partition(":")
        if prefix not in prefixes:
            return None
        return prefixes[prefix] + re.sub(r"\\(.)", r"\1", local)

    def consume(kind: str, value: str) -> str:
        """Advance the statement tracker past one term; return the term's role."""
        frame = frames[-1]
        state = frame.state
        if state == "subject":
            frame.state = "predicate"
            return "subject"
        if state == "predicate":
            frame.predicate = RDF_TYPE if (kind, value) == ("word", "a") else (
                resolve(kind, value) if kind in ("iri", "pname") else None)
            frame.predicate_written = value
            frame.state = "object"
            return "predicate"
        if state == "object":
            frame.state = "after-object"
        return "object"

    def open_frame(state: str) -> None:
        frames.append(_Frame(state))

    def close_frame() -> None:
        if len(frames) > 1:
            frames.pop()
        parent = frames[-1]
        parent.state = {"subject": "predicate", "object": "after-object"}.get(parent.state, parent.state)

    for match in _TOKEN.finditer(text):
        kind, value = match.lastgroup, match.group()
        if kind in ("ws", "comment"):
            continue
        offset = match.start()
        if awaiting_datatype and kind in ("iri", "pname"):
            iri = resolve(kind, value)
            line, column = lines.at(offset)
            if iri is not None:
                terms.append(TermUse(iri, value, line, column, "datatype"))
                s_value, s_line, s_column = string
                frame = frames[-1]
                literals.append(TypedLiteral(
                    lexical=unescape_string(_string_body(s_value)), written=s_value, datatype=iri,
                    datatype_written=value, predicate=frame.predicate, predicate_written=frame.predicate_written,
                    line=s_line, column=s_column,
                ))
            awaiting_datatype, string = False, None
            continue
        awaiting_datatype = False
        if kind == "datatype":
            awaiting_datatype = string is not None
            continue
        if kind == "keyword":
            lowered = value.lower()
            if lowered == "@prefix":
                expect = "prefix-name"
            elif lowered == "@base":
                expect = "base-iri"
            continue  # otherwise a language tag
        if kind == "word" and value.upper() in ("PREFIX", "BASE") and expect is None:
            expect = "prefix-name" if value.upper() == "PREFIX" else "base-iri"
            continue
        if expect == "prefix-name" and kind == "pname" and value.endswith(":"):
            prefix_name, expect = value[:-1], "prefix-iri"
            continue
        if expect in ("prefix-iri", "base-iri") and kind == "iri":
            iri = resolve("iri", value)
            if expect == "prefix-iri":
                prefixes[prefix_name] = iri
            else:
                base = iri
            expect = None
            continue
        expect = None
        string = None
        if kind == "punct":
            frame = frames[-1]
            if value == ";":
                frame.state = "predicate"
            elif value == ",":
                frame.state = "collection" if frame.state == "collection" else "object"
            elif value == "." and len(frames) == 1:
                frame.state = "subject"
            elif value == "[":
                open_frame("predicate")
            elif value == "(":
                open_frame("collection")
            elif value in "])":
                close_frame()
            continue
        if kind == "string":
            line, column = lines.at(offset)
            consume(kind, value)
            string = (value, line, column)
            continue
        role = consume(kind, value) if kind in ("iri", "pname", "bnode", "word", "number", "var") else "other"
        if kind in ("iri", "pname") or (kind, role) == ("word", "predicate") and value == "a":
            iri = RDF_TYPE if kind == "word" else resolve(kind, value)
            if iri is not None:
                line, column = lines.at(offset)
                terms.append(TermUse(iri, value, line, column, role))
    return Scan(terms=terms, literals=literals)
