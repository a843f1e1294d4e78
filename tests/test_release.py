"""`modgraph release VERSION`: every format and profile of one version in dist/VERSION/, with checksums."""

from __future__ import annotations

import hashlib

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, XSD

from conftest import REPO, run_modgraph
from modgraph.export import profiles
from modgraph.paths import CatalogueRoot

ONTOLOGY = URIRef("https://w3id.org/modgraph/def")


@pytest.fixture(scope="module")
def released(tmp_path_factory):
    dist = tmp_path_factory.mktemp("dist")
    result = run_modgraph("--root", str(REPO), "release", "1.2.3", "--dist", str(dist), "--date", "2026-12-03",
                          timeout=900)
    assert result.returncode == 0, result.stderr
    assert f"released: {dist / '1.2.3'}" in result.stdout
    return dist


def test_the_release_holds_every_format_every_profile_and_checksums(released):
    folder = released / "1.2.3"
    names = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    formats = {"modgraph.ttl", "modgraph.nt", "modgraph.jsonld", "context.jsonld", "modgraph.rdf",
               "modgraph.trig", "modgraph.csv"}
    assert formats <= names
    for name in profiles.rdf_names(CatalogueRoot(REPO)):
        assert {f"profiles/{name}.ttl", f"profiles/{name}.jsonld"} <= names, name
    listed = {}
    for line in (folder / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        digest, path = line.split("  ", 1)
        listed[path] = digest
    assert set(listed) == names - {"SHA256SUMS"}
    for path, digest in listed.items():
        assert hashlib.sha256((folder / path).read_bytes()).hexdigest() == digest, path
    assert not [p for p in released.iterdir() if p.name.startswith(".")]  # no building folder left


def test_the_ontology_carries_the_release_version_and_date(released):
    graph = Graph().parse(released / "1.2.3" / "modgraph.ttl", format="turtle")
    assert set(graph.objects(ONTOLOGY, OWL.versionIRI)) == {URIRef("https://w3id.org/modgraph/def/1.2.3")}
    assert set(graph.objects(ONTOLOGY, OWL.versionInfo)) == {Literal("1.2.3")}
    assert set(graph.objects(ONTOLOGY, DCTERMS.modified)) == {Literal("2026-12-03", datatype=XSD.date)}


def test_the_dcat_description_lists_the_releases_own_files(released):
    """Every distribution the DCAT description offers is a file of this release, at this version."""
    folder = released / "1.2.3"
    graph = Graph().parse(folder / "profiles" / "dcat.ttl", format="turtle")
    downloads = {str(o) for o in graph.objects(None, URIRef("http://www.w3.org/ns/dcat#downloadURL"))}
    assert len(downloads) == 6  # ttl, nt, jsonld, rdfxml, trig, csv
    for url in downloads:
        assert url.startswith("https://w3id.org/modgraph/dist/1.2.3/"), url
        assert (folder / url.rsplit("/", 1)[1]).is_file(), url


def test_a_release_is_never_overwritten(released):
    before = (released / "1.2.3" / "SHA256SUMS").read_bytes()
    result = run_modgraph("--root", str(REPO), "release", "1.2.3", "--dist", str(released))
    assert result.returncode == 2 and "never overwritten" in result.stderr and "Traceback" not in result.stderr
    assert (released / "1.2.3" / "SHA256SUMS").read_bytes() == before


@pytest.mark.parametrize("args, where", [
    (["v1"], "VERSION"),
    (["1.0"], "VERSION"),
    (["1.0.0", "--date", "3 december"], "--date"),
])
def test_bad_release_arguments_are_one_line(tmp_path, args, where):
    result = run_modgraph("--root", str(REPO), "release", *args, "--dist", str(tmp_path / "dist"))
    assert result.returncode == 2 and where in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "dist").exists()


def test_an_unwritable_dist_leaves_nothing(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x\n", encoding="utf-8")
    result = run_modgraph("--root", str(REPO), "release", "1.0.0", "--dist", str(blocker / "dist"))
    assert result.returncode == 2 and str(blocker / "dist") in result.stderr and "Traceback" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]
