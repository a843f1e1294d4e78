"""Loading the catalogue's sources into a pyoxigraph store, fast and with located errors.

The catalogue's Turtle files are loaded one by one (each has its own prefixes and base IRI).
Included N-Triples files (a synth output: thousands of files, up to 10^7 triples) are streamed to
``bulk_load`` as one concatenated input in chunks of about :data:`CHUNK_BYTES`: one ``bulk_load``
per file is slow on disk (each writes and merges a set of files), one for everything holds the
whole input's index in memory (about 0.9 GB per 10^6 triples).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from pathlib import Path

import pyoxigraph as ox

from modgraph.catalogue import read_turtle, syntax_error
from modgraph.errors import InputError
from modgraph.sources import QuerySources

CHUNK_BYTES = 256 * 1024 * 1024


def load_sources(store: ox.Store, sources: QuerySources, *,
                 progress: Callable[[int], None] | None = None) -> None:
    """Load everything ``sources`` lists into ``store``; a syntax error names file, line and column."""
    if sources.graph is not None:  # reasoned in memory: the whole catalogue as one graph
        data = sources.graph.serialize(format="nt", encoding="utf-8")
        store.bulk_load(data, format=ox.RdfFormat.N_TRIPLES)
    else:
        for path in sources.turtle:
            load_turtle(store, path)
    triples = [p for p in sources.included if p.suffix == ".nt"]
    for path in sources.included:
        if path.suffix != ".nt":
            load_turtle(store, path)
    for chunk in chunks(triples):
        try:
            store.bulk_load(_Concatenated(chunk), format=ox.RdfFormat.N_TRIPLES)
        except SyntaxError:
            raise _locate_ntriples_error(chunk) from None
        except OSError as exc:
            raise InputError(f"cannot load: {exc}", str(chunk[0].parent)) from None
        if progress:
            progress(len(chunk))


def load_turtle(store: ox.Store, path: Path) -> None:
    """Load one Turtle file (base IRI: the file's URI, as the catalogue's parser uses)."""
    try:
        store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri())
    except SyntaxError as exc:
        text, _ = read_turtle(path)  # an unreadable or non-UTF-8 file is reported as such first
        raise syntax_error(exc, text, path) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", str(path)) from None


def chunks(paths: list[Path], limit: int = CHUNK_BYTES) -> Iterator[list[Path]]:
    """``paths`` in consecutive groups of about ``limit`` bytes (at least one file each)."""
    group, size = [], 0
    for path in paths:
        length = path.stat().st_size
        if group and size + length > limit:
            yield group
            group, size = [], 0
        group.append(path)
        size += length
    if group:
        yield group


class _Concatenated(io.RawIOBase):
    """The bytes of several files read as one stream, a newline between files."""

    def __init__(self, paths: list[Path]) -> None:
        self._paths = iter(paths)
        self._file = None

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while True:
            if self._file is None:
                path = next(self._paths, None)
                if path is None:
                    return 0
                self._file = open(path, "rb")  # noqa: SIM115 - closed when read to the end
            count = self._file.readinto(buffer)
            if count:
                return count
            self._file.close()
            self._file = None
            buffer[0:1] = b"\n"
            return 1


def _locate_ntriples_error(paths: list[Path]) -> InputError:
    """Parse each file of a failed chunk on its own to name the file, line and column."""
    for path in paths:
        try:
            for _ in ox.parse(path=str(path), format=ox.RdfFormat.N_TRIPLES):
                pass
        except SyntaxError as exc:
            text = path.read_text(encoding="utf-8", errors="replace")
            error = syntax_error(exc, text, path)
            error.message = error.message.replace("Turtle syntax error", "N-Triples syntax error")
            return error
    return InputError("N-Triples syntax error (not found again file by file)", str(paths[0].parent))
