"""The pages of the catalogue's resolvable IRIs (``/id/...`` and ``/def``): one SPARQL query, HTML and RDF.

The front server maps a request path to an IRI (:func:`catalogue_iri`), sends :func:`resource_query`
to the SPARQL backend, parses the N-Triples it returns into an rdflib graph, answers 404 when the
IRI is neither subject nor object of a triple in it (:func:`is_known`), and otherwise answers with
:func:`render_html` or :func:`render_rdf`. Everything here is a pure function of the IRI and that
graph: no I/O, the same bytes for the same graph.

**RDF forms of a page.** Every page links to its RDF forms with ``?format=F``, F one of ``ttl``,
``jsonld``, ``nt``, ``rdfxml`` (the names ``modgraph export --format`` uses; :data:`RDF_FORMATS` gives
their media types), both as ``<link rel="alternate" type="MEDIA" href="PATH?format=F">`` in the head
and as visible links at the foot of the page. The server honours the ``format`` parameter first and
otherwise the ``Accept`` header.

**What the query returns** (one CONSTRUCT, bounded on a national registry of millions of triples):
the resource's own triples with the labels and types of what they point to; the items that hang
below it (``<module/X/goal/1>``: every triple, with labels); the evidence, i.e. the ``rdf:Statement``
and ``owl:NegativePropertyAssertion`` nodes about it (quote and page); what points to it, with labels: at
most :data:`INCOMING_LIMIT` + 1 triples and :data:`EVIDENCE_LIMIT` statements (which ones when there
are more is the store's order: an ``ORDER BY`` costs 0.3 s at 10^6 triples on disk), and always
those from the resources it points to itself (the inverse of its own relations, e.g. ``X
mg:canBeFollowedBy`` it, with their statements); and the labels, inverses and super-properties of
every property used. ``/def`` returns the whole ontology instead: its header, every term and the
blank-node class expressions.
"""

from __future__ import annotations

import html
import json
import re
from collections import defaultdict
from urllib.parse import quote

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD

from modgraph.engines.binding import iri_term, nt_term
from modgraph.errors import InputError
from modgraph.export.formats import FORMATS as EXPORT_FORMATS
from modgraph.namespaces import BASE, MG, ONTOLOGY_IRI, PREFIXES

__all__ = ["EVIDENCE_LIMIT", "INCOMING_LIMIT", "RDF_FORMATS", "catalogue_iri", "is_known", "local_path",
           "render_html", "render_rdf", "resource_query"]

# ?format= value -> media type (those of `modgraph export --format`); the order is the order of the links on a page.
RDF_FORMATS: dict[str, str] = {name: EXPORT_FORMATS[name][2] for name in ("ttl", "jsonld", "nt", "rdfxml")}
_FORMAT_ALIASES = {"turtle": "ttl", "json-ld": "jsonld", "ntriples": "nt", "xml": "rdfxml"}
_FORMAT_NAMES = {"ttl": "Turtle", "jsonld": "JSON-LD", "nt": "N-Triples", "rdfxml": "RDF/XML"}

INCOMING_LIMIT = 200   # triples that point to the resource, shown and returned
EVIDENCE_LIMIT = 100   # statements whose object is the resource

DCTERMS = "http://purl.org/dc/terms/"
SCHEMA = "https://schema.org/"
_DEF_PREFIX = ONTOLOGY_IRI + "#"
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\x00-\x20<>\"{}|^`\\]+$")
_SLUG_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\#?%]')

_LABEL_PREDICATES = (SKOS.prefLabel, RDFS.label, URIRef(DCTERMS + "title"))
_LABELS_VALUES = "VALUES ?{var} {{ skos:prefLabel rdfs:label dcterms:title }}"


# ---------------------------------------------------------------- IRIs and paths

def local_path(iri: str) -> str | None:
    """The path on this server of a catalogue or ontology IRI: ``.../id/X`` -> ``/id/X``,
    ``.../def`` -> ``/def``, ``.../def#T`` -> ``/def#T``; None for an IRI that is not ours."""
    iri = str(iri)
    if iri.startswith(BASE):
        rest = iri[len(BASE):]
        if not rest or _SLUG_FORBIDDEN.search(rest):
            return None
        return "/id/" + quote(rest, safe="/-._~!$&'()*+,;=:@")
    if iri == ONTOLOGY_IRI:
        return "/def"
    if iri.startswith(_DEF_PREFIX):
        term = iri[len(_DEF_PREFIX):]
        if not term or _SLUG_FORBIDDEN.search(term):
            return None
        return "/def#" + quote(term, safe="-._~")
    return None


def catalogue_iri(path: str) -> str | None:
    """The IRI a request path names: ``/id/X`` -> ``https://w3id.org/modgraph/id/X``, ``/def`` -> the
    ontology IRI; None for any other path and for one that cannot be part of an IRI (white space,
    ``<>"{}|^`\\``, ``?``, ``#``, ``%``, empty or ``.``/``..`` segments)."""
    if path in ("/def", "/def/"):
        return ONTOLOGY_IRI
    if not path.startswith("/id/"):
        return None
    rest = path[len("/id/"):]
    if not rest or _SLUG_FORBIDDEN.search(rest):
        return None
    if any(segment in ("", ".", "..") for segment in rest.split("/")):
        return None
    return BASE + rest


