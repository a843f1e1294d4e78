"""Bad input at run time (issue 15, part B: items 4, 7, 8, 9): queries, fmt, the reasoner, the API.

Every case asserts the exit code, that there is no traceback, that the one-line message names the
file, line or parameter, and that every file not meant to be written is byte-identical afterwards.
Interrupted writes (SIGKILL, SIGINT, SIGTERM at the moment of the rename) run the command in a
subprocess whose os.link / os.replace pause first, so the signal lands exactly there.

Root-only cases: the full disk is a 64 KiB tmpfs and the read-only folder a tmpfs remounted
read-only (root ignores permission bits); a second read-only case runs fmt as 'nobody' with
setpriv. Where mounting is not permitted (no root, or a container without CAP_SYS_ADMIN) those
cases are skipped with that reason.
"""

from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from conftest import REPO, modgraph_command, tree_snapshot
from modgraph.api import Catalogue
from modgraph.cli import main
from modgraph.errors import InputError
from modgraph.formatting import canonical_text
from modgraph.turtle_comments import find_comments

LONG = "x" * 5000
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
MG = "https://w3id.org/modgraph/def#"
ID = "https://w3id.org/modgraph/id/"


# ---------------------------------------------------------------- helpers

@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    """A copy of the catalogue (ontology, data, queries): the cases must leave it byte-identical."""
    dest = tmp_path_factory.mktemp("catalogue") / "root"
    for folder in ("ontology", "data", "queries"):
        shutil.copytree(REPO / folder, dest / folder)
    return dest


def one_error_line(stderr: str) -> str:
    assert "Traceback" not in stderr, stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert lines[0].startswith("modgraph: error: "), lines[0]
    return lines[0]


def run_in_process(argv: list[str], capfd, stdin: str | bytes | None = None, monkeypatch=None) -> tuple[int, str, str]:
    if stdin is not None:
        raw = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8"))
    code = main(argv)
    out, err = capfd.readouterr()
    return code, out, err


def cli(*args: str, stdin: str | None = None, env: dict | None = None, timeout: int = 600,
        cwd: Path | None = None) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "MODGRAPH_ROOT"}
    environment.update(env or {})
    return subprocess.run([*modgraph_command(), *args], input=stdin, capture_output=True, text=True,
                          env=environment, timeout=timeout, cwd=cwd)


# ---------------------------------------------------------------- queries: parameters and options

Q = ("--asserted-only", "query")
S = ("--asserted-only", "sparql")

