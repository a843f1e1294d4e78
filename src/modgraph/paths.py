"""Where the catalogue's folders are: a given root, the copy embedded in the package, or the source tree."""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from functools import cached_property
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
    def profiles(self) -> Path:
        """The export profiles: one folder per profile (``modgraph export --profile NAME``)."""
        return self.root / "profiles"

    @property
    def inferred(self) -> Path:
        """The inferred triples written by `modgraph reason` (asserted + inferred is the default view)."""
        return self.root / "inferred" / "inferred.ttl"

    @cached_property
    def files(self) -> CatalogueFiles:
        """The catalogue's files, listed once; an unreadable path is an InputError (see :func:`list_files`)."""
        return CatalogueFiles(
            ontology=list_files(self.ontology, ".ttl"),
            data=list_files(self.data, ".ttl"),
            queries=list_files(self.queries, ".rq") if os.path.lexists(self.queries) else [],
        )

    def relative(self, path: Path) -> str:
        """``path`` relative to the catalogue root (as in reports), or as given when outside it."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)


@dataclass(frozen=True)
class CatalogueFiles:
    """The files of one catalogue, each list in a stable order."""

    ontology: list[Path]  # ontology/**/*.ttl (the SHACL shapes included)
    data: list[Path]      # data/**/*.ttl
    queries: list[Path]   # queries/**/*.rq


def list_files(folder: Path, suffix: str) -> list[Path]:
    """Every regular file named ``*suffix`` under ``folder``, sorted; nothing is skipped silently.

    Every entry under ``folder`` is looked at, whatever its name: a folder that cannot be read, a
    symbolic link that points nowhere (or into a loop) and anything that is not a regular file or
    a folder (a fifo, socket or device) raise an InputError naming the path, so that no command
    answers from part of the catalogue. Symbolic links to files and folders are followed.
    """
    found: list[Path] = []
    _walk(Path(folder), suffix, found, set())
    return sorted(found, key=lambda p: p.as_posix())


def _walk(folder: Path, suffix: str, found: list[Path], seen: set) -> None:
    try:
        info = os.stat(folder)
    except OSError as exc:
        raise InputError(_os_problem(exc, folder), str(folder)) from None
    if not stat.S_ISDIR(info.st_mode):
        raise InputError("not a folder", str(folder))
    key = (info.st_dev, info.st_ino)
    if key in seen:
        raise InputError("a symbolic link loops back to a folder that contains it", str(folder))
    try:
        with os.scandir(folder) as entries:
            names = sorted(entry.name for entry in entries)
    except OSError as exc:
        raise InputError(f"cannot read this folder: {exc.strerror}", str(folder)) from None
    for name in names:
        path = folder / name
        try:
            mode = os.stat(path).st_mode  # follows symbolic links
        except OSError as exc:
            raise InputError(_os_problem(exc, path), str(path)) from None
        if stat.S_ISDIR(mode):
            _walk(path, suffix, found, seen | {key})
        elif not stat.S_ISREG(mode):
            raise InputError(f"not a regular file ({_kind(mode)}): the catalogue holds only files and folders",
                             str(path))
        elif name.endswith(suffix):
            if not os.access(path, os.R_OK):
                raise InputError("cannot read this file: permission denied", str(path))
            found.append(path)


def _os_problem(exc: OSError, path: Path) -> str:
    if exc.errno == errno.ELOOP:
        return "a loop of symbolic links"
    if os.path.islink(path) and not os.path.exists(path):
        return f"a symbolic link that points nowhere (to {os.readlink(path)})"
    return f"cannot read: {exc.strerror}"


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISFIFO, "a fifo"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device")):
        if test(mode):
            return name
    return "a special file"


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
            root = CatalogueRoot(path.resolve())
            root.files  # every command checks the whole catalogue first: no answer from part of it
            return root
        if origin in ("--root", "MODGRAPH_ROOT"):
            raise InputError("not a catalogue: it needs the folders ontology/ and data/", f"{origin} {path}")
    raise InputError("no catalogue found: pass --root DIR (a folder with ontology/ and data/)")
