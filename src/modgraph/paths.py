"""Where the catalogue's folders are: a given root, the copy embedded in the package, or the source tree."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from modgraph.errors import InputError

_PACKAGE_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class CatalogueRoot:
    """The folders of one catalogue: ``ontology/``, ``data/`` and ``queries/``."""

    root: Path

    @property
    def ontology(self) -> Path:
        return self.root / "ontology"

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def queries(self) -> Path:
        return self.root / "queries"

    @property
    def shapes(self) -> Path:
        return self.ontology / "shapes.ttl"

    @property
    def inferred(self) -> Path:
        """The inferred triples written by `modgraph reason` (asserted + inferred is the default view)."""
        return self.root / "inferred" / "inferred.ttl"


def find_root(explicit: str | os.PathLike | None = None) -> CatalogueRoot:
    """Return the catalogue to work on.

    Order: ``explicit`` (the ``--root`` option), ``$MODGRAPH_ROOT``, the copy embedded in the
    installed package, then the source tree the package was installed from (editable installs).
    """
    candidates = []
    if explicit is not None:
        candidates.append(("--root", Path(explicit)))
    elif os.environ.get("MODGRAPH_ROOT"):
        candidates.append(("MODGRAPH_ROOT", Path(os.environ["MODGRAPH_ROOT"])))
    else:
        candidates.append(("embedded catalogue", _PACKAGE_DIR / "_catalogue"))
        candidates.append(("source tree", _PACKAGE_DIR.parent.parent))
    for origin, path in candidates:
        if (path / "ontology").is_dir() and (path / "data").is_dir():
            return CatalogueRoot(path.resolve())
        if origin in ("--root", "MODGRAPH_ROOT"):
            raise InputError("not a catalogue: it needs the folders ontology/ and data/", f"{origin} {path}")
    raise InputError("no catalogue found: pass --root DIR (a folder with ontology/ and data/)")
