"""`modgraph validate` as a curator runs it: exit codes, the report, and bad input.

`modgraph validate` also runs the OWL reasoner and checks that inferred/inferred.ttl is up to date;
the tests of the SHACL report use `--no-reason`, and one test runs the whole default pipeline.
"""

from __future__ import annotations

import os
import re
import subprocess

import pytest
from rdflib import URIRef

from conftest import (
    INVALID,
    MGSH,
    SH,
    VALID,
    messaged_shapes,
    modgraph_command,
    run_modgraph,
    shapes_graph,
    tree_snapshot,
)

MODULE_FILE = "data/modules/amw/test-module.ttl"
VALID_MODULE = VALID / "amw-test-module.ttl"
SHAPES_EN = messaged_shapes()


def _nl_message(shape_local: str) -> str:
    graph = shapes_graph()
    return next(str(m) for m in graph.objects(URIRef(MGSH + shape_local), SH.message) if m.language == "nl")


def _assert_clean_error(result, *needles: str) -> str:
    """Exit 2, exactly one line on stderr that names ``needles``, and no traceback anywhere."""
    assert result.returncode == 2, f"exit {result.returncode}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    assert "Traceback" not in result.stderr + result.stdout, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, f"expected one line on stderr, got:\n{result.stderr}"
    for needle in needles:
        assert needle in lines[0], f"{needle!r} not in {lines[0]!r}"
    return lines[0]


# ---------------------------------------------------------------- the report

def test_valid_root_exits_0_and_conforms(root_factory):
    root = root_factory({MODULE_FILE: VALID_MODULE})
    result = run_modgraph("--root", str(root), "validate", "--no-reason")
    assert result.returncode == 0, result.stdout + result.stderr
    last = result.stdout.strip().splitlines()[-1]
    assert last.startswith("conforms"), result.stdout
    assert "0 violation(s)" in last and "1 modules" in last, last


@pytest.mark.parametrize(
    "fixture, shape",
    [
        ("Module-page", "Module-page"),                                     # focus: the module
        ("Goal-theme", "Goal-theme"),                                       # focus: an item of the module
        ("Module-relationHasEvidence", "Module-relationHasEvidence"),       # a SPARQL constraint
    ],
)
def test_invalid_root_exits_1_naming_file_module_and_message(root_factory, fixture, shape):
    root = root_factory({MODULE_FILE: INVALID / f"{fixture}.ttl"})
    result = run_modgraph("--root", str(root), "validate", "--no-reason")
    assert result.returncode == 1, result.stdout + result.stderr
    out = result.stdout
    message = SHAPES_EN[MGSH + shape]
    assert MODULE_FILE in out, out
    assert "module/amw/test-module" in out, out
    assert message in out, out
    # the module's block (file - module) holds the message: the finding is reported under its module
    block = out.split(f"{MODULE_FILE} - ", 1)[1].split("\n\n", 1)[0]
    assert block.startswith("<module/amw/test-module>") or block.startswith(
        "<https://w3id.org/modgraph/id/module/amw/test-module>"
    ), block
    assert message in block, block
    assert "does not conform" in out.strip().splitlines()[-1], out


def test_messages_in_dutch(root_factory):
    root = root_factory({MODULE_FILE: INVALID / "Module-page.ttl"})
    result = run_modgraph("--root", str(root), "validate", "--no-reason", "--lang", "nl")
    assert result.returncode == 1, result.stdout + result.stderr
    assert _nl_message("Module-page") in result.stdout, result.stdout
    assert SHAPES_EN[MGSH + "Module-page"] not in result.stdout


def test_default_pipeline_reason_then_validate_exits_0(root_factory):
    """The default `validate` (reasoner + shapes) passes once `modgraph reason` has written its file."""
    root = root_factory({MODULE_FILE: VALID_MODULE})
    reasoned = run_modgraph("--root", str(root), "reason")
    assert reasoned.returncode == 0, reasoned.stdout + reasoned.stderr
    result = run_modgraph("--root", str(root), "validate")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().splitlines()[-1].startswith("conforms"), result.stdout


# ---------------------------------------------------------------- bad input: syntax errors

