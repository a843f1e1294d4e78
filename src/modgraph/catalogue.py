"""Load the catalogue (ontology, data and, optionally, the inferred triples) into one rdflib graph."""

from __future__ import annotations

import codecs
import hashlib
import logging
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph
from rdflib import RDF, Graph, URIRef
from rdflib.plugins.parsers.notation3 import BadSyntax

from modgraph.errors import InputError
from modgraph.namespaces import MG_NS, PREFIXES
from modgraph.paths import CatalogueRoot

# rdflib logs a warning (with a traceback) for each malformed IRI or ill-typed literal; the
# syntax check and `validate` report them as errors instead.
logging.getLogger("rdflib.term").setLevel(logging.ERROR)

@dataclass
class Catalogue:
    """The loaded graph and, for every subject, the file that states it (for curators' reports)."""

    graph: Graph
    root: CatalogueRoot
    files: list[Path] = field(default_factory=list)
    subject_files: dict[URIRef, Path] = field(default_factory=dict)
    texts: dict[Path, str] = field(default_factory=dict)       # each loaded file's text, for located reports
    digests: dict[Path, str] = field(default_factory=dict)     # SHA-256 of each loaded file's bytes
    declared: set[URIRef] = field(default_factory=set)         # mg: terms typed in the loaded ontology files
    file_subjects: dict[Path, set] = field(default_factory=dict)  # the subjects each file states

    def file_of(self, subject) -> Path | None:
        """The file that holds ``subject``'s statements, or None."""
        return self.subject_files.get(subject)

    def add(self, path: Path) -> Graph:
        """Parse the Turtle file at ``path`` into the catalogue; return its own triples."""
        text, data = read_turtle(path)
        part = parse_turtle_text(text, data, path)
        for subject in part.subjects(RDF.type, unique=True):
            if isinstance(subject, URIRef):
                self.subject_files.setdefault(subject, path)
        self.graph += part
        self.files.append(path)
        self.texts[path] = text
        self.digests[path] = hashlib.sha256(data).hexdigest()
        self.file_subjects[path] = set(part.subjects())
        if path in self.root.files.ontology and path != self.root.shapes:
            self.declared |= {s for s in part.subjects(RDF.type) if isinstance(s, URIRef) and s.startswith(MG_NS)}
        return part


def read_turtle(path: Path) -> tuple[str, bytes]:
    """The text of a Turtle file and its bytes; unreadable, a BOM or invalid UTF-8 is an InputError.

    Locations are 1-based lines and columns counted in characters, as an editor shows them.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", str(path)) from None
    if data.startswith(codecs.BOM_UTF8):
        raise InputError("the file starts with a byte-order mark (BOM): save it as UTF-8 without BOM", f"{path}:1:1")
    try:
        return data.decode("utf-8"), data
    except UnicodeDecodeError as exc:
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        line = data.count(b"\n", 0, exc.start) + 1
        column = len(data[line_start:exc.start].decode("utf-8")) + 1
        raise InputError(f"not valid UTF-8 (byte 0x{data[exc.start]:02x}): save the file as UTF-8",
                         f"{path}:{line}:{column}") from None


def parse_turtle(path: Path) -> Graph:
    """Parse one Turtle file; a syntax error becomes an InputError naming file, line and column."""
    text, data = read_turtle(path)
    return parse_turtle_text(text, data, path)


def parse_turtle_text(text: str, data: bytes, path: Path) -> Graph:
    """Parse the ``text`` (and its UTF-8 ``data``) of the Turtle file at ``path``.

    pyoxigraph checks the syntax first: it follows the Turtle grammar strictly (rdflib accepts IRIs
    with spaces and invalid ``\\u`` escapes) and reports the line and column where the bad term
    starts, counted in characters. rdflib then builds the graph.
    """
    base = path.resolve().as_uri()
    _check_syntax(text, data, base, path)
    target = Graph()
    try:
        with warnings.catch_warnings():  # rdflib warns about ill-typed literals; validate reports them
            warnings.simplefilter("ignore")
            target.parse(data=text, format="turtle", publicID=base)
    except BadSyntax as exc:
        raise InputError(f"Turtle syntax error: {exc._why}", f"{path}:{_rdflib_location(exc, text)}") from None
    except Exception as exc:  # rdflib raises several types for bad terms (IRIs, language tags)
        raise InputError(f"Turtle error: {exc}", str(path)) from None
    return target


_OXIGRAPH_MESSAGE = re.compile(r"^Parser error (?:at|between) [^:]*: (?P<why>.*?)(?: \(line \d+\))?$", re.DOTALL)
_OXIGRAPH_START = re.compile(r"line (\d+) (?:between columns|column) (\d+)")


def _check_syntax(text: str, data: bytes, base: str, path: Path) -> None:
    try:
        for _ in pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.TURTLE, base_iri=base):
            pass
    except SyntaxError as exc:
        raise syntax_error(exc, text, path) from None


def syntax_error(exc: SyntaxError, text: str, path: Path) -> InputError:
    """pyoxigraph's SyntaxError for the file at ``path`` (whose content is ``text``) as an InputError
    naming file, line and column, with a hint for the usual typing mistakes."""
    message = str(exc)
    match = _OXIGRAPH_MESSAGE.match(message)
    why = match.group("why") if match else message
    line, column = exc.lineno, exc.offset
    if not line or not column:
        start = _OXIGRAPH_START.search(message)
        line, column = (int(start.group(1)), int(start.group(2))) if start else (None, None)
    if why == "Unexpected end":  # the last statement is not closed: point after its last character
        why = "the file ends before the last statement is closed with '.'"
        line, column = _end_of_content(text)
    where = f"{path}:{line}:{column}" if line and column else str(path)
    return InputError(f"Turtle syntax error: {_explain(why, _character_at(text, line, column))}", where)


def _end_of_content(text: str) -> tuple[int, int]:
    """Line and column just after the last character that is not white space."""
    offset = len(text.rstrip())
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


def _character_at(text: str, line: int | None, column: int | None) -> str:
    lines = text.split("\n")
    if not line or not column or line > len(lines) or column > len(lines[line - 1]):
        return ""
    return lines[line - 1][column - 1]


def _explain(why: str, starts_with: str) -> str:
    """pyoxigraph's reason, on one line, with a hint for the usual typing mistakes."""
    why = why.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t")
    if why.startswith("Unexpected end of file"):
        if starts_with == "<":
            return "the file ends inside the IRI that starts here: its '>' is missing"
        if starts_with in "\"'":
            return "the file ends inside the string that starts here: its closing quote is missing"
        return "the file ends inside the term that starts here"
    if why.startswith("Invalid IRI code point"):
        return f"{why}: an IRI cannot hold it (a '>' missing, or a space to write as %20?)"
    return why


