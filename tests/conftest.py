"""Shared helpers: temporary catalogue roots, the `modgraph` command, and the SHACL fixtures.

A fixture root is a temporary folder with a copy of the real ``ontology/``, ``data/vocab/`` and
``data/documents/`` and one fixture file under ``data/modules/``. Validating one root takes about a
second of pyshacl, so the fixture roots are validated once per session, in a few worker processes,
and only for the fixtures the selected tests use.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import RDF, Graph, Literal, Namespace, URIRef

from modgraph import catalogue as catalogue_mod
from modgraph import validate
from modgraph.namespaces import BASE, PREFIXES
from modgraph.paths import CatalogueRoot

REPO = Path(__file__).resolve().parents[1]
TESTS = Path(__file__).resolve().parent
VALID = TESTS / "data" / "valid"
INVALID = TESTS / "data" / "invalid"

SH = Namespace("http://www.w3.org/ns/shacl#")
MGSH = "https://w3id.org/modgraph/def/shapes#"

# Where a fixture file goes inside a fixture root.
FIXTURE_DIR = Path("data") / "modules" / "test"

_EXPECT = re.compile(r"^#\s*expect:\s*(\S+)\s*$")


# ---------------------------------------------------------------- the `modgraph` command

def modgraph_command() -> list[str]:
    """The installed `modgraph` script of the interpreter running the tests, else ``python -m``."""
    script = Path(sys.executable).parent / "modgraph"
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-m", "modgraph.cli"]


def run_modgraph(*args: str, cwd: Path | None = None, timeout: int = 300) -> subprocess.CompletedProcess:
    """Run `modgraph ARGS`; MODGRAPH_ROOT is removed so only --root decides the catalogue."""
    env = {k: v for k, v in os.environ.items() if k != "MODGRAPH_ROOT"}
    return subprocess.run(
        [*modgraph_command(), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout,
    )


# ---------------------------------------------------------------- catalogue roots

def copy_template(dest: Path) -> Path:
    """A catalogue root at ``dest`` with the real ontology, vocabularies and documents, no modules."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(REPO / "ontology", dest / "ontology")
    (dest / "data" / "modules").mkdir(parents=True)
    for folder in ("vocab", "documents"):
        shutil.copytree(REPO / "data" / folder, dest / "data" / folder)
    return dest


def make_root(template: Path, dest: Path, files: dict[str, Path | str] | None = None) -> Path:
    """Copy ``template`` to ``dest`` and add ``files`` (relative path -> source file or text)."""
    shutil.copytree(template, dest)
    for relative, source in (files or {}).items():
        target = dest / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(source, Path):
            shutil.copyfile(source, target)
        else:
            target.write_text(source, encoding="utf-8")
    return dest


@pytest.fixture(scope="session")
def template_root(tmp_path_factory) -> Path:
    """One copy of the real ontology/vocab/documents per session; roots are copied from it."""
    return copy_template(tmp_path_factory.mktemp("template") / "root")


@pytest.fixture(scope="session")
def root() -> CatalogueRoot:
    """The real catalogue (this repository); a test module with a ``root`` of its own overrides it."""
    return CatalogueRoot(REPO)


def module_iri(slug: str) -> URIRef:
    """A module's IRI from its slug (``amw/intake``)."""
    return URIRef(f"https://w3id.org/modgraph/id/module/{slug}")


@pytest.fixture
def root_factory(template_root, tmp_path):
    """``root_factory(files)``: a fresh catalogue root in tmp_path with ``files`` added."""
    counter = iter(range(1000))

    def factory(files: dict[str, Path | str] | None = None) -> Path:
        return make_root(template_root, tmp_path / f"root{next(counter)}", files)

    return factory


# ---------------------------------------------------------------- shapes

def shapes_graph() -> Graph:
    return Graph().parse(REPO / "ontology" / "shapes.ttl", format="turtle")


def messaged_shapes(graph: Graph | None = None) -> dict[str, str]:
    """Every shape or SPARQL constraint with an sh:message: IRI -> its English message."""
    graph = graph if graph is not None else shapes_graph()
    out = {}
    for subject in set(graph.subjects(SH.message)):
        if isinstance(subject, URIRef):
            messages = [m for m in graph.objects(subject, SH.message) if isinstance(m, Literal)]
            english = [str(m) for m in messages if m.language == "en"]
            out[str(subject)] = english[0] if english else str(messages[0])
    return out


def shape_severities(graph: Graph | None = None) -> dict[str, str]:
    """Shape IRI -> the severity its results carry (sh:severity, default Violation)."""
    graph = graph if graph is not None else shapes_graph()
    return {
        iri: str(graph.value(URIRef(iri), SH.severity) or SH.Violation).rsplit("#", 1)[-1]
        for iri in messaged_shapes(graph)
    }


