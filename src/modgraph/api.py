"""Python API for notebooks: load the catalogue once, run named queries with keyword parameters.

    >>> from modgraph.api import Catalogue
    >>> cat = Catalogue()                       # the embedded catalogue, asserted + inferred
    >>> rows = cat.query("follow-ups", module="amw/voortraject-arbeidstoeleiding")
    >>> [r["title"] for r in rows]
    >>> cat.dataframe("modules-per-function", werksoort="bmw")   # needs pandas
"""

from __future__ import annotations

from rdflib import Graph

from modgraph import queries as _queries
from modgraph.inferred import load_for_queries
from modgraph.paths import find_root
from modgraph.results import Rows, run_sparql
from modgraph.terms import check_query, declared_terms


class Catalogue:
    """The catalogue graph and its named queries."""

    def __init__(self, root=None, *, asserted_only: bool = False) -> None:
        self.root = find_root(root)
        # asserted + inferred; stale inferences are recomputed in memory, with one line on stderr
        catalogue = load_for_queries(self.root, asserted_only=asserted_only)
        self.graph: Graph = catalogue.graph
        self._declared = declared_terms(catalogue)
        self.queries = _queries.discover(self.root.queries)

    def names(self) -> list[str]:
        """The names of the named queries."""
        return sorted(self.queries)

    def rows(self, name: str, **params) -> Rows:
        """Run the named query; parameters as keywords (``module="amw/intake"``)."""
        query = _queries.lookup(self.queries, name)
        check_query(query.text, str(query.path), self._declared)
        bindings = _queries.bind(query, {k: str(v) for k, v in params.items()}, self.graph)
        return run_sparql(self.graph, query.text, bindings, source=str(query.path))

    def query(self, name: str, **params) -> list[dict]:
        """The rows of the named query as dicts of Python values (str, int, ...)."""
        return _python_rows(self.rows(name, **params))

    def sparql(self, text: str) -> list[dict]:
        """Run an ad-hoc SPARQL query."""
        if isinstance(text, str):
            check_query(text, "sparql", self._declared)
        return _python_rows(run_sparql(self.graph, text))

    def dataframe(self, name: str, **params):
        """The rows of the named query as a pandas DataFrame (pandas must be installed)."""
        try:
            import pandas
        except ImportError as exc:
            raise ImportError("Catalogue.dataframe needs pandas: pip install pandas") from exc
        result = self.rows(name, **params)
        return pandas.DataFrame(_python_rows(result), columns=result.variables)


def _python_rows(result: Rows) -> list[dict]:
    return [{k: (v.toPython() if hasattr(v, "toPython") else v) for k, v in row.items()} for row in result.rows]
