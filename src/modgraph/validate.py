"""`modgraph validate`: run the SHACL shapes over the catalogue and report per module and file."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import RDF, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import SKOS

from modgraph.catalogue import Catalogue, parse_turtle
from modgraph.literals import literal_problems, well_typed
from modgraph.module_files import module_file_problems
from modgraph.problems import Problem
from modgraph.terms import vocabulary_problems
from modgraph.errors import InputError
from modgraph.namespaces import BASE, PREFIXES

SH = Namespace(PREFIXES["sh"])
SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}


@dataclass(frozen=True)
class Finding:
    """One SHACL result, resolved to the module and file a curator has to open."""

    severity: str
    focus: URIRef
    owner: URIRef
    path: str
    message: str
    value: str
    shape: str


@dataclass
class Report:
    """All findings of one validation run."""

    findings: list[Finding]
    triples: int
    modules: int
    problems: list[Problem] = field(default_factory=list)  # in the files themselves: each is a violation

    @property
    def violations(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "Violation"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "Warning"]

    @property
    def conforms(self) -> bool:
        return not self.violations and not self.problems


def owner_of(node: URIRef, modules: set[URIRef]) -> URIRef:
    """The module a node belongs to (``module/amw/intake/goal/1`` belongs to ``module/amw/intake``)."""
    text = str(node)
    for module in modules:
        if text == str(module) or text.startswith(str(module) + "/"):
            return module
    return node


def _short(graph: Graph, term) -> str:
    if term is None:
        return ""
    if isinstance(term, BNode):
        return "[]"  # never a generated blank-node id: it names nothing a curator can find
    if isinstance(term, Literal):
        text = str(term)
        return text if len(text) <= 60 else text[:57] + "..."
    text = str(term)
    if text.startswith(BASE):
        return f"<{text[len(BASE):]}>"
    try:
        return graph.namespace_manager.normalizeUri(term)
    except Exception:
        return f"<{text}>"


_PATH_OPERATORS = [(SH.inversePath, "^{}"), (SH.zeroOrMorePath, "{}*"), (SH.oneOrMorePath, "{}+"),
                   (SH.zeroOrOnePath, "{}?")]


def render_path(graph: Graph, path, *sources: Graph) -> str:
    """A SHACL property path as SPARQL writes it: ``mg:page``, ``^mg:hasGoal``, ``mg:a/mg:b``, ``(mg:a|mg:b)``.

    A path other than a plain property is a blank node; its structure is read from ``sources``
    (the results graph, the shapes graph), so a report never shows a blank-node id as the field.
    """
    if path is None:
        return ""
    if not isinstance(path, BNode):
        return _short(graph, path)
    for source in sources:
        for operator, form in _PATH_OPERATORS:
            inner = source.value(path, operator)
            if inner is not None:
                return form.format(_grouped(render_path(graph, inner, *sources)))
        alternatives = source.value(path, SH.alternativePath)
        if alternatives is not None:
            return "(" + "|".join(render_path(graph, p, *sources) for p in source.items(alternatives)) + ")"
        if source.value(path, RDF.first) is not None:
            return "/".join(_grouped(render_path(graph, p, *sources)) for p in source.items(path))
    return "(a property path)"


def _grouped(text: str) -> str:
    return f"({text})" if "/" in text and not text.startswith("(") else text


def _message(results: Graph, shapes: Graph, result, lang: str) -> str:
    """The rule's message in ``lang``: from the constraint or shape that fired, else pyshacl's own."""
    messages = []
    for source in (results.value(result, SH.sourceConstraint), results.value(result, SH.sourceShape)):
        if source is not None:
            messages += list(shapes.objects(source, SH.message))
    messages += list(results.objects(result, SH.resultMessage))
    for wanted in (lang, "en", None):
        for message in messages:
            if isinstance(message, Literal) and (message.language == wanted or wanted is None):
                return str(message)
    return "(no message)"


# Rules about what curators write (every asserted relation has its quote): checked on the asserted
# graph only, since inferred relations (inverses, super-properties) carry no quote of their own.
# Each is a node shape, so sh:deactivated switches it off in every engine (Jena SHACL 4.5 ignores
# sh:deactivated on a SPARQL constraint, but honours it on a shape).
ASSERTED_ONLY = [URIRef("https://w3id.org/modgraph/def/shapes#Module-relationHasEvidence")]


def shape_runs(graph: Graph, shapes: Graph, inferred: Graph | None = None) -> list[tuple[Graph, Graph]]:
    """The (data graph, shapes graph) pairs one validation runs.

    The asserted ``graph`` with all shapes and, when ``inferred`` triples are given, asserted +
    inferred with the rules in :data:`ASSERTED_ONLY` deactivated. Other SHACL engines are tested on
    exactly these pairs (tests/test_shape_engines.py).
    """
    runs = [(graph, shapes)]
    if inferred is not None and len(inferred):
        union_shapes = Graph() + shapes
        for shape in ASSERTED_ONLY:
            union_shapes.add((shape, SH.deactivated, Literal(True)))
        runs.append((graph + inferred, union_shapes))
    return runs


def _shacl(graph: Graph, shapes: Graph, shapes_path: Path) -> Graph:
    try:
        _, results, _ = shacl_validate(graph, shacl_graph=shapes, inference="none", advanced=True,
                                       allow_warnings=True)
    except Exception as exc:  # noqa: BLE001 - pyshacl fails on values it cannot compare; one line, not a traceback
        raise InputError(f"the shapes cannot be run: {type(exc).__name__}: {exc}", str(shapes_path)) from None
    if not isinstance(results, Graph):  # pyshacl returns a ValidationFailure for broken shapes
        raise InputError(f"the shapes cannot be run: {results}", str(shapes_path))
    return results


def _rule(results: Graph, result):
    """The named rule behind a result: its SPARQL constraint when that has an IRI, else its shape.

    A SPARQL-based rule is a named shape with an anonymous constraint (see shapes.ttl), so this is
    usually the shape; a SPARQL constraint with an IRI of its own names the rule itself.
    """
    constraint = results.value(result, SH.sourceConstraint)
    return constraint if isinstance(constraint, URIRef) else results.value(result, SH.sourceShape)


def _findings(results: Graph, shapes: Graph, graph: Graph, modules: set, lang: str) -> list[Finding]:
    """The results of one pyshacl run as Findings."""
    out = []
    # Only the report's own results: pyshacl also nests sh:detail results (for sh:node) that
    # would count one defect twice and blame the node that was pointed at.
    for result in results.objects(None, SH.result):
        focus = results.value(result, SH.focusNode)
        out.append(Finding(
            severity=str(results.value(result, SH.resultSeverity)).rsplit("#", 1)[-1],
            focus=focus,
            owner=owner_of(focus, modules) if isinstance(focus, URIRef) else focus,
            path=render_path(graph, results.value(result, SH.resultPath), results, shapes),
            message=_message(results, shapes, result, lang),
            value=_short(graph, results.value(result, SH.value)),
            shape=_short(graph, _rule(results, result)),
        ))
    return out


def file_problems(catalogue: Catalogue) -> list[Problem]:
    """What is wrong in the files themselves, each at file:line:column.

    Undeclared mg: terms (typos that no shape can see), ill-typed literals, and module files that
    break the one-module-one-file rule or sit in the other werksoort's folder.
    """
    problems = vocabulary_problems(catalogue) + literal_problems(catalogue) + module_file_problems(catalogue)
    return sorted(set(problems), key=lambda p: (p.path, p.line, p.column, p.message))


def run(catalogue: Catalogue, shapes_path: Path, *, lang: str = "en", inferred: Graph | None = None,
        problems: list[Problem] | None = None) -> Report:
    """Validate ``catalogue`` against the shapes at ``shapes_path``.

    With ``inferred``, the shapes also run over asserted + inferred (without the rules in
    :data:`ASSERTED_ONLY`), so an entailed fact that breaks a shape is reported too. ``problems``
    (default: :func:`file_problems`) are reported before the shapes' findings; ill-typed values
    are among them, and are kept away from the shapes (pyshacl cannot compare them).
    """
    problems = file_problems(catalogue) if problems is None else problems
    shapes = parse_turtle(shapes_path)
    graph = well_typed(catalogue.graph)
    runs = [_shacl(data, run_shapes, shapes_path) for data, run_shapes in shape_runs(graph, shapes, inferred)]
    modules = set(graph.subjects(RDF.type, URIRef(PREFIXES["mg"] + "Module")))
    findings: list[Finding] = []
    for results in runs:
        for finding in _findings(results, shapes, graph, modules, lang):
            if finding not in findings:
                findings.append(finding)
    findings.sort(key=lambda f: (str(f.owner), SEVERITY_ORDER.get(f.severity, 9), str(f.focus), f.path, f.message))
    return Report(findings=findings, triples=len(catalogue.graph), modules=len(modules), problems=problems)


def render(report: Report, catalogue: Catalogue) -> str:
    """A report a curator can act on: per module, the file that holds it, then field and message."""
    graph = catalogue.graph
    grouped = defaultdict(list)
    for finding in report.findings:
        grouped[finding.owner].append(finding)
    lines = [f"{problem.path}:{problem.line}:{problem.column}: Violation: {problem.message}"
             for problem in report.problems]
    if lines:
        lines.append("")
    for owner, findings in grouped.items():
        path = catalogue.file_of(owner)
        where = str(path.relative_to(catalogue.root.root)) if path else "(no file states this resource)"
        label = graph.value(owner, SKOS.prefLabel)
        title = f" ({label})" if label is not None else ""
        lines.append(f"{where} - {_short(graph, owner)}{title}")
        for f in findings:
            node = "" if f.focus == owner else f" {_short(graph, f.focus)}"
            value = f" [value: {f.value}]" if f.value else ""
            lines.append(f"  {f.severity:<9}{node} {f.path or '-'}: {f.message}{value}")
        lines.append("")
    status = "conforms" if report.conforms else "does not conform"
    lines.append(
        f"{status}: {len(report.violations) + len(report.problems)} violation(s), {len(report.warnings)} warning(s); "
        f"{report.modules} modules, {report.triples} triples"
    )
    return "\n".join(lines)
