"""Checking an export against the standards' own SHACL shapes (``standards/`` in the catalogue).

:data:`SHAPES` says which official files check which profile; :func:`check` validates a profile's
graph with pyshacl (the exports are catalogue-sized: pyshacl's verdicts are the reference) and gives
the violations and warnings. Nothing is fetched: ``owl:imports`` are not followed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Graph, Namespace

from modgraph.errors import InputError
from modgraph.paths import CatalogueRoot

SH = Namespace("http://www.w3.org/ns/shacl#")

# Profile name -> the official shape files (relative to standards/) it must satisfy, all at once.
SHAPES: dict[str, list[str]] = {}


@dataclass
class CheckReport:
    """The outcome of checking one profile's graph against its official shapes."""

    profile: str
    shape_files: list[str]
    violations: list[str] = field(default_factory=list)   # one line each: focus node, path, message
    warnings: list[str] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        return not self.violations


def shapes_graph(root: CatalogueRoot, files: list[str]) -> Graph:
    """The union of the official shape files ``files`` (relative to the catalogue's ``standards/``)."""
    graph = Graph()
    for relative in files:
        path = root.root / "standards" / relative
        if not path.is_file():
            raise InputError("the standard's shapes are missing", str(path))
        graph.parse(path, format="turtle")
    return graph


def check(graph: Graph, root: CatalogueRoot, profile: str, *, shapes: Graph | None = None,
          ont_graph: Graph | None = None, inference: str = "none") -> CheckReport:
    """Validate ``graph`` against the official shapes of ``profile`` (or the given ``shapes``)."""
    from pyshacl import validate

    files = SHAPES.get(profile, [])
    if shapes is None:
        if not files:
            raise InputError(f"no official shapes are known for the profile '{profile}'", "--profile")
        shapes = shapes_graph(root, files)
    _, results, _ = validate(graph, shacl_graph=shapes, ont_graph=ont_graph, inference=inference,
                             allow_warnings=True, advanced=True)
    report = CheckReport(profile, files)
    for result in results.subjects(SH.resultSeverity, None):
        severity = results.value(result, SH.resultSeverity)
        line = " ".join(str(part) for part in (results.value(result, SH.focusNode),
                                                results.value(result, SH.resultPath) or "-",
                                                results.value(result, SH.resultMessage) or "") if part is not None)
        (report.violations if severity == SH.Violation else report.warnings).append(line)
    report.violations.sort()
    report.warnings.sort()
    return report