def _with_defect(old: str, new: str) -> tuple[str, int]:
    """The valid module with ``old`` (a whole line) replaced by ``new``; returns text and 1-based line."""
    lines = VALID_MODULE.read_text(encoding="utf-8").splitlines()
    index = lines.index(old)
    lines[index] = new
    return "\n".join(lines) + "\n", index + 1


SYNTAX_ERRORS = {
    # two objects without a comma: the error is at the second 99 (column 16)
    "two-objects": ("    mg:page 99 ;", "    mg:page 99 99 ;", 16),
    "unbound-prefix": ("    mg:function <function/amw/begeleiding> ;", "    mg:function foo:begeleiding ;", 17),
    # an IRI may not hold a space or a line break (Turtle IRIREF); '<werksoort/amw ;' is a typo
    "unterminated-iri": ("    mg:werksoort <werksoort/amw> ;", "    mg:werksoort <werksoort/amw ;", None),
}

COMMANDS = {
    "validate": ["validate"],
    "validate-no-reason": ["validate", "--no-reason"],
    "reason": ["reason"],
    "fmt": ["fmt"],
    "fmt-check": ["fmt", "--check"],
}


# every command on the two plain errors; the unterminated IRI (which rdflib's parser lets through)
# on the shapes-only `validate` and on `fmt`, the command that would write it back
SYNTAX_CASES = [
    pytest.param(error, command, id=f"{error}-{command}")
    for error in SYNTAX_ERRORS
    for command in COMMANDS
    if error != "unterminated-iri" or command in ("validate-no-reason", "fmt")
]


@pytest.mark.parametrize("error, command", SYNTAX_CASES)
def test_syntax_error_exits_2_with_location_and_changes_nothing(root_factory, error, command):
    old, new, column = SYNTAX_ERRORS[error]
    broken, line = _with_defect(old, new)
    # a second, valid but non-canonical module that comes first: `fmt` would rewrite it if it ran
    other = VALID_MODULE.read_text(encoding="utf-8").replace("@prefix skos:", "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n@prefix skos:")
    root = root_factory({"data/modules/amw/other.ttl": other, "data/modules/bmw/broken.ttl": broken})
    before = tree_snapshot(root)

    result = run_modgraph("--root", str(root), *COMMANDS[command], cwd=root)

    location = f"broken.ttl:{line}:" + (f"{column}" if column else "")
    message = _assert_clean_error(result, location)
    assert re.search(r"broken\.ttl:\d+:\d+", message), message
    assert tree_snapshot(root) == before, "files were written or changed under the catalogue root"


def test_fmt_of_named_files_with_syntax_error_changes_nothing(root_factory):
    broken, line = _with_defect("    mg:page 99 ;", "    mg:page 99 99 ;")
    other = VALID_MODULE.read_text(encoding="utf-8").replace("@prefix skos:", "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n@prefix skos:")
    root = root_factory({"data/modules/amw/other.ttl": other, "data/modules/amw/broken.ttl": broken})
    before = tree_snapshot(root)
    result = run_modgraph("fmt", "data/modules/amw/other.ttl", "data/modules/amw/broken.ttl", cwd=root)
    _assert_clean_error(result, f"broken.ttl:{line}:16")
    assert tree_snapshot(root) == before


# ---------------------------------------------------------------- bad input: not a catalogue

@pytest.mark.parametrize("layout", ["data-only", "empty", "missing"])
def test_root_without_ontology_exits_2_with_clear_message(tmp_path, layout):
    folder = tmp_path / "not-a-catalogue"
    if layout != "missing":
        folder.mkdir()
    if layout == "data-only":
        (folder / "data" / "modules").mkdir(parents=True)
    result = run_modgraph("--root", str(folder), "validate", cwd=tmp_path)
    line = _assert_clean_error(result, str(folder), "ontology/")
    assert "not a catalogue" in line or "catalogue" in line, line
    assert not (folder / "inferred").exists()


def test_root_option_wins_over_environment(tmp_path, root_factory):
    """--root names the catalogue even when MODGRAPH_ROOT points elsewhere."""
    root = root_factory({MODULE_FILE: INVALID / "Module-page.ttl"})
    env = dict(os.environ, MODGRAPH_ROOT=str(tmp_path / "nowhere"))
    result = subprocess.run([*modgraph_command(), "--root", str(root), "validate", "--no-reason"],
                            env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 1, result.stdout + result.stderr
    assert MODULE_FILE in result.stdout
