"""Time limits that really stop the work (issue 15, item 7): modgraph.limits, run_sparql, the API.

The worker runs in a forked process of its own group; a timeout or an interruption kills the group,
so the CPU is free at once and a second query in the same process answers normally.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from pathlib import Path

import pytest
from rdflib import Literal
from rdflib.namespace import XSD

from conftest import REPO
from modgraph.api import Catalogue
from modgraph.errors import InputError
from modgraph.limits import PersistentWorker, WorkerCrashed, WorkTimeout, check_timeout, run_bounded
from modgraph.results import run_sparql

# Every triple three times over: 10^11 combinations on the catalogue, so it never finishes by itself.
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
COUNT_MODULES = ("PREFIX mg: <https://w3id.org/modgraph/def#>\n"
                 "SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m a mg:Module }")
# deel 2a 'Overzicht modulen BMW' lists 21 modules; deel 2b, 'geordend per functie', 22.
MODULES_IN_BOTH_DOCUMENTS = 43


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    return Catalogue(REPO, asserted_only=True, timeout=2)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}").exists() and "Z" not in Path(f"/proc/{pid}/stat").read_text().split()[2]


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _on_rdflib(cat, text, timeout, source="query"):
    return run_sparql(cat.graph, text, timeout=timeout, source=source)


def _on_oxigraph(cat, text, timeout, source="query"):
    return cat.engine.run(text, timeout=timeout, source=source)


@pytest.mark.parametrize("run", [_on_rdflib, _on_oxigraph], ids=["rdflib", "oxigraph"])
def test_runaway_query_stops_within_the_timeout_plus_a_second_and_the_next_query_answers(cat, run):
    cat.graph  # noqa: B018 - the rdflib graph is built on first use: not inside the timed call
    cat.engine.close()  # the oxigraph engine's worker, if any, is started by the runaway query itself
    # Servers and workers that other tests' session fixtures keep running are not this query's.
    already_running = set(_children(os.getpid()))
    started = time.monotonic()
    with pytest.raises(WorkTimeout) as caught:
        run(cat, RUNAWAY, 2, "runaway.rq")
    elapsed = time.monotonic() - started
    assert 2 <= elapsed < 3, elapsed
    assert str(caught.value).startswith("runaway.rq: the query did not finish within 2 s")
    # The CPU is free right after: this process uses none while it sleeps, and no worker is left.
    before = time.process_time()
    children_before = os.times().children_user + os.times().children_system
    time.sleep(0.5)
    assert time.process_time() - before < 0.05
    assert os.times().children_user + os.times().children_system - children_before < 0.05
    assert not [p for p in _children(os.getpid()) if p not in already_running and _alive(p)], \
        "a worker process is still running"
    rows = run(cat, COUNT_MODULES, 10).rows
    assert rows == [{"n": Literal(MODULES_IN_BOTH_DOCUMENTS, datatype=XSD.integer)}]


def _children(pid: int) -> list[int]:
    out = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        children = task / "children"
        if children.exists():
            out += [int(c) for c in children.read_text().split()]
    return out


def test_api_timeout_then_a_named_query_answers(cat):
    started = time.monotonic()
    with pytest.raises(InputError) as caught:  # WorkTimeout is an InputError: one clear message
        cat.sparql(RUNAWAY)
    assert time.monotonic() - started < 3
    assert "did not finish within 2 s" in str(caught.value)
    # AMW p. 22 (Voortraject arbeidstoeleiding): "Deze module kan gevolgd worden door activerende
    # begeleiding naar (betaalde) arbeid (pagina 20) of de groep weer aan de slag (pagina 30)."
    titles = {row["title"] for row in cat.query("follow-ups", module="amw/voortraject-arbeidstoeleiding")}
    assert {"Activerende begeleiding naar (betaalde) arbeid", "Weer aan de slag"} <= titles


def test_worker_busy_in_c_code_is_killed_and_its_cpu_stops(tmp_path):
    """The worker's process group is killed: after the timeout its CPU time no longer grows."""
    pid_file = tmp_path / "pid"
    with pytest.raises(WorkTimeout):
        run_bounded(_spin, str(pid_file), timeout=1, what="the spin")
    pid = int(pid_file.read_text())
    assert not _alive(pid)


def _spin(pid_file: str) -> None:
    Path(pid_file).write_text(str(os.getpid()))
    while True:
        sum(range(10**6))


