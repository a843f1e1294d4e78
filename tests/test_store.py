"""The on-disk store and included data (issue 16): `modgraph load --store DIR`, `--store`, `--include`.

A store answers as the in-memory catalogue does, is rebuilt when a source file changes (content
hash), never replaces a folder that is not a store, and a bad source leaves the previous store.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import modgraph_command, run_modgraph

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def catalogue(tmp_path) -> Path:
    """A full copy of the catalogue (ontology, data, queries, inferred) that a test may edit."""
    root = tmp_path / "catalogue"
    for folder in ("ontology", "data", "queries", "inferred"):
        shutil.copytree(REPO / folder, root / folder)
    return root


def _json_rows(result) -> list[dict]:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["results"]["bindings"]


def _titles(result) -> set[str]:
    return {row["title"]["value"] for row in _json_rows(result)}


def test_a_store_answers_as_the_catalogue_in_memory(catalogue, tmp_path):
    store = tmp_path / "store"
    built = run_modgraph("--root", str(catalogue), "load", "--store", str(store))
    assert built.returncode == 0, built.stderr
    assert "built" in built.stdout
    again = run_modgraph("--root", str(catalogue), "load", "--store", str(store))
    assert "up to date" in again.stdout, again.stdout
    args = ("query", "modules-per-function", "-p", "werksoort=bmw", "--format", "json")
    in_memory = _json_rows(run_modgraph("--root", str(catalogue), *args))
    on_disk = _json_rows(run_modgraph("--root", str(catalogue), *args, "--store", str(store)))
    assert sorted(map(json.dumps, on_disk)) == sorted(map(json.dumps, in_memory))
    # deel 2a lists 21 BMW modules; each has at least one function
    assert len({row["module"]["value"] for row in on_disk}) == 21


def test_a_changed_source_file_rebuilds_the_store(catalogue, tmp_path):
    store = tmp_path / "store"
    assert run_modgraph("--root", str(catalogue), "load", "--store", str(store)).returncode == 0
    module = catalogue / "data" / "modules" / "amw" / "intake.ttl"
    module.write_text(module.read_text(encoding="utf-8").replace('"Intake"@nl', '"Intake (lokaal)"@nl'),
                      encoding="utf-8")
    result = run_modgraph("--root", str(catalogue), "--store", str(store), "query", "modules-per-function",
                          "-p", "werksoort=amw", "--format", "json")
    assert "rebuilding" in result.stderr
    assert "Intake (lokaal)" in _titles(result)


def test_a_folder_that_is_not_a_store_is_never_replaced(catalogue, tmp_path):
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "notes.txt").write_text("keep me", encoding="utf-8")
    result = run_modgraph("--root", str(catalogue), "load", "--store", str(precious))
    assert result.returncode == 2
    assert "not a modgraph store" in result.stderr and "Traceback" not in result.stderr
    assert [p.name for p in precious.iterdir()] == ["notes.txt"]


def test_a_syntax_error_keeps_the_previous_store(catalogue, tmp_path):
    store = tmp_path / "store"
    assert run_modgraph("--root", str(catalogue), "load", "--store", str(store)).returncode == 0
    manifest = (store / "modgraph-store.json").read_text(encoding="utf-8")
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "a.nt").write_text("<https://example.org/a> <https://example.org/p> \"ok\" .\n", encoding="utf-8")
    (extra / "b.nt").write_text("<https://example.org/b> <https://example.org/p> \"unclosed .\n", encoding="utf-8")
    result = run_modgraph("--root", str(catalogue), "--include", str(extra), "load", "--store", str(store))
    assert result.returncode == 2, result.stdout
    assert f"{extra / 'b.nt'}:1:" in result.stderr and "Traceback" not in result.stderr
    assert (store / "modgraph-store.json").read_text(encoding="utf-8") == manifest
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".store.building")]


def test_included_synth_output_is_queried_with_the_catalogue(catalogue, tmp_path):
    synth = tmp_path / "synth"
    made = run_modgraph("--root", str(catalogue), "synth", "--providers", "2", "--seed", "3", "--out", str(synth),
                        "--quiet")
    assert made.returncode == 0, made.stderr
    variants = json.loads((synth / "manifest.json").read_text(encoding="utf-8"))["variants"]
    count = ("sparql", "-", "--format", "json")
    text = "SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m a mg:Module }"

    def modules(*extra: str) -> int:
        done = subprocess.run([*modgraph_command(), "--root", str(catalogue), *extra, *count], input=text,
                              capture_output=True, text=True, timeout=300)
        return int(_json_rows(done)[0]["n"]["value"])

    # 22 AMW modules (deel 2b) and 21 BMW modules (deel 2a); each variant is a module of its own
    assert modules() == 43
    assert modules("--include", str(synth)) == 43 + variants
    store = tmp_path / "store"
    assert modules("--include", str(synth), "--store", str(store)) == 43 + variants


@pytest.mark.parametrize("argv, location", [
    (["--include", "/nonexistent/folder", "query", "group-modules"], "--include /nonexistent/folder"),
    (["--endpoint", "http://127.0.0.1:9/sparql", "--store", "x", "query", "group-modules"], "--endpoint"),
    (["--engine", "rdflib", "load", "--store", "x"], "load"),
    (["load"], "--store"),
])
def test_conflicting_or_missing_engine_options_are_refused(argv, location, tmp_path):
    result = run_modgraph(*argv, cwd=tmp_path)
    assert result.returncode == 2, result.stdout
    assert location in result.stderr and "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []
