"""`modgraph --include DIR validate`: the shapes over the catalogue and a synthetic national catalogue.

A small `modgraph synth` output is generated here (3 providers; 1 for the pyshacl comparison) and
broken in a copy: in provider file amw-0002.nt one variant loses its function, gets a maximum
number of sessions that is not an integer ("twee"), and the statement behind one of its mg:consults
relations loses its quote. Each break goes against rules of ontology/shapes.ttl (their messages
are quoted at :data:`BROKEN_RULES`). Every engine must find exactly these, name the provider file
that holds them, and print the same report; the verdicts of pyshacl on every fixture are compared
in tests/test_shape_engines.py. No timing here: timings are in
benchmarks/shacl_scale.py and docs/shapes.md.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import REPO, messaged_shapes, modgraph_command, run_modgraph
from modgraph import shacl_engines, validate
from modgraph.catalogue import load
from modgraph.errors import InputError
from modgraph.paths import CatalogueRoot

MG = "https://w3id.org/modgraph/def#"
MGSH = "https://w3id.org/modgraph/def/shapes#"
XSD_INTEGER = "<http://www.w3.org/2001/XMLSchema#integer>"
PROVIDER_FILE = "providers/amw-0002.nt"
VARIANT = "https://w3id.org/modgraph/id/provider/amw-0002/module/amw/intake"
MESSAGES = messaged_shapes()
# The rules the breaks go against (their English sh:message in ontology/shapes.ttl):
FUNCTION_RULE = MGSH + "Module-function"      # "A module has at least one function (mg:function, an mg:Function)."
COUNTS_RULE = MGSH + "Module-counts"          # "Counts and lengths are integers of 0 or more (xsd:integer)."
SESSIONS_RULE = MGSH + "Module-sessions"      # "The minimum number of sessions is not greater than the maximum."
EVIDENCE_RULE = MGSH + "Module-relationHasEvidence"  # "... relation ... has an rdf:Statement with quote (mg:quote) and page."
QUOTE_RULE = MGSH + "Statement-quote"         # "A piece of evidence has exactly one verbatim quote from the document (mg:quote @nl)."
BROKEN_RULES = (FUNCTION_RULE, COUNTS_RULE, SESSIONS_RULE, EVIDENCE_RULE, QUOTE_RULE)


def _require(engine: str) -> None:
    reason = {"jena": shacl_engines.jena_missing, "rudof": shacl_engines.rudof_missing}[engine]()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run every SHACL engine: {reason}")
        pytest.skip(reason)


def _synth(out: Path, providers: int) -> Path:
    result = run_modgraph("synth", "--providers", str(providers), "--seed", "1", "--out", str(out), "--quiet")
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def _break(folder: Path, dest: Path, provider_file: str = PROVIDER_FILE, variant: str = VARIANT) -> Path:
    """A copy of ``folder`` with the three breaks in ``variant`` of ``provider_file`` (see the module docstring)."""
    shutil.copytree(folder, dest)
    path = dest / provider_file
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    subject = f"<{variant}> "
    function = [line for line in lines if line.startswith(subject + f"<{MG}function> ")]
    count = [line for line in lines if line.startswith(subject + f"<{MG}maxSessions> ")]
    # the statement behind the variant's first mg:consults relation: its quote goes
    consults = sorted(line for line in lines if line.startswith(subject + f"<{MG}consults> "))[0]
    partner = consults.split(" ", 2)[2].rstrip(" .\n")

    def stating(part: str, term: str) -> set[str]:
        return {line.split(" ", 1)[0] for line in lines
                if line.split(" ", 2)[1] == f"<http://www.w3.org/1999/02/22-rdf-syntax-ns#{part}>"
                and line.split(" ", 2)[2] == f"{term} .\n"}

    statements = stating("subject", subject.strip()) & stating("predicate", f"<{MG}consults>") & stating("object", partner)
    assert len(function) == 1 and len(count) == 1 and len(statements) == 1, "synth output changed shape"
    quotes = [line for line in lines if line.split(" ", 1)[0] in statements and f"<{MG}quote>" in line]
    assert len(quotes) == 1
    value = count[0].split(" ", 2)[2]
    assert value.endswith(f"^^{XSD_INTEGER} .\n"), value
    broken = [line for line in lines if line not in function and line not in quotes]
    broken = [line.replace(value, '"twee" .\n') if line in count else line for line in broken]
    path.write_text("".join(broken), encoding="utf-8")
    return dest


@pytest.fixture(scope="module")
def synth(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("synth")
    valid = _synth(folder / "valid", 3)
    return {"valid": valid, "broken": _break(valid, folder / "broken")}


@pytest.fixture(scope="module")
def catalogue():
    return load(CatalogueRoot(REPO), alignments=False)


def _findings(catalogue, folder: Path, engine: str) -> validate.Report:
    return validate.run(catalogue, catalogue.root.shapes, engine=engine, included=validate.list_included([str(folder)]))


@pytest.mark.parametrize("engine", ["jena", "rudof"])
def test_valid_synth_output_conforms(engine, synth):
    _require(engine)
    result = run_modgraph("--include", str(synth["valid"]), "validate", "--no-reason", "--shacl-engine", engine)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"shapes: run by {engine}" in result.stdout
    last = result.stdout.strip().splitlines()[-1]
    assert last.startswith("conforms: 0 violation(s)"), result.stdout
    assert re.search(r"in 7 included files\)$", last), last  # 3 providers, 3 inferred, municipalities


def test_broken_variant_is_named_with_its_provider_file(synth):
    """auto picks a fast engine for included data; each break is listed under the file that holds it."""
    _require("jena")
    result = run_modgraph("--include", str(synth["broken"]), "validate", "--no-reason")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "shapes: run by jena (--shacl-engine auto)" in result.stdout
    header = f"{synth['broken'] / PROVIDER_FILE} - <provider/amw-0002/module/amw/intake> (Intake ("
    assert header in result.stdout, result.stdout
    block = result.stdout.split(header, 1)[1].split("\n\n", 1)[0]
    assert f"mg:function: {MESSAGES[FUNCTION_RULE]}" in block
    assert f"{MESSAGES[COUNTS_RULE]} [value: twee]" in block
    assert f"mg:minSessions: {MESSAGES[SESSIONS_RULE]} [value: 1]" in block  # 1 is not below "twee"
    assert f"mg:consults: {MESSAGES[EVIDENCE_RULE]} [value: <organisation/" in block
    assert "/statement/" in block and f"mg:quote: {MESSAGES[QUOTE_RULE]}" in block
    assert "does not conform: 5 violation(s)" in result.stdout
    assert result.stdout.count(" - <") == 1, "another module or file is blamed"


def test_every_engine_reports_the_same_findings(synth, catalogue):
    """rudof and Jena give the same findings; the three rules that were broken, on the variant."""
    _require("jena")
    _require("rudof")
    reports = {engine: _findings(catalogue, synth["broken"], engine) for engine in ("jena", "rudof")}
    assert reports["jena"].findings == reports["rudof"].findings
    assert len(reports["jena"].findings) == 5
    assert {(f.owner, f.shape, f.severity) for f in reports["jena"].findings} == {
        (validate.URIRef(VARIANT), rule.replace(MGSH, "mgsh:"), "Violation") for rule in BROKEN_RULES
    }
    assert {r.engine for r in reports.values()} == {"jena", "rudof"}


@pytest.mark.slow
def test_pyshacl_gives_the_same_findings_on_included_data(tmp_path, catalogue):
    """pyshacl (asked for by name) agrees with Jena and rudof on a broken synth output of one provider.

    One provider, not three: pyshacl needs minutes for the catalogue and three providers.
    """
    _require("jena")
    _require("rudof")
    variant = "https://w3id.org/modgraph/id/provider/amw-0001/module/amw/intake"
    broken = _break(_synth(tmp_path / "valid", 1), tmp_path / "broken", "providers/amw-0001.nt", variant)
    reports = {engine: _findings(catalogue, broken, engine) for engine in ("pyshacl", "jena", "rudof")}
    assert len(reports["pyshacl"].findings) == 5
    assert reports["jena"].findings == reports["pyshacl"].findings
    assert reports["rudof"].findings == reports["pyshacl"].findings
    rendered = {engine: validate.render(report, catalogue) for engine, report in reports.items()}
    assert rendered["jena"] == rendered["pyshacl"] == rendered["rudof"]


def test_at_most_n_findings_per_rule_are_listed(synth, tmp_path):
    """--max-per-rule 1: one function violation listed, the others counted per rule."""
    _require("jena")
    broken = tmp_path / "broken"
    shutil.copytree(synth["valid"], broken)
    path = broken / PROVIDER_FILE
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    cut = [line for line in lines if f"> <{MG}function> " in line and "/module/amw/" in line.split(" ", 1)[0]]
    assert len(cut) >= 3
    path.write_text("".join(line for line in lines if line not in cut), encoding="utf-8")
    result = run_modgraph("--include", str(broken), "validate", "--no-reason", "--max-per-rule", "1")
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout.count(f"mg:function: {MESSAGES[FUNCTION_RULE]}") == 1
    assert f"{len(cut) - 1:,} more finding(s) not listed (at most 1 per rule" in result.stdout
    assert f"  Violation mgsh:Module-function: {len(cut):,} (1 listed)" in result.stdout
    assert f"does not conform: {len(cut)} violation(s)" in result.stdout
    everything = run_modgraph("--include", str(broken), "validate", "--no-reason", "--max-per-rule", "0")
    assert everything.stdout.count(f"mg:function: {MESSAGES[FUNCTION_RULE]}") == len(cut)
    assert "not listed" not in everything.stdout


def test_reasoner_checks_the_catalogue_only_and_says_so(synth):
    _require("jena")
    result = run_modgraph("--include", str(synth["valid"]), "validate")
    assert "reasoner: the catalogue only; the 7 included file(s) are not reasoned over" in result.stdout, result.stdout
    assert "conforms: 0 violation(s)" in result.stdout
    assert result.stdout.strip().splitlines()[-1].endswith("9 quality checks (queries/qc)"), result.stdout


def test_the_quality_checks_run_on_the_included_data_too(synth, tmp_path):
    """Deel 2b's Intake (p. 9) requires no BMW module before it. A provider's Intake that says it
    requires 'Coachen van leidinggevenden' (deel 2a), with no statement behind it, is a row of
    qc/sequencing-without-evidence, and breaks the evidence shape too: two violations."""
    _require("jena")
    extra = tmp_path / "defect"
    extra.mkdir()
    target = "https://w3id.org/modgraph/id/module/bmw/coachen-van-leidinggevenden"
    (extra / "defect.nt").write_text(f"<{VARIANT}> <{MG}requiresPriorModule> <{target}> .\n", encoding="utf-8")
    result = run_modgraph("--include", str(synth["valid"]), "--include", str(extra), "validate")
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    start = lines.index(next(l for l in lines if l.startswith("qc/sequencing-without-evidence-violation: 1 row(s)")))
    assert "provider/amw-0002/module/amw/intake" in lines[start + 1]
    assert "relation=mg:requiresPriorModule" in lines[start + 1] and "module/bmw/coachen-van-leidinggevenden" in lines[start + 1]
    assert [l for l in lines if l.startswith("qc/")] == [lines[start]]  # the other checks find nothing
    assert sum(EVIDENCE_RULE.rsplit("#", 1)[1] in l or "has an rdf:Statement with quote" in l for l in lines) == 1
    assert lines[-1].startswith("does not conform: 2 violation(s)"), result.stdout


@pytest.mark.parametrize("command, says", [(["validate", "--no-reason"], "validate checks local files"),
                                           (["reason", "--check"], "the reasoner works on the catalogue's files")])
def test_validate_and_reason_refuse_a_remote_endpoint(command, says):
    result = run_modgraph("--endpoint", "http://127.0.0.1:9/sparql", *command)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip() == f"modgraph: error: --endpoint: {says}" + (
        " (the catalogue and --include folders), not a remote endpoint" if command[0] == "validate" else
        ", not on a remote endpoint")


# ---------------------------------------------------------------- choosing the engine, bad input

def test_auto_keeps_pyshacl_for_the_catalogue_alone(monkeypatch):
    assert shacl_engines.choose("auto", 7_000) == "pyshacl"
    monkeypatch.setattr(shacl_engines, "jena_missing", lambda: None)
    assert shacl_engines.choose("auto", 7_000, included=True) == "jena"
    assert shacl_engines.choose("auto", shacl_engines.AUTO_PYSHACL_MAX_TRIPLES + 1) == "jena"


def test_auto_falls_back_to_rudof_then_pyshacl(monkeypatch):
    monkeypatch.setattr(shacl_engines, "jena_missing", lambda: "no Jena here")
    monkeypatch.setattr(shacl_engines, "rudof_missing", lambda: None)
    assert shacl_engines.choose("auto", 10**6) == "rudof"
    monkeypatch.setattr(shacl_engines, "rudof_missing", lambda: "no rudof here")
    assert shacl_engines.choose("auto", 10**6) == "pyshacl"


def test_an_engine_that_cannot_run_is_bad_input(monkeypatch):
    monkeypatch.setattr(shacl_engines, "_SOURCE_TREE_SCRIPT", Path("/nonexistent/jena-shacl"))
    monkeypatch.setenv("PATH", "/nonexistent")
    assert "scripts/jena-shacl is not here" in shacl_engines.jena_missing()
    with pytest.raises(InputError, match="the SHACL engine jena cannot run"):
        shacl_engines.choose("jena", 10)
    with pytest.raises(InputError, match="unknown SHACL engine"):
        shacl_engines.choose("topbraid", 10)


@pytest.mark.parametrize("content, where", [
    ("<https://example.org/a> <https://example.org/b> \"open .\n", ":1:"),
    ("<https://example.org/a> <https://example.org/b> .\n", ":1:"),
])
def test_a_syntax_error_in_an_included_file_is_one_line(tmp_path, content, where):
    folder = tmp_path / "extra"
    folder.mkdir()
    (folder / "bad.nt").write_text(content, encoding="utf-8")
    result = run_modgraph("--include", str(folder), "validate", "--no-reason", "--shacl-engine", "rudof")
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert f"{folder / 'bad.nt'}{where}" in lines[0] and "syntax error" in lines[0], lines[0]


@pytest.mark.parametrize("value", ["-1", "many", "1.5"])
def test_a_bad_max_per_rule_is_one_line(value):
    result = run_modgraph("validate", "--no-reason", "--max-per-rule", value)
    assert result.returncode == 2
    assert result.stderr.strip().startswith("modgraph: error: --max-per-rule: a whole number"), result.stderr


def test_included_turtle_blank_nodes_stay_apart(tmp_path, catalogue):
    """Two files that both use the label _:b are two nodes (each file's blank nodes are its own).

    Jena only: rudof 0.3.35 cannot run a SPARQL-based rule on a blank node ("expected UNDEF": it
    binds $this with VALUES), which modgraph reports as one line, not a traceback.
    """
    _require("jena")
    _require("rudof")
    folder = tmp_path / "extra"
    folder.mkdir()
    module = f"<{MG}Module>"
    (folder / "a.nt").write_text(f"_:b <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> {module} .\n", encoding="utf-8")
    (folder / "b.ttl").write_text(f"_:b <{MG}page> 3 .\n", encoding="utf-8")
    with pytest.raises(InputError, match="cannot be run by rudof: .*expected UNDEF"):
        _findings(catalogue, folder, "rudof")
    report = _findings(catalogue, folder, "jena")
    assert report.included.triples == 2
    assert len({f.focus for f in report.findings}) == 1  # the module of a.nt; b.ttl's node is not typed
    # "A module has exactly one page" (mgsh:Module-page): the page of b.ttl's node is not the module's
    assert "mgsh:Module-page" in {f.shape for f in report.findings}


def test_asking_for_an_engine_that_cannot_run_stops_before_any_work(tmp_path):
    """Without dpkg on PATH Jena SHACL cannot run: `--shacl-engine jena` is one line, exit 2."""
    env = {**{k: v for k, v in os.environ.items() if k != "MODGRAPH_ROOT"}, "PATH": str(tmp_path)}
    result = subprocess.run([*modgraph_command(), "validate", "--no-reason", "--shacl-engine", "jena"],
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stdout == ""
    assert result.stderr.strip() == ("modgraph: error: --shacl-engine: the SHACL engine jena cannot run: not a Debian "
                                     "system: Jena SHACL is run from Debian's libapache-jena-java")
