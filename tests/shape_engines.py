"""Run the SHACL shapes with other engines than modgraph's own, and read their reports alike.

The engines (tests/test_shape_engines.py compares them):

- ``pyshacl-turtle``: what `modgraph validate` does: pyshacl on the graphs as loaded from Turtle,
  with the catalogue's prefixes bound;
- ``pyshacl-ntriples``: pyshacl on data and shapes read from N-Triples into graphs that bind no
  prefix at all, so a SPARQL constraint can only use what its ``sh:prefixes`` declares;
- ``pyrudof``: rudof's native SHACL engine (PyPI ``pyrudof``), on the same N-Triples files;
- ``jena``: Jena SHACL 4.5 of Debian's ``libapache-jena-java`` through ``scripts/jena-shacl``, on the
  same N-Triples files (one JVM per run: :func:`start_jena` lets the caller work meanwhile).

rudof runs and both engines' reports are read by :mod:`modgraph.shacl_engines`, as
`modgraph validate --shacl-engine rudof|jena` does; each Outcome keeps its report graph, so the
findings modgraph prints can be compared too.

Every engine's report is a SHACL validation report graph; :func:`outcome_of_report` reduces it to
what every engine gives: the top-level results (focus node, source shape, severity, constraint
component, path, value) and the messages per source shape. A blank node has no name two engines
could share: it is compared as ``_:``. sh:sourceConstraint is left out: Jena and pyrudof do not
report it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import pyoxigraph as ox
from pyshacl import validate as pyshacl_validate
from rdflib import BNode, Graph, Literal, Namespace

from modgraph import shacl_engines

REPO = Path(__file__).resolve().parents[1]
JENA_SHACL = REPO / "scripts" / "jena-shacl"
SH = Namespace("http://www.w3.org/ns/shacl#")
BLANK = "_:"


class Result(NamedTuple):
    """One top-level SHACL result, in terms every engine gives (a blank node is "_:")."""

    focus: str       # sh:focusNode
    shape: str       # sh:sourceShape
    severity: str    # "Violation", "Warning" or "Info"
    component: str   # sh:sourceConstraintComponent, e.g. "MinCountConstraintComponent"
    path: str        # sh:resultPath, "" if none ("_:" for a path other than one property)
    value: str       # sh:value in N-Triples form, "" if none


@dataclass(frozen=True)
class Outcome:
    """One engine's report on one data graph."""

    results: tuple[Result, ...]                       # sorted, duplicates kept
    messages: dict[str, frozenset[tuple[str, str]]]   # source shape -> {(language, text)}
    report: Graph | None = field(default=None, compare=False, repr=False)  # the engine's report graph

    @property
    def violations(self) -> list[Result]:
        return [r for r in self.results if r.severity == "Violation"]

    @property
    def shapes(self) -> set[str]:
        return {r.shape for r in self.results}


def _name(term) -> str:
    if term is None:
        return ""
    return BLANK if isinstance(term, BNode) else str(term)


def _value(term) -> str:
    if term is None:
        return ""
    return BLANK if isinstance(term, BNode) else term.n3()


def outcome_of_report(report: Graph) -> Outcome:
    """The top-level results of a validation report (not pyshacl's nested sh:detail ones)."""
    results, messages = [], {}
    for node in report.objects(None, SH.result):
        result = Result(
            focus=_name(report.value(node, SH.focusNode)),
            shape=_name(report.value(node, SH.sourceShape)),
            severity=str(report.value(node, SH.resultSeverity)).rsplit("#", 1)[-1],
            component=str(report.value(node, SH.sourceConstraintComponent)).rsplit("#", 1)[-1],
            path=_name(report.value(node, SH.resultPath)),
            value=_value(report.value(node, SH.value)),
        )
        results.append(result)
        texts = {(m.language or "", str(m)) for m in report.objects(node, SH.resultMessage) if isinstance(m, Literal)}
        messages[result.shape] = messages.get(result.shape, frozenset()) | texts
    return Outcome(results=tuple(sorted(results)), messages=messages, report=report)


def to_ntriples(graph: Graph, path: Path) -> Path:
    """Write ``graph`` as N-Triples: no prefix survives."""
    path.write_bytes(graph.serialize(format="nt", encoding="utf-8"))
    return path


def read_ntriples(path: Path) -> Graph:
    """An rdflib graph of an N-Triples file that binds no prefix (not even rdflib's defaults)."""
    graph = Graph(bind_namespaces="none")
    graph.parse(path, format="nt")
    return graph


# ---------------------------------------------------------------- pyshacl

def pyshacl_graphs(data: Graph, shapes: Graph) -> Outcome:
    """pyshacl with modgraph's options (no inference, SHACL-AF on) on two rdflib graphs."""
    _, report, text = pyshacl_validate(data, shacl_graph=shapes, inference="none", advanced=True,
                                       allow_warnings=True)
    if not isinstance(report, Graph):
        raise RuntimeError(f"pyshacl could not run the shapes: {text}")
    return outcome_of_report(report)


def pyshacl_ntriples(data_nt: Path, shapes: Graph | Path) -> Outcome:
    """pyshacl on data (and shapes) read from N-Triples: no prefix is bound anywhere."""
    shapes_graph = shapes if isinstance(shapes, Graph) else read_ntriples(shapes)
    return pyshacl_graphs(read_ntriples(data_nt), shapes_graph)


# ---------------------------------------------------------------- pyrudof

pyrudof_missing = shacl_engines.rudof_missing


def pyrudof_ntriples(data_nt: Path, shapes_nt: Path) -> Outcome:
    """rudof's native SHACL engine on N-Triples data and shapes, read strictly (as `modgraph validate` runs it)."""
    return outcome_of_report(shacl_engines.run_rudof(data_nt, shapes_nt, shapes_nt))


# ---------------------------------------------------------------- Jena

jena_missing = shacl_engines.jena_missing


def start_jena(data_nt: Path, shapes_nt: Path) -> subprocess.Popen:
    """Start ``scripts/jena-shacl validate`` on one data file; :func:`finish_jena` reads its report."""
    command = [sys.executable, str(JENA_SHACL), "validate", "--shapes", str(shapes_nt), "--data", str(data_nt)]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8",
                            env={**os.environ, "LC_ALL": "C.UTF-8"})


def finish_jena(process: subprocess.Popen, timeout: int = 600) -> Outcome:
    """Wait for a run started by :func:`start_jena`; its Turtle report as an Outcome."""
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise
    if process.returncode != 0 or "ValidationReport" not in out:
        raise RuntimeError(f"Jena SHACL failed (exit {process.returncode}) on {process.args[-1]}:\n{err[-3000:]}")
    return outcome_of_report(shacl_engines.report_graph(out.encode("utf-8"), ox.RdfFormat.TURTLE))


def jena_ntriples(data_nt: Path, shapes_nt: Path) -> Outcome:
    """Jena SHACL on N-Triples data and shapes (one JVM)."""
    return finish_jena(start_jena(data_nt, shapes_nt))
