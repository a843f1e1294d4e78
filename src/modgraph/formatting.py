"""`modgraph fmt`: rewrite data files in canonical Turtle, or check that they are; and safe file writes.

fmt never loses a line: every comment is carried to its place in the canonical layout (or the file
is refused, naming the comment's line), the new text is checked to hold the same triples and the
same comments, a file that changed since it was read is left alone, a symbolic link is followed
(its target is formatted, the link stays), and every OS error is one message (exit 2).
"""

from __future__ import annotations

import errno
import os
import re
from dataclasses import dataclass
from pathlib import Path

from modgraph.catalogue import parse_turtle
from modgraph.errors import InputError
from modgraph.limits import shown
from modgraph.turtle import CanonicalTurtleError, leading_comments, serialize
from modgraph.turtle_comments import HEADER, find_comments

__all__ = ["canonical_text", "format_files", "write_atomically", "leading_comments"]

_TEMP_SUFFIX = re.compile(r"^\..+\.modgraph-(\d+)\.tmp$")


@dataclass
class _Plan:
    """One file to format: what was read and what it becomes."""

    shown: Path          # the path as given (messages name it)
    target: Path         # the regular file behind it (a symlink's target)
    original: bytes
    identity: tuple      # (device, inode) of the file that was read
    text: str            # the canonical text


def canonical_text(path: Path) -> str:
    """The canonical form of the Turtle file at ``path``, its comments included."""
    return _plan(Path(path)).text


def format_files(paths: list[Path], *, check: bool) -> list[Path]:
    """Canonicalise ``paths``; return those that were (``check``: would be) changed.

    Every file is read and parsed before any is written, so an error anywhere changes nothing.
    """
    plans, seen = [], set()
    for path in paths:
        plan = _plan(Path(path))
        if plan.target not in seen:
            seen.add(plan.target)
            plans.append(plan)
    changed = [p for p in plans if p.original != p.text.encode("utf-8")]
    if not check:
        for plan in changed:
            _write_plan(plan)
    return [p.shown for p in changed]


def _plan(path: Path) -> _Plan:
    try:
        target = path.resolve(strict=True)
    except FileNotFoundError:
        kind = "a symbolic link to a missing file" if path.is_symlink() else "no such file"
        raise InputError(kind, str(path)) from None
    except (OSError, RuntimeError) as exc:  # RuntimeError: a symlink loop
        raise InputError(f"cannot follow the path: {getattr(exc, 'strerror', None) or exc}", str(path)) from None
    if not target.is_file():
        raise InputError("not a regular file", str(path))
    original, identity = _read(path)
    graph = parse_turtle(path)
    if _read(path) != (original, identity):
        raise InputError("the file changed while it was read (another process is writing it?): run fmt again",
                         str(path))
    try:
        text = original.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text ({exc.reason})", str(path)) from None
    comments = find_comments(text, graph, target.as_uri())
    header = comments.by_anchor.pop(HEADER, [])
    try:
        canonical = serialize(graph, header, comments.by_anchor)
    except CanonicalTurtleError as exc:
        raise InputError(str(exc), str(path)) from None
    if comments.unplaced:
        line, body = comments.unplaced[0]
        raise InputError(f"cannot keep the comment '# {shown(body)}': fmt keeps a comment only before a "
                         "subject or a predicate (or at the top or end of the file); move it there", f"{path}:{line}")
    _check_nothing_lost(path, text, canonical, graph)
    return _Plan(shown=path, target=target, original=original, identity=identity, text=canonical)


def _check_nothing_lost(path: Path, before: str, after: str, graph) -> None:
    """The canonical text must hold the same triples and the same comments as the file."""
    from rdflib import Graph

    again = Graph().parse(data=after, format="turtle", publicID=path.resolve().as_uri())
    if set(again) != set(graph):
        raise InputError("fmt could not write this file's triples canonically; it was left as it was", str(path))
    if sorted(_comment_bodies(before)) != sorted(_comment_bodies(after)):
        raise InputError("fmt could not keep every comment of this file; it was left as it was", str(path))


def _comment_bodies(text: str) -> list[str]:
    from modgraph.turtle_comments import _comment_text, _tokens

    return [_comment_text(t.text) for t in _tokens(text) if t.kind == "comment"]


def _read(path: Path) -> tuple[bytes, tuple]:
    try:
        with open(path, "rb") as handle:
            stat = os.fstat(handle.fileno())
            return handle.read(), (stat.st_dev, stat.st_ino)
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", str(path)) from None


def _write_plan(plan: _Plan) -> None:
    """Replace the file with its canonical text, unless it changed since it was read."""
    try:
        mode = os.stat(plan.target).st_mode
    except OSError:
        raise InputError("the file was removed or moved since fmt read it: not formatted", str(plan.shown)) from None
    if not mode & 0o222:
        raise InputError("the file is read-only: not formatted", str(plan.shown))
    guard: list[int] = []

    def unchanged() -> None:
        # Just before the rename: the file must still be the one that was read, with the same bytes.
        try:
            fd = os.open(plan.target, os.O_RDONLY)
        except FileNotFoundError:
            raise InputError("the file was removed since fmt read it: not formatted", str(plan.shown)) from None
        guard.append(fd)
        stat = os.fstat(fd)
        if (stat.st_dev, stat.st_ino) != plan.identity or _read_fd(fd) != plan.original:
            raise InputError("the file changed since fmt read it (another process is writing it?): not formatted; "
                             "run fmt again", str(plan.shown))

    try:
        write_atomically(plan.target, plan.text, before_rename=unchanged, shown=plan.shown)
        late = _read_fd(guard[0]) if guard else plan.original
        if late != plan.original:
            _restore(plan, late)
    finally:
        for fd in guard:
            os.close(fd)


