"""The pages of the resolvable IRIs (modgraph.serve.pages), over the real catalogue in pyoxigraph.

As the server does: the IRI's query runs on the store (asserted + inferred), its N-Triples are parsed
into an rdflib graph, and the page is rendered from that graph. Expected texts are quoted from the
source documents (AMW = deel 2b, ../shared/sources/000_592630499203680d.txt).
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, SKOS

from modgraph.engines import open_engine
from modgraph.errors import InputError
from modgraph.namespaces import BASE, MG, ONTOLOGY_IRI
from modgraph.paths import CatalogueRoot
from modgraph.serve import pages

REPO = Path(__file__).resolve().parents[1]
WEER = BASE + "module/amw/weer-aan-de-slag"
MODULE_FILES = sorted((REPO / "data" / "modules").glob("*/*.ttl"))


@pytest.fixture(scope="module")
def store():
    with open_engine(CatalogueRoot(REPO)) as engine:
        yield engine.store


def fetch(store, iri: str) -> Graph:
    """What the server does: the query on the store, its N-Triples parsed by rdflib."""
    data = ox.serialize(store.query(pages.resource_query(iri)), format=ox.RdfFormat.N_TRIPLES)
    graph = Graph()
    graph.parse(data=data, format="nt")
    return graph


def page_of(store, iri: str) -> str:
    graph = fetch(store, iri)
    assert pages.is_known(iri, graph)
    return pages.render_html(iri, graph)


def rows_with(page: str, href: str) -> list[str]:
    """The table rows of ``page`` that link to ``href``, as unescaped text with tags kept."""
    return [html.unescape(row) for row in re.findall(r"<tr>.*?</tr>", page, re.S) if f'href="{href}"' in row]


class _Checker(HTMLParser):
    """Every element closed in order (void elements excepted), ids unique, the text of every link."""

    VOID = {"meta", "link", "br", "hr", "img", "input"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.ids: set[str] = set()
        self.links: list[list[str]] = []   # [href, text]

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if attributes.get("id"):
            if attributes["id"] in self.ids:
                self.errors.append(f"duplicate id {attributes['id']}")
            self.ids.add(attributes["id"])
        if tag == "a":
            self.links.append([attributes.get("href", ""), ""])
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else None}>")
        else:
            self.stack.pop()

    def handle_data(self, data):
        if "a" in self.stack and self.links:
            self.links[-1][1] += data


def check_html(page: str) -> _Checker:
    assert page.startswith("<!DOCTYPE html>\n<html lang=\"nl\">")
    checker = _Checker()
    checker.feed(page)
    checker.close()
    assert checker.errors == [] and checker.stack == []
    return checker


# ---------------------------------------------------------------- the module page of Weer aan de slag

def test_weer_aan_de_slag_page_shows_the_document(store):
    page = page_of(store, WEER)
    check_html(page)
    text = html.unescape(page)
    # Heading and goal as printed on page 30: "Weer aan de slag", "De cliënt is zich bewust van zijn
    # kwaliteiten en mogelijkheden."
    assert "<title>Weer aan de slag – modgraph</title>" in text
    assert "<h1>Weer aan de slag</h1>" in text
    assert "De cliënt is zich bewust van zijn kwaliteiten en mogelijkheden." in text
    # Randvoorwaarden: "• je hebt nu geen werk."; Duur: "6 wekelijkse bijeenkomsten en 1 terugbijeenkomst ..."
    assert "je hebt nu geen werk." in text
    assert "6 wekelijkse bijeenkomsten en 1 terugbijeenkomst 2 maanden na afsluiting." in text
    # The activities in the order printed: "inventariseren ..." before "ontdekken ..." before "rollenspelen ...".
    activities = text.split("<h3>Activiteiten</h3>", 1)[1].split("</ol>", 1)[0]
    first = activities.index("inventariseren van de verschillende belemmeringen;</span>")
    second = activities.index("ontdekken van mogelijkheden en kwaliteiten;</span>")
    last = activities.index("rollenspelen, huiswerkopdrachten en het onderling uitwisselen van tips")
    assert first < second < last


def test_weer_aan_de_slag_can_follow_voortraject_with_quote_and_page(store):
    page = page_of(store, WEER)
    # Page 30, Aanvullende informatie: "Deze cursus kan volgen op het voortraject arbeidstoeleiding
    # (pagina 22) of op activerende begeleiding naar (betaalde) arbeid (pagina 20)."
    rows = rows_with(page, "/id/module/amw/voortraject-arbeidstoeleiding")
    row = next(r for r in rows if "kan volgen op" in r)
    assert ">Voortraject arbeidstoeleiding</a>" in row
    assert ("Deze cursus kan volgen op het voortraject arbeidstoeleiding (pagina 22) of op activerende "
            "begeleiding naar (betaalde) arbeid (pagina 20).") in row
    assert "(pagina 30)" in row


def test_weer_aan_de_slag_partner_and_incoming_relation(store):
    page = page_of(store, WEER)
    # Werkwijze: "het geven van voorlichting en adviezen door de cursusleiding en door werk-gerelateerde
    # intanties ( bijv. DWI, reïntegratiebureau);"
    row = next(r for r in rows_with(page, "/id/organisation/dwi") if "samen met" in r)
    assert ">DWI</a>" in row and "werk-gerelateerde intanties ( bijv. DWI, reïntegratiebureau);" in row
    # Voortraject arbeidstoeleiding (page 22), Aanvullende informatie: "Deze module kan gevolgd worden door
    # activerende begeleiding naar (betaalde) arbeid (pagina 20) of de groep weer aan de slag (pagina 30)."
    incoming = html.unescape(page.split('<section id="inkomend">', 1)[1])
    row = next(r for r in rows_with(incoming, "/id/module/amw/voortraject-arbeidstoeleiding")
               if "kan gevolgd worden door" in r)
    assert "of de groep weer aan de slag (pagina 30)." in row and "(pagina 22)" in row


def test_inferred_relation_shows_the_quote_of_the_other_module(store):
    # Voortraject arbeidstoeleiding states 'kan gevolgd worden door ... de groep weer aan de slag' only
    # through the inverse of Weer aan de slag's 'kan volgen op' plus its own sentence on page 22:
    # "Deze module kan gevolgd worden door activerende begeleiding naar (betaalde) arbeid (pagina 20) of
    # de groep weer aan de slag (pagina 30)."; on the page of activerende begeleiding (page 20), the
    # relation to weer aan de slag comes with its own quote: "... en opgevolgd worden door de groep weer
    # aan de slag (pagina 30)."
    page = page_of(store, BASE + "module/amw/activerende-begeleiding-naar-betaalde-arbeid")
    section = page.split('<section id="volgorde">', 1)[1].split("</section>", 1)[0]
    row = next(r for r in rows_with(section, "/id/module/amw/weer-aan-de-slag") if "kan gevolgd worden door" in r)
    assert "opgevolgd worden door de groep weer aan de slag (pagina 30)." in row and "(pagina 20)" in row


def test_explicit_negation_with_its_quote(store):
    # Deel 2b p. 13: "Informatie en advisering gebeurt naar aanleiding van een vraag van een cliënt, zonder
    # dat daar een uitgebreide intake aan vooraf is gegaan."
    page = page_of(store, BASE + "module/amw/informatie-en-advies")
    row = next(r for r in rows_with(page, "/id/module/amw/intake") if "niet:" in r)
    assert "zonder dat daar een uitgebreide intake aan vooraf is gegaan." in row and "(pagina 13)" in row


@pytest.mark.parametrize("path", MODULE_FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_module_page(store, path):
    iri = f"{BASE}module/{path.parent.name}/{path.stem}"
    asserted = Graph().parse(path)
    title = str(next(o for o in asserted.objects(URIRef(iri), SKOS.prefLabel) if o.language == "nl"))
    page = page_of(store, iri)
    checker = check_html(page)
    assert f"<title>{html.escape(title)} – modgraph</title>" in page
    assert f"<h1>{html.escape(title)}</h1>" in page
    raw = [(href, text) for href, text in checker.links if text.strip().startswith("https://w3id.org")]
    assert raw == []
    assert all(text.strip() for _, text in checker.links)
    assert '<link rel="alternate" type="text/turtle" href="/id/module/' in page


def test_the_catalogue_has_43_modules():
    # Deel 2a has 21 BMW modules, deel 2b 22 AMW modules (README); every one gets a page above.
    assert len(MODULE_FILES) == 43


# ---------------------------------------------------------------- other resources

def test_generic_page_of_a_partner_lists_the_modules_that_refer_to_it(store):
    iri = BASE + "organisation/dwi"
    page = page_of(store, iri)
    check_html(page)
    assert "<h1>DWI</h1>" in page
    incoming = page.split('<section id="inkomend">', 1)[1]
    assert 'href="/id/module/amw/weer-aan-de-slag">Weer aan de slag</a>' in incoming


def test_goal_node_page(store):
    iri = WEER + "/goal/2"
    page = page_of(store, iri)
    check_html(page)
    assert "De cliënt is zich bewust van zijn kwaliteiten en mogelijkheden." in html.unescape(page)
    assert 'href="/id/module/amw/weer-aan-de-slag">Weer aan de slag</a>' in page


def test_ontology_term_page(store):
    iri = ONTOLOGY_IRI + "#Module"
    graph = fetch(store, iri)
    assert pages.is_known(iri, graph)
    page = pages.render_html(iri, graph)
    check_html(page)
    assert "<h1>module</h1>" in page
    assert 'href="/id/module/amw/weer-aan-de-slag"' in page


def test_ontology_rdf_holds_the_whole_ontology(store):
    graph = fetch(store, ONTOLOGY_IRI)
    back = Graph().parse(data=pages.render_rdf(ONTOLOGY_IRI, graph, "turtle"), format="turtle")
    ontology = Graph().parse(REPO / "ontology" / "modgraph.ttl")
    assert [t for t in ontology if not _has_blank(t) and t not in back] == []
    # The class expressions and axioms (blank nodes) come whole: the same structure.
    assert isomorphic(_blank_part(ontology), _blank_part(back))
    check_html(pages.render_html(ONTOLOGY_IRI, graph))


def _has_blank(triple) -> bool:
    return any(isinstance(term, BNode) for term in triple)


def _blank_part(graph: Graph) -> Graph:
    part = Graph()
    for triple in graph:
        if _has_blank(triple):
            part.add(triple)
    return part


def test_unknown_iri_gives_an_empty_graph(store):
    iri = BASE + "module/amw/bestaat-niet"
    graph = fetch(store, iri)
    assert len(graph) == 0 and not pages.is_known(iri, graph)


# ---------------------------------------------------------------- RDF

@pytest.mark.parametrize("fmt,parser", [("turtle", "turtle"), ("jsonld", "json-ld"), ("nt", "nt"),
                                        ("rdfxml", "xml")])
def test_render_rdf_round_trips(store, fmt, parser):
    graph = fetch(store, WEER)
    data = pages.render_rdf(WEER, graph, fmt)
    back = Graph().parse(data=data, format=parser)
    assert isomorphic(back, graph)
    asserted = Graph().parse(REPO / "data" / "modules" / "amw" / "weer-aan-de-slag.ttl")
    assert [t for t in asserted if t not in back] == []
    # The same bytes from the same triples added in another order.
    shuffled = Graph()
    for triple in sorted(graph, key=lambda t: str(t[2]), reverse=True):
        shuffled.add(triple)
    assert pages.render_rdf(WEER, shuffled, fmt) == data


def test_render_rdf_refuses_an_unknown_format(store):
    with pytest.raises(ValueError, match="unknown RDF format"):
        pages.render_rdf(WEER, Graph(), "csv")


# ---------------------------------------------------------------- IRIs, paths and injection

def test_paths_and_iris():
    assert pages.local_path(WEER) == "/id/module/amw/weer-aan-de-slag"
    assert pages.catalogue_iri("/id/module/amw/weer-aan-de-slag") == WEER
    assert pages.local_path(ONTOLOGY_IRI) == "/def"
    assert pages.local_path(ONTOLOGY_IRI + "#Module") == "/def#Module"
    assert pages.catalogue_iri("/def") == ONTOLOGY_IRI
    assert pages.local_path("http://example.org/x") is None
    assert pages.local_path(BASE) is None
    for path in ("/id/", "/id/a/../b", "/id/a b", "/id/a>b", "/id/a%3Eb", "/idx/a", "/sparql", "/id/a#b"):
        assert pages.catalogue_iri(path) is None, path


INJECTIONS = [
    BASE + "x> ?p ?o } ; DROP ALL ; SELECT * WHERE { <a",
    BASE + 'x" . } #',
    BASE + "x\n}",
    "not an iri",
    "",
]


@pytest.mark.parametrize("iri", INJECTIONS)
def test_an_injection_attempt_is_refused(iri):
    with pytest.raises(InputError):
        pages.resource_query(iri)


def test_an_iri_with_a_quote_mark_stays_one_term(store):
    # "'" is allowed in an IRI; inside the query it must stay part of the IRI and of the string.
    iri = BASE + "module/amw/x'),STR(?s),('"
    graph = fetch(store, iri)
    assert len(graph) == 0


# ---------------------------------------------------------------- escaping

def test_text_with_markup_is_escaped():
    module = URIRef(BASE + "module/test/escape")
    statement = URIRef(BASE + "module/test/escape/statement/1")
    other = URIRef(BASE + "module/test/other")
    evil = 'A <b>vet</b> & "zo" <script>alert(1)</script>'
    graph = Graph()
    graph.add((module, RDF.type, MG.Module))
    graph.add((module, SKOS.prefLabel, Literal(evil, lang="nl")))
    graph.add((module, MG.targetGroupText, Literal("x < y && z > 1", lang="nl")))
    graph.add((module, MG.canFollow, other))
    graph.add((other, SKOS.prefLabel, Literal("</a><i>ander</i>", lang="nl")))
    for p, o in ((RDF.type, RDF.Statement), (RDF.subject, module), (RDF.predicate, MG.canFollow),
                 (RDF.object, other), (MG.quote, Literal(evil, lang="nl")), (MG.page, Literal(3))):
        graph.add((statement, p, o))
    page = pages.render_html(str(module), graph)
    check_html(page)
    assert "<script>" not in page and "<b>vet</b>" not in page and "<i>ander</i>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "x &lt; y &amp;&amp; z &gt; 1" in page
    assert "&lt;/a&gt;&lt;i&gt;ander&lt;/i&gt;" in page
