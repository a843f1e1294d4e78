"""Real SPARQL servers for the tests, on 127.0.0.1 only: the Oxigraph server and Virtuoso 7.

A pytest plugin (``pytest_plugins = ["servers"]`` in a test module): its fixtures are session-scoped,
so each server starts once per session whichever test files use it, and is stopped at the end.

- ``oxigraph_server``: ``oxigraph serve`` (read-write: publish needs its Graph Store and update
  endpoints) on an on-disk store in a temporary folder. The read-only variant that serves a store
  made by ``oxigraph load`` is ``oxigraph serve-read-only`` (tests/test_grlc.py).
- ``virtuoso_server``: ``virtuoso-t +foreground`` with an ini of its own in a temporary folder (a
  copy of Debian's, with the database there, both ports on 127.0.0.1, ``ResultSetMaxRows`` raised);
  a fresh database, whose ``dba`` password is ``dba``.
- ``modgraph_site``: ``modgraph serve`` itself, as a user starts it, with small limits the tests can
  reach (a 2 s time limit, 5,000 rows, 20,000 request bytes); ``.base`` is its address.
- ``published_on(name)``: the catalogue as queries see it, published once per server and session
  with ``modgraph publish`` (its default graph), for the query tests.

A missing server program skips its tests with the reason, except in CI (``CI=true``), where it
fails: ``scripts/test`` installs both.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from modgraph.serve.backend import free_port  # noqa: F401 (also used by the test modules)

STARTUP_SECONDS = 120
VIRTUOSO_USER = VIRTUOSO_PASSWORD = "dba"  # a fresh Virtuoso database's administrator
VIRTUOSO_TEMPLATES = (Path("/etc/virtuoso-opensource-7/virtuoso.ini"),
                      Path("/usr/share/virtuoso-opensource-7/virtuoso.ini"))


@dataclass
class Running:
    """A server the tests talk to: its query endpoint and how to publish to it."""

    name: str               # "oxigraph" or "virtuoso"
    endpoint: str           # the SPARQL query endpoint
    user: str | None        # the credentials publish needs (None: none)
    password: str | None
    process: subprocess.Popen
    log: Path

    def env(self) -> dict[str, str]:
        """The environment for `modgraph publish --user`: the password in MODGRAPH_PASSWORD."""
        env = {k: v for k, v in os.environ.items() if k not in ("MODGRAPH_ROOT", "MODGRAPH_PASSWORD")}
        if self.password is not None:
            env["MODGRAPH_PASSWORD"] = self.password
        return env

    def user_args(self) -> list[str]:
        return ["--user", self.user] if self.user else []

    def alive(self) -> bool:
        return self.process.poll() is None


def missing(what: str, why: str) -> None:
    """Skip (outside CI) or fail (CI=true) because a server program is missing."""
    message = f"{what} is not available ({why}): ./scripts/test installs it"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


def ask(endpoint: str, timeout: float = 5) -> bool:
    """Whether ``endpoint`` answers ``ASK {}`` with SPARQL JSON."""
    data = urllib.parse.urlencode({"query": "ASK {}"}).encode()
    request = urllib.request.Request(endpoint, data=data, headers={"Accept": "application/sparql-results+json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as reply:
            return "boolean" in json.loads(reply.read().decode("utf-8"))
    except (OSError, ValueError):
        return False


def start(name: str, command: list[str], endpoint: str, folder: Path, *, user=None, password=None,
          ready=None, env=None) -> Running:
    """Start ``command`` (its output in a log file) and wait until it is ``ready()`` (by default:
    ``endpoint`` answers a SPARQL ASK)."""
    log = folder / f"{name}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, cwd=folder, env=env,
                                   stdin=subprocess.DEVNULL, start_new_session=True)
    server = Running(name, endpoint, user, password, process, log)
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            fail(server, f"exited with status {process.returncode}")
        if (ready or (lambda: ask(endpoint)))():
            return server
        time.sleep(0.3)
    fail(server, f"did not answer at {endpoint} within {STARTUP_SECONDS} s")
    raise AssertionError("unreachable")


def fail(server: Running, why: str) -> None:
    tail = "\n".join(server.log.read_text(encoding="utf-8", errors="replace").splitlines()[-15:])
    stop(server)
    pytest.fail(f"the {server.name} server {why}; its output:\n{tail}")


def stop(server: Running) -> None:
    """Stop the server this session started (by its process id)."""
    from modgraph.serve.backend import stop_process

    stop_process(server.process, grace=30)


def oxigraph_command() -> str | None:
    """The `oxigraph` command serve uses, or None when it is not installed."""
    from modgraph.errors import InputError
    from modgraph.serve.backend import oxigraph_binary

    try:
        return oxigraph_binary()
    except InputError:
        return None


def start_oxigraph(folder: Path) -> Running:
    """``oxigraph serve`` on an empty on-disk store in ``folder``, read-write, on 127.0.0.1."""
    command = oxigraph_command()
    if command is None:
        missing("the Oxigraph server (`oxigraph`, PyPI oxigraph, a dependency of modgraph)", "not installed")
    port = free_port()
    return start("oxigraph", [command, "serve", "--location", str(folder / "store"), "--bind", f"127.0.0.1:{port}",
                              "--timeout-s", "300"], f"http://127.0.0.1:{port}/query", folder)


def virtuoso_ini(template: str, folder: Path, sql_port: int, http_port: int) -> str:
    """Debian's virtuoso.ini adapted: database files in ``folder``, ports on 127.0.0.1, no row cap."""
    def setting(text: str, section: str, key: str, value: str) -> str:
        pattern = re.compile(rf"(^\[{re.escape(section)}\][^\[]*?^{re.escape(key)}[ \t]*=)[^\n]*", re.M | re.S)
        new, count = pattern.subn(lambda m: f"{m.group(1)} {value}", text, count=1)
        if not count:
            raise ValueError(f"{key} not found in [{section}] of the Virtuoso template")
        return new

    text = template.replace("/var/lib/virtuoso-opensource-7/db", str(folder))
    text = setting(text, "Parameters", "ServerPort", f"127.0.0.1:{sql_port}")
    text = setting(text, "HTTPServer", "ServerPort", f"127.0.0.1:{http_port}")
    text = setting(text, "Parameters", "DirsAllowed", f"., {folder}")
    text = setting(text, "SPARQL", "ResultSetMaxRows", "1000000")
    text = setting(text, "SPARQL", "MaxQueryExecutionTime", "300")
    return setting(text, "URIQA", "DefaultHost", f"127.0.0.1:{http_port}")


