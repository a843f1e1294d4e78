"""HTML documentation of the ontology (``ontology/modgraph.ttl``): one self-contained page.

Written by this module from the ontology graph with rdflib, not by pyLODE: pyLODE 3.2.3 to 3.4.1
(the versions for rdflib 7) stop with ``TypeError: unhashable type: 'list'`` on the ontology's
defined classes (an owl:intersectionOf holding a restriction, RDFLib/pyLODE#231, open), 3.4.1 also
fails to import from its wheel, and pyLODE renders sets in hash order, so its page would differ
between runs. This page is the same bytes on every run, needs nothing from the network, and gives
each term an anchor named after it (``index.html#Module`` for ``mg:Module``), so ``/def#Module``
can be served from it (``modgraph serve``).

Importing this module has no side effects; :func:`write_docs` is what the command and the server call.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from modgraph.namespaces import PREFIXES

MG = "https://w3id.org/modgraph/def#"
DOCS_FILE = "index.html"
KINDS = [  # section anchor, heading, rdf:type
    ("classes", "Klassen / Classes", OWL.Class),
    ("object-properties", "Objectrelaties / Object properties", OWL.ObjectProperty),
    ("datatype-properties", "Gegevensrelaties / Datatype properties", OWL.DatatypeProperty),
    ("annotation-properties", "Annotatierelaties / Annotation properties", OWL.AnnotationProperty),
]
CHARACTERISTICS = {OWL.TransitiveProperty: "transitief / transitive", OWL.SymmetricProperty: "symmetrisch / symmetric",
                   OWL.FunctionalProperty: "functioneel / functional",
                   OWL.InverseFunctionalProperty: "invers functioneel / inverse functional"}
CSS = """
body { margin: 0; font: 15px/1.5 system-ui, 'Segoe UI', Roboto, Arial, sans-serif; color: #1d2329; }
header { background: #23313f; color: #fff; padding: 1.2rem 2rem; }
header h1 { margin: 0 0 .3rem; font-size: 1.5rem; } header p { margin: .2rem 0; color: #d5dde5; max-width: 70rem; }
header a { color: #ffd28a; }
main { padding: 0 2rem 3rem; max-width: 76rem; }
nav.terms { font-size: .85rem; margin: 1rem 0; } nav.terms a { margin-right: .6rem; }
section.term { border-top: 1px solid #d8dde2; padding: .6rem 0 .8rem; }
section.term h3 { margin: .2rem 0; font-size: 1.05rem; } section.term h3 code { font-size: .95rem; color: #5b6670; }
dl { display: grid; grid-template-columns: 11rem 1fr; gap: .2rem .8rem; margin: .3rem 0; font-size: .9rem; }
dt { color: #5b6670; } dd { margin: 0; }
.lang { display: inline-block; min-width: 1.6rem; font-size: .72rem; color: #5b6670; }
code { background: #f1f3f5; padding: 0 .25rem; border-radius: 3px; }
"""


def _local(term) -> str:
    return str(term)[len(MG):] if str(term).startswith(MG) else str(term)


def _name(term) -> str:
    """A term as a link (mg: terms to their anchor) or a prefixed name."""
    text = str(term)
    if text.startswith(MG):
        return f'<a href="#{escape(_local(term))}"><code>mg:{escape(_local(term))}</code></a>'
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda kv: -len(str(kv[1]))):
        if text.startswith(str(namespace)) and len(text) > len(str(namespace)):
            return f"<code>{escape(prefix)}:{escape(text[len(str(namespace)):])}</code>"
    return f"<code>&lt;{escape(text)}&gt;</code>"


def _expression(graph: Graph, node) -> str:
    """A class expression (intersection, union, oneOf, restriction) in words, nested as needed."""
    if not isinstance(node, BNode):
        return _name(node)
    for word, prop in (("and", OWL.intersectionOf), ("or", OWL.unionOf)):
        head = graph.value(node, prop)
        if head is not None:
            parts = [_expression(graph, item) for item in Collection(graph, head)]
            return "(" + f" <b>{word}</b> ".join(parts) + ")"
    head = graph.value(node, OWL.oneOf)
    if head is not None:
        return "{" + ", ".join(_name(item) for item in Collection(graph, head)) + "}"
    prop = graph.value(node, OWL.onProperty)
    if prop is not None:
        for word, kind in (("value", OWL.hasValue), ("some", OWL.someValuesFrom), ("only", OWL.allValuesFrom)):
            value = graph.value(node, kind)
            if value is not None:
                return f"({_name(prop)} <b>{word}</b> {_expression(graph, value)})"
    return "(…)"


def _texts(graph: Graph, term, prop) -> str:
    values = sorted(graph.objects(term, prop), key=lambda v: (getattr(v, "language", "") or "", str(v)))
    return "<br>".join(f'<span class="lang">{escape(v.language or "")}</span>{escape(str(v))}'
                       if isinstance(v, Literal) else _name(v) for v in values)


def _term(graph: Graph, term) -> str:
    labels = {v.language: str(v) for v in graph.objects(term, RDFS.label) if isinstance(v, Literal)}
    heading = " / ".join(dict.fromkeys(labels[lang] for lang in ("nl", "en") if lang in labels)) or _local(term)
    rows = []

    def add(label: str, html: str) -> None:
        if html:
            rows.append(f"<dt>{escape(label)}</dt><dd>{html}</dd>")

    add("IRI", f"<code>{escape(str(term))}</code>")
    add("definitie / definition", _texts(graph, term, SKOS.definition))
    add("toelichting / comment", _texts(graph, term, RDFS.comment))
    for label, prop in (("subklasse van / subclass of", RDFS.subClassOf),
                        ("gelijk aan / equivalent to", OWL.equivalentClass),
                        ("disjunct met / disjoint with", OWL.disjointWith),
                        ("subrelatie van / subproperty of", RDFS.subPropertyOf),
                        ("invers van / inverse of", OWL.inverseOf), ("domein / domain", RDFS.domain),
                        ("bereik / range", RDFS.range)):
        values = sorted((_expression(graph, v) for v in graph.objects(term, prop)))
        add(label, ", ".join(values))
    narrower = sorted(_name(s) for s in graph.subjects(RDFS.subClassOf, term) if isinstance(s, URIRef))
    narrower += sorted(_name(s) for s in graph.subjects(RDFS.subPropertyOf, term) if isinstance(s, URIRef))
    add("specialisaties / narrower", ", ".join(narrower))
    add("kenmerken / characteristics",
        ", ".join(label for kind, label in CHARACTERISTICS.items() if (term, RDF.type, kind) in graph))
    return (f'<section class="term" id="{escape(_local(term))}"><h3>{escape(heading)} <code>mg:{escape(_local(term))}'
            f"</code></h3><dl>{''.join(rows)}</dl></section>")


def render(graph: Graph) -> str:
    """The documentation page of the ontology in ``graph``."""
    ontology = next(iter(sorted(graph.subjects(RDF.type, OWL.Ontology))), None)
    title = " / ".join(str(v) for v in sorted(graph.objects(ontology, DCTERMS.title),
                                              key=lambda v: v.language != "nl")) if ontology else "modgraph"
    about = _texts(graph, ontology, DCTERMS.description) if ontology else ""
    version = graph.value(ontology, OWL.versionInfo) if ontology else None
    body = []
    for anchor, heading, kind in KINDS:
        terms = sorted((t for t in graph.subjects(RDF.type, kind) if str(t).startswith(MG)), key=_local)
        if not terms:
            continue
        links = " ".join(f'<a href="#{escape(_local(t))}">{escape(_local(t))}</a>' for t in terms)
        body.append(f'<h2 id="{anchor}">{escape(heading)} ({len(terms)})</h2><nav class="terms">{links}</nav>'
                    + "".join(_term(graph, t) for t in terms))
    meta = (f"<p>Namespace <code>{escape(MG)}</code> (prefix <code>mg:</code>)"
            + (f", versie {escape(str(version))}" if version else "") + ".</p>")
    return ("<!DOCTYPE html>\n<html lang=\"nl\"><head><meta charset=\"utf-8\">"
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            '<meta name="generator" content="modgraph docs">'
            f"<title>{escape(title)}</title><style>{CSS}</style></head><body>"
            f"<header><h1>{escape(title)}</h1><p>{about}</p>{meta}</header><main>{''.join(body)}</main>"
            "</body></html>\n")


def write_docs(out: Path, root=None) -> Path:
    """Write the ontology documentation into the folder ``out`` (replaced whole, or left as it was);
    the path of its index.html. ``root``: the catalogue folder (default: as ``modgraph --root``)."""
    from modgraph.folders import check_replaceable, write_folder

    out = Path(out)
    check_replaceable(out, {DOCS_FILE}, "ontology documentation")
    write_folder(out, {DOCS_FILE: html(root).encode("utf-8")}, "ontology documentation")
    return out / DOCS_FILE


def html(root=None) -> str:
    """The ontology documentation page of the catalogue at ``root`` (default: as ``modgraph --root``)."""
    from modgraph.catalogue import parse_turtle
    from modgraph.paths import CatalogueRoot, find_root

    catalogue = root if isinstance(root, CatalogueRoot) else find_root(root)
    return render(parse_turtle(catalogue.ontology / "modgraph.ttl"))
