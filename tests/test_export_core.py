"""`modgraph export` of the catalogue itself: every format round-trips, the same bytes on every run,
written whole or not at all; the CSV module table holds what the documents say."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess

import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic

from conftest import REPO, modgraph_command, run_modgraph
from modgraph.inferred import load_for_queries
from modgraph.paths import CatalogueRoot

RDF_FORMATS = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "rdfxml": "xml", "trig": "trig"}
CATALOGUE_GRAPH = URIRef("https://w3id.org/modgraph/graph/catalogue")


@pytest.fixture(scope="module")
def catalogue() -> Graph:
    """The catalogue as rdflib reads it from the files (asserted + inferred), not through the engine."""
    return load_for_queries(CatalogueRoot(REPO)).graph


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> dict:
    """Every format exported once: format -> path."""
    folder = tmp_path_factory.mktemp("export")
    out = {}
    for fmt in [*RDF_FORMATS, "csv"]:
        path = folder / f"catalogue.{fmt}"
        result = run_modgraph("--root", str(REPO), "export", "--format", fmt, "--out", str(path))
        assert result.returncode == 0, result.stderr
        assert f"written: {path}" in result.stdout
        out[fmt] = path
    return out


def read_back(path, fmt: str) -> Graph:
    if fmt == "trig":
        dataset = Dataset()
        dataset.parse(path, format="trig")
        assert {g.identifier for g in dataset.graphs() if len(g)} == {CATALOGUE_GRAPH}
        graph = Graph()
        for s, p, o, _ in dataset.quads():
            graph.add((s, p, o))
        return graph
    return Graph().parse(path, format=RDF_FORMATS[fmt])


@pytest.mark.parametrize("fmt", RDF_FORMATS)
def test_every_format_round_trips_to_the_catalogue(exported, catalogue, fmt):
    back = read_back(exported[fmt], fmt)
    assert len(back) == len(catalogue)
    assert isomorphic(back, catalogue), fmt


def test_jsonld_refers_to_its_context_file(exported):
    document = json.loads(exported["jsonld"].read_text(encoding="utf-8"))
    assert document["@context"] == "context.jsonld"
    context = json.loads((exported["jsonld"].parent / "context.jsonld").read_text(encoding="utf-8"))
    assert context["@context"]["mg"] == "https://w3id.org/modgraph/def#"


@pytest.mark.parametrize("fmt", [*RDF_FORMATS, "csv"])
def test_two_runs_give_the_same_bytes(exported, tmp_path, fmt):
    """Another process, another hash seed, the other query engine: the same file."""
    again = tmp_path / f"again.{fmt}"
    env = {k: v for k, v in os.environ.items() if k != "MODGRAPH_ROOT"}
    env["PYTHONHASHSEED"] = "12345"
    result = subprocess.run([*modgraph_command(), "--root", str(REPO), "--engine", "rdflib", "export", "--format",
                             fmt, "--out", str(again)], env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert again.read_bytes() == exported[fmt].read_bytes()


def test_the_csv_is_one_row_per_module_with_the_documents_fields(exported):
    """Deel 2b has 22 modules and deel 2a 21. Deel 2b, Intake (table of contents 'Intake ....9'):
    'Gemiddeld 1 tot 2 gesprekken van drie kwartier tot een uur.'"""
    raw = exported["csv"].read_bytes()
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8"))))
    assert len(rows) == 43
    assert sorted(r["werksoort"] for r in rows).count("AMW") == 22
    intake = next(r for r in rows if r["identifier"] == "amw/intake")
    assert intake["title"] == "Intake" and intake["page"] == "9"
    assert intake["duration"] == "Gemiddeld 1 tot 2 gesprekken van drie kwartier tot een uur."
    assert (intake["minSessions"], intake["maxSessions"], intake["sessionUnit"]) == ("1", "2", "gesprek")
    assert "Cliënten/cliëntsystemen met psychosociale klachten of problemen." in intake["targetGroup"]


def test_a_path_that_cannot_be_written_leaves_nothing(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder\n", encoding="utf-8")
    result = run_modgraph("--root", str(REPO), "export", "--out", str(blocker / "catalogue.ttl"))
    assert result.returncode == 2
    assert str(blocker / "catalogue.ttl") in result.stderr and "cannot write" in result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]


def test_a_failed_export_leaves_the_previous_file(tmp_path):
    previous = tmp_path / "catalogue.ttl"
    previous.write_text("# an earlier export\n", encoding="utf-8")
    result = run_modgraph("--root", str(REPO), "export", "--profile", "no-such-profile", "--out", str(previous))
    assert result.returncode == 2 and "--profile" in result.stderr and "Traceback" not in result.stderr
    assert previous.read_text(encoding="utf-8") == "# an earlier export\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["catalogue.ttl"]


@pytest.mark.parametrize("args, where", [
    (["--format", "csv", "--profile", "skos"], "--format"),
    (["--format", "ttl"], "--out"),
    (["--check", "/no/such/file.ttl", "--profile", "skos"], "/no/such/file.ttl"),
    (["--check", "x.ttl"], "--check"),
])
def test_bad_options_are_one_line(tmp_path, args, where):
    out = [] if "--check" in args or args == ["--format", "ttl"] else ["--out", str(tmp_path / "x")]
    result = run_modgraph("--root", str(REPO), "export", *args, *out)
    assert result.returncode == 2, result.stdout + result.stderr
    assert where in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_profile_export_passes_its_check_and_a_broken_one_fails(tmp_path):
    """CPSV-AP 3.2.0 requires exactly one dct:identifier on a public service: without it the check fails."""
    path = tmp_path / "cpsv-ap.nt"
    assert run_modgraph("--root", str(REPO), "export", "--profile", "cpsv-ap", "--format", "nt",
                        "--out", str(path)).returncode == 0
    result = run_modgraph("--root", str(REPO), "export", "--profile", "cpsv-ap", "--check", str(path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().splitlines()[-1].startswith(f"{path}: conforms to cpsv-ap")
    intake = "<https://w3id.org/modgraph/id/module/amw/intake> <http://purl.org/dc/terms/identifier> "
    broken = tmp_path / "broken.nt"
    broken.write_text("".join(line + "\n" for line in path.read_text(encoding="utf-8").splitlines()
                              if not line.startswith(intake)), encoding="utf-8")
    result = run_modgraph("--root", str(REPO), "export", "--profile", "cpsv-ap", "--check", str(broken))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "module/amw/intake" in result.stdout and "does not conform" in result.stdout.splitlines()[-1]


def test_the_hsds_export_and_its_check_from_the_command(tmp_path):
    for fmt in ("json", "csv"):
        folder = tmp_path / fmt
        result = run_modgraph("--root", str(REPO), "export", "--profile", "hsds", "--format", fmt, "--out", str(folder))
        assert result.returncode == 0, result.stderr
        assert "43 services" in result.stdout  # deel 2b: 22 modules, deel 2a: 21
        result = run_modgraph("--root", str(REPO), "export", "--profile", "hsds", "--check", str(folder))
        assert result.returncode == 0, result.stdout + result.stderr
        assert "conforms to hsds" in result.stdout.splitlines()[-1]


def test_the_schema_org_json_ld_is_what_a_page_embeds(tmp_path):
    """schema.org JSON-LD names schema.org's own context (whose @vocab is http://schema.org/), so it goes
    into a page's <script type="application/ld+json"> as it is; read with that @vocab it is the profile."""
    from conftest import build_profile

    path = tmp_path / "services.jsonld"
    result = run_modgraph("--root", str(REPO), "export", "--profile", "schema-org", "--format", "jsonld",
                          "--out", str(path))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["services.jsonld"]  # no context file needed
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["@context"] == "https://schema.org"
    intake = next(n for n in document["@graph"] if n["@id"] == "https://w3id.org/modgraph/id/module/amw/intake")
    assert intake["@type"] == "Service" and intake["identifier"] == "amw/intake"
    document["@context"] = {"@vocab": "http://schema.org/"}  # schema.org's context, offline
    back = Graph().parse(data=json.dumps(document), format="json-ld")
    assert isomorphic(back, build_profile("schema-org"))
