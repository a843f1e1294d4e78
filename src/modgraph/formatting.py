"""`modgraph fmt`: rewrite data files in canonical Turtle, or check that they are."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from modgraph.catalogue import parse_turtle
from modgraph.errors import InputError
from modgraph.turtle import CanonicalTurtleError, leading_comments, serialize


def canonical_text(path: Path) -> str:
    """The canonical form of the Turtle file at ``path`` (its leading comment block is kept)."""
    graph = parse_turtle(path)
    header = leading_comments(path.read_text(encoding="utf-8"))
    try:
        return serialize(graph, header)
    except CanonicalTurtleError as exc:
        raise InputError(str(exc), str(path)) from None


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename: never a half-written file."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def format_files(paths: list[Path], *, check: bool) -> list[Path]:
    """Canonicalise ``paths``; return those that were (``check``: would be) changed.

    Every file is parsed before any is written, so a syntax error anywhere changes nothing.
    """
    planned = {path: canonical_text(path) for path in paths}
    changed = [p for p, text in planned.items() if p.read_text(encoding="utf-8") != text]
    if not check:
        for path in changed:
            write_atomically(path, planned[path])
    return changed
