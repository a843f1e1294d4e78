"""Writing a folder of generated HTML (the report, the ontology docs) whole or not at all."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from modgraph.errors import InputError
from modgraph.folders import replace_folder


def check_replaceable(out: Path, known: set[str], what: str) -> None:
    """``out`` may be written: missing, empty, or holding only the files of an earlier ``what``."""
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise InputError(f"is not a folder: the {what} is a folder of files", str(out))
    if not out.parent.is_dir():
        raise InputError("cannot write: its parent folder does not exist", str(out))
    if out.is_dir():
        try:
            others = sorted(p.name for p in out.iterdir() if p.name not in known or not p.is_file())
        except OSError as exc:
            raise InputError(f"cannot read: {exc.strerror}", str(out)) from None
        if others:
            raise InputError(f"is not an earlier {what} (it holds {', '.join(others[:3])}): refusing to replace it",
                             str(out))


def write_folder(out: Path, files: dict[str, bytes], what: str) -> None:
    """Write ``files`` (name -> bytes) into a new folder beside ``out``, then swap it in with renames:
    ``out`` is the old folder or the new one, never half of either."""
    check_replaceable(out, set(files), what)
    staging = out.parent / f".{out.name}.building-{os.getpid()}"
    try:
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir()
        for name, data in sorted(files.items()):
            with open(staging / name, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        replace_folder(staging, out)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise InputError(f"cannot write: {exc.strerror or exc}; nothing was written", str(out)) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
