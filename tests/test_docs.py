"""`modgraph docs --out DIR` and modgraph.docs.write_docs: the ontology's HTML documentation (issue 19)."""

from __future__ import annotations

import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import OWL, RDF

from modgraph.docs import write_docs

ROOT = Path(__file__).resolve().parents[1]
MG = "https://w3id.org/modgraph/def#"


class Anchors(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids, self.links = set(), []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        for key in ("href", "src"):
            if attrs.get(key):
                self.links.append(attrs[key])


def test_every_term_has_its_anchor_and_nothing_comes_from_the_network(tmp_path):
    index = write_docs(tmp_path / "docs", root=ROOT)
    assert index == tmp_path / "docs" / "index.html"
    text = index.read_text(encoding="utf-8")
    page = Anchors()
    page.feed(text)
    ontology = Graph().parse(ROOT / "ontology" / "modgraph.ttl")
    terms = {str(t)[len(MG):] for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
             for t in ontology.subjects(RDF.type, kind) if str(t).startswith(MG)}
    assert len(terms) > 90 and terms <= page.ids
    # Internal links only: every href is an anchor of the page itself.
    assert all(link.startswith("#") and link[1:] in page.ids for link in page.links)
    assert "<script" not in text and "@import" not in text and "url(" not in text
    # Labels and definitions in both languages, e.g. mg:Module's nl definition as the ontology states it.
    assert "Een afgebakende beschrijving van hulp- of dienstverlening die een werksoort aanbiedt" in text
    # A defined class: mg:AMWModule = Module and (werksoort value amw).
    assert "<b>and</b>" in text and "<b>value</b>" in text


def test_same_bytes_every_run_and_earlier_docs_replaced(tmp_path):
    first = write_docs(tmp_path / "docs", root=ROOT).read_bytes()
    second = write_docs(tmp_path / "docs", root=ROOT).read_bytes()
    assert first == second
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs"]


def test_import_has_no_side_effects(tmp_path):
    done = subprocess.run([sys.executable, "-c", "import modgraph.docs"], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0 and not done.stdout and not done.stderr
    assert list(tmp_path.iterdir()) == []


def test_command_and_bad_out(tmp_path):
    done = subprocess.run([sys.executable, "-m", "modgraph.cli", "docs", "--out", str(tmp_path / "d")],
                          capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout == f"written: {tmp_path / 'd' / 'index.html'}\n"
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.txt").write_text("mine")
    done = subprocess.run([sys.executable, "-m", "modgraph.cli", "docs", "--out", str(tmp_path / "other")],
                          capture_output=True, text=True)
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "refusing" in done.stderr
    assert (tmp_path / "other" / "notes.txt").read_text() == "mine"