def _rdflib_location(exc: BadSyntax, text: str) -> str:
    """Line and column (1-based, characters) of rdflib's error position in ``text``."""
    source = exc._str.decode("utf-8", "replace") if isinstance(exc._str, (bytes, bytearray)) else str(exc._str)
    offset = max(0, min(exc._i, len(source)))
    line = source.count("\n", 0, offset) + 1
    column = offset - (source.rfind("\n", 0, offset) + 1) + 1
    return f"{line}:{column}"


def data_files(root: CatalogueRoot) -> list[Path]:
    """The catalogue's data files (``data/**/*.ttl``)."""
    return list(root.files.data)


ALIGNMENTS_FILE = "alignments.ttl"


def ontology_files(root: CatalogueRoot, *, alignments: bool = True) -> list[Path]:
    """The ontology files, without the SHACL shapes (those are loaded by the validator).

    ``alignments=False`` leaves out the mappings to schema.org and CPSV-AP: the reasoner must not
    see them (owlready2 turns mg: properties that are sub-properties of undeclared DCTERMS terms
    into annotation properties and then drops their inferences).
    """
    skip = {root.shapes.name} | (set() if alignments else {ALIGNMENTS_FILE})
    return [p for p in root.files.ontology if p.name not in skip]


def load(root: CatalogueRoot, *, inferred: Path | None = None, alignments: bool = True) -> Catalogue:
    """Load ontology and data (and ``inferred``, when given and present) into one graph."""
    catalogue = Catalogue(graph=Graph(), root=root)
    for path in ontology_files(root, alignments=alignments) + data_files(root):
        catalogue.add(path)
    if inferred is not None and inferred.is_file():
        catalogue.add(inferred)
    _prefer_own_module_files(catalogue)
    for prefix, namespace in PREFIXES.items():
        catalogue.graph.bind(prefix, namespace, override=True)
    return catalogue


def _prefer_own_module_files(catalogue: Catalogue) -> None:
    """A module's file is ``data/modules/WERKSOORT/SLUG.ttl`` when that file states it (not a copy elsewhere)."""
    modules = catalogue.root.data / "modules"
    loaded = set(catalogue.files)
    for module in catalogue.graph.subjects(RDF.type, URIRef(MG_NS + "Module")):
        own = modules / (str(module).rsplit("/module/", 1)[-1] + ".ttl")
        if "/module/" in str(module) and own in loaded and module in catalogue.file_subjects[own]:
            catalogue.subject_files[module] = own