def expected_shapes(path: Path) -> list[str]:
    """The shapes a fixture's leading ``# expect: mgsh:NAME`` lines name, as full IRIs."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        match = _EXPECT.match(line)
        if match:
            out.append(expand(match.group(1)))
    return out


def expand(name: str) -> str:
    """``mgsh:X`` / ``<iri>`` / ``prefix:local`` -> full IRI."""
    if name.startswith("<") and name.endswith(">"):
        text = name[1:-1]
        return text if "://" in text else BASE + text
    prefix, sep, local = name.partition(":")
    namespaces = {**PREFIXES, "mgsh": MGSH}
    if sep and prefix in namespaces:
        return namespaces[prefix] + local
    return name


def short(iri: str) -> str:
    return "mgsh:" + iri[len(MGSH):] if iri.startswith(MGSH) else iri


# ---------------------------------------------------------------- validating fixture roots

@dataclass(frozen=True)
class Outcome:
    """What validating one root gave: modgraph's report and, per finding owner, its file."""

    report: validate.Report
    owner_files: dict          # URIRef -> path relative to the root (or None)
    rendered: str

    def rule_of(self, finding: validate.Finding) -> str:
        return expand(finding.shape)


def validate_root(root: Path) -> Outcome:
    """``modgraph.validate.run`` over the catalogue at ``root`` (asserted triples, no reasoner)."""
    catalogue_root = CatalogueRoot(root.resolve())
    cat = catalogue_mod.load(catalogue_root)
    report = validate.run(cat, catalogue_root.shapes)
    owner_files = {}
    for finding in report.findings:
        path = cat.file_of(finding.owner)
        owner_files[finding.owner] = str(path.relative_to(catalogue_root.root)) if path else None
    return Outcome(report=report, owner_files=owner_files, rendered=validate.render(report, cat))


def _validate_fixture(template: str, fixture: str | None, dest: str) -> Outcome:
    files = {str(FIXTURE_DIR / Path(fixture).name): Path(fixture)} if fixture else {}
    return validate_root(make_root(Path(template), Path(dest), files))


def fixture_files() -> list[Path]:
    return sorted(VALID.glob("*.ttl")) + sorted(INVALID.glob("*.ttl"))


def fixture_id(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


class _Immediate:
    """A stand-in for a process pool where fork is not available: runs the job at once."""

    def submit(self, fn, *args):
        future = Future()
        try:
            future.set_result(fn(*args))
        except BaseException as exc:  # noqa: BLE001 - handed to the test through the future
            future.set_exception(exc)
        return future

    def shutdown(self, wait=True, cancel_futures=False):
        pass


@pytest.fixture(scope="session")
def fixture_outcomes(request, template_root, tmp_path_factory):
    """Validation outcomes of the selected fixture files, and of the template root (key None).

    Roots are validated in worker processes, started once for the session. A test reads its
    outcome with ``fixture_outcomes[path].result()``.
    """
    wanted = set()
    for item in request.session.items:
        callspec = getattr(item, "callspec", None)
        if callspec is not None and isinstance(callspec.params.get("fixture_file"), Path):
            wanted.add(callspec.params["fixture_file"])
    workers = min(4, os.cpu_count() or 1)
    if workers > 1 and "fork" in multiprocessing.get_all_start_methods():
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"))
    else:
        pool = _Immediate()
    base = tmp_path_factory.mktemp("fixture-roots")
    futures = {None: pool.submit(_validate_fixture, str(template_root), None, str(base / "baseline"))}
    for path in sorted(wanted):
        futures[path] = pool.submit(_validate_fixture, str(template_root), str(path), str(base / fixture_id(path)))
    yield futures
    pool.shutdown(wait=True, cancel_futures=True)


def tree_snapshot(root: Path) -> dict[str, tuple]:
    """Every file and folder under ``root`` with its content and modification time."""
    out = {}
    for path in sorted(root.rglob("*")):
        stat = path.stat()
        key = str(path.relative_to(root))
        if path.is_dir():
            out[key] = ("dir", stat.st_mode)
        else:
            out[key] = ("file", path.read_bytes(), stat.st_mtime_ns, stat.st_mode)
    return out


def modules_in(graph: Graph) -> set:
    return set(graph.subjects(RDF.type, URIRef(PREFIXES["mg"] + "Module")))


def build_profile(name: str, **engine_options):
    """The graph of export profile ``name`` (profiles/NAME) over the repository's catalogue."""
    from modgraph.engines import open_engine
    from modgraph.export import profiles

    root = CatalogueRoot(REPO)
    with open_engine(root, **engine_options) as engine:
        return profiles.build(engine, root, name, timeout=300)
