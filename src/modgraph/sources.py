"""What a query engine loads: the catalogue's files as queries see them, and included folders.

Queries see the ontology (with the alignments, without the SHACL shapes), the data, the current
inferred triples (see :mod:`modgraph.inferred`) and the RDF files of folders given with
``--include`` (for example a ``modgraph synth`` output: N-Triples, Turtle). When the inferred file is
stale, the inferences are computed in memory and handed on as a graph.

Each source file is identified by its path and the SHA-256 of its bytes; :func:`inputs_digest`
combines them, so an on-disk store knows when it must be rebuilt (a content hash, not modification
times: a checkout or an undone edit does not count as a change).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from modgraph.errors import InputError
from modgraph.paths import CatalogueRoot, list_files

INCLUDED_SUFFIXES = (".nt", ".ttl")


@dataclass
class QuerySources:
    """The files (and in-memory inferences) one engine loads."""

    root: CatalogueRoot
    turtle: list[Path]                                      # the catalogue's own Turtle files
    included: list[Path] = field(default_factory=list)      # files of --include folders
    graph: Graph | None = None  # instead of ``turtle``: the whole catalogue, reasoned in memory (stale inferred file)
    asserted_only: bool = False

    @property
    def files(self) -> list[Path]:
        return self.turtle + self.included


def included_files(folders: Iterable[str | os.PathLike]) -> list[Path]:
    """The ``.nt`` and ``.ttl`` files under each of ``folders``, each folder's files sorted.

    A folder that does not exist, cannot be read, or holds no RDF file is an InputError naming it
    (``--include``): a query must never answer from less than the user asked for.
    """
    found: list[Path] = []
    for folder in folders:
        path = Path(folder)
        if not path.is_dir():
            raise InputError("not a folder" if path.exists() else "no such folder", f"--include {folder}")
        files = [f for suffix in INCLUDED_SUFFIXES for f in list_files(path, suffix)]
        if not files:
            raise InputError("the folder holds no .nt or .ttl file", f"--include {folder}")
        found += sorted(files, key=lambda p: p.as_posix())
    return found


def query_sources(root: CatalogueRoot, *, include: Iterable[str | os.PathLike] = (), asserted_only: bool = False,
                  notify: Callable[[str], None] | None = None) -> QuerySources:
    """The sources of the catalogue as queries see it (see :func:`modgraph.inferred.load_for_queries`).

    Only when the inferred file is stale is the catalogue parsed here (by rdflib, for the reasoner);
    otherwise the files are listed and hashed, and the engine parses them itself.
    """
    from modgraph.catalogue import ontology_files
    from modgraph.inferred import inputs_sha256, load_for_queries, staleness

    included = included_files(include)
    turtle = ontology_files(root) + list(root.files.data)
    if asserted_only:
        return QuerySources(root, turtle, included, asserted_only=True)
    if staleness(root, inputs_sha256(root)) is None:
        return QuerySources(root, turtle + [root.inferred], included)
    kwargs = {"notify": notify} if notify else {}
    catalogue = load_for_queries(root, **kwargs)  # reasons in memory and says so in one line
    return QuerySources(root, list(catalogue.files), included, graph=catalogue.graph)


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes (read in blocks: included files can be gigabytes)."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", str(path)) from None
    return digest.hexdigest()
