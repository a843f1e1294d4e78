"""The on-disk store: the catalogue loaded once into a pyoxigraph (RocksDB) folder, reused by later commands.

``modgraph load --store DIR`` builds it; ``--store DIR`` on any command opens it read-only, without
parsing anything. The folder holds a manifest (:data:`MANIFEST`) with the SHA-256 of every source
file; when a source changed, was added or removed, the store is rebuilt before it is used (one
line on stderr says so). To spare hashing gigabytes on every command, a file whose size and
modification time are those recorded keeps its recorded hash (as git's index does); any other
file is hashed again, so an edit that keeps the size is still seen.

A rebuild writes a new folder next to DIR and swaps it in with two renames, under a lock, so a
failure or an interrupt leaves the previous store as it was, and a folder that is not a modgraph
store is never replaced.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from modgraph.engines.loading import load_sources
from modgraph.errors import InputError
from modgraph.folders import replace_folder
from modgraph.sources import QuerySources, file_sha256

MANIFEST = "modgraph-store.json"
FORMAT = 1


@dataclass
class StoreState:
    """What :func:`ensure_store` did: the store's folder, its triples, and whether it was (re)built."""

    location: Path
    triples: int
    built: bool
    seconds: float
    reason: str = ""


def ensure_store(location: str | os.PathLike, sources: QuerySources, *,
                 notify: Callable[[str], None] | None = None) -> StoreState:
    """Make the store at ``location`` hold exactly ``sources``, rebuilding it when needed."""
    location = Path(location)
    _check_location(location)
    lock = _lock(location)
    try:
        started = time.monotonic()
        manifest = read_manifest(location)
        digests = _digests(sources, manifest)
        inputs = _inputs_digest(sources, digests)
        if manifest is not None and manifest.get("inputs") == inputs and (location / "CURRENT").exists():
            return StoreState(location, int(manifest.get("triples", 0)), built=False,
                              seconds=time.monotonic() - started)
        reason = "built" if manifest is None else "rebuilt: its sources changed"
        if manifest is not None:
            (notify or _notify_stderr)(f"the store {location} is out of date with its sources: rebuilding it")
        triples = _build(location, sources, digests, inputs)
        return StoreState(location, triples, built=True, seconds=time.monotonic() - started, reason=reason)
    finally:
        lock.close()


def open_store(location: Path) -> ox.Store:
    """The store at ``location``, read-only."""
    try:
        return ox.Store.read_only(str(location))
    except OSError as exc:
        raise InputError(f"cannot open the store: {exc}", str(location)) from None


def read_manifest(location: Path) -> dict | None:
    """The manifest of the store at ``location``; None when there is none (or it is unreadable)."""
    try:
        manifest = json.loads((location / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) and manifest.get("format") == FORMAT else None


def _check_location(location: Path) -> None:
    if location.exists() and not location.is_dir():
        raise InputError("not a folder", f"--store {location}")
    if location.is_dir() and any(location.iterdir()) and not (location / MANIFEST).exists():
        raise InputError("the folder is not empty and is not a modgraph store: give a new or empty folder",
                         f"--store {location}")
    if not location.parent.is_dir():
        raise InputError("its parent folder does not exist", f"--store {location}")


def _lock(location: Path):
    path = location.parent / f".{location.name}.lock"
    try:
        handle = open(path, "a")  # noqa: SIM115 - held until the store is ready
    except OSError as exc:
        raise InputError(f"cannot lock the store: {exc.strerror}", str(path)) from None
    fcntl.flock(handle, fcntl.LOCK_EX)
    return handle


def _digests(sources: QuerySources, manifest: dict | None) -> dict[str, dict]:
    """Path -> {size, mtime_ns, sha256} of every source file; recorded hashes reused when the stat matches."""
    recorded = (manifest or {}).get("files", {})
    out = {}
    for path in sources.files:
        key = str(path.resolve())
        try:
            stat = path.stat()
        except OSError as exc:
            raise InputError(f"cannot read: {exc.strerror}", str(path)) from None
        old = recorded.get(key)
        if old and old.get("size") == stat.st_size and old.get("mtime_ns") == stat.st_mtime_ns:
            sha = old["sha256"]
        else:
            sha = file_sha256(path)
        out[key] = {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "sha256": sha}
    return out


def _inputs_digest(sources: QuerySources, digests: dict[str, dict]) -> str:
    lines = [f"modgraph-store {FORMAT} pyoxigraph {ox.__version__ if hasattr(ox, '__version__') else ''}",
             f"asserted-only {sources.asserted_only}", f"reasoned-in-memory {sources.graph is not None}"]
    lines += [f"{digests[key]['sha256']}  {key}" for key in sorted(digests)]
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def _build(location: Path, sources: QuerySources, digests: dict, inputs: str) -> int:
    staging = location.parent / f".{location.name}.building-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    opened: list[ox.Store] = []  # the store's only reference here, dropped to close it
    try:
        opened.append(ox.Store(str(staging)))
        load_sources(opened[0], sources)
        opened[0].optimize()
        triples = len(opened[0])
        opened[0].flush()
        opened.clear()
        manifest = {"format": FORMAT, "inputs": inputs, "triples": triples,
                    "asserted_only": sources.asserted_only, "files": digests,
                    "built": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        replace_folder(staging, location)
        return triples
    except BaseException as exc:
        # Close the store before removing its folder: an open RocksDB writes its files again. The
        # traceback's frames (load_sources' among them) hold references to it: clear them too.
        traceback.clear_frames(exc.__traceback__)
        opened.clear()
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _notify_stderr(line: str) -> None:
    print(f"modgraph: {line}", file=sys.stderr)
