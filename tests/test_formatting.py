"""Canonical Turtle (modgraph.turtle.serialize, modgraph.formatting, `modgraph fmt`)."""

from __future__ import annotations

import random

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from conftest import REPO, VALID, run_modgraph
from modgraph.catalogue import parse_turtle
from modgraph.formatting import canonical_text
from modgraph.namespaces import BASE, MG_NS
from modgraph.turtle import CanonicalTurtleError, serialize

DATA_FILES = sorted((REPO / "data").rglob("*.ttl"))
VALID_MODULE = VALID / "amw-test-module.ttl"


def _id(path) -> str:
    return str(path.relative_to(REPO / "data"))


def _parse(text: str) -> Graph:
    return Graph().parse(data=text, format="turtle")


def test_there_are_data_files():
    assert any(p.parent.name == "vocab" for p in DATA_FILES)
    assert any(p.parent.parent.name == "modules" for p in DATA_FILES)


@pytest.mark.parametrize("path", DATA_FILES, ids=_id)
def test_serialize_round_trip_is_isomorphic(path):
    graph = parse_turtle(path)
    assert len(graph) > 0
    again = _parse(serialize(graph))
    assert isomorphic(graph, again), f"{_id(path)}: canonical Turtle does not give back the same graph"


@pytest.mark.parametrize("path", DATA_FILES, ids=_id)
def test_serialize_is_deterministic(path):
    """The same triples give the same bytes: after a round trip, and whatever order they were added in."""
    graph = parse_turtle(path)
    first = serialize(graph)
    assert serialize(_parse(first)) == first
    triples = sorted(graph, key=str)
    random.Random(len(triples)).shuffle(triples)
    shuffled = Graph(bind_namespaces="none")
    for triple in triples:
        shuffled.add(triple)
    assert serialize(shuffled) == first


def test_tricky_literals_and_iris_round_trip():
    subject = URIRef(BASE + "module/amw/test-module")
    objects = [
        Literal('quote " and backslash \\ and """ triple', lang="nl"),
        Literal("line one\nline two\r\nand\ttab", lang="nl"),
        Literal("typographic ’apostrophe’ and é ü ß, emoji \U0001F600"),
        Literal("ends with a quote\""),
        Literal(""),
        Literal("2026-11-23", datatype=URIRef("http://www.w3.org/2001/XMLSchema#date")),
        Literal("x", datatype=URIRef("http://example.org/datatype")),
        Literal(42), Literal(-3), Literal(True), Literal(False), Literal(2.5),
        URIRef(BASE + "module/amw/test-module/goal/10"),
        URIRef(MG_NS + "Module"),
        URIRef("https://schema.org/"),
        URIRef("http://example.org/with.dot"),
        URIRef(MG_NS + "local.with.dots"),
        URIRef("urn:example:x"),
    ]
    graph = Graph()
    for i, obj in enumerate(objects):
        graph.add((subject, URIRef(f"{MG_NS}p{i}"), obj))
    text = serialize(graph)
    assert isomorphic(graph, _parse(text)), text
    assert serialize(_parse(text)) == text


def test_layout_rules():
    """Documented layout: modules first, natural order of items, only used prefixes, 'a' first."""
    text = (VALID_MODULE.read_text(encoding="utf-8")
            .replace("<module/amw/test-module/goal/1>", "<module/amw/test-module/goal/10>")
            .replace("    mg:hasGoal <module/amw/test-module/goal/10> ;",
                     "    mg:hasGoal <module/amw/test-module/goal/10> ;\n    mg:hasGoal <module/amw/test-module/goal/2> ;"))
    text += """
<module/amw/test-module/goal/2>
    a mg:Goal ;
    schema:position 2 ;
    dcterms:description "Tweede doel."@nl ;
    mg:goalTheme <goal-theme/zelfredzaamheid> .
"""
    graph = _parse(text)
    out = serialize(graph, ["header line"])
    assert out.startswith("# header line\n\n@base <https://w3id.org/modgraph/id/> .\n")
    blocks = [b for b in out.split("\n\n") if b.startswith("<")]
    assert blocks[0].startswith("<module/amw/test-module>\n    a mg:Module ;"), blocks[0]
    order = [b.split("\n", 1)[0] for b in blocks]
    assert order.index("<module/amw/test-module/goal/2>") < order.index("<module/amw/test-module/goal/10>")
    hasgoal = [line for line in blocks[0].splitlines() if "mg:hasGoal" in line]
    assert hasgoal[0].endswith("goal/2> ;") and hasgoal[1].endswith("goal/10> ;"), hasgoal
    prefixes = [line.split()[1] for line in out.splitlines() if line.startswith("@prefix")]
    assert prefixes == sorted(prefixes)
    assert "owl:" not in prefixes and "xsd:" not in prefixes