@contextlib.contextmanager
def _ctrl_c_after(seconds: float):
    """A KeyboardInterrupt in this process after ``seconds``, as Ctrl-C gives."""
    def interrupt(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_ctrl_c_in_the_caller_kills_the_worker(tmp_path):
    pid_file = tmp_path / "pid"
    with _ctrl_c_after(0.5), pytest.raises(KeyboardInterrupt):
        run_bounded(_spin, str(pid_file), timeout=30, what="the spin")
    assert not _alive(int(pid_file.read_text()))


def test_sleeping_worker_grandchild_is_killed_too(tmp_path):
    """Children of the worker (such as the reasoner's Java) are in its process group and die with it."""
    pid_file = tmp_path / "pid"
    with pytest.raises(WorkTimeout):
        run_bounded(_start_grandchild, str(pid_file), timeout=1, what="the sleeper")
    time.sleep(0.2)
    assert not _alive(int(pid_file.read_text()))


def _start_grandchild(pid_file: str) -> None:
    import subprocess

    child = subprocess.Popen(["sleep", "60"])
    Path(pid_file).write_text(str(child.pid))
    child.wait()


def test_results_and_input_errors_cross_the_pipe():
    assert run_bounded(sorted, [3, 1, 2], timeout=5, what="x") == [1, 2, 3]
    big = run_bounded(lambda n: "x" * n, 5_000_000, timeout=10, what="x")  # more than a pipe buffer
    assert len(big) == 5_000_000
    with pytest.raises(InputError) as caught:
        run_bounded(_bad_input, timeout=5, what="x")
    assert str(caught.value) == "somewhere.ttl:3:4: bad"


def _bad_input() -> None:
    raise InputError("bad", "somewhere.ttl:3:4")


def test_a_bug_in_the_worker_is_not_disguised_as_bad_input():
    with pytest.raises(WorkerCrashed) as caught:
        run_bounded(_bug, timeout=5, what="the thing")
    assert "ZeroDivisionError" in str(caught.value)


def _bug() -> None:
    1 / 0  # noqa: B018


@pytest.mark.parametrize("value", [0, -1, "abc", "", None, True, float("nan"), float("inf"), "-0.5"])
def test_timeout_must_be_a_positive_number(value):
    with pytest.raises(InputError) as caught:
        check_timeout(value, "--timeout")
    assert str(caught.value).startswith("--timeout: ")


def test_timeout_accepts_fractions_and_text():
    assert check_timeout("0.5") == 0.5 and check_timeout(30) == 30.0


def test_a_query_that_fails_while_its_results_are_read_is_one_error(cat):
    # rdflib raises while the rows are iterated: GRAPH needs a dataset, the catalogue is one graph.
    with pytest.raises(InputError) as caught:
        run_sparql(cat.graph, "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }", source="graph.rq")
    assert str(caught.value).startswith("graph.rq: the query failed: ")
    assert "\n" not in str(caught.value)



def _pid(state) -> int:
    return os.getpid()


def _fail(state) -> None:
    os._exit(3)  # the worker dies without an answer


def _spin_forever(state) -> None:
    while True:
        sum(range(10**6))


def test_persistent_worker_is_reused_replaced_after_a_timeout_and_stopped_on_close():
    worker = PersistentWorker(state=None)
    try:
        first = worker.call(_pid, timeout=10, what="pid")
        assert worker.call(_pid, timeout=10, what="pid") == first != os.getpid()
        with pytest.raises(WorkTimeout):
            worker.call(_spin_forever, timeout=1, what="the spin")
        assert not _alive(first)
        second = worker.call(_pid, timeout=10, what="pid")
        assert second != first
        with pytest.raises(WorkerCrashed):
            worker.call(_fail, timeout=10, what="the failing call")
        assert worker.call(_pid, timeout=10, what="pid") not in (first, second)
    finally:
        worker.close()
    assert not [p for p in _children(os.getpid()) if p in (first, second) and _alive(p)]


def test_ctrl_c_while_the_persistent_worker_runs_kills_it():
    worker = PersistentWorker(state=None)
    pid = worker.call(_pid, timeout=10, what="pid")
    with _ctrl_c_after(0.5), pytest.raises(KeyboardInterrupt):
        worker.call(_spin_forever, timeout=30, what="the spin")
    assert not _alive(pid)
