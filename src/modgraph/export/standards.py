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
SHAPES: dict[str, list[str]] = {
    "cpsv-ap": ["cpsv-ap/cpsv-ap-SHACL.ttl"],
    "schema-org": ["schema-org/schemaorg-shapes.shacl"],
    "skos": ["nl-sbb/skos-ap-nl.ttl"],
    # DCAT-AP-NL is checked together with DCAT-AP (its 152-Validaties: "zowel de DCAT-AP SHACL shapes als
    # de DCAT-AP-NL SHACL shapes"); shapes_recommended and -aanbevolen give warnings only.
    "dcat": ["dcat-ap/dcat-ap-3.0.1/shapes.ttl", "dcat-ap/dcat-ap-3.0.1/range.ttl",
             "dcat-ap/dcat-ap-3.0.1/mdr-vocabularies.shape.ttl", "dcat-ap/dcat-ap-3.0.1/shapes_recommended.ttl",
             "dcat-ap/dcat-ap-nl-3.0.0/dcat-ap-nl-SHACL.ttl",
             "dcat-ap/dcat-ap-nl-3.0.0/dcat-ap-nl-SHACL-klassebereik.ttl",
             "dcat-ap/dcat-ap-nl-3.0.0/dcat-ap-nl-SHACL-klassebereik-codelijsten.ttl",
             "dcat-ap/dcat-ap-nl-3.0.0/dcat-ap-nl-SHACL-aanbevolen.ttl"],
}


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


# The schema.org 30.0 shapes need three things to check what they mean (standards/schema-org/SOURCE.md).
SCHEMA_ORG_SUBCLASSES = "schema-org/schemaorg-subclasses.shacl"
SCHEMA_ORG_DATATYPE_SHAPES = ("Text", "URL", "Boolean", "Date", "DateTime", "Number", "Integer", "Float", "Time",
                              "CssSelectorType", "XPathType", "PronounceableText")


def schema_org_options(root: CatalogueRoot, shapes: Graph, options: dict) -> dict:
    """Patch the loaded schema.org 30.0 shapes and give the pyshacl options schema.org's own check uses.

    1. Release 30.0 generated its data-type shapes (``:ValidSchemaText``, ``:ValidSchemaURL``, ...) with
       ``sh:nodeKind sh:BlankNodeOrIRI``, so every literal value (``schema:name "..."``) is a violation;
       the generator was fixed after the release (schemaorg/schemaorg 7e8b9388) to emit
       ``sh:IRIOrLiteral``. This sets that value on the 12 data-type shapes of ``shapes`` (the copy in
       memory; the file in standards/ stays as published).
    2. A type's shape lists only its own properties (``schema:name`` is checked by ``:ValidSchemaThing``),
       so the data is read with the subclass hierarchy (``schemaorg-subclasses.shacl``) and RDFS inference,
       as schema.org's ``validate_examples_shacl.py`` does, unless the caller gave an ontology.
    3. The shapes nest deeply (a service's related service's category ...): ``max_validation_depth`` 200,
       as in that script (pyshacl's default of 15 stops with "Validation path too deep").
    """
    validation = Namespace("http://schema.org/validation#")
    for name in SCHEMA_ORG_DATATYPE_SHAPES:
        shape = validation[f"ValidSchema{name}"]
        shapes.remove((shape, SH.nodeKind, SH.BlankNodeOrIRI))
        shapes.add((shape, SH.nodeKind, SH.IRIOrLiteral))
    options = dict(options, max_validation_depth=200)
    if options.get("ont_graph") is None:
        options.update(ont_graph=shapes_graph(root, [SCHEMA_ORG_SUBCLASSES]), inference="rdfs")
    return options


def check(graph: Graph, root: CatalogueRoot, profile: str, *, shapes: Graph | None = None,
          ont_graph: Graph | None = None, inference: str = "none") -> CheckReport:
    """Validate ``graph`` against the official shapes of ``profile`` (or the given ``shapes``)."""
    import warnings

    from pyshacl import validate
    from pyshacl.errors import ShapeRecursionWarning

    files = SHAPES.get(profile, [])
    options = {"ont_graph": ont_graph, "inference": inference}
    if shapes is None:
        if not files:
            raise InputError(f"no official shapes are known for the profile '{profile}'", "--profile")
        shapes = shapes_graph(root, files)
        if profile == "schema-org":
            options = schema_org_options(root, shapes, options)
    with warnings.catch_warnings():
        # Recursive shapes (schema.org: a service's related service is a service): pyshacl backs out of
        # the cycle, which is right, and warns on stderr each time, which says nothing to the user.
        warnings.simplefilter("ignore", ShapeRecursionWarning)
        _, results, _ = validate(graph, shacl_graph=shapes, allow_warnings=True, advanced=True, **options)
    report = CheckReport(profile, files)
    # The report's own results only: a failed sh:node nests the inner shape's results under sh:detail,
    # with the inner severities (DCAT-AP's publisher check is a Warning whose details are Violations).
    for result in results.objects(None, SH.result):
        severity = results.value(result, SH.resultSeverity)
        line = " ".join(str(part) for part in (results.value(result, SH.focusNode),
                                                results.value(result, SH.resultPath) or "-",
                                                results.value(result, SH.resultMessage) or "") if part is not None)
        (report.violations if severity == SH.Violation else report.warnings).append(line)
    report.violations.sort()
    report.warnings.sort()
    return report


def _rdflib_formats() -> tuple[dict[str, str], dict[str, str]]:
    """--format value -> rdflib parser, and file suffix -> rdflib parser, from the export formats."""
    from modgraph.export.formats import FORMATS

    by_name = {name: parser for name, (parser, _, _) in FORMATS.items()}
    by_suffix = {suffix: parser for parser, suffix, _ in FORMATS.values()} | {".json": "json-ld", ".xml": "xml"}
    return by_name, by_suffix


def read_export(path, fmt: str | None = None) -> Graph:
    """An export file as a graph (the format from ``fmt`` or the file's suffix); a file that does not
    parse is an InputError naming it."""
    import warnings

    from rdflib import Dataset

    by_name, by_suffix = _rdflib_formats()
    rdf_format = by_name.get(fmt or "") or by_suffix.get(path.suffix.lower())
    if rdf_format is None:
        raise InputError(f"cannot tell the format from the suffix '{path.suffix}': give --format", str(path))
    if not path.is_file():
        raise InputError("no such file" if not path.exists() else "not a file", str(path))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if rdf_format == "trig":
                dataset = Dataset()
                dataset.parse(path, format="trig")
                graph = Graph()
                for s, p, o, _ in dataset.quads():
                    graph.add((s, p, o))
                return graph
            return Graph().parse(path, format=rdf_format)
    except Exception as exc:  # rdflib raises many kinds for a broken file
        raise InputError(f"does not parse as {rdf_format}: {' '.join(str(exc).split())[:200]}", str(path)) from None


def render(report: CheckReport, path) -> str:
    """The check's report: the violations, the warnings, then one verdict line."""
    lines = [f"  Violation {line}" for line in report.violations]
    lines += [f"  Warning   {line}" for line in report.warnings]
    verdict = "conforms" if report.conforms else "does not conform"
    lines.append(f"{path}: {verdict} to {report.profile} ({', '.join(report.shape_files)}): "
                 f"{len(report.violations)} violation(s), {len(report.warnings)} warning(s)")
    return "\n".join(lines)
