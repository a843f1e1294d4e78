"""Comparing query answers across engines: the rows as a multiset of normalised values.

Engines agree on the answer but not on every detail of its form: GROUP_CONCAT's order, the precision
of a division, an integer written 5 or 5.0. So numbers are compared by value (rounded), GROUP_CONCAT
parts as sorted parts, language tags case-insensitively; every other literal by its text and datatype.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping

import pyoxigraph as ox
from rdflib import BNode, URIRef
from rdflib.namespace import RDF, XSD

from modgraph.engines.convert import to_rdflib

_NUMBERS = {str(XSD[t]) for t in ("integer", "decimal", "double", "float", "int", "long", "nonNegativeInteger",
                                  "positiveInteger")}
_TEXT = {str(XSD.string), str(RDF.langString)}


def separators(text: str) -> list[str]:
    """The SEPARATOR strings of a query's GROUP_CONCATs (a space when none is given)."""
    found = re.findall(r'SEPARATOR\s*=\s*"((?:[^"\\]|\\.)*)"', text, flags=re.I)
    return [s.encode().decode("unicode_escape") for s in found] or [" "]


def normalised(term, seps: list[str], concat: bool):
    """One term (rdflib or pyoxigraph) in a form every engine gives alike."""
    if term is None:
        return None
    if isinstance(term, (ox.NamedNode, ox.BlankNode, ox.Literal)):
        term = to_rdflib(term)
    if isinstance(term, URIRef):
        return ("iri", str(term))
    if isinstance(term, BNode):
        return ("bnode",)
    datatype = str(term.datatype) if term.datatype else str(RDF.langString if term.language else XSD.string)
    lexical = str(term)
    if datatype in _NUMBERS:
        try:
            return ("number", round(float(lexical), 6))
        except ValueError:
            pass
    if concat and datatype in _TEXT:
        for separator in seps:
            if separator and separator in lexical:
                lexical = separator.join(sorted(lexical.split(separator)))
    return ("literal", lexical, (term.language or "").lower(), datatype)


def multiset(variables: list[str], rows: Iterable[Mapping], text: str) -> Counter:
    """Rows (each a mapping variable -> term, unbound left out or None) as a multiset of tuples."""
    concat = "GROUP_CONCAT" in text.upper()
    seps = separators(text)
    return Counter(tuple(normalised(row.get(v), seps, concat) for v in variables) for row in rows)


def row_multiset(rows, text: str) -> Counter:
    """The rows of a :class:`modgraph.results.Rows` as a multiset of normalised tuples."""
    return multiset(rows.variables, rows.rows, text)


def solution_rows(solutions, variables: list[str]) -> list[dict]:
    """pyoxigraph's query solutions as mappings variable -> term."""
    return [{v: s[v] for v in variables} for s in solutions]