def test_blank_node_is_refused():
    graph = _parse('@prefix mg: <https://w3id.org/modgraph/def#> .\n'
                   '<https://w3id.org/modgraph/id/module/amw/x> mg:hasGoal [ mg:page 1 ] .')
    with pytest.raises(CanonicalTurtleError):
        serialize(graph)


# ---------------------------------------------------------------- `modgraph fmt`

def _non_canonical(text: str) -> str:
    """The same triples and header, laid out differently: blocks reversed, one extra prefix, spacing."""
    header, body = text.split("@base", 1)
    body = "@base" + body
    preamble, _, blocks = body.partition("\n\n")
    parts = blocks.strip().split("\n\n")
    preamble += "\n@prefix owl: <http://www.w3.org/2002/07/owl#> ."
    return header + preamble + "\n\n" + "\n\n\n".join(reversed(parts)).replace(" ;\n    ", " ;\n        ") + "\n"


def test_fmt_check_then_fmt(tmp_path):
    original = VALID_MODULE.read_text(encoding="utf-8")
    assert canonical_text(VALID_MODULE) == original, "the valid fixture itself should be canonical"
    path = tmp_path / "test-module.ttl"
    messy = _non_canonical(original)
    assert messy != original and isomorphic(_parse(messy), _parse(original))
    path.write_text(messy, encoding="utf-8")

    check = run_modgraph("fmt", "--check", str(path), cwd=tmp_path)
    assert check.returncode == 1, check.stdout + check.stderr
    assert str(path) in check.stdout
    assert path.read_text(encoding="utf-8") == messy, "--check must not write"

    fmt = run_modgraph("fmt", str(path), cwd=tmp_path)
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr
    formatted = path.read_text(encoding="utf-8")
    assert formatted == original, "fmt should give the canonical layout, header comment included"
    assert [p.name for p in tmp_path.iterdir()] == [path.name], "no temporary file left behind"

    again = run_modgraph("fmt", "--check", str(path), cwd=tmp_path)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "already canonical" in again.stdout


@pytest.mark.parametrize("check", [False, True], ids=["fmt", "fmt-check"])
def test_fmt_blank_node_is_a_clear_error(tmp_path, check):
    path = tmp_path / "blank.ttl"
    text = VALID_MODULE.read_text(encoding="utf-8").replace(
        "    mg:hasGoal <module/amw/test-module/goal/1> ;",
        "    mg:hasGoal [ a mg:Goal ; schema:position 2 ] ;",
    )
    path.write_text(text, encoding="utf-8")
    result = run_modgraph("fmt", *(["--check"] if check else []), str(path), cwd=tmp_path)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0] and "blank node" in lines[0], result.stderr
    assert path.read_text(encoding="utf-8") == text


def test_fmt_missing_file_is_a_clear_error(tmp_path):
    result = run_modgraph("fmt", str(tmp_path / "nope.ttl"), cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "nope.ttl" in result.stderr


def test_every_data_file_is_canonical():
    """May fail while module files are being written: run `modgraph fmt FILE` on your own files."""
    result = run_modgraph("--root", str(REPO), "fmt", "--check", cwd=REPO)
    assert result.returncode == 0, result.stdout + result.stderr