QUERY_CASES = [
    # (id, argv after --root ROOT, stdin, location in the message, words in the message)
    ("param-twice", [*Q, "follow-ups", "-p", "module=amw/intake", "-p", "module=amw/intake"], None,
     "parameter module", "twice"),
    ("param-twice-different", [*Q, "follow-ups", "-p", "module=amw/intake", "-p", "module=bmw/intake-bmw"], None,
     "parameter module", "twice"),
    ("full-iri-not-in-catalogue", [*Q, "follow-ups", "-p", f"module={ID}module/amw/no-such-module"], None,
     "parameter module", "no resource"),
    ("urn-not-in-catalogue", [*Q, "follow-ups", "-p", "module=urn:example:nothing"], None,
     "parameter module", "no resource"),
    ("http-iri-elsewhere", [*Q, "follow-ups", "-p", "module=http://example.org/module"], None,
     "parameter module", "no resource"),
    ("long-iri-value", [*Q, "follow-ups", "-p", "module=" + LONG], None, "parameter module", "limit is 1000"),
    ("long-literal-value", [*Q, "text-search", "-p", "text=" + LONG], None, "parameter text", "limit is 1000"),
    ("long-integer-value", [*Q, "modules-max-sessions", "-p", "max=" + "9" * 5000], None, "parameter max",
     "limit is 1000"),
    ("long-unknown-name", [*Q, "follow-ups", "-p", LONG + "=1"], None, "parameter xxxx", "no parameter"),
    ("long-full-iri", [*Q, "follow-ups", "-p", "module=https://w3id.org/" + LONG], None, "parameter module",
     "limit is 1000"),
    ("long-query-name", [*Q, LONG], None, "query", "no query named"),
    ("no-equals", [*Q, "follow-ups", "-p", "module"], None, "--param", "name=value"),
    ("unknown-parameter", [*Q, "follow-ups", "-p", "modul=amw/intake"], None, "parameter modul", "no parameter"),
    ("missing-required", [*Q, "follow-ups"], None, "parameter module", "needs it"),
    ("not-an-integer", [*Q, "modules-max-sessions", "-p", "max=three"], None, "parameter max", "xsd:integer"),
    ("integer-overflowing-text", [*Q, "overlap", "-p", "minScore=1e5"], None, "parameter minScore", "xsd:integer"),
    ("unknown-slug", [*Q, "follow-ups", "-p", "module=amw/no-such-module"], None, "parameter module", "no resource"),
    ("empty-value", [*Q, "follow-ups", "-p", "module="], None, "parameter module", ""),
    ("unknown-query", [*Q, "follow-upz"], None, "query", "did you mean"),
    ("timeout-zero", [*Q, "follow-ups", "-p", "module=amw/intake", "--timeout", "0"], None, "--timeout", "positive"),
    ("timeout-negative", [*Q, "follow-ups", "-p", "module=amw/intake", "--timeout", "-5"], None, "--timeout",
     "positive"),
    ("timeout-text", [*Q, "follow-ups", "-p", "module=amw/intake", "--timeout", "soon"], None, "--timeout",
     "positive"),
    ("timeout-nan", [*S, "-", "--timeout", "nan"], "ASK {}", "--timeout", "positive"),
    ("timeout-inf", [*S, "-", "--timeout", "inf"], "ASK {}", "--timeout", "positive"),
    ("select-as-turtle", [*Q, "follow-ups", "-p", "module=amw/intake", "--format", "turtle"], None, "--format",
     "rows"),
    ("select-as-nt", [*S, "-", "--format", "nt"], "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "--format", "rows"),
    ("ask-as-jsonld", [*S, "-", "--format", "jsonld"], "ASK { ?s ?p ?o }", "--format", "true or false"),
    ("construct-as-csv", [*S, "-", "--format", "csv"], "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 1",
     "--format", "graph"),
    ("describe-as-json", [*S, "-", "--format", "json"], f"DESCRIBE <{ID}werksoort/amw>", "--format", "graph"),
    ("service", [*S, "-"], "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "<stdin>",
     "SERVICE"),
    ("service-lower-case", [*S, "-"], "select * where { service <http://example.org/sparql> { ?s ?p ?o } }",
     "<stdin>", "SERVICE"),
    ("service-silent-nested", [*S, "-"],
     "SELECT * WHERE { ?s ?p ?o OPTIONAL { { SERVICE SILENT <http://example.org/s> { ?s ?q ?r } } } }",
     "<stdin>", "SERVICE"),
    ("service-variable", [*S, "-"], "SELECT * WHERE { SERVICE ?endpoint { ?s ?p ?o } }", "<stdin>", "SERVICE"),
    ("service-in-subquery", [*S, "-"],
     "SELECT * WHERE { { SELECT ?s WHERE { SERVICE <http://example.org/s> { ?s ?p ?o } } } }", "<stdin>", "SERVICE"),
    # rdflib's engine cannot evaluate GRAPH over a plain graph (pyoxigraph answers: no named graphs, no rows)
    ("graph-needs-dataset", ["--engine", "rdflib", *S, "-"], "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }", "<stdin>",
     "the query failed"),
    ("deep-braces", [*S, "-"], "SELECT * WHERE " + "{ " * 200 + "?s ?p ?o" + " }" * 200, "<stdin>",
     "levels deep"),
    ("deep-parentheses", [*S, "-"], "ASK { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }", "<stdin>",
     "levels deep"),
    # under the nesting cap, rdflib's evaluator still recurses too deeply (pyoxigraph answers true)
    ("deep-under-the-cap", ["--engine", "rdflib", *S, "-"], "ASK { FILTER(" + "!(" * 30 + "true" + ")" * 30 + ") }",
     "<stdin>", "nested too deeply"),
    ("syntax-error", [*S, "-"], "SELECT * WHERE {\n  ?s ?p\n}", "<stdin>", "line"),
    ("update-is-not-a-query", [*S, "-"], "INSERT DATA { <urn:a> <urn:b> <urn:c> }", "<stdin>", "syntax error"),
    ("empty-query", [*S, "-"], "  \n# only a comment\n", "<stdin>", "syntax error"),
    ("blank-query", [*S, "-"], "   \n", "<stdin>", "empty"),
    ("stdin-not-utf8", [*S, "-"], b"SELECT * WHERE { ?s ?p \xff }", "<stdin>", "UTF-8"),
]


@pytest.mark.parametrize("case", QUERY_CASES, ids=[c[0] for c in QUERY_CASES])
def test_query_bad_input(case, root, capfd, monkeypatch):
    _, argv, stdin, location, words = case
    before = tree_snapshot(root)
    code, out, err = run_in_process(["--root", str(root), *argv], capfd, stdin, monkeypatch)
    assert code == 2, out + err
    line = one_error_line(err)
    assert line.startswith(f"modgraph: error: {location}"), line
    assert words in line, line
    assert len(line) < 600, "an over-long value must not be echoed in full"
    assert out == ""
    assert tree_snapshot(root) == before


@pytest.mark.parametrize("name, text", [
    ("missing", None), ("folder", None), ("not-utf8", b"SELECT * WHERE { ?s ?p '\xe9' }"),
    ("service", b"SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"),
    ("syntax", b"PREFIX x: <urn:x>\nSELECT * WHERE {\n  ?s x:p ?o .\n  FILTER(\n}\n"),
])
def test_sparql_file_bad_input_names_the_file(name, text, root, tmp_path, capfd):
    path = tmp_path / f"{name}.rq"
    if name == "folder":
        path.mkdir()
    elif text is not None:
        path.write_bytes(text)
    before = tree_snapshot(root)
    code, _, err = run_in_process(["--root", str(root), *S, str(path)], capfd)
    assert code == 2
    assert one_error_line(err).startswith(f"modgraph: error: {path}")
    assert tree_snapshot(root) == before


def test_service_in_a_string_a_comment_or_an_iri_is_not_service(root, capfd, monkeypatch):
    text = ('# SERVICE <http://example.org/sparql> { }\n'
            'SELECT ?x WHERE { BIND("SERVICE <http://x> { ?s ?p ?o }" AS ?x) '
            'FILTER(?x != <http://example.org/SERVICE>) }')
    code, out, err = run_in_process(["--root", str(root), *S, "-", "--format", "csv"], capfd, text, monkeypatch)
    assert code == 0, err
    assert out.splitlines()[1] == "SERVICE <http://x> { ?s ?p ?o }"


def test_allowed_service_to_an_unreachable_endpoint_is_one_line(root, capfd, monkeypatch):
    import socket

    with socket.socket() as probe:  # a port nobody listens on: the connection is refused at once
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    text = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"
    code, _, err = run_in_process(["--root", str(root), *S, "-", "--allow-service", "--timeout", "20"], capfd,
                                  text, monkeypatch)
    assert code == 2
    assert one_error_line(err).startswith("modgraph: error: <stdin>: the query failed")


def test_runaway_sparql_is_stopped_by_its_timeout(root, capfd, monkeypatch):
    started = time.monotonic()
    code, _, err = run_in_process(["--root", str(root), *S, "-", "--timeout", "1"], capfd, RUNAWAY, monkeypatch)
    assert code == 2
    assert one_error_line(err) == ("modgraph: error: <stdin>: the query did not finish within 1 s and was stopped "
                                   "(raise the limit with --timeout SECONDS)")
    assert time.monotonic() - started < 60  # loading the catalogue included; the bound itself: test_timeouts.py


def test_list_into_a_closed_pipe_exits_quietly(root):
    command = " ".join(f"'{part}'" for part in modgraph_command())
    result = subprocess.run(f"{command} --root '{root}' query --list | head -n 1", shell=True, capture_output=True,
                            text=True, timeout=120)
    assert result.stderr == "", result.stderr
    assert len(result.stdout.splitlines()) == 1


# ---------------------------------------------------------------- CONSTRUCT and DESCRIBE formats

CONSTRUCT = f"CONSTRUCT {{ ?w a <{MG}Werksoort> }} WHERE {{ ?w a <{MG}Werksoort> }}"


@pytest.mark.parametrize("fmt", ["turtle", "nt", "jsonld", None])
def test_construct_honours_the_graph_formats(fmt, root, capfd, monkeypatch):
    args = ["--root", str(root), *S, "-"] + (["--format", fmt] if fmt else [])
    code, out, err = run_in_process(args, capfd, CONSTRUCT, monkeypatch)
    assert code == 0, err
    graph = Graph().parse(data=out, format={"nt": "nt", "jsonld": "json-ld"}.get(fmt, "turtle"))
    # The two documents are about two kinds of social work: AMW (deel 2b) and BMW (deel 2a).
    assert set(graph.subjects()) == {URIRef(ID + "werksoort/amw"), URIRef(ID + "werksoort/bmw")}
    if fmt == "nt":
        assert out.splitlines() == sorted(out.splitlines())


def test_describe_as_ntriples(root, capfd, monkeypatch):
    code, out, err = run_in_process(["--root", str(root), *S, "-", "-f", "nt"], capfd,
                                    f"DESCRIBE <{ID}werksoort/bmw>", monkeypatch)
    assert code == 0, err
    assert all(line.startswith(f"<{ID}werksoort/bmw> ") for line in out.splitlines())


# ---------------------------------------------------------------- the Python API

@pytest.fixture(scope="module")
def cat(root) -> Catalogue:
    return Catalogue(root, asserted_only=True, timeout=20)


API_CASES = [
    ("query-none", lambda c: c.query(None), "query"),
    ("query-number", lambda c: c.query(42), "query"),
    ("query-unknown", lambda c: c.query("no-such-query"), "query"),
    ("value-none", lambda c: c.query("follow-ups", module=None), "parameter module"),
    ("value-list", lambda c: c.query("follow-ups", module=["amw/intake"]), "parameter module"),
    ("value-dict", lambda c: c.query("follow-ups", module={"a": 1}), "parameter module"),
    ("value-long", lambda c: c.query("follow-ups", module=LONG), "parameter module"),
    ("value-unknown-iri", lambda c: c.query("follow-ups", module=URIRef(ID + "module/amw/nothing")),
     "parameter module"),
    ("value-unknown-parameter", lambda c: c.query("follow-ups", modul="amw/intake"), "parameter modul"),
    ("value-missing", lambda c: c.query("follow-ups"), "parameter module"),
    ("rows-none", lambda c: c.rows(None), "query"),
    ("dataframe-none", lambda c: c.dataframe(None), "query"),
    ("sparql-none", lambda c: c.sparql(None), "sparql"),
    ("sparql-bytes", lambda c: c.sparql(b"ASK {}"), "sparql"),
    ("sparql-empty", lambda c: c.sparql(""), "sparql"),
    ("sparql-service", lambda c: c.sparql("SELECT * WHERE { SERVICE <http://example.org/s> { ?s ?p ?o } }"),
     "sparql"),
    ("sparql-construct", lambda c: c.sparql(CONSTRUCT), "sparql"),
    ("sparql-graph-select", lambda c: c.sparql_graph("SELECT * WHERE { ?s ?p ?o } LIMIT 1"), "sparql"),
    ("sparql-deep", lambda c: c.sparql("ASK " + "{" * 100 + "}" * 100), "sparql"),
]


@pytest.mark.parametrize("case", API_CASES, ids=[c[0] for c in API_CASES])
def test_api_raises_input_error(case, cat, root):
    _, call, location = case
    before = tree_snapshot(root)
    with pytest.raises(InputError) as caught:
        call(cat)
    message = str(caught.value)
    assert message.startswith(location), message
    assert len(message) < 600 and "\n" not in message
    assert tree_snapshot(root) == before


@pytest.mark.parametrize("kwargs, location", [
    ({"timeout": 0}, "timeout"), ({"timeout": -1}, "timeout"), ({"timeout": "later"}, "timeout"),
    ({"timeout": None}, "timeout"), ({"timeout": True}, "timeout"), ({"asserted_only": "yes"}, "asserted_only"),
    ({"allow_service": 1}, "allow_service"), ({"root": 123}, "root"),
])
def test_api_constructor_arguments(kwargs, location, root):
    kwargs = {"root": root, "asserted_only": True, **kwargs}
    with pytest.raises(InputError) as caught:
        Catalogue(**kwargs)
    assert str(caught.value).startswith(location)


def test_api_sparql_graph_and_ask(cat):
    graph = cat.sparql_graph(CONSTRUCT)
    assert len(set(graph.subjects())) == 2  # AMW and BMW
    assert cat.sparql(f"ASK {{ <{ID}werksoort/amw> a <{MG}Werksoort> }}") == [{"answer": True}]


# ---------------------------------------------------------------- fmt

TURTLE = textwrap.dedent("""\
    # A small vocabulary for the fmt tests (not from the documents).
    # Second header line.

    @base <https://w3id.org/modgraph/id/> .
    @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
    @prefix mg: <https://w3id.org/modgraph/def#> .

    # Zeta comes last in the canonical order; this comment stays with it.
    <test/zeta> a skos:Concept ;
            skos:prefLabel "Zeta"@nl ; # trailing: about the label
            # before the definition
            skos:definition "Een # in een tekst is geen commentaar."@nl .

    <test/alpha> a skos:Concept ;   skos:prefLabel "Alfa"@nl, "Alpha"@en .
    # Appended by a curator at the end.
    """)


# The comments of TURTLE, written out by hand (a '#' inside a string is not one).
TURTLE_COMMENTS = [
    "# A small vocabulary for the fmt tests (not from the documents).", "# Second header line.",
    "# Zeta comes last in the canonical order; this comment stays with it.", "# trailing: about the label",
    "# before the definition", "# Appended by a curator at the end.",
]


def _comments(text: str) -> list[str]:
    """The comment lines of a canonical file (fmt puts every comment on a line of its own)."""
    return sorted(line.strip() for line in text.splitlines() if line.strip().startswith("#"))


def snapshot(root: Path) -> dict[str, tuple]:
    """Every entry under ``root``: content and mtime of files, targets of symbolic links (dangling ones too)."""
    out = {}
    for path in sorted(root.rglob("*")):
        key = str(path.relative_to(root))
        stat = path.lstat()
        if path.is_symlink():
            out[key] = ("link", os.readlink(path))
        elif path.is_dir():
            out[key] = ("dir", stat.st_mode)
        elif path.is_file():
            out[key] = ("file", path.read_bytes(), stat.st_mtime_ns, stat.st_mode)
        else:
            out[key] = ("other", stat.st_mode, stat.st_mtime_ns)
    return out


def _no_temp_files(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if ".modgraph-" in p.name or p.name.endswith(".tmp")]


def test_fmt_keeps_every_comment_in_place(tmp_path):
    path = tmp_path / "vocab.ttl"
    path.write_text(TURTLE, encoding="utf-8")
    result = cli("fmt", str(path))
    assert result.returncode == 0, result.stderr
    text = path.read_text(encoding="utf-8")
    assert _comments(text) == sorted(TURTLE_COMMENTS)
    assert text.startswith("# A small vocabulary for the fmt tests (not from the documents).\n# Second header line.\n")
    zeta = text.index("<test/zeta>")
    assert text.index("# Zeta comes last") < zeta < text.index("# trailing: about the label") \
        < text.index('skos:prefLabel "Zeta"') < text.index("# before the definition") < text.index("skos:definition")
    assert text.rstrip().endswith("# Appended by a curator at the end.")
    assert canonical_text(path) == text, "fmt must be idempotent"
    assert Graph().parse(data=text, format="turtle") .isomorphic(Graph().parse(data=TURTLE, format="turtle"))
    assert _no_temp_files(tmp_path) == []


def test_fmt_check_with_comments_writes_nothing(tmp_path):
    path = tmp_path / "vocab.ttl"
    path.write_text(TURTLE, encoding="utf-8")
    before = snapshot(tmp_path)
    result = cli("fmt", "--check", str(path))
    assert result.returncode == 1 and "would reformat" in result.stdout
    assert snapshot(tmp_path) == before


def test_comment_that_cannot_be_placed_is_reported_with_its_line():
    """find_comments ties each comment to a subject or predicate of the graph; none here, so all unplaced."""
    comments = find_comments(TURTLE, Graph(), "file:///x.ttl")
    assert [line for line, _ in comments.unplaced] == [8, 10, 11]
    assert comments.by_anchor[("header",)] == ["A small vocabulary for the fmt tests (not from the documents).",
                                               "Second header line."]
    assert comments.by_anchor[("end",)] == ["Appended by a curator at the end."]


def test_fmt_formats_a_symlinks_target_and_keeps_the_link(tmp_path):
    target = tmp_path / "real" / "vocab.ttl"
    target.parent.mkdir()
    target.write_text(TURTLE, encoding="utf-8")
    link = tmp_path / "link.ttl"
    link.symlink_to(target)
    result = cli("fmt", str(link))
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and link.resolve() == target
    assert target.read_text(encoding="utf-8") == canonical_text(target)
    assert _no_temp_files(tmp_path) == [] and _no_temp_files(target.parent) == []


def test_fmt_keeps_the_file_mode(tmp_path):
    path = tmp_path / "vocab.ttl"
    path.write_text(TURTLE, encoding="utf-8")
    path.chmod(0o640)
    assert cli("fmt", str(path)).returncode == 0
    assert path.stat().st_mode & 0o777 == 0o640


def _fmt_case_files(tmp_path: Path, name: str) -> list[str]:
    """Make the files of one fmt bad-input case; return the fmt arguments."""
    good = tmp_path / "good.ttl"
    good.write_text(TURTLE, encoding="utf-8")
    if name == "missing":
        return [str(tmp_path / "missing.ttl")]
    if name == "dangling-symlink":
        (tmp_path / "dangling.ttl").symlink_to(tmp_path / "gone.ttl")
        return [str(tmp_path / "dangling.ttl")]
    if name == "symlink-loop":
        (tmp_path / "a.ttl").symlink_to(tmp_path / "b.ttl")
        (tmp_path / "b.ttl").symlink_to(tmp_path / "a.ttl")
        return [str(tmp_path / "a.ttl")]
    if name == "folder":
        (tmp_path / "folder.ttl").mkdir()
        return [str(tmp_path / "folder.ttl")]
    if name == "fifo":
        os.mkfifo(tmp_path / "fifo.ttl")
        return [str(tmp_path / "fifo.ttl")]
    if name == "not-utf8":
        (tmp_path / "latin1.ttl").write_bytes(TURTLE.replace("Alfa", "Alfa \xe9").encode("latin-1"))
        return [str(tmp_path / "latin1.ttl")]
    if name == "syntax-error":
        (tmp_path / "broken.ttl").write_text(TURTLE.replace('"Zeta"@nl ;', '"Zeta"@nl'), encoding="utf-8")
        return [str(tmp_path / "broken.ttl")]
    if name == "blank-node":
        (tmp_path / "blank.ttl").write_text(TURTLE.replace('"Alpha"@en', '"Alpha"@en ; skos:note [ a skos:Concept ]'),
                                            encoding="utf-8")
        return [str(tmp_path / "blank.ttl")]
    if name == "read-only-file":
        good.chmod(0o444)
        return [str(good)]
    if name == "second-file-broken":
        (tmp_path / "broken.ttl").write_text("<a> <b> .\n", encoding="utf-8")
        return [str(good), str(tmp_path / "broken.ttl")]
    raise AssertionError(name)


FMT_CASES = ["missing", "dangling-symlink", "symlink-loop", "folder", "fifo", "not-utf8", "syntax-error",
             "blank-node", "read-only-file", "second-file-broken"]


@pytest.mark.parametrize("name", FMT_CASES)
@pytest.mark.parametrize("check", [False, True], ids=["fmt", "check"])
def test_fmt_bad_input(name, check, tmp_path):
    if name == "read-only-file" and check:
        pytest.skip("--check writes nothing: a read-only file is fine")
    args = _fmt_case_files(tmp_path, name)
    before = snapshot(tmp_path)
    result = cli("fmt", *(["--check"] if check else []), *args, timeout=60)
    assert result.returncode == 2, result.stdout + result.stderr
    line = one_error_line(result.stderr)
    assert line.startswith(f"modgraph: error: {args[-1]}"), line
    if name == "syntax-error":
        assert line.startswith(f"modgraph: error: {args[-1]}:12:"), line  # the missing ';' after line 11
    assert snapshot(tmp_path) == before


HOOK = textwrap.dedent("""\
    # Pause in os.link (before the new file has a name) or os.replace (the rename), then run main().
    import os, sys, time
    marker, point, *args = sys.argv[1:]
    def pausing(real):
        def wrapper(*a, **k):
            with open(marker, "w") as handle:
                handle.write(str(os.getpid()))
            time.sleep(120)
            return real(*a, **k)
        return wrapper
    if point == "name":
        os.link = pausing(os.link)
    elif point == "rename":
        os.replace = pausing(os.replace)
    from modgraph.cli import main
    sys.exit(main(args))
    """)


def _start_paused(tmp_path: Path, point: str, args: list[str], env: dict | None = None) -> tuple[subprocess.Popen, Path]:
    marker = tmp_path / "paused"
    script = tmp_path / "hook.py"
    script.write_text(HOOK, encoding="utf-8")
    environment = {k: v for k, v in os.environ.items() if k != "MODGRAPH_ROOT"}
    environment.update(env or {})
    process = subprocess.Popen([sys.executable, str(script), str(marker), point, *args], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env=environment)
    deadline = time.monotonic() + 600
    while not marker.exists():
        if process.poll() is not None:
            raise AssertionError(f"ended before the pause: {process.communicate()}")
        assert time.monotonic() < deadline, "never reached the pause"
        time.sleep(0.05)
    time.sleep(0.1)
    return process, marker


def _messy_copy(tmp_path: Path) -> tuple[Path, bytes]:
    folder = tmp_path / "files"
    folder.mkdir()
    path = folder / "vocab.ttl"
    path.write_text(TURTLE, encoding="utf-8")
    return path, path.read_bytes()


@pytest.mark.parametrize("point", ["name", "rename"])
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_fmt_interrupted_at_the_rename_leaves_the_original_whole(point, sig, tmp_path):
    path, original = _messy_copy(tmp_path)
    process, _ = _start_paused(tmp_path, point, ["fmt", str(path)])
    process.send_signal(sig)
    _, err = process.communicate(timeout=60)
    assert process.returncode == (130 if sig == signal.SIGINT else 143)
    assert err.strip() == ("modgraph: interrupted" if sig == signal.SIGINT else "modgraph: terminated")
    assert path.read_bytes() == original
    assert _no_temp_files(path.parent) == []


def test_fmt_killed_before_the_new_file_has_a_name_leaves_nothing(tmp_path):
    path, original = _messy_copy(tmp_path)
    process, _ = _start_paused(tmp_path, "name", ["fmt", str(path)])
    process.kill()
    process.communicate(timeout=60)
    assert path.read_bytes() == original
    assert _no_temp_files(path.parent) == [], "an O_TMPFILE file disappears with its process"


def test_fmt_killed_at_the_rename_leaves_the_original_and_the_next_run_cleans_up(tmp_path):
    path, original = _messy_copy(tmp_path)
    process, marker = _start_paused(tmp_path, "rename", ["fmt", str(path)])
    pid = int(marker.read_text())
    process.kill()
    process.communicate(timeout=60)
    assert path.read_bytes() == original, "the original must be whole"
    # Killed between naming the new file and renaming it: that one file, named after the dead process.
    assert _no_temp_files(path.parent) == [f".vocab.ttl.modgraph-{pid}.tmp"]
    result = cli("fmt", str(path))
    assert result.returncode == 0, result.stderr
    assert _no_temp_files(path.parent) == []
    assert path.read_text(encoding="utf-8") == canonical_text(path)


PATCHED_APPEND = textwrap.dedent("""\
    # Append to the file at one moment of fmt (as a curator's `cat >>` would), then let fmt go on.
    import os, sys
    import modgraph.formatting as formatting
    moment, path, *args = sys.argv[1:]
    APPENDED = '<https://w3id.org/modgraph/id/test/appended> <http://www.w3.org/2000/01/rdf-schema#label> "appended" .\\n'
    def append():
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(APPENDED)
    def once(real):
        done = []
        def wrapper(*a, **k):
            if not done:
                done.append(1)
                append()
            return real(*a, **k)
        return wrapper
    if moment == "while-read":
        formatting.parse_turtle = once(formatting.parse_turtle)
    elif moment == "before-rename":
        formatting.serialize = once(formatting.serialize)
    elif moment == "in-the-rename-window":
        os.link = once(os.link)
    from modgraph.cli import main
    sys.exit(main(args))
    """)
APPENDED = '<https://w3id.org/modgraph/id/test/appended> <http://www.w3.org/2000/01/rdf-schema#label> "appended" .\n'


@pytest.mark.parametrize("moment", ["while-read", "before-rename", "in-the-rename-window"])
def test_fmt_never_loses_text_appended_while_it_runs(moment, tmp_path):
    path, original = _messy_copy(tmp_path)
    script = tmp_path / "append.py"
    script.write_text(PATCHED_APPEND, encoding="utf-8")
    result = subprocess.run([sys.executable, str(script), moment, str(path), "fmt", str(path)], capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 2, result.stdout + result.stderr
    line = one_error_line(result.stderr)
    assert line.startswith(f"modgraph: error: {path}: ") and "changed" in line, line
    assert path.read_bytes() == original + APPENDED.encode(), "the curator's text must be there, unformatted"
    assert _no_temp_files(path.parent) == []


def test_two_concurrent_formatters_and_an_appender_lose_nothing(tmp_path):
    path, _ = _messy_copy(tmp_path)
    appended = []

    def appender():
        for i in range(150):
            line = f'<{ID}test/k{i}> <http://www.w3.org/2000/01/rdf-schema#label> "k{i}" .\n'
            with open(path, "a", encoding="utf-8") as handle:
                handle.write(line)
            appended.append(i)
            time.sleep(0.01)

    thread = threading.Thread(target=appender)
    thread.start()
    outcomes = []
    while thread.is_alive():
        pair = [subprocess.Popen([*modgraph_command(), "fmt", str(path)], stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True) for _ in range(2)]
        for process in pair:
            out, err = process.communicate(timeout=120)
            outcomes.append((process.returncode, err))
    thread.join()
    for code, err in outcomes:
        assert code in (0, 2), err
        if code == 2:
            assert "changed" in one_error_line(err), err
    graph = Graph().parse(path, format="turtle")
    labels = {str(o) for o in graph.objects(None, URIRef("http://www.w3.org/2000/01/rdf-schema#label"))}
    assert {f"k{i}" for i in appended} <= labels, "an appended line was lost"
    assert cli("fmt", str(path)).returncode == 0
    assert _comments(path.read_text(encoding="utf-8")) == sorted(TURTLE_COMMENTS)
    assert _no_temp_files(path.parent) == []


# ---------------------------------------------------------------- full disk and read-only folder (root)

def _mount_tmpfs(folder: Path, size: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root (CI runs as root)")
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True,
                            text=True)
    if result.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {result.stderr.strip()}")


@pytest.fixture
def small_disk(tmp_path):
    folder = tmp_path / "disk"
    _mount_tmpfs(folder, "64k")
    yield folder
    subprocess.run(["umount", str(folder)], capture_output=True)


def _fill(folder: Path) -> None:
    with open(folder / "filler", "wb", buffering=0) as handle:
        try:
            while True:
                handle.write(b"\0" * 512)
        except OSError:
            pass


def test_fmt_on_a_full_disk(small_disk):
    path = small_disk / "vocab.ttl"
    path.write_text(TURTLE, encoding="utf-8")
    _fill(small_disk)
    before = snapshot(small_disk)
    result = cli("fmt", str(path))
    assert result.returncode == 2
    line = one_error_line(result.stderr)
    assert line.startswith(f"modgraph: error: {path}: cannot write") and "disk is full" in line, line
    assert snapshot(small_disk) == before
    assert _no_temp_files(small_disk) == []


def test_fmt_in_a_read_only_mount(small_disk):
    path = small_disk / "vocab.ttl"
    path.write_text(TURTLE, encoding="utf-8")
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    before = snapshot(small_disk)
    result = cli("fmt", str(path))
    assert result.returncode == 2
    line = one_error_line(result.stderr)
    assert line.startswith(f"modgraph: error: {path}: cannot write") and "read-only" in line, line
    assert snapshot(small_disk) == before


def test_fmt_in_a_folder_the_user_cannot_write():
    if os.geteuid() != 0 or not shutil.which("setpriv"):
        pytest.skip("needs root and setpriv to run fmt as the unprivileged user 'nobody'")
    folder = Path(tempfile.mkdtemp(prefix="modgraph-ro-"))
    try:
        folder.chmod(0o755)
        path = folder / "vocab.ttl"
        path.write_text(TURTLE, encoding="utf-8")
        folder.chmod(0o555)
        before = snapshot(folder)
        result = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                                 *modgraph_command(), "fmt", str(path)], capture_output=True, text=True, timeout=120)
        if "Permission denied" in result.stderr and "modgraph: error" not in result.stderr:
            pytest.skip(f"'nobody' cannot run the installed command here: {result.stderr.strip()}")
        assert result.returncode == 2, result.stderr
        line = one_error_line(result.stderr)
        assert line.startswith(f"modgraph: error: {path}: cannot write"), line
        assert snapshot(folder) == before
    finally:
        folder.chmod(0o755)
        shutil.rmtree(folder)


