"""Comparing query answers across engines: the rows as a multiset of normalised values.

Engines agree on the answer but not on every detail of its form: GROUP_CONCAT's order, the precision
of a division, an integer written 5 or 5.0. So numbers are compared rounded, GROUP_CONCAT parts as
sorted parts, language tags case-insensitively.
"""

from __future__ import annotations

import re
from collections import Counter

from rdflib import BNode, URIRef
from rdflib.namespace import XSD

_NUMBERS = {str(XSD.integer), str(XSD.decimal), str(XSD.double), str(XSD.float)}


def separators(text: str) -> list[str]:
    """The SEPARATOR strings of a query's GROUP_CONCATs (a space when none is given)."""
    found = re.findall(r'SEPARATOR\s*=\s*"((?:[^"\\]|\\.)*)"', text, flags=re.I)
    return [s.encode().decode("unicode_escape") for s in found] or [" "]


def normalised(term, seps: list[str], concat: bool):
    """One rdflib term in a form every engine gives alike."""
    if term is None:
        return None
    if isinstance(term, URIRef):
        return ("iri", str(term))
    if isinstance(term, BNode):
        return ("bnode",)
    datatype = str(term.datatype or XSD.string)
    lexical = str(term)
    if datatype in _NUMBERS:
        return ("number", round(float(lexical), 6))
    if datatype == str(XSD.boolean):
        return ("boolean", lexical in ("true", "1"))
    if concat and datatype == str(XSD.string):
        for separator in seps:
            if separator and separator in lexical:
                lexical = separator.join(sorted(lexical.split(separator)))
    return ("literal", lexical, (term.language or "").lower())


def row_multiset(rows, text: str) -> Counter:
    """The rows of a :class:`modgraph.results.Rows` as a multiset of normalised tuples."""
    concat = "GROUP_CONCAT" in text.upper()
    seps = separators(text)
    return Counter(tuple(normalised(row.get(v), seps, concat) for v in rows.variables) for row in rows.rows)
