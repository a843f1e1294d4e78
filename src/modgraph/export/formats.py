"""Writing a graph in the export formats, the same bytes for the same graph on every run.

Blank nodes get canonical labels first (RGDA1, :func:`rdflib.compare.to_canonical_graph`: from the
graph's structure, not from the order of parsing), and the triples are then fed to the serialiser in
sorted order, so nothing depends on Python's hash seed. N-Triples are sorted line by line; JSON-LD
nodes by ``@id`` with their values sorted; TriG holds the catalogue in one named graph, the one
``modgraph publish`` uses.
"""

from __future__ import annotations

import json

from rdflib import BNode, Dataset, Graph, URIRef
from rdflib.compare import to_canonical_graph

from modgraph.namespaces import PREFIXES

# --format value -> (rdflib serialiser, file suffix, media type)
FORMATS: dict[str, tuple[str, str, str]] = {
    "ttl": ("turtle", ".ttl", "text/turtle"),
    "nt": ("nt", ".nt", "application/n-triples"),
    "jsonld": ("json-ld", ".jsonld", "application/ld+json"),
    "rdfxml": ("xml", ".rdf", "application/rdf+xml"),  # pretty-xml warns it ignores statements on list nodes
    "trig": ("trig", ".trig", "application/trig"),
}
CATALOGUE_GRAPH = URIRef("https://w3id.org/modgraph/graph/catalogue")
# The profiles' vocabularies beside the catalogue's own prefixes (schema.org's shapes target http://schema.org/).
EXPORT_PREFIXES = {**PREFIXES, "sdo": "http://schema.org/", "adms": "http://www.w3.org/ns/adms#",
                   "locn": "http://www.w3.org/ns/locn#", "vcard": "http://www.w3.org/2006/vcard/ns#",
                   "dcatap": "http://data.europa.eu/r5r/"}
CONTEXT_FILE = "context.jsonld"  # beside a JSON-LD export, which refers to it


class _OrderedGraph(Graph):
    """A graph whose subjects come in sorted order (rdflib's RDF/XML writer takes them from a set)."""

    def subjects(self, predicate=None, object=None, unique=False):  # noqa: A002 - rdflib's signature
        if predicate is None and object is None:
            return iter(sorted(set(super().subjects()), key=_term_key))
        return super().subjects(predicate, object, unique)


def canonical(graph: Graph) -> Graph:
    """A copy of ``graph`` with canonical blank node labels, its triples added in sorted order."""
    relabelled = to_canonical_graph(graph) if any(_has_bnode(t) for t in graph) else graph
    ordered = _OrderedGraph()
    _bind(ordered)
    for triple in sorted(relabelled, key=_sort_key):
        ordered.add(triple)
    return ordered


def context() -> dict:
    """The JSON-LD context of the exports: the catalogue's and the profiles' prefixes."""
    return {"@context": {prefix: str(namespace) for prefix, namespace in sorted(EXPORT_PREFIXES.items())}}


def serialise(graph: Graph, fmt: str, *, context_reference: str = CONTEXT_FILE, vocab: str | None = None) -> bytes:
    """``graph`` in ``fmt`` (a key of :data:`FORMATS`) as UTF-8 bytes, deterministic.

    JSON-LD refers to ``context_reference``; with ``vocab`` it is compacted with that ``@vocab`` (plain
    names, as ``"@context": "https://schema.org"`` reads them) instead of the prefixes.
    """
    graph = canonical(graph)
    if fmt == "nt":
        lines = sorted(line for line in graph.serialize(format="nt").splitlines() if line.strip())
        return "".join(line + "\n" for line in lines).encode("utf-8")
    if fmt == "jsonld":
        return _jsonld(graph, context_reference, {"@vocab": vocab} if vocab else context()["@context"])
    if fmt == "trig":
        dataset = Dataset()
        _bind(dataset)
        named = dataset.graph(CATALOGUE_GRAPH)
        for triple in graph:
            named.add(triple)
        return dataset.serialize(format="trig").encode("utf-8")
    return graph.serialize(format=FORMATS[fmt][0]).encode("utf-8")


def _jsonld(graph: Graph, context_reference: str, compact_with: dict) -> bytes:
    """JSON-LD compacted with ``compact_with``, nodes and values sorted, referring to ``context_reference``."""
    data = json.loads(graph.serialize(format="json-ld", context=compact_with, auto_compact=True))
    nodes = data.get("@graph", [data] if "@id" in data else [])
    for node in nodes:
        for key, value in node.items():
            if isinstance(value, list):
                node[key] = sorted(value, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    nodes.sort(key=lambda n: str(n.get("@id", "")))
    out = {"@context": context_reference, "@graph": nodes}
    return (json.dumps(out, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def _bind(graph) -> None:
    for prefix, namespace in EXPORT_PREFIXES.items():
        graph.bind(prefix, namespace, override=True)


def _has_bnode(triple) -> bool:
    return isinstance(triple[0], BNode) or isinstance(triple[2], BNode)


def _term_key(term) -> tuple:
    return type(term).__name__, term.n3()


def _sort_key(triple) -> tuple:
    return tuple(_term_key(term) for term in triple)
