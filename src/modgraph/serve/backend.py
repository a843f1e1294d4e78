"""The SPARQL engine behind `modgraph serve`: the Oxigraph server, read-only, on a private port.

`oxigraph serve-read-only` (PyPI ``oxigraph``) implements the SPARQL 1.1 Protocol with content
negotiation, stops a query's work at ``--timeout-s`` and ships YASGUI (docs/serve.md has the
measurements). It listens on 127.0.0.1 on a free port that only the front server talks to; the
front adds what it lacks (refusing ``SERVICE``, caps, resolvable IRIs, named queries).
"""

from __future__ import annotations

import math
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from modgraph.errors import InputError

STARTUP_SECONDS = 30.0


def oxigraph_binary() -> str:
    """The `oxigraph` command: the one installed beside this Python (PyPI ``oxigraph``), else on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    found = str(beside) if beside.is_file() else shutil.which("oxigraph")
    if found is None:
        raise InputError("the Oxigraph server (the `oxigraph` command, PyPI package oxigraph) is not installed: "
                         "pip install oxigraph", "serve")
    return found


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Backend:
    """A running read-only Oxigraph server over an on-disk store."""

    process: subprocess.Popen
    port: int
    log: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def query_url(self) -> str:
        return f"{self.base}/query"

    def stop(self) -> None:
        """Stop the server (terminate, then kill after 10 s)."""
        stop_process(self.process, grace=10)


def stop_process(process: subprocess.Popen, grace: float) -> None:
    """Terminate ``process`` if it still runs; kill it when it has not ended after ``grace`` seconds."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def start_backend(store: Path, timeout: float, log_folder: Path | None = None) -> Backend:
    """Start `oxigraph serve-read-only` on ``store`` with a query timeout of ``timeout`` seconds
    (whole seconds: the server takes no fractions) and wait until it answers."""
    binary = oxigraph_binary()
    folder = Path(log_folder or tempfile.mkdtemp(prefix="modgraph-serve-"))
    log = folder / "oxigraph.log"
    for _ in range(3):  # the free port may be taken between choosing and binding it: try again
        port = free_port()
        with log.open("wb") as out:
            process = subprocess.Popen(
                [binary, "serve-read-only", "--location", str(store), "--bind", f"127.0.0.1:{port}",
                 "--timeout-s", str(max(1, math.ceil(timeout)))],
                stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
        backend = Backend(process, port, log)
        if _wait_until_ready(backend):
            return backend
        backend.stop()
    tail = " ".join(log.read_text(encoding="utf-8", errors="replace").split()[-40:])
    raise InputError(f"the Oxigraph server did not start on the store {store}: {tail}", "serve")


def _wait_until_ready(backend: Backend) -> bool:
    deadline = time.monotonic() + STARTUP_SECONDS
    probe = backend.query_url + "?" + urllib.parse.urlencode({"query": "ASK {}"})
    while time.monotonic() < deadline:
        if backend.process.poll() is not None:
            return False
        try:
            request = urllib.request.Request(probe, headers={"Accept": "application/sparql-results+json"})
            with urllib.request.urlopen(request, timeout=2) as reply:
                if reply.status == 200:
                    return True
        except OSError:
            pass
        time.sleep(0.1)
    return False
