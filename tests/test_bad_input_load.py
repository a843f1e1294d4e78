"""Bad input while the catalogue is loaded (issue 15, part A): every case exits with the right code,
prints no traceback, names the file (line, column) or parameter, and changes no file.

- unreadable paths: an unreadable folder, a dangling symbolic link, a fifo, socket or device under
  ontology/, data/ or queries/ stops every command with exit 2 naming the path;
- stale inferences: `query`, `sparql` and the API never answer from an inferred file that does not
  match the data; they reason in memory (one line on stderr) or refuse with one line;
- typos: an mg: term the ontology does not declare is reported at file:line:column with the closest
  declared term; paths in the report are readable (``^mg:hasGoal``), never a blank-node id;
- ill-typed literals are data errors (exit 1) reported with file, line, property and value, and the
  shapes still run;
- Turtle error locations are 1-based lines and columns counted in characters.

Cases work on a small copy of the real catalogue (ontology, queries, vocabularies, documents and four
modules), so that the shapes run in about a second; expected lines and columns are computed from the
text each case writes, never taken from modgraph's output. Most cases call the command in-process
(`modgraph.cli.main`); the reasoner cases (marked ``reasoner``) and the unreadable-folder cases (as
another user when the tests run as root) run it as a subprocess.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from modgraph import cli
from modgraph.errors import InputError
from modgraph.paths import CatalogueRoot

REPO = Path(__file__).resolve().parents[1]
MODULES = ["amw/intake", "amw/inventarisatie-schulden", "amw/budgetbegeleiding", "bmw/intake-bmw"]
INTAKE = "data/modules/amw/intake.ttl"
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0

# AMW p. 11 (Inventarisatie schulden): "Na deze module start gewoonlijk budgetbegeleiding." Only the
# Inventarisatie module states it; that Budgetbegeleiding can follow Inventarisatie is inferred.
ASK_INFERRED = """PREFIX mg: <https://w3id.org/modgraph/def#>
ASK { <https://w3id.org/modgraph/id/module/amw/budgetbegeleiding>
        mg:canFollow <https://w3id.org/modgraph/id/module/amw/inventarisatie-schulden> }
"""


# ---------------------------------------------------------------- catalogue copies and runs

def _copy_small_catalogue(dest: Path) -> Path:
    dest.mkdir(parents=True)
    for folder in ("ontology", "queries"):
        shutil.copytree(REPO / folder, dest / folder)
    for folder in ("vocab", "documents"):
        shutil.copytree(REPO / "data" / folder, dest / "data" / folder)
    for slug in MODULES:
        target = dest / "data" / "modules" / f"{slug}.ttl"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(REPO / "data" / "modules" / f"{slug}.ttl", target)
    return dest


@pytest.fixture(scope="session")
def pristine(tmp_path_factory) -> Path:
    """The small catalogue, never changed by a test (cases work on copies of it)."""
    return _copy_small_catalogue(tmp_path_factory.mktemp("pristine") / "root")


@pytest.fixture(scope="session")
def reasoned(tmp_path_factory, pristine) -> Path:
    """The small catalogue with an inferred file that `modgraph reason` wrote for it."""
    root = tmp_path_factory.mktemp("reasoned") / "root"
    shutil.copytree(pristine, root)
    result = _subprocess("--root", str(root), "reason")
    assert result.returncode == 0, result.stdout + result.stderr
    return root


@pytest.fixture(scope="session")
def baseline(pristine) -> Run:
    """`validate --no-reason` on the unchanged small catalogue: what a harmless change must leave as is."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["--root", str(pristine), "validate", "--no-reason"])
    return Run(code, out.getvalue(), err.getvalue())


@pytest.fixture
def cat(pristine, tmp_path) -> Path:
    """A fresh copy of the small catalogue for one case."""
    root = tmp_path / "cat"
    shutil.copytree(pristine, root)
    return root


@pytest.fixture
def cat_reasoned(reasoned, tmp_path) -> Path:
    root = tmp_path / "cat"
    shutil.copytree(reasoned, root)
    return root


@dataclass
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def run(capsys):
    """``run(root, *args)``: `modgraph --root ROOT ARGS` in-process; exit code, stdout and stderr.

    No case here runs a command that should write: every file under ``root`` must be byte-identical
    afterwards (and no file may appear or disappear).
    """

    def runner(root: Path, *args: str) -> Run:
        before = snapshot(root)
        capsys.readouterr()
        code = cli.main(["--root", str(root), *args])
        out, err = capsys.readouterr()
        assert snapshot(root) == before, f"`modgraph {' '.join(args)}` changed files under the catalogue"
        return Run(code, out, err)

    return runner


def _subprocess(*args: str, as_user: int | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """`modgraph ARGS` as a process (as user id ``as_user``, through util-linux's setpriv, when given)."""
    env = {k: v for k, v in os.environ.items() if k != "MODGRAPH_ROOT"}
    script = Path(sys.executable).parent / "modgraph"
    command = [str(script)] if script.is_file() else [sys.executable, "-m", "modgraph.cli"]
    if as_user is not None:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as another user needs setpriv (util-linux); as root, permissions do not stop reading")
        command = [setpriv, f"--reuid={as_user}", f"--regid={as_user}", "--clear-groups", *command]
    return subprocess.run([*command, *args], env=env, capture_output=True, text=True, timeout=600, cwd=cwd)


def snapshot(root: Path) -> dict:
    """Every path under ``root`` with its kind and content (a special file's kind only: reading a fifo blocks)."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = Path(dirpath, name)
            info = os.lstat(path)
            key = path.relative_to(root).as_posix()
            if stat.S_ISLNK(info.st_mode):
                out[key] = ("link", os.readlink(path))
            elif stat.S_ISREG(info.st_mode):
                out[key] = ("file", path.read_bytes())
            else:
                out[key] = ("other", stat.S_IFMT(info.st_mode))
    return out


def assert_error(result: Run, code: int, *needles: str) -> str:
    """Exit ``code``, exactly one line on stderr naming every needle, no traceback anywhere."""
    assert result.code == code, f"exit {result.code}\nstdout:\n{result.out}\nstderr:\n{result.err}"
    assert "Traceback" not in result.out + result.err
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, f"expected one line on stderr:\n{result.err}"
    for needle in needles:
        assert needle in lines[0], f"{needle!r} not in {lines[0]!r}"
    return lines[0]


def assert_report_line(result: Run, *needles: str) -> str:
    """`validate` exits 1, no traceback, and one line of its report names every needle."""
    assert result.code == 1, f"exit {result.code}\nstdout:\n{result.out}\nstderr:\n{result.err}"
    assert "Traceback" not in result.out + result.err
    matching = [line for line in result.out.splitlines() if all(n in line for n in needles)]
    assert matching, f"no report line with {needles}:\n{result.out}"
    return matching[0]


def location(text: str, marker: str, occurrence: int = 1) -> tuple[int, int]:
    """1-based line and column (in characters) of the ``occurrence``-th ``marker`` in ``text``."""
    offset = -1
    for _ in range(occurrence):
        offset = text.index(marker, offset + 1)
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


def replace_line(text: str, starts_with: str, new: str) -> str:
    """``text`` with its first line that starts with ``starts_with`` replaced by ``new``."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if line.startswith(starts_with):
            lines[i] = new
            return "\n".join(lines)
    raise AssertionError(f"no line starts with {starts_with!r}: the module file changed; update this test")


def edit(root: Path, relative: str, change) -> str:
    """Apply ``change`` (text -> text) to a file of the catalogue; return the new text."""
    path = root / relative
    text = change(path.read_text(encoding="utf-8"))
    path.write_text(text, encoding="utf-8")
    return text


# ================================================================ 1. no silent partial catalogue

def _dangling(root: Path, relative: str) -> str:
    (root / relative).symlink_to(root / "nowhere" / "gone.ttl")
    return relative


def _fifo(root: Path, relative: str) -> str:
    os.mkfifo(root / relative)
    return relative


def _socket(root: Path, relative: str) -> str:
    # AF_UNIX paths are limited to about 100 bytes: bind from inside the folder
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    cwd = os.getcwd()
    try:
        os.chdir((root / relative).parent)
        server.bind(Path(relative).name)
    finally:
        os.chdir(cwd)
        server.close()
    return relative


def _device(root: Path, relative: str) -> str:
    if not IS_ROOT:
        pytest.skip("creating a device node needs root")
    os.mknod(root / relative, 0o600 | stat.S_IFCHR, os.makedev(1, 3))  # like /dev/null
    return relative


def _link_loop(root: Path, relative: str) -> str:
    (root / relative).symlink_to(root / relative)
    return relative


def _folder_loop(root: Path, relative: str) -> str:
    (root / relative).symlink_to(root / "data", target_is_directory=True)
    return relative


CONDITIONS = {
    "dangling-link-data": (_dangling, "data/vocab/gone.ttl", "points nowhere"),
    "dangling-link-any-name": (_dangling, "data/notes.txt", "points nowhere"),
    "dangling-link-ontology": (_dangling, "ontology/extra.ttl", "points nowhere"),
    "dangling-link-queries": (_dangling, "queries/gone.rq", "points nowhere"),
    "fifo-data": (_fifo, "data/modules/amw/pipe.ttl", "fifo"),
    "fifo-queries": (_fifo, "queries/pipe.rq", "fifo"),
    "socket-data": (_socket, "data/vocab/sock", "socket"),
    "device-data": (_device, "data/vocab/null.ttl", "device"),
    "link-loop": (_link_loop, "data/vocab/self.ttl", "loop"),
    "folder-loop": (_folder_loop, "data/vocab/again", "loop"),
}

QUERY_ARGS = ["query", "follow-ups", "--param", "module=amw/intake"]


@pytest.mark.parametrize("condition", CONDITIONS)
@pytest.mark.parametrize("command", [["validate", "--no-reason"], QUERY_ARGS], ids=["validate", "query"])
def test_unreadable_path_stops_the_command(cat, run, condition, command):
    make, relative, why = CONDITIONS[condition]
    make(cat, relative)
    before = snapshot(cat)
    result = run(cat, *command)
    assert_error(result, 2, relative, why)
    assert snapshot(cat) == before


COMMANDS = {
    "validate": ["validate"],
    "reason": ["reason"],
    "reason-check": ["reason", "--check"],
    "query-list": ["query", "--list"],
    "sparql": ["sparql", "QUERY_FILE"],
    "fmt": ["fmt"],
    "fmt-check": ["fmt", "--check"],
}


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_stops_on_a_dangling_link(cat, run, tmp_path, command):
    query_file = tmp_path / "ask.rq"
    query_file.write_text(ASK_INFERRED, encoding="utf-8")
    _dangling(cat, "data/modules/bmw/gone.ttl")
    before = snapshot(cat)
    result = run(cat, *[str(query_file) if a == "QUERY_FILE" else a for a in COMMANDS[command]])
    assert_error(result, 2, "data/modules/bmw/gone.ttl", "points nowhere")
    assert snapshot(cat) == before
    assert not (cat / "inferred").exists()


@pytest.mark.parametrize("condition", ["dangling-link-data", "fifo-queries"])
def test_api_stops_on_an_unreadable_path(cat, condition):
    from modgraph.api import Catalogue

    make, relative, why = CONDITIONS[condition]
    make(cat, relative)
    before = snapshot(cat)
    with pytest.raises(InputError) as caught:
        Catalogue(cat)
    assert relative in str(caught.value) and why in str(caught.value)
    assert snapshot(cat) == before


def test_links_to_files_and_folders_are_followed(cat, run, tmp_path, baseline):
    """A symbolic link that works is part of the catalogue, not an error."""
    elsewhere = tmp_path / "elsewhere"
    shutil.move(cat / "data" / "modules" / "bmw", elsewhere)
    (cat / "data" / "modules" / "bmw").symlink_to(elsewhere, target_is_directory=True)
    shutil.move(cat / INTAKE, tmp_path / "intake.ttl")
    (cat / INTAKE).symlink_to(tmp_path / "intake.ttl")
    result = run(cat, "validate", "--no-reason")
    assert (result.code, result.out, result.err) == (baseline.code, baseline.out, baseline.err)
    assert "4 modules" in result.out.strip().splitlines()[-1]


@pytest.fixture
def shared_cat(pristine):
    """A copy of the catalogue that another user can read (tmp_path's parents are private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="modgraph-unreadable-", dir="/tmp"))
    os.chmod(folder, 0o755)
    root = folder / "cat"
    shutil.copytree(pristine, root)
    yield root
    for dirpath, _, _ in os.walk(folder):
        os.chmod(dirpath, 0o755)
    shutil.rmtree(folder)


UNREADABLE = {
    "folder-data": ("data/vocab", True),
    "folder-modules": ("data/modules/bmw", True),
    "folder-queries": ("queries/qc", True),
    "file-data": ("data/modules/amw/budgetbegeleiding.ttl", False),
}


@pytest.mark.parametrize("what", UNREADABLE)
@pytest.mark.parametrize("command", [["validate", "--no-reason"], QUERY_ARGS], ids=["validate", "query"])
def test_unreadable_folder_or_file_stops_the_command(shared_cat, what, command):
    """Python's rglob skips an unreadable folder silently; modgraph must not."""
    relative, is_folder = UNREADABLE[what]
    target = shared_cat / relative
    before = snapshot(shared_cat)
    # as root, permission bits do not stop reading: run the command as 'nobody' instead
    user = 65534 if IS_ROOT else None
    os.chmod(target, 0o000)
    try:
        result = _subprocess("--root", str(shared_cat), *command, as_user=user, cwd=Path("/"))
    finally:
        os.chmod(target, 0o755 if is_folder else 0o644)
    wrapped = Run(result.returncode, result.stdout, result.stderr)
    assert_error(wrapped, 2, relative, "cannot read")
    assert snapshot(shared_cat) == before


# ================================================================ 2. no answer from stale inferences

def _ask(run, root: Path, tmp_path: Path, *options: str) -> tuple[Run, bool | None]:
    query_file = tmp_path / "ask.rq"
    query_file.write_text(ASK_INFERRED, encoding="utf-8")
    result = run(root, *options, "sparql", str(query_file), "--format", "json")
    answer = json.loads(result.out)["boolean"] if result.code == 0 else None
    return result, answer


@pytest.mark.reasoner
def test_inferences_come_from_the_file_when_it_is_current(cat_reasoned, run, tmp_path):
    before = snapshot(cat_reasoned)
    result, answer = _ask(run, cat_reasoned, tmp_path)
    assert result.code == 0 and answer is True, result.err
    assert result.err == "", "a current inferred file needs no reasoning and no notice"
    assert snapshot(cat_reasoned) == before


def test_asserted_only_never_reasons(cat, run, tmp_path):
    result, answer = _ask(run, cat, tmp_path, "--asserted-only")
    assert result.code == 0 and answer is False, result.err
    assert result.err == ""
    assert not (cat / "inferred").exists()


@pytest.mark.reasoner
def test_missing_inferred_file_is_reasoned_in_memory(cat, run, tmp_path):
    """Today: 0 rows. The answer needs the inference; one line says it was computed in memory."""
    before = snapshot(cat)
    result, answer = _ask(run, cat, tmp_path)
    assert result.code == 0, result.out + result.err
    assert answer is True
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and "inferred/inferred.ttl is missing" in lines[0] and "modgraph reason" in lines[0]
    assert snapshot(cat) == before, "reasoning in memory writes nothing"


@pytest.mark.reasoner
def test_inferences_of_a_deleted_module_are_not_answered(cat_reasoned, run, tmp_path):
    """The inferred file still says Budgetbegeleiding can follow Inventarisatie; that module is gone."""
    (cat_reasoned / "data" / "modules" / "amw" / "inventarisatie-schulden.ttl").unlink()
    before = snapshot(cat_reasoned)
    result, answer = _ask(run, cat_reasoned, tmp_path)
    assert result.code == 0, result.out + result.err
    assert answer is False
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and "out of date" in lines[0] and "reasoned in memory" in lines[0], result.err
    assert snapshot(cat_reasoned) == before


@pytest.mark.reasoner
def test_a_one_byte_edit_makes_the_file_stale_for_validate_and_reason_check(cat_reasoned):
    edit(cat_reasoned, INTAKE, lambda t: t + "\n")
    before = snapshot(cat_reasoned)
    check = _subprocess("--root", str(cat_reasoned), "reason", "--check")
    assert check.returncode == 1 and "out of date" in check.stdout, check.stdout + check.stderr
    validate = _subprocess("--root", str(cat_reasoned), "validate")
    assert validate.returncode == 1, validate.stdout + validate.stderr
    assert "inferred/inferred.ttl: out of date" in validate.stdout
    assert "Traceback" not in check.stderr + validate.stderr
    assert snapshot(cat_reasoned) == before


@pytest.mark.reasoner
def test_reason_writes_the_same_bytes_twice(cat_reasoned):
    """The inferred file is deterministic: reasoning again over the same inputs rewrites the same bytes."""
    before = snapshot(cat_reasoned)
    again = _subprocess("--root", str(cat_reasoned), "reason")
    assert again.returncode == 0, again.stdout + again.stderr
    assert snapshot(cat_reasoned) == before


@pytest.mark.reasoner
def test_recorded_hash_is_sha256sum_of_the_reasoner_inputs(reasoned):
    """The header is reproducible with coreutils: sha256sum of the sorted inputs, hashed again."""
    root = CatalogueRoot(reasoned)
    inputs = sorted([p for p in (reasoned / "ontology").glob("*.ttl") if p.name not in ("shapes.ttl", "alignments.ttl")]
                    + list((reasoned / "data").rglob("*.ttl")), key=lambda p: p.relative_to(reasoned).as_posix())
    listing = "".join(f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.relative_to(reasoned).as_posix()}\n"
                      for p in inputs)
    expected = hashlib.sha256(listing.encode()).hexdigest()
    header = [line for line in root.inferred.read_text(encoding="utf-8").splitlines() if line.startswith("#")]
    assert f"# modgraph-inputs-sha256: {expected}" in header


@pytest.mark.reasoner
def test_a_tampered_hash_line_is_not_trusted(cat_reasoned, run, tmp_path, monkeypatch):
    """The hash decides, not the presence of the file: a wrong hash means reasoning (here: refused)."""
    from modgraph import reason

    path = cat_reasoned / "inferred" / "inferred.ttl"
    lines = path.read_text(encoding="utf-8").split("\n")
    assert any(line.startswith("# modgraph-inputs-sha256: ") for line in lines)
    path.write_text("\n".join("# modgraph-inputs-sha256: " + "0" * 64 if line.startswith("# modgraph-inputs-sha256: ")
                              else line for line in lines), encoding="utf-8")

    def no_java():
        raise reason.JavaMissing("reasoning needs a Java runtime and none was found")

    monkeypatch.setattr(reason, "java_executable", no_java)
    before = snapshot(cat_reasoned)
    result, _ = _ask(run, cat_reasoned, tmp_path)
    assert_error(result, 2, "inferred/inferred.ttl is out of date", "reasoner cannot run", "Java")
    assert snapshot(cat_reasoned) == before


def test_stale_and_reasoner_cannot_run_refuses_with_one_line(cat, run, tmp_path, monkeypatch):
    from modgraph import reason

    def no_java():
        raise reason.JavaMissing("reasoning needs a Java runtime and none was found")

    monkeypatch.setattr(reason, "java_executable", no_java)
    result = run(cat, *QUERY_ARGS)
    assert_error(result, 2, "inferred/inferred.ttl is missing", "reasoner cannot run", "--asserted-only")
    assert not (cat / "inferred").exists()


def test_stale_and_ill_typed_refuses_with_exit_1(cat, run):
    text = edit(cat, INTAKE, lambda t: replace_line(t, "    mg:page ", '    mg:page "negen"^^<http://www.w3.org/2001/XMLSchema#integer> ;'))
    line, column = location(text, '"negen"')
    result = run(cat, *QUERY_ARGS)
    assert_error(result, 1, f"{INTAKE}:{line}:{column}", "mg:page", "negen", "xsd:integer")


@pytest.mark.reasoner
def test_stale_and_inconsistent_refuses_with_exit_1(cat, run):
    # mg:werksoort is functional: a module of both werksoorten contradicts the ontology
    edit(cat, INTAKE, lambda t: replace_line(t, "    mg:werksoort ", "    mg:werksoort <werksoort/amw> , <werksoort/bmw> ;"))
    before = snapshot(cat)
    result = run(cat, *QUERY_ARGS)
    assert_error(result, 1, "inferred/inferred.ttl is missing", "inconsistent", "modgraph reason")
    assert snapshot(cat) == before


@pytest.mark.reasoner
def test_api_reasons_in_memory_with_one_line_on_stderr(cat, capsys):
    from modgraph.api import Catalogue

    before = snapshot(cat)
    catalogue = Catalogue(cat)
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "inferred/inferred.ttl is missing" in err
    assert catalogue.sparql(ASK_INFERRED) == [{"answer": True}]
    assert snapshot(cat) == before


def test_api_refuses_when_the_reasoner_cannot_run(cat, monkeypatch):
    from modgraph import reason
    from modgraph.api import Catalogue

    def no_java():
        raise reason.JavaMissing("reasoning needs a Java runtime and none was found")

    monkeypatch.setattr(reason, "java_executable", no_java)
    before = snapshot(cat)
    with pytest.raises(InputError, match="reasoner cannot run"):
        Catalogue(cat)
    assert Catalogue(cat, asserted_only=True).sparql(ASK_INFERRED) == [{"answer": False}]
    assert snapshot(cat) == before


# ================================================================ 3. typos are caught and named

def _vocabulary_case(cat, run, relative: str, change, marker: str, *needles: str, occurrence: int = 1):
    text = edit(cat, relative, change)
    line, column = location(text, marker, occurrence)
    before = snapshot(cat)
    result = run(cat, "validate", "--no-reason")
    report = assert_report_line(result, f"{relative}:{line}:{column}:", *needles)
    assert snapshot(cat) == before
    return report


def test_misspelt_property_is_named_with_the_closest_term(cat, run):
    _vocabulary_case(cat, run, INTAKE,
                     lambda t: replace_line(t, "    mg:minSessionMinutes ", "    mg:minSessionMinute 45 ;"),
                     "mg:minSessionMinute ", "unknown term mg:minSessionMinute", "did you mean mg:minSessionMinutes?")


def test_misspelt_class_is_reported_on_its_own_file(cat, run):
    report = _vocabulary_case(cat, run, INTAKE, lambda t: t.replace("    a mg:Module ;", "    a mg:Modul ;", 1),
                              "mg:Modul ", "unknown term mg:Modul", "did you mean mg:Module?")
    assert report.startswith(INTAKE)


def test_wrong_capital_is_named(cat, run):
    _vocabulary_case(cat, run, INTAKE, lambda t: t.replace("    a mg:Module ;", "    a mg:module ;", 1),
                     "mg:module ", "unknown term mg:module", "did you mean mg:Module?")


def test_misspelt_term_written_as_full_iri(cat, run):
    _vocabulary_case(cat, run, INTAKE,
                     lambda t: replace_line(t, "    mg:page ", "    <https://w3id.org/modgraph/def#pagee> 9 ;"),
                     "<https://w3id.org/modgraph/def#pagee>", "unknown term <https://w3id.org/modgraph/def#pagee>",
                     "did you mean mg:page?")


def test_unknown_term_without_a_close_one_is_still_named(cat, run):
    _vocabulary_case(cat, run, INTAKE, lambda t: replace_line(t, "    mg:page ", "    mg:zzqxv 9 ;"),
                     "mg:zzqxv", "unknown term mg:zzqxv", "declares every mg: term")


def test_misspelt_object_in_a_vocabulary_file(cat, run):
    _vocabulary_case(cat, run, "data/vocab/werksoorten.ttl",
                     lambda t: t.replace("a mg:Werksoort", "a mg:Werksort", 1),
                     "mg:Werksort", "unknown term mg:Werksort", "did you mean mg:Werksoort?")


def test_each_use_of_a_typo_is_reported(cat, run):
    text = edit(cat, INTAKE, lambda t: t.replace("mg:hasGoal <", "mg:hasGoals <"))
    result = run(cat, "validate", "--no-reason")
    for occurrence in (1, 2, 3):
        line, column = location(text, "mg:hasGoals", occurrence)
        assert_report_line(result, f"{INTAKE}:{line}:{column}:", "mg:hasGoals", "did you mean mg:hasGoal?")


def test_misspelt_property_in_the_shapes_is_reported(cat, run):
    """A typo in a shape's path switches the rule off silently."""
    _vocabulary_case(cat, run, "ontology/shapes.ttl",
                     lambda t: t.replace("sh:path mg:goalTheme ;", "sh:path mg:goalTeme ;", 1),
                     "mg:goalTeme", "unknown term mg:goalTeme", "did you mean mg:goalTheme?")


TYPO_QUERY = """#+ summary: A query with a typo (issue 15)
PREFIX mg: <https://w3id.org/modgraph/def#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
# mg:notATermInAComment is never a problem
SELECT ?module ?title WHERE {
  ?module a mg:Module ;
          skos:prefLabel ?title ;
          mg:pag ?page .
  FILTER(?title != "mg:notATermInAString")
}
"""


def test_misspelt_term_in_a_query_file_is_a_validate_violation(cat, run):
    (cat / "queries" / "typo.rq").write_text(TYPO_QUERY, encoding="utf-8")
    line, column = location(TYPO_QUERY, "mg:pag ")
    result = run(cat, "validate", "--no-reason")
    assert_report_line(result, f"queries/typo.rq:{line}:{column}:", "unknown term mg:pag", "did you mean mg:page?")
    assert "notATerm" not in result.out


def test_named_query_with_a_typo_is_refused(cat, run):
    (cat / "queries" / "typo.rq").write_text(TYPO_QUERY, encoding="utf-8")
    line, column = location(TYPO_QUERY, "mg:pag ")
    before = snapshot(cat)
    result = run(cat, "--asserted-only", "query", "typo")
    assert_error(result, 2, f"typo.rq:{line}:{column}", "unknown term mg:pag", "did you mean mg:page?")
    assert snapshot(cat) == before


def test_ad_hoc_query_with_a_typo_is_refused(cat, run, tmp_path):
    query_file = tmp_path / "adhoc.rq"
    query_file.write_text(TYPO_QUERY, encoding="utf-8")
    line, column = location(TYPO_QUERY, "mg:pag ")
    result = run(cat, "--asserted-only", "sparql", str(query_file))
    assert_error(result, 2, f"adhoc.rq:{line}:{column}", "unknown term mg:pag")


def test_query_with_a_syntax_error_reports_the_syntax_error_first(cat, run, tmp_path):
    query_file = tmp_path / "broken.rq"
    query_file.write_text(TYPO_QUERY.replace("WHERE {", "WHERE {{"), encoding="utf-8")
    result = run(cat, "--asserted-only", "sparql", str(query_file))
    line = assert_error(result, 2, "broken.rq")
    assert "syntax" in line.lower() and "mg:pag" not in line


def test_api_refuses_queries_with_typos(cat):
    from modgraph.api import Catalogue

    (cat / "queries" / "typo.rq").write_text(TYPO_QUERY, encoding="utf-8")
    before = snapshot(cat)
    catalogue = Catalogue(cat, asserted_only=True)
    line, column = location(TYPO_QUERY, "mg:pag ")
    with pytest.raises(InputError, match=rf"typo\.rq:{line}:{column}: unknown term mg:pag"):
        catalogue.query("typo")
    with pytest.raises(InputError, match="unknown term mg:pag"):
        catalogue.sparql(TYPO_QUERY)
    assert snapshot(cat) == before


def test_mg_terms_in_strings_and_comments_are_not_terms(cat, run, baseline):
    edit(cat, INTAKE, lambda t: t.replace("# AMW module 'Intake'", "# mg:notATerm AMW module 'Intake'", 1)
         .replace('"Intake"@en', '"Intake (not mg:aTerm)"@en', 1))
    result = run(cat, "validate", "--no-reason")
    assert "unknown term" not in result.out
    assert result.code == baseline.code


def test_inverse_path_is_rendered_not_a_blank_node_id(cat, run):
    """A goal that no module points at breaks a rule whose path is [ sh:inversePath mg:hasGoal ]."""
    edit(cat, INTAKE, lambda t: replace_line(t, "    mg:hasGoal <module/amw/intake/goal/3>", ""))
    result = run(cat, "validate", "--no-reason")
    line = assert_report_line(result, "^mg:hasGoal", "goal/3")
    assert "_:" not in result.out
    assert not any(part.startswith(("N", "n")) and len(part) > 30 for part in line.split())


def test_alternative_path_is_rendered(cat, run):
    """Section texts are Dutch: the rule's path is an alternative of seven properties."""
    edit(cat, INTAKE, lambda t: t.replace('tot een uur."@nl', 'tot een uur."@en', 1))
    result = run(cat, "validate", "--no-reason")
    assert_report_line(result, "(mg:workRelevanceText|mg:durationText|", "Dutch")


def test_sequence_and_nested_paths_are_rendered():
    from rdflib import BNode, Graph, Namespace
    from rdflib.collection import Collection

    from modgraph.validate import SH, render_path

    mg = Namespace("https://w3id.org/modgraph/def#")
    graph = Graph()
    graph.bind("mg", mg)
    inverse, sequence, star = BNode(), BNode(), BNode()
    graph.add((inverse, SH.inversePath, mg.canFollow))
    graph.add((star, SH.zeroOrMorePath, mg.pathwayTo))
    Collection(graph, sequence, [inverse, mg.hasGoal, star])
    assert render_path(graph, sequence, graph) == "^mg:canFollow/mg:hasGoal/mg:pathwayTo*"


# ================================================================ 5. ill-typed data is a data error

ILL_TYPED = {
    # name: (line prefix, new line, value as written, property, reason)
    "integer": ("    mg:page ", '    mg:page "abc"^^xsd:integer ;', '"abc"', "mg:page", "not a valid xsd:integer"),
    "decimal-as-integer": ("    mg:minSessions ", '    mg:minSessions "1.5"^^xsd:integer ;', '"1.5"',
                           "mg:minSessions", "not a valid xsd:integer"),
    "negative": ("    mg:maxSessions ", '    mg:maxSessions "-2"^^xsd:nonNegativeInteger ;', '"-2"', "mg:maxSessions",
                 "not a valid xsd:nonNegativeInteger"),
    "boolean": ("    mg:noSpecificPreconditions ", '    mg:noSpecificPreconditions "maybe"^^xsd:boolean ;', '"maybe"',
                "mg:noSpecificPreconditions", "not a valid xsd:boolean"),
    "date": ("    mg:page ", '    mg:page 9 ; dcterms:date "2020-13-45"^^xsd:date ;', '"2020-13-45"', "dcterms:date",
             "not a valid xsd:date"),
    "unknown-datatype": ("    mg:minSessions ", '    mg:minSessions "1"^^xsd:intger ;', '"1"', "mg:minSessions",
                         "unknown datatype xsd:intger; did you mean xsd:integer?"),
    "full-iri-datatype": ("    mg:page ", '    mg:page "x"^^<http://www.w3.org/2001/XMLSchema#integer> ;', '"x"',
                          "mg:page", "not a valid xsd:integer"),
}


def _ill_typed(cat, name: str) -> tuple[str, int, int]:
    prefix, new, value, _, _ = ILL_TYPED[name]
    text = edit(cat, INTAKE, lambda t: replace_line(t, prefix, new).replace(
        "@prefix skos:", "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n@prefix skos:", 1))
    line, column = location(text, value + "^^")
    return text, line, column


@pytest.mark.parametrize("name", ILL_TYPED)
def test_ill_typed_value_is_reported_and_the_shapes_still_run(cat, run, name):
    _, line, column = _ill_typed(cat, name)
    _, _, value, prop, why = ILL_TYPED[name]
    before = snapshot(cat)
    result = run(cat, "validate", "--no-reason")
    assert_report_line(result, f"{INTAKE}:{line}:{column}:", prop, value.strip('"'), why)
    assert result.out.strip().splitlines()[-1].startswith("does not conform")
    assert snapshot(cat) == before


@pytest.mark.parametrize("name", ["integer", "unknown-datatype"])
def test_validate_skips_the_reasoner_but_runs_the_shapes(cat, run, name):
    """One pass shows every problem: the ill-typed value and a shape violation elsewhere."""
    _, line, column = _ill_typed(cat, name)
    # page 0 breaks the shape Module-page (page numbers start at 1)
    edit(cat, "data/modules/amw/budgetbegeleiding.ttl", lambda t: replace_line(t, "    mg:page ", "    mg:page 0 ;"))
    result = run(cat, "validate")
    assert result.out.splitlines()[0].startswith("reasoner skipped: 1 ill-typed literal")
    assert_report_line(result, f"{INTAKE}:{line}:{column}:", ILL_TYPED[name][3])
    assert "budgetbegeleiding" in result.out and "mg:page" in result.out.split("budgetbegeleiding", 1)[1]
    assert "at org." not in result.out + result.err and "java" not in (result.out + result.err).lower()


@pytest.mark.parametrize("name", ["integer", "unknown-datatype", "boolean"])
def test_reason_reports_ill_typed_values_and_writes_nothing(cat, run, name):
    _, line, column = _ill_typed(cat, name)
    before = snapshot(cat)
    result = run(cat, "reason")
    assert_report_line(result, f"{INTAKE}:{line}:{column}:", ILL_TYPED[name][3])
    assert "nothing written" in result.out
    assert snapshot(cat) == before


def test_well_typed_values_are_not_reported(cat, run, baseline):
    edit(cat, INTAKE, lambda t: replace_line(t, "    mg:page ", '    mg:page "9"^^xsd:integer ;').replace(
        "@prefix skos:", "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n@prefix skos:", 1))
    result = run(cat, "validate", "--no-reason")
    assert "ill-typed" not in result.out
    assert result.code == baseline.code


# ================================================================ 6. error locations are right

def _syntax_case(cat, run, relative: str, text: str, line: int, column: int, *needles: str, command=None):
    path = cat / relative
    path.write_text(text, encoding="utf-8", newline="")
    before = snapshot(cat)
    result = run(cat, *(command or ["validate", "--no-reason"]))
    message = assert_error(result, 2, f"{relative}:{line}:{column}:", *needles)
    assert snapshot(cat) == before
    return message


def _intake() -> str:
    return (REPO / INTAKE).read_text(encoding="utf-8")


def test_unterminated_iri_at_end_of_file(cat, run):
    text = _intake() + '<module/amw/intake> mg:werksoort <werksoort/amw ;\n'
    line, column = location(text, "<werksoort/amw ;")
    _syntax_case(cat, run, INTAKE, text, line, column, "ends inside the IRI")


def test_unterminated_string_at_end_of_file(cat, run):
    text = _intake() + '<module/amw/intake> skos:note "niet afgesloten ;\n' + "\n" * 40
    line, column = location(text, '"niet afgesloten')
    _syntax_case(cat, run, INTAKE, text, line, column, "string")


def test_unterminated_long_string_at_end_of_file(cat, run):
    text = _intake() + '<module/amw/intake> skos:note """niet\nafgesloten ;\n'
    line, column = location(text, '"""niet')
    _syntax_case(cat, run, INTAKE, text, line, column, "ends inside the string")


def test_missing_final_dot(cat, run):
    text = _intake().rstrip().rstrip(".").rstrip() + "\n\n"
    body = text.rstrip()
    line, column = body.count("\n") + 1, len(body) - body.rfind("\n")
    _syntax_case(cat, run, INTAKE, text, line, column, "'.'")


def test_iri_with_a_space_is_reported_where_it_occurs(cat, run):
    """Not at the first IRI that starts the same way: the goal's IRI occurs first as an object."""
    original = _intake()
    last = original.rindex("\n<module/amw/intake/goal/1>\n") + 1
    text = original[:last] + "<module/amw/intake/goal/ 1>" + original[last + len("<module/amw/intake/goal/1>"):]
    line, column = location(text, "<module/amw/intake/goal/ 1>")
    _syntax_case(cat, run, INTAKE, text, line, column, "Invalid IRI code point ' '")


def test_iri_with_a_space_after_non_ascii_text_on_the_line(cat, run):
    text = replace_line(_intake(), "    skos:prefLabel \"Intake\"@en", '    skos:prefLabel "Intake é€"@en , <x y> ;')
    line, column = location(text, "<x y>")
    _syntax_case(cat, run, INTAKE, text, line, column, "Invalid IRI")


def test_invalid_u_escape_in_a_string(cat, run):
    text = _intake().replace('"Intake"@en', '"Int\\u00zzake"@en', 1)
    line, column = location(text, "\\u00zz")
    _syntax_case(cat, run, INTAKE, text, line, column + 4, "escape")  # at the first non-hex character


def test_invalid_u_escape_in_an_iri(cat, run):
    text = _intake().replace("<werksoort/amw>", "<werksoort/\\u12>", 1)
    line, column = location(text, "\\u12")
    _syntax_case(cat, run, INTAKE, text, line, column + 4, "escape")  # at the first non-hex character


def test_byte_order_mark(cat, run):
    text = "\ufeff" + _intake()
    _syntax_case(cat, run, INTAKE, text, 1, 1, "byte-order mark")


def _invalid_utf8(cat, run, relative: str, command=None):
    text = _intake().replace('"Intake"@en', '"Intaké€\x00"@en', 1)
    line, column = location(text, "\x00")
    path = cat / relative
    path.write_bytes(text.encode("utf-8").replace(b"\x00", b"\xff"))
    before = snapshot(cat)
    result = run(cat, *(command or ["validate", "--no-reason"]))
    assert_error(result, 2, f"{relative}:{line}:{column}:", "UTF-8")
    assert snapshot(cat) == before


def test_invalid_utf8_is_reported_by_line_and_character_column(cat, run):
    _invalid_utf8(cat, run, INTAKE)


def test_invalid_utf8_in_a_vocabulary_file_for_query(cat, run):
    _invalid_utf8(cat, run, "data/vocab/intake-copy.ttl", QUERY_ARGS)


def test_columns_count_characters_not_bytes(cat, run):
    text = replace_line(_intake(), "    skos:prefLabel \"Intake\"@en", '    skos:prefLabel "Intakeé€€"@en "twee"@en ;')
    line, column = location(text, '"twee"')
    _syntax_case(cat, run, INTAKE, text, line, column)


def test_crlf_line_endings(cat, run):
    text = replace_line(_intake(), "    mg:page ", "    mg:page 9 9 ;").replace("\n", "\r\n")
    line, column = location(text.replace("\r\n", "\n"), "9 9 ;")
    _syntax_case(cat, run, INTAKE, text, line, column + 2)


def test_unbound_prefix(cat, run):
    text = replace_line(_intake(), "    mg:page ", "    mgg:page 9 ;")
    line, column = location(text, "mgg:page")
    _syntax_case(cat, run, INTAKE, text, line, column, "mgg")


def test_syntax_error_in_the_ontology(cat, run):
    original = (REPO / "ontology" / "modgraph.ttl").read_text(encoding="utf-8")
    text = original.replace("mg:Module a owl:Class ;", "mg:Module a owl:Class ; ;;; <a b>", 1)
    line, column = location(text, "<a b>")
    _syntax_case(cat, run, "ontology/modgraph.ttl", text, line, column)


def test_syntax_error_in_the_shapes(cat, run):
    original = (REPO / "ontology" / "shapes.ttl").read_text(encoding="utf-8")
    text = original + "\nmgsh:Broken a sh:NodeShape ; sh:message \"kapot\n"
    line, column = location(text, '"kapot')
    _syntax_case(cat, run, "ontology/shapes.ttl", text, line, column)


@pytest.mark.parametrize("command", [QUERY_ARGS, ["reason"], ["fmt", "--check"]], ids=["query", "reason", "fmt"])
def test_locations_are_the_same_for_every_command(cat, run, command):
    text = _intake() + '<module/amw/intake> mg:werksoort <werksoort/amw ;\n'
    line, column = location(text, "<werksoort/amw ;")
    _syntax_case(cat, run, INTAKE, text, line, column, command=command)


# ---------------------------------------------------------------- module files

@pytest.mark.parametrize("copy_name", ["aaa-intake-copy.ttl", "zzz-intake-copy.ttl"])
def test_module_defined_in_two_files_is_reported_on_the_file_that_adds_it(cat, run, copy_name):
    """Whether the copy sorts before or after the module's own file, the copy is blamed."""
    text = _intake()
    (cat / "data" / "modules" / "amw" / copy_name).write_text(text, encoding="utf-8")
    line, column = location(text, "\n<module/amw/intake>\n")
    before = snapshot(cat)
    result = run(cat, "validate", "--no-reason")
    report = assert_report_line(result, f"data/modules/amw/{copy_name}:{line + 1}:1:", "<module/amw/intake>",
                                f"already defined in {INTAKE}")
    assert not report.startswith(INTAKE)
    assert snapshot(cat) == before


def test_statements_about_a_module_in_another_file_are_reported(cat, run):
    extra = ("@base <https://w3id.org/modgraph/id/> .\n@prefix mg: <https://w3id.org/modgraph/def#> .\n\n"
             "<module/amw/intake>\n    mg:page 10 .\n")
    (cat / "data" / "vocab" / "extra.ttl").write_text(extra, encoding="utf-8")
    result = run(cat, "validate", "--no-reason")
    assert_report_line(result, "data/vocab/extra.ttl:4:1:", "already defined in " + INTAKE)


def test_module_file_in_the_other_werksoorts_folder(cat, run):
    shutil.move(cat / "data" / "modules" / "bmw" / "intake-bmw.ttl", cat / "data" / "modules" / "amw" / "intake-bmw.ttl")
    text = (cat / "data" / "modules" / "amw" / "intake-bmw.ttl").read_text(encoding="utf-8")
    line, column = location(text, "\n<module/bmw/intake-bmw>\n")
    result = run(cat, "validate", "--no-reason")
    assert_report_line(result, f"data/modules/amw/intake-bmw.ttl:{line + 1}:1:", "BMW module",
                       "data/modules/amw/", "move it to data/modules/bmw/")


def test_module_whose_werksoort_contradicts_its_folder(cat, run):
    text = edit(cat, INTAKE, lambda t: replace_line(t, "    mg:werksoort ", "    mg:werksoort <werksoort/bmw> ;"))
    line, column = location(text, "\n<module/amw/intake>\n")
    result = run(cat, "validate", "--no-reason")
    assert_report_line(result, f"{INTAKE}:{line + 1}:1:", "BMW module", "move it to data/modules/bmw/")