def _checked_iri(iri: str) -> str:
    """``<iri>`` for a query, or an InputError: only an absolute IRI with no character that could
    end the IRI term (the query text is built from it)."""
    term = iri_term(str(iri), "iri")
    if not _IRI.match(str(iri)):
        raise InputError(f"'{iri[:60]}' is not an absolute IRI", "iri")
    return term


# ---------------------------------------------------------------- the query

_PREFIXES = """PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX mg: <https://w3id.org/modgraph/def#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""

_RESOURCE_QUERY = _PREFIXES + """CONSTRUCT {
  $THIS ?p ?o . ?o ?olp ?ol . ?o a ?otype .
  ?c ?cp ?co . ?co ?clp ?col .
  ?st ?sp ?so . ?so ?slp ?sol .
  ?s ?ip $THIS . ?s ?ilp ?il . ?s a ?stype .
  ?prop ?plp ?pl . ?prop owl:inverseOf ?inverse . ?prop a ?ptype . ?prop rdfs:subPropertyOf ?super .
}
WHERE {
  {
    $THIS ?p ?o .
    OPTIONAL { ?o ?olp ?ol . $LABELS(olp) }
    OPTIONAL { ?o a ?otype . VALUES ?otype { mg:Module } }
  } UNION {
    $THIS ?cq ?c .
    FILTER (isIRI(?c) && STRSTARTS(STR(?c), $BELOW))
    ?c ?cp ?co .
    OPTIONAL { ?co ?clp ?col . $LABELS(clp) }
  } UNION {
    { SELECT DISTINCT ?st WHERE {
        { ?st rdf:subject $THIS } UNION { ?st owl:sourceIndividual $THIS }
      } LIMIT $EVIDENCE }
    ?st ?sp ?so .
    OPTIONAL { ?so ?slp ?sol . $LABELS(slp) }
  } UNION {
    { SELECT DISTINCT ?st WHERE {
        { ?st rdf:object $THIS } UNION { ?st owl:targetIndividual $THIS }
      } LIMIT $EVIDENCE }
    ?st ?sp ?so .
    OPTIONAL { ?so ?slp ?sol . $LABELS(slp) }
  } UNION {
    $THIS ?p0 ?o0 .
    ?st rdf:subject ?o0 ; rdf:object $THIS .
    ?st ?sp ?so .
    OPTIONAL { ?so ?slp ?sol . $LABELS(slp) }
  } UNION {
    {
      { SELECT ?s ?ip WHERE {
          ?s ?ip $THIS .
          FILTER (?ip NOT IN (rdf:subject, rdf:object, owl:sourceIndividual, owl:targetIndividual))
        } LIMIT $INCOMING }
    } UNION {
      $THIS ?p1 ?s .
      ?s ?ip $THIS .
      FILTER (?ip NOT IN (rdf:subject, rdf:object, owl:sourceIndividual, owl:targetIndividual))
    }
    OPTIONAL { ?s ?ilp ?il . $LABELS(ilp) }
    OPTIONAL { ?s a ?stype . VALUES ?stype { mg:Module } }
  } UNION {
    { SELECT DISTINCT ?prop WHERE {
        { $THIS ?prop [] }
        UNION { [] ?prop $THIS }
        UNION { $THIS ?q ?item . FILTER (isIRI(?item) && STRSTARTS(STR(?item), $BELOW)) ?item ?prop [] }
      } }
    { ?prop ?plp ?pl . VALUES ?plp { rdfs:label skos:prefLabel } }
    UNION { ?prop owl:inverseOf ?inverse }
    UNION { ?prop a ?ptype . VALUES ?ptype { owl:SymmetricProperty } }
    UNION { ?prop rdfs:subPropertyOf ?super }
  }
}
"""

# The ontology: its header, its terms (every IRI in its namespace that has a type) and the blank
# nodes of class expressions and axioms, reached from the terms or from an axiom node.
_ONTOLOGY_QUERY = _PREFIXES + """CONSTRUCT { ?s ?p ?o }
WHERE {
  {
    BIND ($THIS AS ?s)
    ?s ?p ?o .
  } UNION {
    ?s a ?kind .
    VALUES ?kind { owl:Class owl:ObjectProperty owl:DatatypeProperty owl:AnnotationProperty }
    FILTER (STRSTARTS(STR(?s), $BELOW))
    ?s ?p ?o .
  } UNION {
    ?term a ?kind .
    VALUES ?kind { owl:Class owl:ObjectProperty owl:DatatypeProperty owl:AnnotationProperty }
    FILTER (STRSTARTS(STR(?term), $BELOW))
    ?term (owl:equivalentClass|rdfs:subClassOf|owl:disjointUnionOf|owl:propertyChainAxiom)/(owl:intersectionOf|owl:unionOf|owl:oneOf|owl:complementOf|owl:someValuesFrom|owl:allValuesFrom|owl:onClass|owl:members|rdf:first|rdf:rest)* ?s .
    FILTER (isBlank(?s))
    ?s ?p ?o .
  } UNION {
    ?axiom a ?axiomKind .
    VALUES ?axiomKind { owl:AllDisjointClasses owl:AllDifferent owl:AllDisjointProperties }
    FILTER (isBlank(?axiom))
    ?axiom (owl:members|owl:distinctMembers|rdf:first|rdf:rest|owl:intersectionOf|owl:unionOf)* ?s .
    FILTER (isBlank(?s))
    ?s ?p ?o .
  }
}
"""


def resource_query(iri: str) -> str:
    """A SPARQL CONSTRUCT (text) that returns everything a page about ``iri`` shows (see the module's
    description); an InputError when ``iri`` is not an absolute IRI that can be written in a query."""
    this = _checked_iri(iri)
    if str(iri) == ONTOLOGY_IRI:
        return (_ONTOLOGY_QUERY.replace("$THIS", this)
                .replace("$BELOW", nt_term(Literal(_DEF_PREFIX))))
    text = _RESOURCE_QUERY
    for name in ("olp", "clp", "slp", "ilp"):
        text = text.replace(f"$LABELS({name})", _LABELS_VALUES.format(var=name))
    return (text.replace("$THIS", this)
            .replace("$BELOW", nt_term(Literal(str(iri) + "/")))
            .replace("$EVIDENCE", str(EVIDENCE_LIMIT))
            .replace("$INCOMING", str(INCOMING_LIMIT + 1)))


def is_known(iri: str, graph: Graph) -> bool:
    """Whether ``iri`` is the subject or object of a triple of ``graph`` (else the page is a 404)."""
    node = URIRef(str(iri))
    return (node, None, None) in graph or (None, None, node) in graph


# ---------------------------------------------------------------- RDF

def render_rdf(iri: str, graph: Graph, fmt: str) -> bytes:
    """The resource for RDF clients: ``graph`` in ``fmt`` ('turtle'/'ttl', 'jsonld', 'nt', 'rdfxml'),
    the same bytes for the same graph; JSON-LD carries its context inline. A ValueError for
    another format."""
    from modgraph.export.formats import context, serialise

    key = _FORMAT_ALIASES.get(fmt, fmt)
    if key not in RDF_FORMATS:
        raise ValueError(f"unknown RDF format '{fmt}' (one of: {', '.join(RDF_FORMATS)})")
    data = serialise(graph, key)
    if key == "jsonld":
        document = json.loads(data)
        document["@context"] = context()["@context"]
        data = (json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")
    return data


# ---------------------------------------------------------------- labels

# Names of the standard terms the pages show (the store labels only the mg: terms): (nl, en).
STANDARD_LABELS: dict[str, tuple[str, str]] = {
    str(RDF.type): ("type", "type"),
    str(RDF.subject): ("onderwerp", "subject"),
    str(RDF.predicate): ("eigenschap", "predicate"),
    str(RDF.object): ("object", "object"),
    str(RDFS.label): ("label", "label"),
    str(RDFS.comment): ("toelichting", "comment"),
    str(RDFS.subClassOf): ("subklasse van", "subclass of"),
    str(RDFS.subPropertyOf): ("subeigenschap van", "subproperty of"),
    str(RDFS.domain): ("domein", "domain"),
    str(RDFS.range): ("bereik", "range"),
    str(RDFS.seeAlso): ("zie ook", "see also"),
    str(RDFS.isDefinedBy): ("gedefinieerd in", "is defined by"),
    str(OWL.inverseOf): ("omgekeerde van", "inverse of"),
    str(OWL.equivalentClass): ("gelijkwaardige klasse", "equivalent class"),
    str(OWL.equivalentProperty): ("gelijkwaardige eigenschap", "equivalent property"),
    str(OWL.versionIRI): ("versie-IRI", "version IRI"),
    str(OWL.versionInfo): ("versie", "version"),
    str(OWL.sameAs): ("zelfde als", "same as"),
    str(OWL.sourceIndividual): ("bron", "source individual"),
    str(OWL.assertionProperty): ("eigenschap", "assertion property"),
    str(OWL.targetIndividual): ("doel", "target individual"),
    str(SKOS.prefLabel): ("voorkeursterm", "preferred label"),
    str(SKOS.altLabel): ("andere term", "alternative label"),
    str(SKOS.hiddenLabel): ("verborgen term", "hidden label"),
    str(SKOS.definition): ("definitie", "definition"),
    str(SKOS.editorialNote): ("redactionele noot", "editorial note"),
    str(SKOS.note): ("noot", "note"),
    str(SKOS.scopeNote): ("toepassingsnoot", "scope note"),
    str(SKOS.example): ("voorbeeld", "example"),
    str(SKOS.inScheme): ("in schema", "in scheme"),
    str(SKOS.topConceptOf): ("topconcept van", "top concept of"),
    str(SKOS.hasTopConcept): ("topconcept", "has top concept"),
    str(SKOS.broader): ("breder", "broader"),
    str(SKOS.narrower): ("smaller", "narrower"),
    str(SKOS.related): ("verwant", "related"),
    str(SKOS.exactMatch): ("exacte overeenkomst", "exact match"),
    str(SKOS.closeMatch): ("nauwe overeenkomst", "close match"),
    str(SKOS.broadMatch): ("bredere overeenkomst", "broad match"),
    str(SKOS.narrowMatch): ("smallere overeenkomst", "narrow match"),
    str(SKOS.relatedMatch): ("verwante overeenkomst", "related match"),
    DCTERMS + "identifier": ("identificatie", "identifier"),
    DCTERMS + "source": ("bron", "source"),
    DCTERMS + "audience": ("bedoeld voor", "audience"),
    DCTERMS + "description": ("beschrijving", "description"),
    DCTERMS + "title": ("titel", "title"),
    DCTERMS + "isPartOf": ("deel van", "is part of"),
    DCTERMS + "hasPart": ("heeft als deel", "has part"),
    DCTERMS + "subject": ("onderwerp", "subject"),
    DCTERMS + "license": ("licentie", "license"),
    DCTERMS + "creator": ("maker", "creator"),
    DCTERMS + "publisher": ("uitgever", "publisher"),
    DCTERMS + "created": ("gemaakt op", "created"),
    DCTERMS + "modified": ("gewijzigd op", "modified"),
    DCTERMS + "issued": ("uitgegeven op", "issued"),
    DCTERMS + "bibliographicCitation": ("bronvermelding", "bibliographic citation"),
    DCTERMS + "type": ("soort", "type"),
    DCTERMS + "references": ("verwijst naar", "references"),
    DCTERMS + "isReferencedBy": ("genoemd in", "is referenced by"),
    SCHEMA + "position": ("volgnummer", "position"),
    SCHEMA + "text": ("tekst", "text"),
    SCHEMA + "name": ("naam", "name"),
    SCHEMA + "provider": ("aanbieder", "provider"),
    SCHEMA + "areaServed": ("werkgebied", "area served"),
    "http://www.w3.org/ns/prov#wasDerivedFrom": ("afgeleid van", "was derived from"),
    "http://purl.org/vocab/vann/preferredNamespacePrefix": ("voorkeursprefix", "preferred namespace prefix"),
    "http://purl.org/vocab/vann/preferredNamespaceUri": ("voorkeursnaamruimte", "preferred namespace URI"),
}


def _literal_in(graph: Graph, subject, predicates, language: str | None) -> str | None:
    """The first value (sorted) of the first predicate with a literal in ``language`` (None: any)."""
    for predicate in predicates:
        values = sorted(str(o) for o in graph.objects(subject, predicate)
                        if isinstance(o, Literal) and (language is None or (o.language or "").lower() == language))
        if values:
            return values[0]
    return None


def _curie(iri: str) -> str | None:
    best = None
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            if best is None or len(namespace) > len(best[1]):
                best = (prefix, namespace)
    return f"{best[0]}:{iri[len(best[1]):]}" if best else None


def short_name(term) -> str:
    """A name for a term without a label: the path below the catalogue's base, a prefixed name, or the IRI."""
    text = str(term)
    if isinstance(term, BNode):
        return "(anoniem)"
    if text.startswith(BASE):
        return text[len(BASE):]
    if text == ONTOLOGY_IRI:
        return "modgraph-ontologie"
    if text.startswith("https://w3id.org/modgraph/"):
        return text[len("https://w3id.org/modgraph/"):]
    return _curie(text) or text


