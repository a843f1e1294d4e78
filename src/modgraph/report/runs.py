"""Running the named queries behind the report, keeping what is needed to rerun each one."""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field

from rdflib import Literal

from modgraph import queries
from modgraph.engines import Engine
from modgraph.paths import CatalogueRoot
from modgraph.results import short
from modgraph.terms import check_query, declared_in_ontology


@dataclass
class QueryRun:
    """One named query as the report ran it: its parameters and its rows as Python values."""

    name: str
    params: dict[str, str]
    variables: list[str]
    rows: list[dict] = field(default_factory=list)

    @property
    def command(self) -> str:
        """The command that gives the same rows as CSV."""
        words = ["modgraph", "query", self.name]
        for key, value in self.params.items():
            words += ["--param", f"{key}={value}"]
        return " ".join(shlex.quote(w) for w in words) + " --format csv"


def plain(term):
    """A result term as a Python value: numbers and booleans as such, IRIs shortened, text as text."""
    if isinstance(term, Literal):
        value = term.toPython()
        return value if isinstance(value, (bool, int, float)) else str(term)
    return short(term) if term is not None else None


class Runner:
    """Runs named queries on one engine, each at most once per parameter set."""

    def __init__(self, engine: Engine, root: CatalogueRoot, *, timeout: float | None = None) -> None:
        self.engine, self.root, self.timeout = engine, root, timeout
        self._declared = declared_in_ontology(root)
        self._done: dict[tuple, QueryRun] = {}

    def run(self, name: str, **params: str) -> QueryRun:
        """The rows of the named query ``name`` with ``params`` (slugs or IRIs, as on the command line)."""
        key = (name, tuple(sorted(params.items())))
        if key not in self._done:
            query = queries.find(self.root.queries, name)
            check_query(query.text, str(query.path), self._declared)
            bindings = queries.bind(query, params, self.engine)
            result = self.engine.run(query.text, bindings, source=str(query.path), timeout=self.timeout)
            rows = [{k: plain(v) for k, v in row.items()} for row in result.rows]
            self._done[key] = QueryRun(name, dict(params), list(result.variables), rows)
        return self._done[key]

    @property
    def runs(self) -> list[QueryRun]:
        """Every query run so far, in the order first run."""
        return list(self._done.values())
