"""Bounds on work: a time limit that really stops the work, and caps on input sizes.

Neither rdflib nor pyoxigraph can be interrupted from another thread, and the OWL reasoner is a
Java child process. So bounded work runs in a forked worker process (the loaded graph is shared
copy-on-write, nothing is re-loaded), in a process group of its own; its result comes back through a
pipe. On a timeout, Ctrl-C or SIGTERM the whole group (the worker and any Java it started) is
killed with SIGKILL, so the CPU is free at once. Where ``os.fork`` does not exist (Windows) the work
runs in-process and the timeout is not enforced.
"""

from __future__ import annotations

import math
import os
import pickle
import select
import signal
import sys
import time
import traceback
from collections.abc import Callable
from typing import Any

from modgraph.errors import InputError

DEFAULT_QUERY_TIMEOUT = 30.0      # seconds: `modgraph query`, `modgraph sparql` and the Python API
DEFAULT_REASON_TIMEOUT = 300.0    # seconds: `modgraph reason` and the reasoner step of `validate`
MAX_PARAMETER_LENGTH = 1000       # characters in one query parameter value
MAX_QUERY_NESTING = 40            # levels of { ( [ in a query text (rdflib's parser recurses per level)
SHOWN_CHARACTERS = 60             # how much of an over-long value a message repeats


class WorkTimeout(InputError):
    """The work did not finish within its time limit and was stopped."""


class WorkerCrashed(RuntimeError):
    """The worker process failed with an unexpected error (a bug, not bad input)."""


class Terminated(BaseException):
    """The process received SIGTERM (raised by the handler :func:`terminate_on_sigterm` installs)."""


def terminate_on_sigterm() -> None:
    """Turn SIGTERM into a :class:`Terminated` exception, so cleanup runs as for Ctrl-C."""

    def handler(signum, frame):
        raise Terminated()

    signal.signal(signal.SIGTERM, handler)


def check_timeout(value: Any, where: str = "timeout") -> float:
    """``value`` as a positive number of seconds; anything else is an InputError naming ``where``."""
    if isinstance(value, bool):
        number = math.nan
    else:
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = math.nan
    if not math.isfinite(number) or number <= 0:
        raise InputError(f"'{shown(str(value))}' is not a positive number of seconds", where)
    return number


def shown(value: str, limit: int = SHOWN_CHARACTERS) -> str:
    """``value`` for a message: cut after ``limit`` characters, saying how long it was."""
    if len(value) <= limit:
        return value
    return f"{value[:limit]}… ({len(value)} characters)"


def run_bounded(fn: Callable, /, *args, timeout: float | None, what: str, where: str | None = None, **kwargs):
    """Return ``fn(*args, **kwargs)``, computed in a forked worker that is killed after ``timeout`` seconds.

    ``fn`` and its result must be picklable values (the result crosses a pipe). An InputError
    raised by ``fn`` is raised again here; a timeout raises :class:`WorkTimeout` naming ``what``
    (e.g. "the query") at ``where``. KeyboardInterrupt and :class:`Terminated` in the caller kill
    the worker's process group before they propagate. ``timeout=None`` means no limit.
    """
    if not hasattr(os, "fork"):
        return fn(*args, **kwargs)
    deadline = None if timeout is None else time.monotonic() + timeout
    sys.stdout.flush()
    sys.stderr.flush()
    read_fd, write_fd = os.pipe()
    # Ctrl-C and SIGTERM wait until the worker is in its own group and the cleanup below is armed.
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        pid = os.fork()
    except BaseException:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        os.close(read_fd)
        os.close(write_fd)
        raise
    if pid == 0:  # the worker: never returns into the caller's code
        _worker(read_fd, write_fd, blocked, fn, args, kwargs)
    os.close(write_fd)
    try:
        try:
            os.setpgid(pid, pid)  # the worker does the same; whichever runs first wins the race
        except OSError:
            pass
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        data = _read_exactly(read_fd, math.inf, deadline)  # everything the worker writes
        if data is None:
            raise WorkTimeout(f"{what} did not finish within {timeout:g} s and was stopped "
                              "(raise the limit with --timeout SECONDS)", where)
    finally:
        os.close(read_fd)
        _stop(pid)
    if not data:
        raise WorkerCrashed(f"{what}: the worker process ended without an answer")
    return _outcome(data, what)


def _outcome(data: bytes, what: str):
    """The worker's pickled outcome: its result, or the InputError (or crash) it raised, raised here."""
    payload = pickle.loads(data)
    if payload[0] == "ok":
        return payload[1]
    if payload[0] == "input":
        cls, message, location, exit_code = payload[1:]
        try:
            error = cls(message, location)
        except TypeError:
            error = InputError(message, location)
        error.exit_code = exit_code
        raise error
    raise WorkerCrashed(f"{what} failed in the worker process:\n{payload[1]}")


def _worker(read_fd: int, write_fd: int, mask: set, fn: Callable, args: tuple, kwargs: dict) -> None:
    try:
        os.close(read_fd)
        _become_worker(mask)
        _write_all(write_fd, _outcome_bytes(fn, args, kwargs))
    finally:
        os._exit(0)


def _become_worker(mask: set) -> None:
    """In a forked worker: a process group of its own, and the signal mask from before the fork.

    The caller handles Ctrl-C and SIGTERM for both; the worker dies by SIGKILL to its group.
    """
    try:
        os.setpgid(0, 0)
    except OSError:
        pass
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_SETMASK, mask)


