"""Canonical Turtle: one layout for every data file, so diffs show facts, not formatting.

Layout rules (the same in every file):
- ``@base`` is the instance namespace, so catalogue IRIs read as ``<module/amw/intake>``;
- only the prefixes a file uses are declared, sorted by name;
- subjects: concept schemes, werksoorten, documents and modules first, then the rest, each group in
  natural order of its IRI (so ``goal/2`` comes before ``goal/10``);
- predicates: ``a`` first, then the order of :data:`PREDICATE_ORDER`, then the others alphabetically;
- one statement (predicate and one object) per line; objects sorted;
- no blank nodes: every resource has a stable, readable IRI.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from modgraph.namespaces import BASE, PREFIXES

PREDICATE_ORDER = [
    "skos:prefLabel", "skos:altLabel", "rdfs:label", "dcterms:title", "dcterms:identifier",
    "mg:werksoort", "dcterms:source", "mg:page", "mg:function", "mg:moduleType",
    "mg:targetGroupText", "dcterms:audience", "mg:workRelevanceText", "mg:contraIndication", "mg:hasGoal",
    "mg:durationText", "mg:minSessions", "mg:maxSessions", "mg:sessionUnit", "mg:minSessionMinutes",
    "mg:maxSessionMinutes", "mg:frequency", "mg:followUp",
    "mg:settingText", "mg:participants", "mg:place", "mg:minGroupSize", "mg:maxGroupSize",
    "mg:facilitatorCount",
    "mg:workingMethodText", "mg:hasActivity", "mg:mainElement", "mg:usesMethod",
    "mg:additionalInformationText",
    "mg:hasPrecondition", "mg:noSpecificPreconditions", "mg:preconditionsText",
    "mg:requiresPriorModule", "mg:canFollow", "mg:canBeFollowedBy", "mg:usuallyFollowedBy",
    "mg:combinedWith", "mg:recommendedCombination", "mg:leadsTo",
    "mg:referredBy", "mg:requestedBy", "mg:refersTo", "mg:consults", "mg:contacts",
    "mg:coordinatesWith", "mg:deliveredWith", "mg:hasAgreementsWith", "mg:mentionsPartner",
    "mg:legalFramework",
    "schema:position", "dcterms:description", "schema:text", "mg:goalTheme", "mg:preconditionKind",
    "mg:concernsPartner",
    "rdf:subject", "rdf:predicate", "rdf:object", "mg:quote",
    "skos:definition", "skos:scopeNote", "skos:example", "skos:note", "skos:editorialNote",
]

# Literals in Dutch (the documents' language) come before their English translation.
LANGUAGE_ORDER = {"nl": 0, "en": 1}

# Subjects of these types open a file, before the items that belong to them.
LEADING_TYPES = ["skos:ConceptScheme", "mg:Werksoort", "mg:SourceDocument", "mg:Module"]


class CanonicalTurtleError(ValueError):
    """The graph cannot be written canonically (for example, it holds a blank node)."""


def natural_key(text: str) -> list:
    """Sort key that orders digits by number: ``goal/2`` before ``goal/10``."""
    return [(0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", text)]


class _Namer:
    """Turns terms into Turtle tokens, recording which prefixes were used."""

    def __init__(self) -> None:
        self.used: set[str] = set()
        self._by_length = sorted(PREFIXES.items(), key=lambda kv: -len(kv[1]))

    def iri(self, term: URIRef) -> str:
        text = str(term)
        if text == str(RDF.type):
            return "a"
        for prefix, namespace in self._by_length:
            if text.startswith(namespace):
                local = text[len(namespace):]
                if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_\-]*", local or "_"):
                    self.used.add(prefix)
                    return f"{prefix}:{local}"
        if text.startswith(BASE) and re.fullmatch(r"[A-Za-z0-9_\-./]+", text[len(BASE):]):
            return f"<{text[len(BASE):]}>"
        return f"<{text}>"

    def predicate(self, term: URIRef) -> str:
        token = self.iri(term)
        return "a" if token == "a" else token

    def literal(self, term: Literal) -> str:
        if term.datatype in (XSD.integer,) and re.fullmatch(r"-?\d+", str(term)):
            return str(term)
        if term.datatype == XSD.boolean and str(term) in ("true", "false"):
            return str(term)
        text = (str(term).replace("\\", "\\\\").replace('"', '\\"')
                .replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t"))
        if term.language:
            return f'"{text}"@{term.language.lower()}'
        if term.datatype and term.datatype != XSD.string:
            return f'"{text}"^^{self.iri(term.datatype)}'
        return f'"{text}"'

    def term(self, term) -> str:
        if isinstance(term, BNode):
            raise CanonicalTurtleError("blank nodes are not allowed in data files: give the resource an IRI")
        if isinstance(term, Literal):
            return self.literal(term)
        return self.iri(term)


def _object_key(term) -> tuple:
    if isinstance(term, Literal):
        return (1, LANGUAGE_ORDER.get(term.language or "", 9), term.language or "", natural_key(str(term)),
                str(term.datatype or ""))
    return (0, 0, "", natural_key(str(term)), "")


def serialize(graph: Graph, header: Iterable[str] = (), comments: dict | None = None) -> str:
    """Write ``graph`` as canonical Turtle; ``header`` lines are written first as ``#`` comments.

    ``comments`` (from :func:`modgraph.turtle_comments.find_comments`) carries a file's other
    comments: ``("subject", s)`` lines go before the subject's block, ``("predicate", s, p)`` lines
    before the first line of that predicate, ``("end",)`` lines after the last block.
    """
    comments = comments or {}
    namer = _Namer()
    order = {name: i for i, name in enumerate(PREDICATE_ORDER)}
    leading = [URIRef(_expand(name)) for name in LEADING_TYPES]

    def subject_key(subject) -> tuple:
        types = set(graph.objects(subject, RDF.type))
        rank = min((i for i, t in enumerate(leading) if t in types), default=len(leading))
        return (rank, natural_key(str(subject)))

    blocks = []
    for subject in sorted(set(graph.subjects()), key=subject_key):
        lines = []
        predicates = {}
        for predicate, obj in graph.predicate_objects(subject):
            predicates.setdefault(predicate, []).append(obj)
        named = {p: namer.predicate(p) for p in predicates}

        def predicate_key(p):
            token = named[p]
            if token == "a":
                return (0, 0, "")
            return (1, order.get(token, len(order)), token)

        for predicate in sorted(predicates, key=predicate_key):
            notes = [f"    # {c}".rstrip() for c in comments.get(("predicate", subject, predicate), [])]
            for obj in sorted(predicates[predicate], key=_object_key):
                lines.append((notes, f"    {named[predicate]} {namer.term(obj)}"))
                notes = []
        body = "".join("".join(n + "\n" for n in notes) + line + (" .\n" if i == len(lines) - 1 else " ;\n")
                       for i, (notes, line) in enumerate(lines))
        opening = "".join(f"# {c}".rstrip() + "\n" for c in comments.get(("subject", subject), []))
        blocks.append(opening + namer.term(subject) + "\n" + body)

    out = [f"# {line}".rstrip() for line in header]
    if out:
        out.append("")
    out.append(f"@base <{BASE}> .")
    for prefix in sorted(namer.used):
        out.append(f"@prefix {prefix}: <{PREFIXES[prefix]}> .")
    out.append("")
    ending = comments.get(("end",), [])
    tail = ("\n" + "".join(f"# {c}".rstrip() + "\n" for c in ending)) if ending else ""
    return "\n".join(out) + "\n" + "\n".join(blocks) + tail


def _expand(name: str) -> str:
    prefix, local = name.split(":", 1)
    return PREFIXES[prefix] + local


def leading_comments(text: str) -> list[str]:
    """The ``#`` comment lines at the top of a Turtle file, without the ``# `` marker."""
    header = []
    for line in text.splitlines():
        if line.startswith("#"):
            header.append(line[1:].removeprefix(" "))
        elif line.strip():
            break
    return header


__all__ = ["serialize", "leading_comments", "natural_key", "CanonicalTurtleError"]
