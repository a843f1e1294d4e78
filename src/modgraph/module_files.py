"""One file per module, in its werksoort's folder: ``data/modules/amw/SLUG.ttl`` holds ``<module/amw/SLUG>``.

A module stated in two files merges silently in the graph and a report would blame the first file;
a BMW module filed under ``data/modules/amw/`` misleads every curator who looks for it. Both are
reported on the file that breaks the rule.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import RDF, URIRef

from modgraph.catalogue import Catalogue
from modgraph.namespaces import BASE, MG_NS
from modgraph.problems import Problem, first_use, scanned

MODULE = URIRef(MG_NS + "Module")
WERKSOORT = URIRef(MG_NS + "werksoort")


def _where(catalogue: Catalogue, path: Path, module: URIRef) -> tuple[int, int]:
    use = first_use(scanned(path, catalogue.texts[path]), str(module), "subject")
    return (use.line, use.column) if use else (1, 1)


def _short(term) -> str:
    text = str(term)
    return f"<{text[len(BASE):]}>" if text.startswith(BASE) else f"<{text}>"


def module_file_problems(catalogue: Catalogue) -> list[Problem]:
    """Modules stated in more than one file, and module files in another werksoort's folder."""
    graph, root = catalogue.graph, catalogue.root
    modules = set(graph.subjects(RDF.type, MODULE))
    data_files = set(root.files.data)
    data = [p for p in catalogue.files if p in data_files]
    problems = []
    for module in sorted(modules):
        own = catalogue.file_of(module)
        for path in data:
            if path != own and module in catalogue.file_subjects.get(path, ()):
                line, column = _where(catalogue, path, module)
                where = root.relative(own) if own else "another file"
                problems.append(Problem(
                    root.relative(path), line, column,
                    f"module {_short(module)} is already defined in {where}: one file per module "
                    "(move these statements there)", "module-file"))
    modules_dir = root.data / "modules"
    for path in data:
        try:
            folder = path.relative_to(modules_dir).parts[0]
        except ValueError:
            continue
        expected = URIRef(f"{BASE}werksoort/{folder}")
        if (expected, RDF.type, URIRef(MG_NS + "Werksoort")) not in graph:
            continue  # not a werksoort's folder (test fixtures live in data/modules/test/)
        for module in sorted(modules & catalogue.file_subjects.get(path, set())):
            stated = sorted(graph.objects(module, WERKSOORT))
            iri_folder = str(module)[len(f"{BASE}module/"):].split("/", 1)[0] if str(module).startswith(
                f"{BASE}module/") else folder
            wrong = [w for w in stated if w != expected]
            if wrong or iri_folder != folder:
                other = str(wrong[0]).rsplit("/", 1)[-1] if wrong else iri_folder
                line, column = _where(catalogue, path, module)
                problems.append(Problem(
                    root.relative(path), line, column,
                    f"module {_short(module)} is a {other.upper()} module but its file is in data/modules/{folder}/: "
                    f"move it to data/modules/{other}/", "module-file"))
    return problems