def _outcome_bytes(fn: Callable, args: tuple, kwargs: dict) -> bytes:
    """``fn(*args, **kwargs)`` or the error it raised, pickled for the caller."""
    try:
        payload = ("ok", fn(*args, **kwargs))
    except InputError as exc:
        payload = ("input", type(exc), exc.message, exc.location, exc.exit_code)
    except BaseException:  # noqa: BLE001 - handed to the caller as text
        payload = ("crash", traceback.format_exc())
    try:
        return pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # noqa: BLE001 - an unpicklable result is a bug; say so
        return pickle.dumps(("crash", traceback.format_exc()))


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


class PersistentWorker:
    """A forked worker that keeps what the parent had loaded and runs calls one after another.

    :func:`run_bounded` forks once per call: safe, but the fork costs milliseconds, as much as a
    named query on pyoxigraph. This worker is forked on the first call and reused; a call that
    overruns its time limit kills it (and its process group) as run_bounded does, and the next call
    forks a fresh one from the parent's state. ``fn`` must be a module-level function: it is sent
    by reference and called as ``fn(state, *args)``, where ``state`` is the object given here (the
    worker's copy of it). The worker ends when the parent closes it or exits.
    """

    def __init__(self, state) -> None:
        self.state = state
        self._pid: int | None = None
        self._to_worker = self._from_worker = -1

    def call(self, fn: Callable, /, *args, timeout: float | None, what: str, where: str | None = None):
        """``fn(state, *args)`` in the worker, stopped after ``timeout`` seconds (see :func:`run_bounded`)."""
        if not hasattr(os, "fork"):
            return fn(self.state, *args)
        if self._pid is None:
            self._start()
        deadline = None if timeout is None else time.monotonic() + timeout
        request = pickle.dumps((fn, args), protocol=pickle.HIGHEST_PROTOCOL)
        try:
            _write_all(self._to_worker, len(request).to_bytes(8, "big") + request)
            data = _read_exactly(self._from_worker, 8, deadline)
            if data is not None and len(data) == 8:
                size = int.from_bytes(data, "big")
                data = _read_exactly(self._from_worker, size, deadline)
                if data is not None and len(data) < size:
                    data = b""  # the worker died in the middle of its answer
            elif data is not None:
                data = b""
        except BaseException:  # Ctrl-C, SIGTERM, a broken pipe: the worker's state is unknown
            self.close()
            raise
        if data is None:
            self.close()
            raise WorkTimeout(f"{what} did not finish within {timeout:g} s and was stopped "
                              "(raise the limit with --timeout SECONDS)", where)
        if not data:
            self.close()
            raise WorkerCrashed(f"{what}: the worker process ended without an answer")
        return _outcome(data, what)

    def close(self) -> None:
        """Stop the worker (idempotent); the next call starts a new one."""
        if self._pid is None:
            return
        for fd in (self._to_worker, self._from_worker):
            try:
                os.close(fd)
            except OSError:
                pass
        _stop(self._pid)
        self._pid = None

    def _start(self) -> None:
        sys.stdout.flush()
        sys.stderr.flush()
        request_read, request_write = os.pipe()
        reply_read, reply_write = os.pipe()
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
        try:
            pid = os.fork()
        except BaseException:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
            for fd in (request_read, request_write, reply_read, reply_write):
                os.close(fd)
            raise
        if pid == 0:
            os.close(request_write)
            os.close(reply_read)
            self._serve(request_read, reply_write, blocked)
        os.close(request_read)
        os.close(reply_write)
        try:
            os.setpgid(pid, pid)
        except OSError:
            pass
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        self._pid, self._to_worker, self._from_worker = pid, request_write, reply_read

    def _serve(self, requests: int, replies: int, mask: set) -> None:
        """In the worker: answer requests until the parent closes the pipe; never returns."""
        try:
            _become_worker(mask)
            while True:
                header = _read_exactly(requests, 8, None)
                if not header or len(header) < 8:
                    break
                fn, args = pickle.loads(_read_exactly(requests, int.from_bytes(header, "big"), None))
                reply = _outcome_bytes(fn, (self.state, *args), {})
                _write_all(replies, len(reply).to_bytes(8, "big") + reply)
        finally:
            os._exit(0)

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # noqa: BLE001 - at interpreter exit anything may be gone already
            pass


def _read_exactly(fd: int, size: float, deadline: float | None) -> bytes | None:
    """``size`` bytes from ``fd`` (``math.inf``: all until it closes); fewer when it closes first
    (b"" at once), None when ``deadline`` passes."""
    chunks, have = [], 0
    while have < size:
        wait = None if deadline is None else deadline - time.monotonic()
        if wait is not None and wait <= 0:
            return None
        ready, _, _ = select.select([fd], [], [], wait)
        if not ready:
            return None
        chunk = os.read(fd, int(min(size - have, 1 << 20)))
        if not chunk:
            break
        chunks.append(chunk)
        have += len(chunk)
    return b"".join(chunks)


def _stop(pid: int) -> None:
    """Kill the worker's process group (the worker and its children) and reap the worker."""
    for target in (lambda: os.killpg(pid, signal.SIGKILL), lambda: os.kill(pid, signal.SIGKILL)):
        try:
            target()
            break
        except (ProcessLookupError, PermissionError):
            continue
    while True:
        try:
            os.waitpid(pid, 0)
            return
        except ChildProcessError:
            return
        except InterruptedError:
            continue
