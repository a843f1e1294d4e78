"""Where the comments of a Turtle file belong, so that `modgraph fmt` can carry every one of them.

A comment belongs to what follows it: a comment line before a subject stays before that subject's
block; one inside a block stays before the predicate it precedes (an end-of-line comment, before the
predicate of its line); comments before the first statement form the file's header; comments after
the last statement stay at the end. A comment that cannot be tied to a subject and predicate of the
parsed graph is reported (file:line) instead of being dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rdflib import Graph, URIRef
from rdflib.namespace import RDF
from rdflib.plugins.parsers.notation3 import join

HEADER = ("header",)
END = ("end",)

_TOKEN = re.compile(
    r"(?P<ws>\s+)"
    r"|(?P<comment>#[^\r\n]*)"
    r"|(?P<iri><[^>]*>)"
    r"|(?P<string>\"\"\"(?:[^\"\\]|\\.|\"(?!\"\"))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r"|\"(?:[^\"\\\r\n]|\\.)*\"|'(?:[^'\\\r\n]|\\.)*')"
    r"|(?P<datatype>\^\^)"
    r"|(?P<punct>[;,\[\]()])"
    r"|(?P<name>(?:[^\s<>\"'{}()\[\];,#^\\]|\\.)+)",
    re.S,
)
_LOCAL_ESCAPE = re.compile(r"\\(.)")


@dataclass
class Comments:
    """The comments of one file by anchor: HEADER, END, ("subject", s) or ("predicate", s, p)."""

    by_anchor: dict[tuple, list[str]] = field(default_factory=dict)
    unplaced: list[tuple[int, str]] = field(default_factory=list)  # (line, why)

    def add(self, anchor: tuple, text: str) -> None:
        self.by_anchor.setdefault(anchor, []).append(text)


@dataclass
class _Token:
    kind: str
    text: str
    line: int
    starts_line: bool  # nothing but blanks before it on its line


def _tokens(text: str) -> list[_Token]:
    out, line, position, line_has_code = [], 1, 0, False
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:  # not Turtle rdflib accepted: treat the character as a name
            kind, value, end = "name", text[position], position + 1
        else:
            kind, value, end = match.lastgroup, match.group(0), match.end()
        if kind == "ws":
            if "\n" in value:
                line_has_code = False
        else:
            if kind == "name" and value.endswith(".") and value.rstrip("."):
                # a final '.' is never part of a name or number: 'mg:x.' and '9.' end a statement
                stripped = value.rstrip(".")
                out.append(_Token("name", stripped, line, not line_has_code))
                line_has_code = True
                value = value[len(stripped):]
            if kind == "name" and value and set(value) == {"."}:
                for _ in value:
                    out.append(_Token("dot", ".", line, not line_has_code))
                    line_has_code = True
            else:
                out.append(_Token(kind, value, line, not line_has_code))
                if kind != "comment":
                    line_has_code = True
        line += value.count("\n") if kind != "name" else 0
        position = end
    return out


def _comment_text(token: str) -> str:
    return token[1:].removeprefix(" ").rstrip()


def find_comments(text: str, graph: Graph, base: str) -> Comments:
    """The comments of ``text`` (a Turtle file that parsed into ``graph``), each tied to its anchor."""
    comments = Comments()
    prefixes: dict[str, str] = {}
    tokens = _tokens(text)
    state = "start"          # start | directive | predicate | object | after-object
    subject = predicate = None
    seen_statement = seen_directive = False
    pending: list[tuple[int, str]] = []   # comment lines waiting for the next anchor
    depth = 0                # inside [ ] or ( ): blank nodes and lists (refused by the writer anyway)
    directive: list[str] = []

    def resolve(token: _Token) -> URIRef | None:
        if token.kind == "iri":
            return URIRef(join(base, token.text[1:-1]))
        if token.kind == "name":
            if token.text == "a":
                return RDF.type
            prefix, sep, local = token.text.partition(":")
            if sep and prefix in prefixes:
                return URIRef(prefixes[prefix] + _LOCAL_ESCAPE.sub(r"\1", local))
        return None

    def flush(anchor: tuple | None) -> None:
        for line, body in pending:
            if anchor is None:
                comments.unplaced.append((line, body))
            else:
                comments.add(anchor, body)
        pending.clear()

    def trailing_anchor() -> tuple | None:
        if not seen_statement and subject is None:
            return HEADER
        if subject is None:
            return None
        return ("predicate", subject, predicate) if predicate is not None else ("subject", subject)

    for index, token in enumerate(tokens):
        if token.kind == "comment":
            body = _comment_text(token.text)
            if token.starts_line or state == "directive":
                pending.append((token.line, body))
            else:
                anchor = trailing_anchor()
                if anchor is None:
                    comments.unplaced.append((token.line, body))
                else:
                    comments.add(anchor, body)
            continue
        if state == "directive":
            directive.append(token.text)
            if token.kind == "dot" or (directive[0] in ("PREFIX", "BASE") and token.kind == "iri"):
                _apply_directive(directive, prefixes, base_holder := [base])
                base = base_holder[0]
                directive = []
                state = "start"
            continue
        if depth:
            if token.kind == "punct" and token.text in "[(":
                depth += 1
            elif token.kind == "punct" and token.text in "])":
                depth -= 1
            continue
        if state == "start":
            if token.kind == "dot":
                continue
            if token.kind == "name" and (token.text.startswith("@") or token.text.upper() in ("PREFIX", "BASE")):
                if not seen_statement:
                    flush(HEADER)  # comments before and among the opening directives: the header
                seen_directive = True
                state, directive = "directive", [token.text.upper() if not token.text.startswith("@") else token.text]
                continue
            if not seen_statement and not seen_directive:
                flush(HEADER)  # a file without directives: its opening comments are still its header
            if token.kind == "punct" and token.text in "[(":
                depth, subject, predicate = 1, None, None
                flush(None)
                state = "predicate"
                continue
            subject, predicate = resolve(token), None
            if subject is None or (subject, None, None) not in graph:
                flush(None)
                subject = None
            else:
                flush(("subject", subject))
            seen_statement = True
            state = "predicate"
        elif state == "predicate":
            if token.kind == "dot":
                flush(("subject", subject) if subject is not None else None)
                state, predicate = "start", None
                continue
            predicate = resolve(token)
            if subject is None or predicate is None or (subject, predicate, None) not in graph:
                flush(None)
            else:
                flush(("predicate", subject, predicate))
            state = "object"
        elif state == "object":
            flush(("predicate", subject, predicate) if subject is not None and predicate is not None else None)
            if token.kind == "punct" and token.text in "[(":
                depth = 1
            state = "after-object"
        elif state == "after-object":
            if token.kind in ("datatype",) or (token.kind == "name" and token.text.startswith("@")):
                continue  # ^^ datatype and @lang belong to the literal
            if index and tokens[index - 1].kind == "datatype":
                continue
            if token.kind == "punct" and token.text == ",":
                state = "object"
            elif token.kind == "punct" and token.text == ";":
                state = "predicate"
            elif token.kind == "dot":
                state = "start"
    flush(END if seen_statement else HEADER)
    return comments


def _apply_directive(words: list[str], prefixes: dict[str, str], base_holder: list[str]) -> None:
    """Record ``@prefix p: <iri> .`` / ``PREFIX p: <iri>`` / ``@base <iri> .`` / ``BASE <iri>``."""
    iris = [w for w in words if w.startswith("<") and w.endswith(">")]
    if not iris:
        return
    iri = join(base_holder[0], iris[0][1:-1])
    if words[0].lower() in ("@prefix", "prefix") and len(words) >= 2:
        prefixes[words[1].rstrip(":")] = iri
    elif words[0].lower() in ("@base", "base"):
        base_holder[0] = iri
