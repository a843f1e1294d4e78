"""Every mg: term used in the catalogue must be declared in the ontology.

A misspelt property (``mg:minSessionMinute``) is valid Turtle and valid SPARQL: the fact silently
drops out of every query, and no shape notices a property it does not know. So every ``mg:`` IRI
used in ontology/, data/ and queries/ must be declared (typed) in an ontology file; an unknown one
is reported with its file, line and column and the closest declared term.
"""

from __future__ import annotations

import difflib
import functools

from rdflib import RDF, URIRef

from modgraph.catalogue import Catalogue, parse_turtle, parse_turtle_text, read_turtle
from modgraph.errors import InputError
from modgraph.namespaces import MG_NS
from modgraph.problems import Problem, scanned
from modgraph.tokens import TermUse, scan


def declared_terms(catalogue: Catalogue) -> set[str]:
    """The mg: terms that the ontology files (all but the shapes) declare with an ``rdf:type``."""
    declared = {str(t) for t in catalogue.declared}
    for path in catalogue.root.files.ontology:
        if path.name != catalogue.root.shapes.name and path not in catalogue.texts:
            graph = parse_turtle(path)
            declared |= {str(s) for s in graph.subjects(RDF.type) if isinstance(s, URIRef) and s.startswith(MG_NS)}
    return declared


def unknown_term_message(use: TermUse, declared: set[str]) -> str:
    """What to tell the author about one undeclared mg: term: the term and the closest declared one."""
    local = use.iri[len(MG_NS):]
    names = [d[len(MG_NS):] for d in declared]
    close = difflib.get_close_matches(local, names, n=1, cutoff=0.6)
    if not close:  # a wrong capital (mg:module) is closer than difflib's ratio says
        close = [n for n in names if n.lower() == local.lower()][:1]
    hint = f"; did you mean mg:{close[0]}?" if close else "; the ontology (ontology/modgraph.ttl) declares every mg: term"
    return f"unknown term {use.written}: not declared in the ontology{hint}"


def _unknown(uses: list[TermUse], declared: set[str]) -> list[TermUse]:
    return [u for u in uses if u.iri.startswith(MG_NS) and u.iri != MG_NS and u.iri not in declared]


def vocabulary_problems(catalogue: Catalogue) -> list[Problem]:
    """Every use of an undeclared mg: term in the ontology, data and query files, in file order."""
    declared = declared_terms(catalogue)
    root = catalogue.root
    problems = []
    turtle = list(root.files.ontology) + list(root.files.data)
    for path in turtle:
        text = catalogue.texts.get(path)
        if text is None:  # the shapes, or the alignments: parse first, so a syntax error is reported as such
            text, data = read_turtle(path)
            parse_turtle_text(text, data, path)
        for use in _unknown(scanned(path, text).terms, declared):
            problems.append(Problem(root.relative(path), use.line, use.column,
                                    unknown_term_message(use, declared), "vocabulary"))
    for path in root.files.queries:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"cannot read: {exc}", str(path)) from None
        for use in _unknown(scan(text).terms, declared):
            problems.append(Problem(root.relative(path), use.line, use.column,
                                    unknown_term_message(use, declared), "vocabulary"))
    return problems


@functools.lru_cache(maxsize=256)  # the same named query is checked again on every run
def _query_terms(text: str) -> tuple[TermUse, ...]:
    return tuple(scan(text).terms)


def check_query(text: str, source: str, declared: set[str]) -> None:
    """Refuse a query that uses an undeclared mg: term (InputError naming ``source``:line:column).

    A query with a syntax error is left alone: running it reports the syntax error, which comes first.
    """
    unknown = _unknown(_query_terms(text), declared)
    if not unknown:
        return
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        parseQuery(text)
    except Exception:  # noqa: BLE001 - a syntax error: reported, with its own location, when the query runs
        return
    use = unknown[0]
    raise InputError(unknown_term_message(use, declared), f"{source}:{use.line}:{use.column}")


def declared_in_ontology(root) -> set[str]:
    """The mg: terms the ontology files of ``root`` (all but the shapes) type, read with pyoxigraph.

    The same set as :func:`declared_terms` without building an rdflib graph (milliseconds), for
    commands that query through an engine.
    """
    import pyoxigraph as ox

    from modgraph.catalogue import read_turtle, syntax_error

    declared = set()
    for path in root.files.ontology:
        if path.name == root.shapes.name:
            continue
        try:
            for triple in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri()):
                subject = triple.subject
                if (triple.predicate.value == str(RDF.type) and isinstance(subject, ox.NamedNode)
                        and subject.value.startswith(MG_NS)):
                    declared.add(subject.value)
        except SyntaxError as exc:
            raise syntax_error(exc, read_turtle(path)[0], path) from None
        except OSError as exc:
            raise InputError(f"cannot read: {exc.strerror or exc}", str(path)) from None
    return declared