# ---------------------------------------------------------------- the reasoner: timeout, signals, culprits

@pytest.fixture
def reason_root(tmp_path) -> Path:
    dest = tmp_path / "root"
    shutil.copytree(REPO / "ontology", dest / "ontology")
    shutil.copytree(REPO / "data", dest / "data")
    return dest


def _java_of(marker: str) -> list[str]:
    """Processes whose command line mentions ``marker`` (the private temporary folder)."""
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                if marker in (proc / "cmdline").read_bytes().decode("utf-8", "replace"):
                    found.append(proc.name)
            except OSError:
                continue
    return found


@pytest.mark.parametrize("args, location", [
    (["reason", "--timeout", "0"], "--timeout"), (["reason", "--timeout", "x"], "--timeout"),
    (["validate", "--timeout", "-1"], "--timeout"), (["reason", "--check", "--timeout", "nan"], "--timeout"),
])
def test_reason_timeout_must_be_positive(args, location, root, capfd):
    before = snapshot(root)
    code, _, err = run_in_process(["--root", str(root), *args], capfd)
    assert code == 2
    assert one_error_line(err).startswith(f"modgraph: error: {location}: ")
    assert snapshot(root) == before


def test_reasoner_timeout_stops_java_and_removes_its_files(reason_root, tmp_path):
    private_tmp = tmp_path / "tmp"
    private_tmp.mkdir()
    before = snapshot(reason_root)
    result = cli("--root", str(reason_root), "reason", "--timeout", "0.5", env={"TMPDIR": str(private_tmp)})
    assert result.returncode == 2
    assert one_error_line(result.stderr) == ("modgraph: error: the reasoner did not finish within 0.5 s and was "
                                             "stopped (raise the limit with --timeout SECONDS)")
    assert list(private_tmp.iterdir()) == []
    assert _java_of(str(private_tmp)) == []
    assert snapshot(reason_root) == before


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_reasoner_signal_stops_java_and_removes_every_temporary_file(sig, reason_root, tmp_path):
    private_tmp = tmp_path / "tmp"
    private_tmp.mkdir()
    before = snapshot(reason_root)
    environment = {k: v for k, v in os.environ.items() if k != "MODGRAPH_ROOT"}
    environment["TMPDIR"] = str(private_tmp)
    process = subprocess.Popen([*modgraph_command(), "--root", str(reason_root), "reason"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env=environment)
    deadline = time.monotonic() + 300
    while not any("java" in (Path("/proc") / pid / "cmdline").read_bytes().decode("utf-8", "replace")
                  for pid in _java_of(str(private_tmp))):
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "Java never started"
        time.sleep(0.05)
    process.send_signal(sig)
    _, err = process.communicate(timeout=60)
    assert process.returncode == (143 if sig == signal.SIGTERM else 130)
    assert err.strip() == ("modgraph: terminated" if sig == signal.SIGTERM else "modgraph: interrupted")
    time.sleep(0.2)
    assert _java_of(str(private_tmp)) == [], "the Java child is still running"
    assert list(private_tmp.iterdir()) == [], "temporary files were left behind"
    assert snapshot(reason_root) == before


@pytest.mark.parametrize("how", ["SIGKILL", "SIGINT"])
def test_reason_interrupted_at_the_rename_keeps_the_old_inferred_file(how, reason_root, tmp_path):
    out = reason_root / "inferred" / "inferred.ttl"
    out.parent.mkdir()
    out.write_text("# an older inferred file\n", encoding="utf-8")
    original = out.read_bytes()
    process, marker = _start_paused(tmp_path, "rename", ["--root", str(reason_root), "reason"])
    pid = int(marker.read_text())
    if how == "SIGKILL":
        process.kill()
    else:
        process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert out.read_bytes() == original
    if how == "SIGINT":
        assert process.returncode == 130 and err.strip().endswith("modgraph: interrupted")
        assert _no_temp_files(out.parent) == []
    else:
        assert _no_temp_files(out.parent) == [f".inferred.ttl.modgraph-{pid}.tmp"]


def test_reason_output_on_a_full_disk(small_disk, reason_root):
    out = small_disk / "inferred.ttl"
    _fill(small_disk)
    before = snapshot(reason_root)
    result = cli("--root", str(reason_root), "reason", "--out", str(out))
    assert result.returncode == 2, result.stdout + result.stderr
    line = one_error_line(result.stderr)
    assert str(out) in line and "disk is full" in line, line
    assert not out.exists() and _no_temp_files(small_disk) == []
    assert snapshot(reason_root) == before


# Each contradiction, with the individuals the report must name as full IRIs and the files that hold them.
CONTRADICTIONS = {
    "module-typed-amw-and-bmw": (
        f"<{ID}module/amw/intake> a <{MG}BMWModule> .\n",
        [(f"{ID}module/amw/intake", ["data/broken.ttl", "data/modules/amw/intake.ttl"])],
        "is both mg:AMWModule and mg:BMWModule",
    ),
    "two-minimum-counts": (
        f"<{ID}module/amw/intake> <{MG}minSessions> 7 .\n",
        [(f"{ID}module/amw/intake", ["data/broken.ttl", "data/modules/amw/intake.ttl"])],
        "different values of mg:minSessions",
    ),
    "sequencing-to-a-partner": (
        f"<{ID}module/amw/intake> <{MG}canFollow> <{ID}organisation/uwv> .\n",
        [(f"{ID}organisation/uwv", ["data/vocab/partners.ttl"]),
         (f"{ID}module/amw/intake", ["data/broken.ttl", "data/modules/amw/intake.ttl"])],
        "id:organisation/uwv is both mg:Module and mg:Partner",
    ),
}


@pytest.fixture(scope="module")
def contradiction_runs(tmp_path_factory):
    """Reason over each contradiction fixture, all at once (each run takes seconds of Java)."""
    runs = {}
    for name, (turtle, _, _) in CONTRADICTIONS.items():
        dest = tmp_path_factory.mktemp(name) / "root"
        shutil.copytree(REPO / "ontology", dest / "ontology")
        shutil.copytree(REPO / "data", dest / "data")
        (dest / "data" / "broken.ttl").write_text(turtle, encoding="utf-8")
        runs[name] = (dest, snapshot(dest), subprocess.Popen(
            [*modgraph_command(), "--root", str(dest), "reason"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True))
    return {name: (dest, before, *process.communicate(timeout=900), process.returncode)
            for name, (dest, before, process) in runs.items()}


@pytest.mark.parametrize("name", list(CONTRADICTIONS))
def test_derived_contradiction_names_each_culprit_with_its_file(name, contradiction_runs):
    dest, before, out, err, code = contradiction_runs[name]
    assert code == 1, out + err
    assert "Traceback" not in err
    _, culprits, words = CONTRADICTIONS[name]
    assert words in out
    lines = out.splitlines()
    for iri, files in culprits:
        line = next((l for l in lines if l.strip().startswith(iri + " ")), None)
        assert line is not None, f"{iri} is not listed as a full IRI:\n{out}"
        assert line.strip() == f"{iri}  ({', '.join(files)})", line
    assert any(l.strip().startswith("data/broken.ttl: <") for l in lines), out
    assert snapshot(dest) == before, "an inconsistent catalogue must not write anything"
