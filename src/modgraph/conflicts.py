"""Which individuals and statements make the catalogue inconsistent, found in the asserted graph.

HermiT only says "inconsistent"; Pellet's explanation names axioms by local name ("intake type
BMWModule"), which a curator cannot look up. This module derives, from the data and the ontology,
the consequences the usual contradictions come from, remembering for each derived fact the data
triples behind it:

- types from ``rdf:type``, ``rdfs:subClassOf``, ``rdfs:domain``/``rdfs:range`` (also through
  sub-properties, inverses and symmetric properties) and the defined classes of the form
  ``C ≡ A ⊓ ∃p.{v}`` (both directions: a module typed mg:BMWModule has werksoort bmw);
- contradictions: an individual in two disjoint classes (``owl:disjointWith``,
  ``owl:AllDisjointClasses``), two values of a functional data property that differ, two values of
  a functional object property that are declared different.

It is not a reasoner: it finds the contradictions of these shapes (the ones the catalogue's
ontology can produce today); HermiT's verdict and Pellet's axioms are reported beside it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.collection import Collection

from modgraph.namespaces import BASE, MG_NS

Triple = tuple


@dataclass
class Conflict:
    """One contradiction: a message, and the asserted data triples it follows from."""

    message: str
    because: list[Triple] = field(default_factory=list)
    named: list = field(default_factory=list)  # the individuals the message names

    def individuals(self) -> list[URIRef]:
        """The catalogue individuals the contradiction involves, in order of appearance."""
        out: list[URIRef] = [n for n in self.named if in_catalogue(n)]
        for s, _, o in self.because:
            for term in (s, o):
                if in_catalogue(term) and term not in out:
                    out.append(term)
        return out


def in_catalogue(term) -> bool:
    """Whether ``term`` is an IRI of the catalogue (below https://w3id.org/modgraph/id/)."""
    return isinstance(term, URIRef) and str(term).startswith(BASE)


def _short(term) -> str:
    return str(term).replace(BASE, "id:").replace(MG_NS, "mg:")


class _Ontology:
    """The axioms the derivation uses, read from the graph."""

    def __init__(self, graph: Graph) -> None:
        self.supers: dict = {}
        for sub, sup in graph.subject_objects(RDFS.subClassOf):
            if isinstance(sup, URIRef):
                self.supers.setdefault(sub, set()).add(sup)
        self.super_properties: dict = {}
        for sub, sup in graph.subject_objects(RDFS.subPropertyOf):
            self.super_properties.setdefault(sub, set()).add(sup)
        self.inverse: dict = {}
        for a, b in graph.subject_objects(OWL.inverseOf):
            self.inverse.setdefault(a, set()).add(b)
            self.inverse.setdefault(b, set()).add(a)
        self.symmetric = set(graph.subjects(RDF.type, OWL.SymmetricProperty))
        self.functional = set(graph.subjects(RDF.type, OWL.FunctionalProperty))
        self.domain = {p: {c for c in graph.objects(p, RDFS.domain) if isinstance(c, URIRef)}
                       for p in set(graph.subjects(RDFS.domain))}
        self.range = {p: {c for c in graph.objects(p, RDFS.range) if isinstance(c, URIRef)}
                      for p in set(graph.subjects(RDFS.range))}
        self.disjoint: set[frozenset] = set()
        for a, b in graph.subject_objects(OWL.disjointWith):
            self.disjoint.add(frozenset((a, b)))
        for node in graph.subjects(RDF.type, OWL.AllDisjointClasses):
            members = list(Collection(graph, graph.value(node, OWL.members)))
            for i, a in enumerate(members):
                for b in members[i + 1:]:
                    self.disjoint.add(frozenset((a, b)))
        self.different: set[frozenset] = {frozenset((a, b)) for a, b in graph.subject_objects(OWL.differentFrom)}
        for node in graph.subjects(RDF.type, OWL.AllDifferent):
            head = graph.value(node, OWL.members) or graph.value(node, OWL.distinctMembers)
            members = list(Collection(graph, head)) if head is not None else []
            for i, a in enumerate(members):
                for b in members[i + 1:]:
                    self.different.add(frozenset((a, b)))
        # C ≡ A ⊓ (p hasValue v): (C, A, p, v)
        self.has_value: list[tuple] = []
        for cls, node in graph.subject_objects(OWL.equivalentClass):
            if not isinstance(cls, URIRef):
                continue
            parts = graph.value(node, OWL.intersectionOf)
            if parts is None:
                continue
            members = list(Collection(graph, parts))
            named = [m for m in members if isinstance(m, URIRef)]
            restrictions = [(graph.value(m, OWL.onProperty), graph.value(m, OWL.hasValue))
                            for m in members if graph.value(m, OWL.hasValue) is not None]
            if len(named) == 1 and len(restrictions) == 1 and len(members) == 2:
                self.has_value.append((cls, named[0], *restrictions[0]))

    def properties_implied(self, p) -> set:
        """``p`` and its super-properties."""
        out, todo = set(), [p]
        while todo:
            q = todo.pop()
            if q not in out:
                out.add(q)
                todo.extend(self.super_properties.get(q, ()))
        return out

    def classes_implied(self, c) -> set:
        out, todo = set(), [c]
        while todo:
            d = todo.pop()
            if d not in out:
                out.add(d)
                todo.extend(self.supers.get(d, ()))
        return out


def find_conflicts(graph: Graph) -> list[Conflict]:
    """The contradictions in ``graph`` (ontology + data), each with the data triples behind it."""
    onto = _Ontology(graph)
    types: dict = {}   # individual -> {class: because}
    edges: dict = {}   # (s, p) -> {o: because}

    def add_type(x, cls, because) -> bool:
        known = types.setdefault(x, {})
        added = False
        for c in onto.classes_implied(cls):
            if c not in known:
                known[c] = because
                added = True
        return added

    def add_edge(s, p, o, because) -> bool:
        added = False
        for q in onto.properties_implied(p):
            values = edges.setdefault((s, q), {})
            if o not in values:
                values[o] = because
                added = True
        return added

    for s, p, o in graph:
        if not in_catalogue(s):
            continue
        if p == RDF.type:
            if isinstance(o, URIRef):
                add_type(s, o, [(s, p, o)])
        elif not str(p).startswith((str(RDF), str(RDFS), str(OWL))):
            add_edge(s, p, o, [(s, p, o)])
            if isinstance(o, URIRef):
                for inverse in onto.inverse.get(p, ()):
                    add_edge(o, inverse, s, [(s, p, o)])
                if p in onto.symmetric:
                    add_edge(o, p, s, [(s, p, o)])

    for _ in range(10):  # a fixpoint; the defined classes add at most one step each
        changed = False
        for (s, p), values in list(edges.items()):
            for o, because in list(values.items()):
                for cls in onto.domain.get(p, ()):
                    changed |= add_type(s, cls, because)
                if isinstance(o, URIRef):
                    for cls in onto.range.get(p, ()):
                        changed |= add_type(o, cls, because)
        for cls, base, p, v in onto.has_value:
            for x, known in list(types.items()):
                if cls in known:  # typed C: so A, and p v
                    changed |= add_type(x, base, known[cls])
                    changed |= add_edge(x, p, v, known[cls])
                elif base in known and v in edges.get((x, p), {}):
                    changed |= add_type(x, cls, _merge(known[base], edges[(x, p)][v]))
        if not changed:
            break
    return _contradictions(onto, types, edges)


def _merge(*parts: list) -> list:
    out: list = []
    for part in parts:
        out += [t for t in part if t not in out]
    return out


def _contradictions(onto: _Ontology, types: dict, edges: dict) -> list[Conflict]:
    found: list[Conflict] = []
    for x in sorted(types, key=str):
        if not in_catalogue(x):
            continue
        known = types[x]
        for pair in sorted(onto.disjoint, key=lambda p: sorted(map(str, p))):
            if pair <= known.keys():
                a, b = sorted(pair, key=str)
                found.append(Conflict(f"{_short(x)} is both {_short(a)} and {_short(b)}, which are disjoint",
                                      _merge(known[a], known[b]), [x]))
    for (s, p), values in sorted(edges.items(), key=lambda kv: (str(kv[0][0]), str(kv[0][1]))):
        if p not in onto.functional or len(values) < 2 or not in_catalogue(s):
            continue
        objects = sorted(values, key=str)
        literals = [o for o in objects if isinstance(o, Literal)]
        if literals:
            distinct = {(lit.value if lit.value is not None else str(lit), lit.datatype) for lit in literals}
            if len(distinct) > 1:
                found.append(Conflict(
                    f"{_short(s)} has {len(literals)} different values of {_short(p)} "
                    f"({', '.join(str(v) for v in literals)}); it is functional: one value at most",
                    _merge(*(values[v] for v in literals)), [s]))
            continue
        different = [(a, b) for i, a in enumerate(objects) for b in objects[i + 1:]
                     if frozenset((a, b)) in onto.different or _disjoint_types(onto, types, a, b)]
        if different:
            name = "werksoorten" if p == URIRef(MG_NS + "werksoort") else f"values of {_short(p)}"
            found.append(Conflict(
                f"{_short(s)} has {len(objects)} {name} ({', '.join(_short(o) for o in objects)}); "
                f"{_short(p)} is functional and they are different",
                _merge(*(values[o] for o in objects)), [s, *objects]))
    return found


def _disjoint_types(onto: _Ontology, types: dict, a, b) -> bool:
    """``a`` and ``b`` belong to disjoint classes, so they cannot be the same individual."""
    return any(frozenset((ca, cb)) in onto.disjoint for ca in types.get(a, {}) for cb in types.get(b, {}))
