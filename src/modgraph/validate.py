"""`modgraph validate`: run the SHACL shapes over the catalogue and report per module and file.

The shapes run on the catalogue and on the data of ``--include`` folders (a ``modgraph synth``
output): pyshacl on the catalogue alone, Jena SHACL or rudof at scale (:mod:`modgraph.shacl_engines`).
Whatever the engine, its report becomes the same findings, grouped per module and file.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import SKOS

from modgraph.catalogue import Catalogue, parse_turtle
from modgraph.literals import literal_problems, well_typed
from modgraph.module_files import module_file_problems
from modgraph.problems import Problem
from modgraph.terms import vocabulary_problems
from modgraph.errors import InputError
from modgraph.namespaces import BASE, PREFIXES
from modgraph import shacl_engines

SH = Namespace(PREFIXES["sh"])
SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}
MODULE = URIRef(PREFIXES["mg"] + "Module")
MAX_PER_RULE = 20  # findings of one rule printed in full; the rest are counted (a broken 10^6 graph stays readable)


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
    engine: str = "pyshacl"                 # the SHACL engine that ran
    included: Included | None = None        # data of --include folders, validated with the catalogue
    checks: list = field(default_factory=list)  # the qc queries' results (modgraph.quality.CheckResult)

    @property
    def violations(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "Violation"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "Warning"]

    @property
    def check_rows(self) -> int:
        """How many rows the qc queries found: each is a violation."""
        return sum(len(check.rows.rows) for check in self.checks)

    @property
    def conforms(self) -> bool:
        return not self.violations and not self.problems and not self.check_rows


@dataclass
class Included:
    """The files of ``--include`` folders, and what a report needs to know of their data.

    A file under a folder named ``inferred`` (as ``modgraph synth`` writes them) holds inferred
    triples: it joins the asserted + inferred run only. The rest is filled in while the files are
    read (:func:`write_runs`).
    """

    asserted: list[Path]
    inferred: list[Path]
    triples: int = 0
    subject_files: dict[URIRef, Path] = field(default_factory=dict)  # typed subject -> first file typing it
    labels: dict[URIRef, Literal] = field(default_factory=dict)      # subject -> its first skos:prefLabel
    modules: set[URIRef] = field(default_factory=set)

    @property
    def files(self) -> list[Path]:
        return self.asserted + self.inferred


def list_included(folders: Sequence[str | os.PathLike]) -> Included | None:
    """The RDF files of the ``--include`` folders, asserted and inferred apart; None for no folder.

    A folder that does not exist or holds no .nt or .ttl file is an InputError naming it.
    """
    if not folders:
        return None
    from modgraph.sources import included_files

    included = Included(asserted=[], inferred=[])
    for folder in folders:
        for path in included_files([folder]):
            inside = path.relative_to(folder).parts[:-1]
            (included.inferred if "inferred" in inside else included.asserted).append(path)
    return included


def owner_of(node: URIRef, modules: set[URIRef]) -> URIRef:
    """The module a node belongs to (``module/amw/intake/goal/1`` belongs to ``module/amw/intake``)."""
    text = str(node)
    while True:  # the node itself, then each IRI it is below: a few set lookups, not one per module
        if URIRef(text) in modules:
            return URIRef(text)
        cut = text.rfind("/")
        if cut <= len("https://"):
            return node
        text = text[:cut]


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
        runs.append((graph + inferred, union_shapes(shapes)))
    return runs


def union_shapes(shapes: Graph) -> Graph:
    """The shapes for asserted + inferred: those in :data:`ASSERTED_ONLY` deactivated."""
    union = Graph() + shapes
    for shape in ASSERTED_ONLY:
        union.add((shape, SH.deactivated, Literal(True)))
    return union


def _rule(results: Graph, result):
    """The named rule behind a result: its SPARQL constraint when that has an IRI, else its shape.

    A SPARQL-based rule is a named shape with an anonymous constraint (see shapes.ttl), so this is
    usually the shape; a SPARQL constraint with an IRI of its own names the rule itself.
    """
    constraint = results.value(result, SH.sourceConstraint)
    return constraint if isinstance(constraint, URIRef) else results.value(result, SH.sourceShape)


def _result_path(graph: Graph, results: Graph, shapes: Graph, result) -> str:
    """A result's path as its shape declares it, else as the report gives it.

    A path other than one property is rendered from the shape that declares it: Jena writes
    ``sh:alternativePath (a b c)`` back as nested pairs, ``((a|b)|c)``.
    """
    path = results.value(result, SH.resultPath)
    shape = results.value(result, SH.sourceShape)
    if isinstance(path, BNode) and isinstance(shape, URIRef):
        declared = shapes.value(shape, SH.path)
        if isinstance(declared, BNode):
            return render_path(graph, declared, shapes)
    return render_path(graph, path, results, shapes)


def report_findings(results: Graph, shapes: Graph, graph: Graph, modules: set, lang: str) -> list[Finding]:
    """The results of one engine's validation report as Findings (prefixes and labels from ``graph``)."""
    out = []
    # Only the report's own results: pyshacl also nests sh:detail results (for sh:node) that
    # would count one defect twice and blame the node that was pointed at.
    for result in results.objects(None, SH.result):
        focus = results.value(result, SH.focusNode)
        out.append(Finding(
            severity=str(results.value(result, SH.resultSeverity)).rsplit("#", 1)[-1],
            focus=focus,
            owner=owner_of(focus, modules) if isinstance(focus, URIRef) else focus,
            path=_result_path(graph, results, shapes, result),
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
        problems: list[Problem] | None = None, engine: str = "pyshacl", included: Included | None = None) -> Report:
    """Validate ``catalogue`` (and the ``included`` data) against the shapes at ``shapes_path``.

    With ``inferred``, the shapes also run over asserted + inferred (without the rules in
    :data:`ASSERTED_ONLY`), so an entailed fact that breaks a shape is reported too; the inferred
    files of ``included`` join that run. ``problems`` (default: :func:`file_problems`, on the
    catalogue's files) are reported before the shapes' findings; ill-typed values are among them,
    and are kept away from the shapes (pyshacl cannot compare them). ``engine`` is one of
    :data:`modgraph.shacl_engines.ENGINES` (``auto`` chooses by the size of the data).
    """
    problems = file_problems(catalogue) if problems is None else problems
    shapes = parse_turtle(shapes_path)
    graph = well_typed(catalogue.graph)
    modules = set(graph.subjects(RDF.type, MODULE))
    triples = len(catalogue.graph)
    if included is None and shacl_engines.choose(engine, len(graph)) == "pyshacl":  # the catalogue as always
        chosen = "pyshacl"
        reports = [shacl_engines.run_pyshacl(data, run_shapes, shapes_path)
                   for data, run_shapes in shape_runs(graph, shapes, inferred)]
    else:
        with tempfile.TemporaryDirectory(prefix="modgraph-validate-") as folder:
            jobs = write_runs(Path(folder), graph, shapes, inferred, included)
            if included is not None:
                modules |= included.modules
                triples += included.triples
            chosen = shacl_engines.choose(engine, len(graph) + (included.triples if included else 0),
                                          included=included is not None)
            reports = _run_engine(chosen, jobs, shapes_path)
    findings: dict[Finding, None] = {}  # insertion-ordered set: identical results of both runs count once
    for results in reports:
        for finding in report_findings(results, shapes, graph, modules, lang):
            findings.setdefault(finding)
    ordered = sorted(findings, key=lambda f: (str(f.owner), SEVERITY_ORDER.get(f.severity, 9), str(f.focus), f.path,
                                              f.message))
    return Report(findings=ordered, triples=triples, modules=len(modules), problems=problems, engine=chosen,
                  included=included)


@dataclass(frozen=True)
class Job:
    """One validation run as files: the data (N-Triples) and the shapes (graph and N-Triples)."""

    data: Path
    shapes: Graph
    shapes_nt: Path


def write_runs(folder: Path, graph: Graph, shapes: Graph, inferred: Graph | None,
               included: Included | None) -> list[Job]:
    """The runs of :func:`shape_runs`, with the included files, written as N-Triples into ``folder``.

    Run 1: the catalogue's asserted ``graph`` and the included asserted files, all shapes. Run 2,
    when there are inferred triples (``inferred``, the included inferred files): run 1's data and
    those, with the asserted-only rules off. The included files are read by pyoxigraph (a syntax
    error is an InputError at file:line:column); ``included`` learns their triples' count, the
    file of each typed subject, the labels and the modules.
    """
    asserted = folder / "asserted.nt"
    with open(asserted, "wb") as out:
        out.write(graph.serialize(format="nt", encoding="utf-8"))
        for path in included.asserted if included else []:
            _copy_ntriples(path, out, included)
    jobs = [Job(asserted, shapes, _shapes_file(shapes, folder / "shapes.nt"))]
    extra = included.inferred if included else []
    if (inferred is None or not len(inferred)) and not extra:
        return jobs
    union = folder / "asserted-inferred.nt"
    shutil.copyfile(asserted, union)
    with open(union, "ab") as out:
        if inferred is not None:
            out.write(inferred.serialize(format="nt", encoding="utf-8"))
        for path in extra:
            _copy_ntriples(path, out, included)
    run_shapes = union_shapes(shapes)
    return jobs + [Job(union, run_shapes, _shapes_file(run_shapes, folder / "shapes-asserted-inferred.nt"))]


def _shapes_file(shapes: Graph, path: Path) -> Path:
    path.write_bytes(shapes.serialize(format="nt", encoding="utf-8"))
    return path


_RDF_TYPE = ox.NamedNode(str(RDF.type))
_PREF_LABEL = ox.NamedNode(str(SKOS.prefLabel))
_MODULE = ox.NamedNode(str(MODULE))


def _copy_ntriples(path: Path, out, included: Included) -> None:
    """Append the triples of one included file to ``out`` as N-Triples, noting what reports need.

    Blank nodes get fresh labels: ``_:b1`` in two files are two nodes.
    """
    fmt = ox.RdfFormat.TURTLE if path.suffix == ".ttl" else ox.RdfFormat.N_TRIPLES
    try:
        quads = list(ox.parse(path=str(path), format=fmt, base_iri=path.resolve().as_uri(), rename_blank_nodes=True))
    except SyntaxError as exc:
        where = f"{path}:{exc.lineno}:{exc.offset}" if exc.lineno and exc.offset else str(path)
        why = str(exc).split(": ", 1)[-1]
        raise InputError(f"syntax error: {why}", where) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", str(path)) from None
    for quad in quads:  # only what a report shows: the file of each typed subject, modules, labels
        predicate = quad.predicate
        if predicate == _RDF_TYPE:
            subject = quad.subject
            if isinstance(subject, ox.NamedNode):
                included.subject_files.setdefault(URIRef(subject.value), path)
                if quad.object == _MODULE:
                    included.modules.add(URIRef(subject.value))
        elif predicate == _PREF_LABEL:
            subject, label = quad.subject, quad.object
            if isinstance(subject, ox.NamedNode) and isinstance(label, ox.Literal):
                included.labels.setdefault(URIRef(subject.value), Literal(label.value, lang=label.language))
    included.triples += len(quads)
    ox.serialize(quads, out, format=ox.RdfFormat.N_TRIPLES)


def _run_engine(engine: str, jobs: list[Job], shapes_path: Path) -> list[Graph]:
    """The report graphs of ``engine`` for each job."""
    if engine == "jena":
        return shacl_engines.run_jena([(job.data, job.shapes_nt) for job in jobs], shapes_path)
    if engine == "rudof":
        return [shacl_engines.run_rudof(job.data, job.shapes_nt, shapes_path) for job in jobs]
    reports = []
    for job in jobs:  # pyshacl asked for on included data: rdflib reads the N-Triples (slowly)
        data = Graph()
        data.parse(job.data, format="nt")
        reports.append(shacl_engines.run_pyshacl(data, job.shapes, shapes_path))
    return reports


def render(report: Report, catalogue: Catalogue, *, max_per_rule: int = MAX_PER_RULE) -> str:
    """A report a curator can act on: per module, the file that holds it, then field and message.

    At most ``max_per_rule`` findings of each rule are listed (0: all); when some are left out,
    a count per rule follows the list.
    """
    graph = catalogue.graph
    included = report.included
    shown, totals = _capped(report.findings, max_per_rule)
    grouped = defaultdict(list)
    for finding in shown:
        grouped[finding.owner].append(finding)
    lines = [f"{problem.path}:{problem.line}:{problem.column}: Violation: {problem.message}"
             for problem in report.problems]
    if lines:
        lines.append("")
    for owner, findings in grouped.items():
        path = catalogue.file_of(owner)
        if path is not None:
            where = str(path.relative_to(catalogue.root.root))
        elif included is not None and owner in included.subject_files:
            where = str(included.subject_files[owner])
        else:
            where = "(no file states this resource)"
        label = graph.value(owner, SKOS.prefLabel)
        if label is None and included is not None:
            label = included.labels.get(owner)
        title = f" ({label})" if label is not None else ""
        lines.append(f"{where} - {_short(graph, owner)}{title}")
        for f in findings:
            node = "" if f.focus == owner else f" {_short(graph, f.focus)}"
            value = f" [value: {f.value}]" if f.value else ""
            lines.append(f"  {f.severity:<9}{node} {f.path or '-'}: {f.message}{value}")
        lines.append("")
    left_out = len(report.findings) - len(shown)
    if left_out:
        lines.append(f"{left_out:,} more finding(s) not listed (at most {max_per_rule} per rule; "
                     "--max-per-rule 0 lists all). Per rule:")
        lines += [f"  {severity:<9} {rule}: {count:,} ({min(count, max_per_rule)} listed)"
                  for (rule, severity), count in sorted(totals.items(), key=lambda item: (-item[1], item[0]))]
        lines.append("")
    from modgraph.quality import render as render_checks

    lines += render_checks(report.checks, max_per_rule)
    status = "conforms" if report.conforms else "does not conform"
    scope = f"{report.modules} modules, {report.triples} triples"
    if included is not None:
        scope = (f"{report.modules:,} modules, {report.triples:,} triples "
                 f"(of which {included.triples:,} in {len(included.files):,} included files)")
    if report.checks:
        scope += f"; {len(report.checks)} quality checks (queries/qc)"
    lines.append(
        f"{status}: {len(report.violations) + len(report.problems) + report.check_rows} violation(s), "
        f"{len(report.warnings)} warning(s); "
        f"{scope}"
    )
    return "\n".join(lines)


def _capped(findings: list[Finding], max_per_rule: int) -> tuple[list[Finding], Counter]:
    """The findings to list (the first ``max_per_rule`` of each rule; all for 0) and the count per rule."""
    totals: Counter = Counter((f.shape, f.severity) for f in findings)
    if max_per_rule <= 0:
        return findings, totals
    taken: Counter = Counter()
    shown = []
    for finding in findings:
        key = (finding.shape, finding.severity)
        if taken[key] < max_per_rule:
            taken[key] += 1
            shown.append(finding)
    return shown, totals
