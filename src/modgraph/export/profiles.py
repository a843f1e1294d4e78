"""Export profiles: each a folder ``profiles/NAME/`` that maps the core graph to a standard.

A profile folder holds SPARQL CONSTRUCT queries (``*.rq``, each opening with a header that says what it
maps, as the named queries do) and static Turtle (``*.ttl``: what the catalogue does not hold but the
standard needs, such as a concept scheme's description). The profile's graph is the union of the
static files and of every CONSTRUCT's answer over the catalogue as queries see it (asserted +
inferred), run on the engine the command was given.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from modgraph.catalogue import parse_turtle
from modgraph.engines import Engine
from modgraph.errors import InputError
from modgraph.namespaces import PREFIXES
from modgraph.paths import CatalogueRoot, list_files


def names(root: CatalogueRoot) -> list[str]:
    """The profiles of the catalogue at ``root`` (folder names under ``profiles/``)."""
    folder = root.profiles
    return sorted(p.name for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []


NOT_RDF = {"hsds"}  # profiles written as JSON and CSV by their own module (modgraph.export.hsds)


def rdf_names(root: CatalogueRoot) -> list[str]:
    """The profiles whose output is an RDF graph (written in any RDF format)."""
    return [name for name in names(root) if name not in NOT_RDF]


def profile_folder(root: CatalogueRoot, name: str) -> Path:
    """The folder of profile ``name``; an unknown name is an InputError listing the known ones."""
    known = names(root)
    if name not in known:
        raise InputError(f"unknown profile '{name}' (one of: {', '.join(known) or 'none'})", "--profile")
    return root.profiles / name


def build(engine: Engine, root: CatalogueRoot, name: str, *, timeout: float | None = None) -> Graph:
    """The graph of profile ``name``: its static Turtle plus its CONSTRUCT queries' answers."""
    folder = profile_folder(root, name)
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True)
    for path in list_files(folder, ".ttl"):
        graph += parse_turtle(path)
    for path in list_files(folder, ".rq"):
        answer = engine.run(path.read_text(encoding="utf-8"), source=str(path), timeout=timeout)
        if answer.graph is None:
            raise InputError("a profile query must be a CONSTRUCT query", str(path))
        graph += answer.graph
    return graph
