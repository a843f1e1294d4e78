"""The data-quality checks of ``queries/qc/``: SPARQL queries that give no rows when the data is right.

``modgraph validate`` runs them after the reasoner, on the query engine the command was given
(pyoxigraph in memory by default, ``--store``, ``--engine rdflib``), over what the named queries see:
asserted + inferred triples and the ``--include`` data. Every row is a violation; the report lists
at most ``max_per_rule`` rows of each check and counts the rest, like the shapes' findings.
"""

from __future__ import annotations

from dataclasses import dataclass

from modgraph import queries as _queries
from modgraph.engines import Engine
from modgraph.results import Rows, short


@dataclass(frozen=True)
class CheckResult:
    """One qc query and the rows it found (none: the check passes)."""

    name: str        # e.g. "qc/orphan-item-violation"
    summary: str     # the query header's summary: what a row means
    rows: Rows


def run_checks(engine: Engine, queries_folder, *, timeout: float) -> list[CheckResult]:
    """Run every ``qc/`` query of ``queries_folder`` (the catalogue's ``queries/``) on ``engine``."""
    checks = {name: q for name, q in _queries.discover(queries_folder).items() if name.startswith("qc/")}
    return [CheckResult(name, query.summary, engine.run(query.text, source=str(query.path), timeout=timeout))
            for name, query in sorted(checks.items())]


def render(results: list[CheckResult], max_per_rule: int) -> list[str]:
    """The report's lines for the checks that found rows (nothing when all pass)."""
    lines = []
    for result in results:
        rows = result.rows.rows
        if not rows:
            continue
        lines.append(f"{result.name}: {len(rows):,} row(s) - {result.summary}")
        listed = rows if max_per_rule <= 0 else rows[:max_per_rule]
        for row in listed:
            cells = [f"{v}={short(row[v])}" for v in result.rows.variables if row.get(v) is not None]
            lines.append("  Violation " + "  ".join(cells))
        if len(listed) < len(rows):
            lines.append(f"  ... {len(rows) - len(listed):,} more (--max-per-rule 0 lists all)")
        lines.append("")
    return lines