def label(graph: Graph, term, language: str = "nl") -> str:
    """The label a page shows for ``term``: its ``skos:prefLabel``, ``rdfs:label`` or ``dcterms:title``
    in ``language``, else in any language, else a standard term's name, else a short name."""
    if isinstance(term, Literal):
        return str(term)
    found = _literal_in(graph, term, _LABEL_PREDICATES, language)
    if found is None and language == "nl":
        found = _literal_in(graph, term, _LABEL_PREDICATES, "en")
    if found is None:
        found = _literal_in(graph, term, _LABEL_PREDICATES, None)
    if found is None and str(term) in STANDARD_LABELS:
        found = STANDARD_LABELS[str(term)][0 if language == "nl" else 1]
    return found if found is not None else short_name(term)


def _english_label(graph: Graph, term) -> str | None:
    found = _literal_in(graph, term, _LABEL_PREDICATES, "en")
    if found is None and str(term) in STANDARD_LABELS:
        found = STANDARD_LABELS[str(term)][1]
    return found


# ---------------------------------------------------------------- HTML pieces

def _e(text) -> str:
    return html.escape(str(text), quote=True)


class _Html:
    """Builds the links and values of one page (the site prefix and the graph are fixed)."""

    def __init__(self, iri: str, graph: Graph, site: str) -> None:
        self.iri = URIRef(str(iri))
        self.graph = graph
        self.site = site.rstrip("/")

    def href(self, term) -> str | None:
        path = local_path(str(term))
        if path is not None:
            return self.site + path
        text = str(term)
        if re.match(r"^https?://", text) and not text.startswith("https://w3id.org/modgraph/"):
            return text
        return None

    def link(self, term, text: str | None = None) -> str:
        """A link to ``term`` labelled with its label (never with a raw catalogue IRI)."""
        if isinstance(term, Literal):
            return self.literal(term)
        shown = text if text is not None else label(self.graph, term)
        target = self.href(term)
        if target is None or term == self.iri:
            return f'<span class="term">{_e(shown)}</span>'
        return f'<a href="{_e(target)}">{_e(shown)}</a>'

    def literal(self, value: Literal) -> str:
        if value.datatype == XSD.boolean:
            return "ja" if value.toPython() is True else "nee"
        attributes = f' lang="{_e(value.language)}"' if value.language else ""
        css = "text" if "\n" in str(value) or len(str(value)) > 120 else "value"
        return f'<span class="{css}"{attributes}>{_e(value)}</span>'

    def value(self, term) -> str:
        return self.literal(term) if isinstance(term, Literal) else self.link(term)

    def property_name(self, prop) -> str:
        """The property's Dutch label (linked to its definition) with its English label beside it."""
        dutch = label(self.graph, prop, "nl")
        english = _english_label(self.graph, prop)
        name = self.link(prop, dutch)
        if english and english != dutch:
            name += f' <span class="en" lang="en">{_e(english)}</span>'
        return f'<span class="prop">{name}</span>'