def _restore(plan: _Plan, late: bytes) -> None:
    """A writer appended to the old file after the last check (a window of one system call).

    Its text is only in the old file: put that back, unformatted, with whatever was appended to the
    new file meanwhile. If the file changes again during this, the old text goes to a side file.
    """
    written = plan.text.encode("utf-8")
    current, _ = _read(plan.target)
    extra = current[len(written):] if current.startswith(written) else b""
    content = late + extra

    def still(expected: bytes = current) -> None:
        if _read(plan.target)[0] != expected:
            raise InputError("changed again", str(plan.shown))

    try:
        write_atomically(plan.target, content.decode("utf-8", "surrogateescape"), before_rename=still,
                         shown=plan.shown, encoding_errors="surrogateescape")
    except InputError:
        side = plan.target.with_name(f"{plan.target.name}.recovered-{os.getpid()}")
        side.write_bytes(late)
        raise InputError(f"the file changed while fmt replaced it; the other process's text is in {side}: "
                         "merge it and run fmt again", str(plan.shown)) from None
    raise InputError("the file changed while fmt replaced it: its new content was kept, unformatted; run fmt again",
                     str(plan.shown))


def _read_fd(fd: int) -> bytes:
    chunks, offset = [], 0
    while True:
        chunk = os.pread(fd, 1 << 20, offset)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        offset += len(chunk)


def write_atomically(path: Path, text: str, *, before_rename=None, shown: Path | None = None,
                     encoding_errors: str = "strict") -> None:
    """Write ``text`` to ``path`` so that it is always either the old or the new file, whole.

    The text goes to an unnamed temporary file in the same folder (``O_TMPFILE``: a kill leaves
    nothing behind), is flushed to disk, named ``.NAME.modgraph-PID.tmp`` and renamed over
    ``path``. Between naming and renaming a SIGKILL can leave that file; the next write into the
    folder removes temporary files whose process is gone. ``before_rename`` (if given) runs just
    before the rename and may raise to cancel it. The file keeps its permissions. An OS error
    (read-only folder, full disk) is an InputError naming ``shown`` (default ``path``).
    """
    path = Path(path)
    where = str(shown or path)
    data = text.encode("utf-8", encoding_errors)
    try:
        mode = os.stat(path).st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror}", where) from None
    temp: Path | None = None
    fd = -1
    try:
        _remove_stale_temps(path.parent)
        fd, temp = _open_temp(path)
        os.fchmod(fd, mode)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
        if before_rename is not None:
            before_rename()
        if temp is None:
            temp = _temp_name(path)
            temp.unlink(missing_ok=True)  # ours only: the name holds our process id
            _link_unnamed(fd, temp)
        os.replace(temp, path)
        temp = None
        _sync_folder(path.parent)
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror or exc}{_hint(exc)}; the file was left as it was",
                         where) from None
    finally:
        if fd >= 0:
            os.close(fd)
        if temp is not None:
            temp.unlink(missing_ok=True)


def _hint(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return " (the disk is full)"
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return " (the folder is read-only or not yours)"
    return ""


def _temp_name(path: Path) -> Path:
    return path.parent / f".{path.name}.modgraph-{os.getpid()}.tmp"


def _open_temp(path: Path) -> tuple[int, Path | None]:
    """An unnamed file in ``path``'s folder (O_TMPFILE), or a named one where that is not supported."""
    if hasattr(os, "O_TMPFILE") and os.path.exists("/proc/self/fd"):
        try:
            return os.open(path.parent, os.O_TMPFILE | os.O_WRONLY, 0o600), None
        except OSError as exc:
            if exc.errno not in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL, errno.ENOENT):
                raise
    temp = _temp_name(path)
    temp.unlink(missing_ok=True)
    return os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), temp


def _link_unnamed(fd: int, name: Path) -> None:
    """Give the O_TMPFILE file ``fd`` a name: linkat(/proc/self/fd/FD, AT_SYMLINK_FOLLOW).

    ``os.link`` calls plain link(2), which does not follow the /proc symlink, unless a directory
    fd is passed: so pass /proc/self/fd as one.
    """
    proc = os.open("/proc/self/fd", os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.link(str(fd), name, src_dir_fd=proc, follow_symlinks=True)
    finally:
        os.close(proc)


def _remove_stale_temps(folder: Path) -> None:
    """Remove ``.NAME.modgraph-PID.tmp`` files left by a process that was killed (PID no longer running)."""
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        match = _TEMP_SUFFIX.match(name)
        if not match or int(match.group(1)) == os.getpid():
            continue
        try:
            os.kill(int(match.group(1)), 0)
        except ProcessLookupError:
            try:
                (folder / name).unlink(missing_ok=True)
            except OSError:
                pass
        except (PermissionError, OverflowError, ValueError):
            continue


def _sync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
