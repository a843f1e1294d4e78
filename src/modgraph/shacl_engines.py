"""The SHACL engines `modgraph validate` can run, and which one runs (``--shacl-engine``).

- ``pyshacl``: the reference. Its reports on the catalogue are what curators know; it parses the
  data into rdflib, and at 10^5 triples it needs minutes (the SPARQL-based rules), so it is used
  for the catalogue alone.
- ``jena``: Jena SHACL 4.5 of Debian's ``libapache-jena-java``, run by ``scripts/jena-shacl`` (one
  JVM per data graph; the two graphs of one validation run side by side).
- ``rudof``: rudof's native engine (PyPI ``pyrudof``), in process.

``auto`` picks pyshacl for the catalogue alone (up to :data:`AUTO_PYSHACL_MAX_TRIPLES` triples),
Jena for more or with included data, else rudof
(measured in docs/shapes.md: at 10^6 triples Jena takes about 40 s and 0.4 GB per graph, rudof
about 130 s and 11 GB, pyshacl does not finish). Jena and rudof read N-Triples files written by
:mod:`modgraph.validate`; every engine's answer is a SHACL validation report as an rdflib graph,
which :mod:`modgraph.validate` turns into the same findings whatever the engine.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from modgraph.engines.convert import to_rdflib
from modgraph.errors import InputError

ENGINES = ("auto", "pyshacl", "rudof", "jena")
AUTO_PYSHACL_MAX_TRIPLES = 20_000  # the catalogue alone is ~7,700; pyshacl takes ~10 s there, minutes at 10^5
JENA_PACKAGE = "libapache-jena-java"
_SOURCE_TREE_SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "jena-shacl"


def jena_script() -> Path | None:
    """``scripts/jena-shacl`` of the source tree, or ``jena-shacl`` on PATH, or None."""
    if _SOURCE_TREE_SCRIPT.is_file():
        return _SOURCE_TREE_SCRIPT
    found = shutil.which("jena-shacl")
    return Path(found) if found else None


def jena_missing() -> str | None:
    """Why Jena SHACL cannot run here, or None."""
    if jena_script() is None:
        return "scripts/jena-shacl is not here (it comes with the source tree)"
    if shutil.which("dpkg") is None:
        return "not a Debian system: Jena SHACL is run from Debian's libapache-jena-java"
    listed = subprocess.run(["dpkg", "-s", JENA_PACKAGE], capture_output=True, text=True)
    if listed.returncode != 0 or "Status: install ok installed" not in listed.stdout:
        return f"{JENA_PACKAGE} is not installed (apt-get install {JENA_PACKAGE})"
    return None


def rudof_missing() -> str | None:
    """Why pyrudof cannot run here, or None."""
    try:
        import pyrudof  # noqa: F401
    except ImportError as exc:
        return f"pyrudof is not installed ({exc})"
    return None


def choose(requested: str, triples: int, *, included: bool = False) -> str:
    """The engine to run for ``--shacl-engine requested`` on a data graph of ``triples`` triples.

    ``auto``: pyshacl for the catalogue alone up to :data:`AUTO_PYSHACL_MAX_TRIPLES`; with
    ``included`` data (pyshacl took 190 s for the catalogue and 3 synthetic providers, 12,000
    triples) or above that size, Jena when it can run, else rudof, else pyshacl. An engine asked
    for by name that cannot run is an InputError.
    """
    if requested not in ENGINES:
        raise InputError(f"unknown SHACL engine {requested!r}: choose one of {', '.join(ENGINES)}", "--shacl-engine")
    if requested == "auto":
        if not included and triples <= AUTO_PYSHACL_MAX_TRIPLES:
            return "pyshacl"
        for name, missing in (("jena", jena_missing), ("rudof", rudof_missing)):
            if missing() is None:
                return name
        return "pyshacl"
    missing = {"jena": jena_missing, "rudof": rudof_missing}.get(requested)
    reason = missing() if missing else None
    if reason:
        raise InputError(f"the SHACL engine {requested} cannot run: {reason}", "--shacl-engine")
    return requested


def run_pyshacl(data: Graph, shapes: Graph, shapes_path: Path) -> Graph:
    """pyshacl with modgraph's options (no inference, SHACL-AF on); its report graph."""
    from pyshacl import validate as shacl_validate

    try:
        _, results, _ = shacl_validate(data, shacl_graph=shapes, inference="none", advanced=True,
                                       allow_warnings=True)
    except Exception as exc:  # noqa: BLE001 - pyshacl fails on values it cannot compare; one line, not a traceback
        raise InputError(f"the shapes cannot be run: {type(exc).__name__}: {exc}", str(shapes_path)) from None
    if not isinstance(results, Graph):  # pyshacl returns a ValidationFailure for broken shapes
        raise InputError(f"the shapes cannot be run: {results}", str(shapes_path))
    return results


