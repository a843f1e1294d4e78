"""The engine layer (issue 16): every backend gives the same rows for every named and qc query.

The answers themselves are checked against the documents in the test_queries_*.py files (on the
default engine); here the oxigraph backend (in memory and on disk) must agree with rdflib's, row
for row, with the example parameters and with every optional parameter left out.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from modgraph import queries as q
from modgraph.engines import open_engine
from modgraph.paths import find_root
from row_compare import row_multiset

ROOT = Path(__file__).resolve().parents[1]
ALL = q.discover(ROOT / "queries")


@pytest.fixture(scope="module")
def engines(tmp_path_factory):
    root = find_root(str(ROOT))
    store = tmp_path_factory.mktemp("store") / "catalogue"
    opened = {"rdflib": open_engine(root, engine="rdflib"), "oxigraph": open_engine(root),
              "oxigraph-store": open_engine(root, store=store)}
    yield opened
    for engine in opened.values():
        engine.close()


def _examples(query) -> dict[str, str]:
    return {str(k): str(v) for item in query.header.get("defaults", []) or [] for k, v in item.items()}


def _required_only(query) -> dict[str, str]:
    required = {p.name for p in query.parameters if p.required}
    return {k: v for k, v in _examples(query).items() if k in required}


@pytest.mark.parametrize("values", [_examples, _required_only], ids=["examples", "required-only"])
@pytest.mark.parametrize("name", sorted(ALL))
def test_same_rows_on_every_in_process_backend(engines, name, values):
    query = ALL[name]
    answers = {}
    for backend, engine in engines.items():
        bindings = q.bind(query, values(query), engine)
        answers[backend] = engine.run(query.text, bindings, source=name, timeout=120)
    reference = answers["rdflib"]
    for backend, rows in answers.items():
        assert rows.boolean == reference.boolean, f"{name}: {backend} and rdflib disagree on the boolean"
        assert rows.variables == reference.variables, f"{name}: {backend} projects other variables"
        assert row_multiset(rows, query.text) == row_multiset(reference, query.text), \
            f"{name}: {backend} and rdflib disagree"


def test_every_backend_holds_the_same_number_of_triples(engines):
    counts = {backend: engine.triple_count() for backend, engine in engines.items()}
    assert len(set(counts.values())) == 1, counts
