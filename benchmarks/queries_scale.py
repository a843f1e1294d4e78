"""Time every named and qc query on pyoxigraph at scale: the real catalogue plus a synthetic one.

A script, not a test. The store holds the catalogue as queries see it (ontology with alignments,
data, inferred/inferred.ttl; not the shapes: ``modgraph.inferred.load_for_queries``) plus every
``.nt`` file of the ``--synth`` folders (``modgraph synth`` output). Each query runs with the
parameters of its ``# Example:`` line written into the text as terms (as grlc does and as
tests/test_queries_engine.py checks; pyoxigraph 0.5's ``substitutions`` only binds variables of
the outer SELECT projection, and a parameter is never projected), in a forked
worker that is killed after ``--timeout`` seconds per run: one untimed run, then ``--repeat`` timed
runs in the same worker; the table gives their median.

    .venv/bin/python benchmarks/queries_scale.py --synth /work/bench-data/synth-1e5
    .venv/bin/python benchmarks/queries_scale.py --synth /work/bench-data/synth-1e6 --only overlap

``--queries DIR`` times another copy of the query files (e.g. the texts before a rewrite), and
``--rows FILE`` writes every query's rows (sorted N-Triples-like terms) as JSON, so two runs can be
compared row by row (``--compare A.json B.json``).
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import statistics
import sys
import time
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from modgraph import queries as q  # noqa: E402
from modgraph.errors import InputError  # noqa: E402
from modgraph.inferred import load_for_queries  # noqa: E402
from modgraph.limits import run_bounded  # noqa: E402
from modgraph.paths import CatalogueRoot  # noqa: E402


def load_store(synth_folders: list[Path]) -> tuple[ox.Store, object]:
    """A pyoxigraph store with the catalogue as queries see it plus the synthetic N-Triples files."""
    catalogue = load_for_queries(CatalogueRoot(ROOT), notify=lambda line: print(line, file=sys.stderr))
    store = ox.Store()
    store.bulk_load(catalogue.graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    for folder in synth_folders:
        for path in sorted(folder.rglob("*.nt")):
            store.bulk_load(path=str(path), format=ox.RdfFormat.N_TRIPLES)
    return store, catalogue.graph


def written_in(text: str, bindings: dict) -> str:
    """The query with each parameter variable replaced by its term (longest names first)."""
    for variable, term in sorted(bindings.items(), key=lambda kv: -len(kv[0])):
        text = re.sub(r"\?" + re.escape(variable) + r"\b", lambda _: term.n3(), text)
    return text


def _term_text(term) -> str | None:
    return None if term is None else str(term)


def _run_once(store: ox.Store, text: str) -> tuple[float, list]:
    start = time.perf_counter()
    result = store.query(text)
    if isinstance(result, bool):
        rows = [[str(result).lower()]]
    elif isinstance(result, ox.QuerySolutions):
        names = [v.value for v in result.variables]
        rows = [[_term_text(solution[n]) for n in names] for solution in result]
    else:
        rows = [[str(t) for t in triple] for triple in result]
    return time.perf_counter() - start, rows


def _timed_runs(store: ox.Store, text: str, repeat: int) -> tuple[list[float], list]:
    """One untimed run, then ``repeat`` timed runs, all in this (forked) process.

    The first run in a forked worker pays for copying the memory pages pyoxigraph writes to
    (reference counts in the shared store): 15-20x the query's own time at 10^6 triples.
    """
    _, rows = _run_once(store, text)
    times = [_run_once(store, text)[0] for _ in range(repeat)]
    return times, rows


def time_query(store, query: q.NamedQuery, graph, repeat: int, timeout: float) -> dict:
    """Median seconds and rows of one query; ``timeout`` marks a run stopped by the limit."""
    try:
        bindings = q.bind(query, query.example_params, graph)
    except InputError as error:
        return {"error": str(error)}
    text = written_in(query.text, bindings)
    try:
        times, rows = run_bounded(_timed_runs, store, text, repeat, timeout=timeout * (repeat + 1),
                                  what=query.name)
    except InputError:
        return {"timeout": timeout}
    return {"median": statistics.median(times), "rows": sorted(rows, key=lambda r: [str(c) for c in r])}


SEPARATORS = (" | ", "; ", " / ", ", ")


def _comparable(rows: list) -> list:
    """Rows with the parts of GROUP_CONCAT-like cells sorted (engines concatenate in any order)."""
    out = []
    for row in rows:
        cells = []
        for cell in row:
            if cell and cell.startswith('"'):
                lexical, _, rest = cell[1:].rpartition('"')
                for separator in SEPARATORS:
                    if separator in lexical:
                        lexical = separator.join(sorted(lexical.split(separator)))
                cell = f'"{lexical}"{rest}'
            cells.append(cell)
        out.append(cells)
    return sorted(out, key=lambda r: [str(c) for c in r])


def compare(first: Path, second: Path) -> int:
    """Print the queries whose rows differ between two ``--rows`` files; 1 if any differ."""
    a, b = json.loads(first.read_text()), json.loads(second.read_text())
    differ = 0
    for name in sorted(set(a) & set(b)):
        left, right = _comparable(a[name]), _comparable(b[name])
        if left != right:
            differ = 1
            print(f"{name}: {len(left)} rows against {len(right)}")
            for row in [r for r in left if r not in right][:3]:
                print("  only in first: ", row)
            for row in [r for r in right if r not in left][:3]:
                print("  only in second:", row)
    print("same rows" if not differ else "rows differ")
    return differ


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--synth", action="append", default=[], type=Path, help="a modgraph synth folder")
    parser.add_argument("--queries", type=Path, default=ROOT / "queries", help="the query folder to time")
    parser.add_argument("--only", nargs="*", help="only these queries (names as in modgraph query --list)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per run (default 120)")
    parser.add_argument("--rows", type=Path, help="write every query's rows to this JSON file")
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("A", "B"), help="compare two --rows files")
    args = parser.parse_args(argv)
    if args.compare:
        return compare(*args.compare)

    start = time.perf_counter()
    store, graph = load_store(args.synth)
    loaded = time.perf_counter() - start
    found = q.discover(args.queries)
    names = [n for n in sorted(found) if not args.only or n in args.only]
    print(f"{len(store):,} triples (catalogue + {', '.join(map(str, args.synth)) or 'no synth'}), "
          f"loaded in {loaded:.1f} s; pyoxigraph {ox.__version__}, Python {platform.python_version()}, "
          f"{platform.machine()}; medians of {args.repeat}, limit {args.timeout:g} s per run\n")
    print("| query | median ms | rows |\n| --- | ---: | ---: |", flush=True)
    all_rows = {}
    for name in names:
        result = time_query(store, found[name], graph, args.repeat, args.timeout)
        if "error" in result:
            print(f"| {name} | error: {result['error']} | |", flush=True)
        elif "timeout" in result:
            print(f"| {name} | > {result['timeout'] * 1000:,.0f} (stopped) | |", flush=True)
        else:
            all_rows[name] = result["rows"]
            print(f"| {name} | {result['median'] * 1000:,.1f} | {len(result['rows']):,} |", flush=True)
    if args.rows:
        args.rows.write_text(json.dumps(all_rows, ensure_ascii=False, indent=0))
    return 0


if __name__ == "__main__":
    sys.exit(main())