def _position(graph: Graph, node) -> tuple:
    positions = [o.toPython() for o in graph.objects(node, URIRef(SCHEMA + "position")) if isinstance(o, Literal)]
    number = positions[0] if positions and isinstance(positions[0], int) else 10**9
    return number, str(node)


def _sorted_terms(graph: Graph, terms) -> list:
    return sorted(set(terms), key=lambda t: (label(graph, t).lower(), str(t)))


# ---------------------------------------------------------------- evidence

class _Evidence:
    """The quote and page behind each relation of the page's resource, found in the statement nodes."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.by_triple: dict[tuple, list] = defaultdict(list)
        for statement in set(graph.subjects(RDF.predicate, None)):
            for s in graph.objects(statement, RDF.subject):
                for p in graph.objects(statement, RDF.predicate):
                    for o in graph.objects(statement, RDF.object):
                        self.by_triple[(s, p, o)].append(statement)
        self.negative = sorted(set(graph.subjects(RDF.type, OWL.NegativePropertyAssertion)), key=str)

    def quotes(self, statement) -> list[tuple[str, str | None]]:
        page = _literal_in(self.graph, statement, (MG.page,), None)
        return [(str(q), page) for q in sorted(self.graph.objects(statement, MG.quote), key=str)]

    def inverses(self, prop) -> list:
        found = set(self.graph.objects(prop, OWL.inverseOf)) | set(self.graph.subjects(OWL.inverseOf, prop))
        if (prop, RDF.type, OWL.SymmetricProperty) in self.graph:
            found.add(prop)
        return sorted(found, key=str)

    def behind(self, s, p, o) -> tuple[list, list]:
        """(statements of (s, p, o) itself, statements of its inverse (o, inverse-of-p, s))."""
        direct = sorted(self.by_triple.get((s, p, o), []), key=str)
        inverse = []
        if not isinstance(o, Literal):
            for q in self.inverses(p):
                inverse += self.by_triple.get((o, q, s), [])
        return direct, sorted(set(inverse) - set(direct), key=str)

    def narrower(self, s, p, o) -> list:
        """The sub-properties q of ``p`` with (s, q, o) in the graph: what an inferred (s, p, o) follows from."""
        return sorted((q for q in set(self.graph.subjects(RDFS.subPropertyOf, p))
                       if q != p and (s, q, o) in self.graph), key=str)


def _quote_html(page: _Html, evidence: _Evidence, statements: list, source=None) -> str:
    parts = []
    for statement in statements:
        for quote_text, number in evidence.quotes(statement):
            where = f' <span class="page">(pagina {_e(number)})</span>' if number else ""
            origin = ""
            if source is not None:
                origin = f'<span class="origin">uit de beschrijving van {page.link(source)}: </span>'
            parts.append(f'<blockquote class="quote">{origin}<q>{_e(quote_text)}</q>{where}</blockquote>')
    return "".join(parts)


def _evidence_html(page: _Html, evidence: _Evidence, s, p, o, *, depth: int = 0) -> str:
    """The quotes behind (s, p, o): its own statements, else those of its inverse (in the other
    resource's description), else, for a relation inferred from a narrower one, that one's."""
    direct, inverse = evidence.behind(s, p, o)
    if direct:
        return _quote_html(page, evidence, direct)
    if inverse:
        return _quote_html(page, evidence, inverse, source=o if o != page.iri else None)
    if depth < 3:
        parts = []
        for narrower in evidence.narrower(s, p, o):
            parts.append(f'<div class="inferred">afgeleid uit: {page.property_name(narrower)}</div>'
                         + _evidence_html(page, evidence, s, narrower, o, depth=depth + 1))
        return "".join(parts)
    return ""


# ---------------------------------------------------------------- the page frame

_CSS = """
:root { color-scheme: light; --ink: #1d2430; --muted: #5b6573; --line: #d9dee5; --accent: #1f5fa8; --bg: #fbfbfa; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink);
  font: 17px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
header.site, footer.site { background: #fff; border-bottom: 1px solid var(--line); padding: .6rem 1.5rem; }
footer.site { border-top: 1px solid var(--line); border-bottom: 0; margin-top: 3rem; color: var(--muted); font-size: .9rem; }
header.site a { font-weight: 600; text-decoration: none; }
main { max-width: 60rem; margin: 0 auto; padding: 1.5rem; }
h1 { font-size: 1.9rem; line-height: 1.2; margin: .5rem 0 .2rem; }
h2 { font-size: 1.25rem; margin: 2.2rem 0 .6rem; padding-bottom: .2rem; border-bottom: 1px solid var(--line); }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .4rem; }
a { color: var(--accent); }
.subtitle { color: var(--muted); margin: 0 0 .4rem; font-size: 1.05rem; }
.iri { color: var(--muted); font-size: .85rem; word-break: break-all; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .9em; }
.en { color: var(--muted); font-size: .85em; font-weight: normal; }
dl.facts { display: grid; grid-template-columns: minmax(10rem, 16rem) 1fr; gap: .35rem 1.2rem; margin: .8rem 0; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
.text { white-space: pre-line; display: block; }
ol.items li, ul.items li { margin: .3rem 0; }
.meta { color: var(--muted); font-size: .9rem; }
table { border-collapse: collapse; width: 100%; margin: .6rem 0; font-size: .95rem; }
th, td { text-align: left; vertical-align: top; padding: .45rem .6rem; border-bottom: 1px solid var(--line); }
th { font-size: .85rem; text-transform: uppercase; letter-spacing: .03em; color: var(--muted); }
blockquote.quote { margin: .2rem 0 .4rem; padding: .2rem 0 .2rem .7rem; border-left: 3px solid var(--line); color: #38414e; }
blockquote.quote q { font-style: italic; }
.page, .origin, .inferred { color: var(--muted); font-size: .88rem; }
.formats a { margin-right: .8rem; }
.prop a { color: inherit; text-decoration: none; border-bottom: 1px dotted var(--muted); }
@media (max-width: 40rem) { dl.facts { grid-template-columns: 1fr; } dl.facts dd { margin-bottom: .5rem; } }
"""


def _frame(page: _Html, title: str, body: str) -> str:
    path = local_path(str(page.iri))
    base = page.site + (path.split("#", 1)[0] if path else "")
    alternates = "".join(
        f'<link rel="alternate" type="{media}" href="{_e(base)}?format={key}">\n'
        for key, media in RDF_FORMATS.items())
    formats = " ".join(f'<a href="{_e(base)}?format={key}" type="{media}">{_FORMAT_NAMES[key]}</a>'
                       for key, media in RDF_FORMATS.items())
    return (
        "<!DOCTYPE html>\n"
        '<html lang="nl">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)} – modgraph</title>\n"
        f"{alternates}"
        f"<style>{_CSS}</style>\n</head>\n<body>\n"
        f'<header class="site"><a href="{_e(page.site or "")}/">modgraph</a> · catalogus van modulen AMW en BMW</header>\n'
        f"<main>\n{body}</main>\n"
        f'<footer class="site"><p>IRI: <code>{_e(page.iri)}</code></p>'
        f'<p class="formats">Als RDF: {formats}</p></footer>\n'
        "</body>\n</html>\n"
    )


def _facts(rows: list[tuple[str, str]]) -> str:
    if not rows:
        return ""
    inner = "".join(f"<dt>{name}</dt><dd>{value}</dd>\n" for name, value in rows)
    return f'<dl class="facts">\n{inner}</dl>\n'


def _section(ident: str, title: str, inner: str) -> str:
    return f'<section id="{ident}">\n<h2>{_e(title)}</h2>\n{inner}</section>\n' if inner else ""


# ---------------------------------------------------------------- module pages

_SEQUENCING = [MG.requiresPriorModule, MG.canFollow, MG.canBeFollowedBy, MG.usuallyFollowedBy, MG.combinedWith,
               MG.recommendedCombination, MG.leadsTo, MG.pathwayTo]
_PARTNERS = [MG.deliveredWith, MG.consults, MG.contacts, MG.coordinatesWith, MG.hasAgreementsWith, MG.refersTo,
             MG.referredBy, MG.requestedBy, MG.mentionsPartner, MG.involves]
_HEAD = [(MG.werksoort,), (URIRef(DCTERMS + "source"),), (MG.function,), (MG.moduleType,),
         (URIRef(DCTERMS + "identifier"),)]
_TARGET = [MG.targetGroupText, URIRef(DCTERMS + "audience"), MG.servesTargetGroup, MG.bmwOverlap,
           MG.workRelevanceText, MG.contraIndication]
_DURATION = [MG.durationText, MG.minSessions, MG.maxSessions, MG.sessionUnit, MG.minSessionMinutes,
             MG.maxSessionMinutes, MG.frequency, MG.followUp]
_SETTING = [MG.settingText, MG.participants, MG.place, MG.minGroupSize, MG.maxGroupSize, MG.facilitatorCount]
_METHOD = [MG.workingMethodText, MG.mainElement, MG.usesMethod, MG.correspondsToGroupType]
_SHOWN_ELSEWHERE = {SKOS.prefLabel, MG.page, MG.hasGoal, MG.hasActivity, MG.hasPrecondition,
                    MG.additionalInformationText, MG.preconditionsText, MG.noSpecificPreconditions}


def _is_module(graph: Graph, term) -> bool:
    return (term, RDF.type, MG.Module) in graph


def _property_rows(page: _Html, evidence: _Evidence, properties) -> list[tuple[str, str]]:
    graph, rows = page.graph, []
    for prop in properties:
        values = list(graph.objects(page.iri, prop))
        if not values:
            continue
        literals = sorted((v for v in values if isinstance(v, Literal)), key=lambda v: (str(v.language), str(v)))
        others = _sorted_terms(graph, (v for v in values if not isinstance(v, Literal)))
        cells = [page.literal(v) + _evidence_html(page, evidence, page.iri, prop, v) for v in literals]
        cells += [page.link(v) + _evidence_html(page, evidence, page.iri, prop, v) for v in others]
        joiner = "" if any("<blockquote" in c or 'class="text"' in c for c in cells) else ", "
        rows.append((page.property_name(prop), joiner.join(cells) if joiner else
                     "".join(f"<div>{c}</div>" for c in cells)))
    return rows


def _items(page: _Html, prop, detail_properties) -> str:
    graph = page.graph
    nodes = sorted(graph.objects(page.iri, prop), key=lambda n: _position(graph, n))
    if not nodes:
        return ""
    entries = []
    for node in nodes:
        text = _literal_in(graph, node, (URIRef(DCTERMS + "description"),), "nl") or \
            _literal_in(graph, node, (URIRef(DCTERMS + "description"),), None) or ""
        details = []
        for detail in detail_properties:
            values = _sorted_terms(graph, graph.objects(node, detail))
            if values:
                details.append(f"{page.property_name(detail)}: " + ", ".join(page.value(v) for v in values))
        meta = f' <span class="meta">({"; ".join(details)})</span>' if details else ""
        entries.append(f'<li><span lang="nl">{_e(text)}</span>{meta} '
                       f'<a class="meta" href="{_e(page.href(node) or "")}">#</a></li>\n')
    return f'<ol class="items">\n{"".join(entries)}</ol>\n'


def _relations_table(page: _Html, evidence: _Evidence, properties, wanted) -> str:
    graph, rows = page.graph, []
    for prop in properties:
        for target in _sorted_terms(graph, (o for o in graph.objects(page.iri, prop) if wanted(o))):
            quote_html = _evidence_html(page, evidence, page.iri, prop, target)
            if not quote_html:
                quote_html = '<span class="inferred">afgeleid door de redeneerder, zonder eigen citaat</span>'
            rows.append(f"<tr><td>{page.property_name(prop)}</td><td>{page.link(target)}</td>"
                        f"<td>{quote_html}</td></tr>\n")
    if not rows:
        return ""
    return ("<table>\n<thead><tr><th>relatie</th><th>met</th><th>citaat en pagina</th></tr></thead>\n"
            f"<tbody>\n{''.join(rows)}</tbody>\n</table>\n")


def _negative_html(page: _Html, evidence: _Evidence) -> str:
    graph, rows = page.graph, []
    for node in evidence.negative:
        if (node, OWL.sourceIndividual, page.iri) not in graph:
            continue
        props = list(graph.objects(node, OWL.assertionProperty))
        targets = list(graph.objects(node, OWL.targetIndividual))
        for prop in props:
            for target in targets:
                rows.append(f"<tr><td>niet: {page.property_name(prop)}</td><td>{page.link(target)}</td>"
                            f"<td>{_quote_html(page, evidence, [node])}</td></tr>\n")
    if not rows:
        return ""
    return ("<h3>Uitdrukkelijk niet</h3>\n<table>\n<thead><tr><th>relatie</th><th>met</th>"
            f"<th>citaat en pagina</th></tr></thead>\n<tbody>\n{''.join(rows)}</tbody>\n</table>\n")


def _incoming_html(page: _Html, evidence: _Evidence) -> str:
    """What points to the resource (other than the evidence nodes), modules first, with quotes."""
    graph = page.graph
    hidden = {RDF.subject, RDF.object, OWL.sourceIndividual, OWL.targetIndividual}
    triples = sorted(((s, p) for s, p, _ in graph.triples((None, None, page.iri))
                      if p not in hidden and s != page.iri and not isinstance(s, BNode)),
                     key=lambda sp: (not _is_module(graph, sp[0]), label(graph, sp[1]).lower(),
                                     label(graph, sp[0]).lower(), str(sp[0]), str(sp[1])))
    if not triples:
        return ""
    more = len(triples) > INCOMING_LIMIT
    rows = []
    for s, p in triples[:INCOMING_LIMIT]:
        rows.append(f"<tr><td>{page.link(s)}</td><td>{page.property_name(p)}</td>"
                    f"<td>{_evidence_html(page, evidence, s, p, page.iri)}</td></tr>\n")
    note = (f'<p class="meta">Er zijn meer dan {INCOMING_LIMIT} verwijzingen; hier staan er {INCOMING_LIMIT}. '
            "Vraag ze alle op met een SPARQL-query.</p>\n") if more else ""
    return ("<table>\n<thead><tr><th>wie</th><th>relatie</th><th>citaat en pagina</th></tr></thead>\n"
            f"<tbody>\n{''.join(rows)}</tbody>\n</table>\n{note}")


def _module_body(page: _Html, evidence: _Evidence) -> tuple[str, str]:
    graph, iri = page.graph, page.iri
    title = _literal_in(graph, iri, (SKOS.prefLabel,), "nl") or label(graph, iri)
    english = _literal_in(graph, iri, (SKOS.prefLabel,), "en")
    parts = [f'<h1>{_e(title)}</h1>\n']
    if english:
        parts.append(f'<p class="subtitle" lang="en">{_e(english)}</p>\n')
    kinds = _sorted_terms(graph, graph.objects(iri, RDF.type))
    parts.append(f'<p class="meta">{", ".join(page.link(k) for k in kinds)}</p>\n')

    head = _property_rows(page, evidence, [p[0] for p in _HEAD[:2]])
    pages = sorted(str(o) for o in graph.objects(iri, MG.page))
    if pages:
        head.append((page.property_name(MG.page), _e(", ".join(pages))))
    head += _property_rows(page, evidence, [p[0] for p in _HEAD[2:]])
    parts.append(_facts(head))

    parts.append(_section("doelgroep", "Doelgroep", _facts(_property_rows(page, evidence, _TARGET))))
    parts.append(_section("doelen", "Doelen", _items(page, MG.hasGoal, [MG.goalTheme])))
    parts.append(_section("duur", "Duur en frequentie", _facts(_property_rows(page, evidence, _DURATION))))
    parts.append(_section("setting", "Setting", _facts(_property_rows(page, evidence, _SETTING))))
    activities = _items(page, MG.hasActivity, [])
    method = _facts(_property_rows(page, evidence, _METHOD))
    parts.append(_section("werkwijze", "Werkwijze en activiteiten",
                          method + (f"<h3>Activiteiten</h3>\n{activities}" if activities else "")))
    parts.append(_section("aanvullend", "Aanvullende informatie",
                          _facts(_property_rows(page, evidence, [MG.additionalInformationText]))))
    preconditions = _items(page, MG.hasPrecondition, [MG.preconditionKind, MG.concernsPartner])
    preconditions += _facts(_property_rows(page, evidence, [MG.preconditionsText, MG.noSpecificPreconditions]))
    parts.append(_section("randvoorwaarden", "Randvoorwaarden", preconditions))

    sequencing = _relations_table(page, evidence, _SEQUENCING, lambda o: not isinstance(o, Literal))
    parts.append(_section("volgorde", "Volgorde en samenhang met andere modulen",
                          sequencing + _negative_html(page, evidence)))
    parts.append(_section("partners", "Partners", _relations_table(page, evidence, _PARTNERS,
                                                                   lambda o: not isinstance(o, Literal))))
    shown = set(_SEQUENCING) | set(_PARTNERS) | set(_TARGET) | set(_DURATION) | set(_SETTING) | set(_METHOD) \
        | {p[0] for p in _HEAD} | _SHOWN_ELSEWHERE | {RDF.type}
    rest = sorted({p for p in graph.predicates(iri, None) if p not in shown},
                  key=lambda p: (label(graph, p).lower(), str(p)))
    parts.append(_section("overig", "Overige gegevens", _facts(_property_rows(page, evidence, rest))))
    parts.append(_section("inkomend", "Wat naar deze module verwijst", _incoming_html(page, evidence)))
    return title, "".join(parts)


# ---------------------------------------------------------------- generic pages

def _generic_body(page: _Html, evidence: _Evidence) -> tuple[str, str]:
    graph, iri = page.graph, page.iri
    title = label(graph, iri)
    if title == short_name(iri):
        described = _literal_in(graph, iri, (URIRef(DCTERMS + "description"), SKOS.definition), "nl")
        if described:
            title = f"{short_name(iri)}: {described[:80]}{'…' if len(described) > 80 else ''}"
    parts = [f"<h1>{_e(title)}</h1>\n"]
    english = _literal_in(graph, iri, _LABEL_PREDICATES, "en")
    if english and english != title:
        parts.append(f'<p class="subtitle" lang="en">{_e(english)}</p>\n')
    kinds = _sorted_terms(graph, graph.objects(iri, RDF.type))
    if kinds:
        parts.append(f'<p class="meta">{", ".join(page.link(k) for k in kinds)}</p>\n')
    props = sorted({p for p in graph.predicates(iri, None) if p != RDF.type},
                   key=lambda p: (label(graph, p).lower(), str(p)))
    parts.append(_section("gegevens", "Gegevens", _facts(_property_rows(page, evidence, props))))
    parts.append(_section("inkomend", "Wat hiernaar verwijst", _incoming_html(page, evidence)))
    return title, "".join(parts)


def _ontology_body(page: _Html) -> tuple[str, str]:
    graph, iri = page.graph, page.iri
    title = _literal_in(graph, iri, (URIRef(DCTERMS + "title"),), "nl") or "modgraph-ontologie"
    parts = [f"<h1>{_e(title)}</h1>\n"]
    props = sorted(set(graph.predicates(iri, None)), key=lambda p: (label(graph, p).lower(), str(p)))
    parts.append(_facts(_property_rows(page, _Evidence(Graph()), props)))
    terms = sorted((t for t in set(graph.subjects(RDF.type, None))
                    if isinstance(t, URIRef) and str(t).startswith(_DEF_PREFIX)), key=str)
    items = "".join(f"<li>{page.link(t)} <code>{_e(short_name(t))}</code></li>\n" for t in terms)
    parts.append(_section("termen", "Termen", f'<ul class="items">\n{items}</ul>\n' if items else ""))
    return title, "".join(parts)


def render_html(iri: str, graph: Graph, *, site: str = "") -> str:
    """The HTML page of ``iri`` from the graph :func:`resource_query` returned: a readable module page
    for an ``mg:Module``, the ontology's overview for ``/def``, else a generic page (label, types,
    every property with labelled, linked values, and what points to it). Links are ``site`` +
    :func:`local_path`; every text is escaped; the same graph gives the same page."""
    page = _Html(iri, graph, site)
    if str(iri) == ONTOLOGY_IRI:
        title, body = _ontology_body(page)
    elif _is_module(graph, page.iri):
        title, body = _module_body(page, _Evidence(graph))
    else:
        title, body = _generic_body(page, _Evidence(graph))
    return _frame(page, title, body)
