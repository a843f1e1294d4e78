"""Problems found in the catalogue's files, each at a file, line and column (``file:line:column: message``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from modgraph.tokens import Scan, TermUse, scan


@dataclass(frozen=True)
class Problem:
    """One problem in one file; ``line`` and ``column`` are 1-based and counted in characters."""

    path: str
    line: int
    column: int
    message: str
    kind: str  # "vocabulary", "literal" or "module-file"

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


_SCANS: dict[tuple[str, int], Scan] = {}


def scanned(path: Path, text: str) -> Scan:
    """The terms and typed literals of a Turtle file (``text`` is its content), scanned once per content."""
    key = (str(path), hash(text))
    if key not in _SCANS:
        _SCANS[key] = scan(text, path.resolve().as_uri())
    return _SCANS[key]


def first_use(found: Scan, iri: str, role: str | None = None) -> TermUse | None:
    """Where ``iri`` first occurs in a scanned file (in ``role`` when one is given and found)."""
    uses = [t for t in found.terms if t.iri == iri]
    preferred = [t for t in uses if t.role == role] if role else []
    return (preferred or uses or [None])[0]
