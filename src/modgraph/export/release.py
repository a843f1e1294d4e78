"""``modgraph release VERSION``: every export of one version of the catalogue in ``dist/VERSION/``.

The release is the catalogue with the ontology's ``owl:versionIRI`` (``https://w3id.org/modgraph/def/
VERSION``), ``owl:versionInfo`` and ``dcterms:modified`` (the release date) set; every format and every
profile is written from that graph, the profiles' DCAT description of the dataset among them, and a
``SHA256SUMS`` list closes it. The folder is built beside its place and renamed into it when whole; an
existing release is never overwritten.
"""

from __future__ import annotations

import datetime
import hashlib
import os
import re
import shutil
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, XSD

from modgraph.engines import Engine, from_graph
from modgraph.errors import InputError
from modgraph.export import core, formats, profiles
from modgraph.paths import CatalogueRoot

ONTOLOGY = URIRef("https://w3id.org/modgraph/def")
VERSION = re.compile(r"^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?$")  # semantic versioning, e.g. 1.0.0 or 1.1.0-rc.1
CHECKSUMS = "SHA256SUMS"


def check_version(version: str) -> str:
    """``version`` if it is a semantic version (MAJOR.MINOR.PATCH, optional -pre-release); else an InputError."""
    if not VERSION.match(version or ""):
        raise InputError(f"'{version[:40]}' is not a version such as 1.0.0 or 1.1.0-rc.1", "VERSION")
    return version


def set_version(graph: Graph, version: str, date: datetime.date) -> None:
    """Give the ontology in ``graph`` the release's version IRI, version and modification date."""
    for prop in (OWL.versionIRI, OWL.versionInfo, DCTERMS.modified):
        graph.remove((ONTOLOGY, prop, None))
    graph.add((ONTOLOGY, OWL.versionIRI, URIRef(f"{ONTOLOGY}/{version}")))
    graph.add((ONTOLOGY, OWL.versionInfo, Literal(version)))
    graph.add((ONTOLOGY, DCTERMS.modified, Literal(date.isoformat(), datatype=XSD.date)))


def release(engine: Engine, root: CatalogueRoot, version: str, dist: Path, *, date: datetime.date,
            timeout: float | None = None) -> tuple[Path, list[Path]]:
    """Write release ``version`` into ``dist/version``; the folder and the files in it."""
    check_version(version)
    target = Path(dist) / version
    if target.exists():
        raise InputError("this release exists already: a release is never overwritten", str(target))
    graph = engine.to_graph()
    set_version(graph, version, date)
    staging = Path(dist) / f".{version}.building-{os.getpid()}"
    try:
        staging.mkdir(parents=True, exist_ok=False)
    except FileExistsError:
        shutil.rmtree(staging)
        staging.mkdir()
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror}", str(dist)) from None
    try:
        with from_graph(graph) as released:
            for fmt, (_, suffix, _) in formats.FORMATS.items():
                core.write(released, root, fmt, staging / f"modgraph{suffix}", timeout=timeout)
            core.write(released, root, "csv", staging / "modgraph.csv", timeout=timeout)
            if "hsds" in profiles.names(root):
                (staging / "hsds").mkdir()
                for fmt in ("json", "csv"):
                    core.write(released, root, fmt, staging / "hsds" / fmt, profile="hsds", timeout=timeout)
            (staging / "profiles").mkdir()
            for name in profiles.rdf_names(root):
                for fmt in ("ttl", "jsonld"):
                    suffix = formats.FORMATS[fmt][1]
                    core.write(released, root, fmt, staging / "profiles" / f"{name}{suffix}", profile=name,
                               timeout=timeout)
        files = sorted(p for p in staging.rglob("*") if p.is_file())
        lines = [f"{_sha256(p)}  {p.relative_to(staging).as_posix()}\n" for p in files]
        (staging / CHECKSUMS).write_text("".join(lines), encoding="utf-8")
        os.rename(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target, [target / p.relative_to(staging) for p in files] + [target / CHECKSUMS]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
