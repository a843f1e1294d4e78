"""The inferred triples: what they were computed from, and a view of the catalogue that is never stale.

`modgraph reason` writes ``inferred/inferred.ttl`` with a header line
``# modgraph-inputs-sha256: HEX``: the SHA-256 of the reasoner's inputs, that is of the lines
``SHA256-OF-FILE  RELATIVE/PATH`` (``sha256sum`` format, sorted by path) of the ontology files the
reasoner sees (all but the shapes and the alignments) and of every data file. A content hash, not
modification times: a copy, a checkout or an edit that is undone does not make the file stale.

Queries answer from asserted + inferred triples. When the recorded hash does not match the files
(or the file is missing), the inferences are computed in memory (the file is not written), one
line on stderr says so, and the answer comes from the fresh inferences; when the reasoner cannot
run, or finds the catalogue inconsistent, the query is refused with one line.
"""

from __future__ import annotations

import hashlib
import re
import sys
from collections.abc import Callable
from pathlib import Path

from rdflib import Graph

from modgraph.catalogue import ALIGNMENTS_FILE, Catalogue, data_files, load, ontology_files
from modgraph.errors import InputError
from modgraph.paths import CatalogueRoot

HASH_KEY = "modgraph-inputs-sha256"
_HASH_LINE = re.compile(rf"^#\s*{HASH_KEY}:\s*([0-9a-f]{{64}})\s*$")


class DataError(InputError):
    """The catalogue's data is wrong (inconsistent, ill-typed): exit 1, like a failed validation."""

    exit_code = 1


def reasoner_inputs(root: CatalogueRoot) -> list[Path]:
    """The files the reasoner reads: the ontology without shapes and alignments, and all data."""
    return ontology_files(root, alignments=False) + data_files(root)


def inputs_sha256(root: CatalogueRoot, digests: dict[Path, str] | None = None) -> str:
    """The SHA-256 of the reasoner's inputs (``digests``: file hashes already computed while loading)."""
    lines = []
    for path in sorted(reasoner_inputs(root), key=root.relative):
        digest = (digests or {}).get(path)
        if digest is None:
            try:
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
            except OSError as exc:
                raise InputError(f"cannot read: {exc.strerror}", str(path)) from None
        lines.append(f"{digest}  {root.relative(path)}\n")
    return hashlib.sha256("".join(lines).encode("utf-8")).hexdigest()


def header_line(sha256: str) -> str:
    """The header line (without ``# ``) that records the inputs' hash in the inferred file."""
    return f"{HASH_KEY}: {sha256}"


def recorded_sha256(path: Path) -> str | None:
    """The inputs' hash recorded in the inferred file at ``path``; None when missing or unreadable."""
    try:
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                if not line.startswith("#"):
                    break
                match = _HASH_LINE.match(line)
                if match:
                    return match.group(1)
    except (OSError, UnicodeDecodeError):
        return None
    return None


def staleness(root: CatalogueRoot, current: str, path: Path | None = None) -> str | None:
    """None when the inferred file records ``current``; else why not ("missing" or "out of date")."""
    path = path or root.inferred
    if not path.is_file():
        return "missing"
    return None if recorded_sha256(path) == current else "out of date"


def _notify_stderr(line: str) -> None:
    print(f"modgraph: {line}", file=sys.stderr)


def load_for_queries(root: CatalogueRoot, *, asserted_only: bool = False,
                     notify: Callable[[str], None] = _notify_stderr) -> Catalogue:
    """The catalogue as queries see it: ontology (with alignments), data and current inferences.

    With ``asserted_only`` the inferences are left out. Otherwise they come from the inferred file
    when it records the current inputs, else from the reasoner, in memory (``notify`` gets one line).
    """
    catalogue = load(root, alignments=False)
    if asserted_only:
        _add_alignments(catalogue)
        return catalogue
    problem = staleness(root, inputs_sha256(root, catalogue.digests))
    if problem is None:
        catalogue.add(root.inferred)
        _add_alignments(catalogue)
        return catalogue
    inferred = _reason_in_memory(catalogue, problem)
    _add_alignments(catalogue)
    catalogue.graph += inferred
    name = root.relative(root.inferred)
    if problem == "missing":
        notify(f"{name} is missing: reasoned in memory; run 'modgraph reason' to write it")
    else:
        notify(f"{name} is out of date with ontology/ and data/: reasoned in memory; "
               "run 'modgraph reason' to update it")
    return catalogue


def _add_alignments(catalogue: Catalogue) -> None:
    for path in ontology_files(catalogue.root):
        if path.name == ALIGNMENTS_FILE and path not in catalogue.texts:
            catalogue.add(path)


def _reason_in_memory(catalogue: Catalogue, problem: str) -> Graph:
    from modgraph import reason
    from modgraph.literals import literal_problems

    name = catalogue.root.relative(catalogue.root.inferred)
    ill_typed = literal_problems(catalogue)
    if ill_typed:
        more = f" (and {len(ill_typed) - 1} more)" if len(ill_typed) > 1 else ""
        raise DataError(f"{name} is {problem} and the reasoner cannot run on ill-typed data: {ill_typed[0]}{more}; "
                        "`modgraph validate` lists every problem (or use --asserted-only)")
    try:
        result = reason.run(catalogue.graph)
    except InputError as exc:
        raise InputError(f"{name} is {problem} and the reasoner cannot run: {exc}; "
                         "use --asserted-only to query without inferences") from None
    if not result.consistent:
        raise DataError(f"{name} is {problem} and the catalogue is inconsistent: "
                        "run 'modgraph reason' to see why (or use --asserted-only)")
    return result.inferred
