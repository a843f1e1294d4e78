"""Typed literals must fit their datatype: ``"abc"^^xsd:integer`` and ``xsd:intger`` are data errors.

Turtle accepts both, rdflib keeps them (it even reads ``"maybe"^^xsd:boolean`` as false), the OWL
reasoner crashes on them and pyshacl's comparisons fail. So they are found before either runs,
reported with file, line, column, property and value, and kept away from the shapes.
"""

from __future__ import annotations

import difflib
import warnings

from rdflib import Graph, Literal, URIRef

from modgraph.catalogue import Catalogue
from modgraph.problems import Problem, scanned
from modgraph.tokens import TypedLiteral

XSD_NS = "http://www.w3.org/2001/XMLSchema#"

# The XSD 1.1 built-in datatypes (https://www.w3.org/TR/xmlschema11-2/#built-in-datatypes).
XSD_DATATYPES = frozenset("""
    anyURI base64Binary boolean byte date dateTime dateTimeStamp dayTimeDuration decimal double
    duration ENTITIES ENTITY float gDay gMonth gMonthDay gYear gYearMonth hexBinary ID IDREF IDREFS
    int integer language long Name NCName negativeInteger NMTOKEN NMTOKENS nonNegativeInteger
    nonPositiveInteger normalizedString NOTATION positiveInteger QName short string time token
    unsignedByte unsignedInt unsignedLong unsignedShort yearMonthDuration anySimpleType anyAtomicType
""".split())


def literal_error(lexical: str, datatype: str) -> str | None:
    """Why ``"lexical"^^<datatype>`` is wrong, or None when it is fine (or its datatype is not XSD)."""
    if not datatype.startswith(XSD_NS):
        return None
    local = datatype[len(XSD_NS):]
    if local not in XSD_DATATYPES:
        close = difflib.get_close_matches(local, sorted(XSD_DATATYPES), n=1, cutoff=0.6)
        hint = f"; did you mean xsd:{close[0]}?" if close else ""
        return f"unknown datatype xsd:{local}{hint}"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ill_typed = Literal(lexical, datatype=URIRef(datatype)).ill_typed
    if ill_typed:
        return f"not a valid xsd:{local}"
    return None


def _shown(text: str, limit: int = 60) -> str:
    text = text.replace("\n", "\\n")
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _message(literal: TypedLiteral, why: str) -> str:
    field = literal.predicate_written or "a property"
    return f"ill-typed value of {field}: {_shown(literal.written)}^^{literal.datatype_written}: {why}"


def literal_problems(catalogue: Catalogue) -> list[Problem]:
    """Every ill-typed literal and unknown XSD datatype in the loaded files, in file order."""
    problems = []
    for path in catalogue.files:
        for literal in scanned(path, catalogue.texts[path]).literals:
            why = literal_error(literal.lexical, literal.datatype)
            if why:
                problems.append(Problem(catalogue.root.relative(path), literal.line, literal.column,
                                        _message(literal, why), "literal"))
    return problems


def is_ill_typed(term) -> bool:
    """True for a literal whose lexical form does not fit its XSD datatype, or whose XSD datatype is unknown."""
    if not isinstance(term, Literal) or term.datatype is None:
        return False
    text = str(term.datatype)
    if text.startswith(XSD_NS) and text[len(XSD_NS):] not in XSD_DATATYPES:
        return True
    return bool(term.ill_typed)


def well_typed(graph: Graph) -> Graph:
    """``graph`` without its ill-typed triples (reported by :func:`literal_problems`); itself when it has none."""
    bad = [(s, p, o) for s, p, o in graph if is_ill_typed(o)]
    if not bad:
        return graph
    out = Graph()
    for prefix, namespace in graph.namespaces():
        out.bind(prefix, namespace, override=True)
    out += graph
    for triple in bad:
        out.remove(triple)
    return out