def run_rudof(data_nt: Path, shapes_nt: Path, shapes_path: Path) -> Graph:
    """rudof's native SHACL engine on N-Triples data and shapes; its report graph."""
    import pyrudof

    try:
        rudof = pyrudof.Rudof(pyrudof.RudofConfig())
        rudof.read_data(str(data_nt), format=pyrudof.RDFFormat.NTriples, reader_mode=pyrudof.ReaderMode.Strict)
        rudof.read_shacl(str(shapes_nt), format=pyrudof.ShaclFormat.NTriples, reader_mode=pyrudof.ReaderMode.Strict)
        rudof.validate_shacl(mode=pyrudof.ShaclValidationMode.Native)
        text = rudof.serialize_shacl_validation_results(format=pyrudof.ResultShaclValidationFormat.NTriples)
    except Exception as exc:  # noqa: BLE001 - pyrudof raises its own types; one line, not a traceback
        raise InputError(f"the shapes cannot be run by rudof: {type(exc).__name__}: {exc}", str(shapes_path)) from None
    return report_graph(text.encode("utf-8"), ox.RdfFormat.N_TRIPLES)


def start_jena(data_nt: Path, shapes_nt: Path) -> subprocess.Popen:
    """Start Jena SHACL on one N-Triples data file; :func:`finish_jena` reads its report."""
    script = jena_script()
    if script is None:
        raise InputError(f"the SHACL engine jena cannot run: {jena_missing()}", "--shacl-engine")
    command = [sys.executable, str(script), "validate", "--shapes", str(shapes_nt), "--data", str(data_nt)]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, "LC_ALL": "C.UTF-8"}, start_new_session=True)


def finish_jena(process: subprocess.Popen, shapes_path: Path) -> Graph:
    """Wait for a run started by :func:`start_jena`; its report graph."""
    out, err = process.communicate()
    if process.returncode != 0 or b"ValidationReport" not in out:
        last = (err.decode("utf-8", "replace").strip().splitlines() or ["(no message)"])[-1]
        raise InputError(f"Jena SHACL failed (exit {process.returncode}): {last}", str(shapes_path))
    return report_graph(out, ox.RdfFormat.TURTLE)


def run_jena(jobs: list[tuple[Path, Path]], shapes_path: Path) -> list[Graph]:
    """Jena SHACL on each (data, shapes) pair of N-Triples files, all at once (one JVM each)."""
    processes: list[subprocess.Popen] = []
    try:
        for data_nt, shapes_nt in jobs:
            processes.append(start_jena(data_nt, shapes_nt))
        return [finish_jena(process, shapes_path) for process in processes]
    finally:  # Ctrl-C, SIGTERM or a failed run: no JVM outlives the command
        for process in processes:
            if process.poll() is None:
                _kill(process)


def _kill(process: subprocess.Popen) -> None:
    import signal

    try:
        os.killpg(process.pid, signal.SIGKILL)
    except OSError:
        process.kill()
    process.communicate()


def report_graph(data: bytes, fmt: ox.RdfFormat) -> Graph:
    """An engine's report as an rdflib graph, parsed by pyoxigraph (a report at scale can be large)."""
    graph = Graph()
    add = graph.add
    for triple in ox.parse(data, format=fmt):
        add((to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object)))
    return graph
