"""Load the catalogue (ontology, data and, optionally, the inferred triples) into one rdflib graph."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, Graph, URIRef
from rdflib.plugins.parsers.notation3 import BadSyntax

from modgraph.errors import InputError
from modgraph.namespaces import PREFIXES
from modgraph.paths import CatalogueRoot

# rdflib logs a warning for each malformed IRI; _reject_bad_iris reports them as errors instead.
logging.getLogger("rdflib.term").setLevel(logging.ERROR)

@dataclass
class Catalogue:
    """The loaded graph and, for every subject, the file that states it (for curators' reports)."""

    graph: Graph
    root: CatalogueRoot
    files: list[Path] = field(default_factory=list)
    subject_files: dict[URIRef, Path] = field(default_factory=dict)

    def file_of(self, subject) -> Path | None:
        """The file that holds ``subject``'s statements, or None."""
        return self.subject_files.get(subject)


def parse_turtle(path: Path) -> Graph:
    """Parse one Turtle file; a syntax error becomes an InputError naming file, line and column."""
    target = Graph()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read: {exc}", str(path)) from None
    try:
        target.parse(data=text, format="turtle", publicID=path.resolve().as_uri())
    except BadSyntax as exc:
        line = exc.lines + 1
        consumed = exc._str[: exc._i] if isinstance(exc._str, (bytes, bytearray)) else exc._str.encode()[: exc._i]
        column = exc._i - (consumed.rfind(b"\n") + 1) + 1
        raise InputError(f"Turtle syntax error: {exc._why}", f"{path}:{line}:{column}") from None
    except Exception as exc:  # rdflib raises several types for bad terms (IRIs, language tags)
        raise InputError(f"Turtle error: {exc}", str(path)) from None
    _reject_bad_iris(target, text, path)
    return target


_BAD_IRI = re.compile(r'[\s<>"{}|^`\\]')


def _reject_bad_iris(graph: Graph, text: str, path: Path) -> None:
    """rdflib accepts IRIs with spaces or line breaks (an unclosed ``<...``); Turtle does not."""
    for term in {t for triple in graph for t in triple if isinstance(t, URIRef)}:
        if _BAD_IRI.search(str(term)):
            start = re.split(r"\s", str(term).split("/id/", 1)[-1], maxsplit=1)[0]
            offset = text.find(start)
            line = text.count("\n", 0, offset) + 1 if offset >= 0 else 0
            column = offset - text.rfind("\n", 0, offset) if offset >= 0 else 0
            where = f"{path}:{line}:{column}" if offset >= 0 else str(path)
            raise InputError("Turtle syntax error: an IRI contains a space, line break or '<' (is a '>' missing?)", where)


def turtle_files(folder: Path) -> list[Path]:
    """All ``.ttl`` files under ``folder``, in a stable order."""
    return sorted(p for p in folder.rglob("*.ttl") if p.is_file())


def data_files(root: CatalogueRoot) -> list[Path]:
    """The catalogue's data files (``data/**/*.ttl``)."""
    return turtle_files(root.data)


ALIGNMENTS_FILE = "alignments.ttl"


def ontology_files(root: CatalogueRoot, *, alignments: bool = True) -> list[Path]:
    """The ontology files, without the SHACL shapes (those are loaded by the validator).

    ``alignments=False`` leaves out the mappings to schema.org and CPSV-AP: the reasoner must not
    see them (owlready2 turns mg: properties that are sub-properties of undeclared DCTERMS terms
    into annotation properties and then drops their inferences).
    """
    skip = {root.shapes.name} | (set() if alignments else {ALIGNMENTS_FILE})
    return [p for p in turtle_files(root.ontology) if p.name not in skip]


def load(root: CatalogueRoot, *, inferred: Path | None = None, alignments: bool = True) -> Catalogue:
    """Load ontology and data (and ``inferred``, when given and present) into one graph."""
    graph = Graph()
    catalogue = Catalogue(graph=graph, root=root)
    files = ontology_files(root, alignments=alignments) + data_files(root)
    if inferred is not None and inferred.is_file():
        files.append(inferred)
    for path in files:
        part = parse_turtle(path)
        for subject in part.subjects(RDF.type, unique=True):
            if isinstance(subject, URIRef):
                catalogue.subject_files.setdefault(subject, path)
        graph += part
        catalogue.files.append(path)
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True)
    return catalogue
