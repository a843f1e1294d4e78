"""Writing a folder whole or not at all (the report, the ontology docs, the HSDS export): build the new one
beside it, then swap them with renames."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from modgraph.errors import InputError


def replace_folder(staging: Path, target: Path) -> None:
    """Put the finished folder ``staging`` in ``target``'s place; the previous ``target`` (if any) is
    kept until the swap succeeded, put back if it failed, and removed afterwards."""
    old = target.parent / f".{target.name}.old-{os.getpid()}"
    if target.exists():
        os.rename(target, old)
    try:
        os.rename(staging, target)
    except OSError:
        if old.exists():
            os.rename(old, target)
        raise
    shutil.rmtree(old, ignore_errors=True)


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


def write_folder(out: Path, files: dict[str, bytes], what: str, known: set[str] | None = None) -> None:
    """Write ``files`` (name -> bytes) into a new folder beside ``out``, then swap it in with renames:
    ``out`` is the old folder or the new one, never half of either. ``out`` may hold only the files
    named in ``known`` (by default those of ``files``): what an earlier ``what`` wrote."""
    check_replaceable(out, known if known is not None else set(files), what)
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