def start_virtuoso(folder: Path) -> Running:
    """Virtuoso with a fresh database in ``folder``; its SPARQL endpoint is /sparql."""
    binary = shutil.which("virtuoso-t")
    template = next((p for p in VIRTUOSO_TEMPLATES if p.is_file()), None)
    if binary is None or template is None:
        missing("Virtuoso (`virtuoso-t`, Debian virtuoso-opensource)",
                "virtuoso-t not on PATH" if binary is None else "no virtuoso.ini template")
    http_port, sql_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(virtuoso_ini(template.read_text(encoding="utf-8"), folder, sql_port, http_port), encoding="utf-8")
    return start("virtuoso", [binary, "+configfile", str(ini), "+foreground"], f"http://127.0.0.1:{http_port}/sparql",
                 folder, user=VIRTUOSO_USER, password=VIRTUOSO_PASSWORD)


STARTED: dict[str, Running] = {}  # the servers this session started, by name


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory):
    server = STARTED["oxigraph"] = start_oxigraph(tmp_path_factory.mktemp("oxigraph-server"))
    yield server
    del STARTED["oxigraph"]
    stop(server)


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory):
    server = STARTED["virtuoso"] = start_virtuoso(tmp_path_factory.mktemp("virtuoso-server"))
    yield server
    del STARTED["virtuoso"]
    stop(server)


@pytest.fixture(scope="session")
def modgraph_site(tmp_path_factory):
    from conftest import REPO, modgraph_command

    port = free_port()
    server = start("modgraph-serve", [*modgraph_command(), "--root", str(REPO), "serve", "--port", str(port),
                                      "--timeout", "2", "--max-rows", "5000", "--max-body", "20000"],
                   f"http://127.0.0.1:{port}/sparql", tmp_path_factory.mktemp("modgraph-serve"))
    server.base = f"http://127.0.0.1:{port}"
    yield server
    stop(server)


@pytest.fixture(scope="module")
def drops_test_graphs():
    """Used (autouse) by a test module: at its end the ``urn:modgraph:test:…`` graphs it made are dropped."""
    yield
    for server in list(STARTED.values()):
        if server.alive():
            drop_test_graphs(server)


def modgraph(*args: str, env: dict | None = None, timeout: int = 600) -> subprocess.CompletedProcess:
    """Run `modgraph ARGS` as a process."""
    from conftest import modgraph_command

    if env is None:
        env = {k: v for k, v in os.environ.items() if k not in ("MODGRAPH_ROOT", "MODGRAPH_PASSWORD")}
    return subprocess.run([*modgraph_command(), *args], capture_output=True, text=True, env=env, timeout=timeout)


def drop_test_graphs(server: Running) -> None:
    """Drop the graphs a test module made (``urn:modgraph:test:…``): Virtuoso's cost estimate counts every
    graph on the server, and refused named queries once a dozen test graphs were there (docs/remote.md)."""
    from modgraph.engines.remote import RemoteEngine
    from modgraph.publish import drop_graph

    rows = RemoteEngine(server.endpoint, graph="").run(
        'SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), "urn:modgraph:test:")) }',
        timeout=120).rows
    for row in rows:
        drop_graph(server.endpoint, str(row["g"]), user=server.user, password=server.password)


@pytest.fixture(scope="session")
def published_on(request):
    """``published_on("oxigraph")``: that server holding the catalogue in DEFAULT_GRAPH, published by
    `modgraph publish` once per session."""
    done: dict[str, subprocess.CompletedProcess] = {}

    def get(name: str) -> Running:
        server = request.getfixturevalue(f"{name}_server")
        if name not in done:
            done[name] = modgraph("publish", "--endpoint", server.endpoint, *server.user_args(), env=server.env())
        assert done[name].returncode == 0, f"modgraph publish to {name}: {done[name].stderr.strip()}"
        return server

    return get
