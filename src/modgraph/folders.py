"""Replacing a folder whole: build the new one beside it, then swap them with renames."""

from __future__ import annotations

import os
import shutil
from pathlib import Path


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
