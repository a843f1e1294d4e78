"""Python API for notebooks: load the catalogue once, run named queries with keyword parameters.

    >>> from modgraph.api import Catalogue
    >>> cat = Catalogue()                       # the embedded catalogue, asserted + inferred
    >>> rows = cat.query("follow-ups", module="amw/voortraject-arbeidstoeleiding")
    >>> [r["title"] for r in rows]
    >>> cat.dataframe("modules-per-function", werksoort="bmw")   # needs pandas

Queries run on pyoxigraph in memory by default; ``engine="rdflib"``, ``store="DIR"`` (an on-disk
store, see ``modgraph load``), ``endpoint="URL"`` (a remote SPARQL endpoint) and ``include=[DIR]``
(extra RDF files, e.g. a synth output) choose otherwise, as the command's options do.

Every bad argument raises :class:`modgraph.errors.InputError`. A query runs in a forked worker and
is stopped after ``timeout`` seconds (default 30); ``SERVICE`` is refused unless ``allow_service``.
"""

from __future__ import annotations

import os

from rdflib import Graph, Literal, URIRef

from modgraph import queries as _queries
from modgraph.errors import InputError
from modgraph.limits import DEFAULT_QUERY_TIMEOUT, check_timeout, shown
from modgraph.paths import find_root
from modgraph.engines import Engine, open_engine
from modgraph.results import Rows
from modgraph.terms import check_query, declared_in_ontology


class Catalogue:
    """The catalogue graph and its named queries."""

    def __init__(self, root=None, *, asserted_only: bool = False, timeout: float = DEFAULT_QUERY_TIMEOUT,
                 allow_service: bool = False, engine: str = "oxigraph", store=None, endpoint: str | None = None,
                 include=()) -> None:
        if root is not None and not isinstance(root, (str, os.PathLike)):
            raise InputError(f"root must be a folder path, not {type(root).__name__}", "root")
        _check_flag(asserted_only, "asserted_only")
        _check_flag(allow_service, "allow_service")
        if isinstance(include, (str, os.PathLike)):
            include = [include]
        self.timeout = check_timeout(timeout, "timeout")
        self.allow_service = allow_service
        self.asserted_only = asserted_only
        self.root = find_root(root)
        # asserted + inferred; stale inferences are recomputed in memory, with one line on stderr
        self.engine: Engine = open_engine(self.root, engine=engine, store=store, endpoint=endpoint,
                                          include=include, asserted_only=asserted_only)
        self._declared = declared_in_ontology(self.root)
        self.queries = _queries.discover(self.root.queries)
        self._graph: Graph | None = None

    @property
    def graph(self) -> Graph:
        """Every triple the engine answers from (included files too) as an rdflib Graph, built on
        first use; changing it does not change what the queries see."""
        if self._graph is None:
            self._graph = self.engine.to_graph()
        return self._graph

    def close(self) -> None:
        """Release the engine (an on-disk store's files, connections)."""
        self.engine.close()

    def names(self) -> list[str]:
        """The names of the named queries."""
        return sorted(self.queries)

    def rows(self, name: str, **params) -> Rows:
        """Run the named query; parameters as keywords (``module="amw/intake"``)."""
        query = _queries.lookup(self.queries, name)
        check_query(query.text, str(query.path), self._declared)
        bindings = _queries.bind(query, {k: _parameter_text(k, v) for k, v in params.items()}, self.engine)
        return self.engine.run(query.text, bindings, source=str(query.path),
                               timeout=check_timeout(self.timeout, "timeout"), allow_service=self.allow_service)

    def query(self, name: str, **params) -> list[dict]:
        """The rows of the named query as dicts of Python values (str, int, ...)."""
        return _python_rows(self.rows(name, **params))

    def sparql(self, text: str) -> list[dict]:
        """Run an ad-hoc SPARQL query (SELECT or ASK: rows; CONSTRUCT or DESCRIBE: use :meth:`sparql_graph`)."""
        result = self._run_adhoc(text)
        if result.graph is not None:
            raise InputError("a CONSTRUCT or DESCRIBE query gives a graph: use Catalogue.sparql_graph", "sparql")
        if result.boolean is not None:
            return [{"answer": result.boolean}]
        return _python_rows(result)

    def sparql_graph(self, text: str) -> Graph:
        """Run an ad-hoc CONSTRUCT or DESCRIBE query; the answer as an rdflib Graph."""
        result = self._run_adhoc(text)
        if result.graph is None:
            raise InputError("a SELECT or ASK query gives rows: use Catalogue.sparql", "sparql")
        return result.graph

    def _run_adhoc(self, text: str) -> Rows:
        if isinstance(text, str):
            check_query(text, "sparql", self._declared)
        return self.engine.run(text, source="sparql", timeout=check_timeout(self.timeout, "timeout"),
                               allow_service=self.allow_service)

    def dataframe(self, name: str, **params):
        """The rows of the named query as a pandas DataFrame (pandas must be installed)."""
        _queries.lookup(self.queries, name)  # a bad name is an InputError, with or without pandas
        try:
            import pandas
        except ImportError as exc:
            raise ImportError("Catalogue.dataframe needs pandas: pip install pandas") from exc
        result = self.rows(name, **params)
        return pandas.DataFrame(_python_rows(result), columns=result.variables)


def _check_flag(value, name: str) -> None:
    if not isinstance(value, bool):
        raise InputError(f"must be True or False, not {shown(repr(value))}", name)


def _parameter_text(name: str, value) -> str:
    """A keyword argument as the text of a parameter value: str, int, float, bool or an RDF term."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float, URIRef, Literal)):
        return str(value)
    raise InputError(f"a value must be a text, a number or an IRI, not {type(value).__name__}", f"parameter {name}")


def _python_rows(result: Rows) -> list[dict]:
    return [{k: (v.toPython() if hasattr(v, "toPython") else v) for k, v in row.items()} for row in result.rows]
