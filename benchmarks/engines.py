#!/usr/bin/env python3
"""Benchmark the engine layer: load and every named and qc query, per backend and scale (not a test).

    .venv/bin/python benchmarks/engines.py [--scales catalogue,1e5,1e6] [--data DIR] [--repeat 5]
                                           [--out benchmarks/engines.md]

Scales: ``catalogue`` (the real catalogue alone) and ``1eN`` (the catalogue plus a ``modgraph synth``
output of about 10^N triples, generated into ``--data`` when missing, seed 1). Backends: ``oxigraph``
in memory, ``store`` (the on-disk store of ``modgraph load --store``), ``rdflib`` (the catalogue
alone: at 10^5 it needs 5 to 90 s per query). Each scale and backend runs in a child process of its
own, so its peak RSS is its own.

For every query the table gives the median of ``--repeat`` runs through :meth:`Engine.run`
(parameters bound, the answer converted to rdflib terms, in a forked worker with the default
time limit) and of the same bound text run directly on pyoxigraph (``Store.query``, every value
read): their ratio is modgraph's own overhead. A whole-process ``modgraph query NAME`` is timed on
the catalogue.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROVIDERS = {"1e5": 49, "1e6": 490, "1e7": 4900}  # about 2,040 triples per provider (benchmarks/results.md)
QUERY_TIMEOUT = 120.0


def _examples(query) -> dict[str, str]:
    return {str(k): str(v) for item in query.header.get("defaults", []) or [] for k, v in item.items()}


def _median_ms(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def worker(scale: str, backend: str, data: Path, repeat: int, store_dir: Path) -> dict:
    """In the child: open the engine, time every query; the measurements as a dict."""
    from modgraph import queries as q
    from modgraph.engines import open_engine
    from modgraph.engines.binding import bind_values
    from modgraph.namespaces import PREFIXES
    from modgraph.paths import find_root

    root = find_root(str(ROOT))
    include = [] if scale == "catalogue" else [data / f"synth-{scale}"]
    reused = backend == "store" and (store_dir / f"store-{scale}" / "modgraph-store.json").exists()
    start = time.perf_counter()
    if backend == "store":
        engine = open_engine(root, store=store_dir / f"store-{scale}", include=include)
    else:
        engine = open_engine(root, engine="oxigraph" if backend == "oxigraph" else "rdflib", include=include)
    load_s = time.perf_counter() - start
    triples = engine.triple_count()
    out = {"scale": scale, "backend": backend, "load_s": load_s, "reused": reused, "triples": triples, "queries": {}}
    store = getattr(engine, "store", None)
    for name, query in sorted(q.discover(root.queries).items()):
        try:
            bindings = q.bind(query, _examples(query), engine)
            ms, rows = _median_ms(lambda: engine.run(query.text, bindings, source=name, timeout=QUERY_TIMEOUT),
                                  repeat)
            entry = {"ms": ms, "rows": len(rows.rows) if rows.boolean is None else 1}
            if store is not None:
                text = bind_values(query.text, bindings)

                def raw():
                    result = store.query(text, prefixes=PREFIXES)
                    if hasattr(result, "variables"):
                        names = [v.value for v in result.variables]
                        return [[solution[n] for n in names] for solution in result]
                    return list(result) if not isinstance(result, bool) else result

                entry["raw_ms"], _ = _median_ms(raw, repeat)
        except Exception as exc:  # noqa: BLE001 - a timeout or failure is a result to report
            entry = {"error": " ".join(str(exc).split())[:120]}
        out["queries"][name] = entry
    out["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    engine.close()
    return out


def cold_cli(names: list[str], repeat: int) -> dict[str, float]:
    """Median wall seconds of a whole `modgraph query NAME` process, with the example parameters."""
    from modgraph import queries as q

    named = q.discover(ROOT / "queries")
    out = {}
    for name in names:
        params = [arg for k, v in _examples(named[name]).items() for arg in ("-p", f"{k}={v}")]
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "modgraph.cli", "query", name, *params], cwd="/",
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
            times.append(time.perf_counter() - start)
        out[name] = statistics.median(times)
    return out


def ensure_synth(scale: str, data: Path) -> None:
    folder = data / f"synth-{scale}"
    if not folder.exists():
        data.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "modgraph.cli", "synth", "--providers", str(PROVIDERS[scale]),
                        "--seed", "1", "--out", str(folder), "--quiet"], check=True)


def render(results: list[dict], cold: dict[str, float], repeat: int) -> str:
    lines = ["# Engine benchmarks (issue 16)", "",
             f"Machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
             f"medians of {repeat} runs (one at 10^7 and on rdflib); generated by `benchmarks/engines.py` on "
             f"{time.strftime('%Y-%m-%d')}.", "",
             "## Load", "", "Load: parse into memory, or build the on-disk store; *reopen*: open a store built before "
             "(its manifest checked, nothing parsed).", "",
             "| scale | backend | triples | load s | peak RSS MiB (whole child process, queries included) |",
             "|---|---|---|---|---|"]
    for r in results:
        load = f"{r['load_s']:.2f}" + (" (reopen)" if r.get("reused") else "")
        lines.append(f"| {r['scale']} | {r['backend']} | {r['triples']:,} | {load} | {r['peak_rss_mib']:,} |")
    names = sorted({name for r in results for name in r["queries"]})
    for r in results:
        lines += ["", f"## Queries: {r['scale']}, {r['backend']}", "",
                  "| query | rows | modgraph ms | raw pyoxigraph ms | ratio |", "|---|---|---|---|---|"]
        for name in names:
            entry = r["queries"].get(name, {})
            if "error" in entry:
                lines.append(f"| {name} | | {entry['error']} | | |")
                continue
            raw = entry.get("raw_ms")
            ratio = f"{entry['ms'] / raw:.2f}" if raw else ""
            lines.append(f"| {name} | {entry['rows']:,} | {entry['ms']:.1f} | "
                         f"{'' if raw is None else f'{raw:.1f}'} | {ratio} |")
    if cold:
        lines += ["", "## Whole process: `modgraph query NAME` on the catalogue (python start included)", "",
                  "| query | median s |", "|---|---|"]
        lines += [f"| {name} | {seconds:.2f} |" for name, seconds in sorted(cold.items())]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", default="catalogue,1e5,1e6")
    parser.add_argument("--backends", default="oxigraph,store,rdflib")
    parser.add_argument("--data", default=os.environ.get("MODGRAPH_BENCH_DATA", "/tmp/modgraph-bench-data"))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--large-repeat", type=int, default=1, help="runs per query at 10^7 (minutes per pass)")
    parser.add_argument("--cold", default="follow-ups,module-card,overlap,text-search,modules-per-function")
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "engines.md"))
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    data = Path(args.data)
    if args.worker:
        scale, backend = args.worker.split(":")
        print(json.dumps(worker(scale, backend, data, args.repeat, data)))
        return 0
    results = []
    for scale in args.scales.split(","):
        if scale != "catalogue":
            ensure_synth(scale, data)
        for backend in args.backends.split(","):
            if backend == "rdflib" and scale != "catalogue":
                continue  # minutes per query at 10^5 (NOTES.md): measured on the catalogue only
            if backend == "oxigraph" and scale == "1e7":
                continue  # at 10^7 the on-disk store is the way (docs: README, Engines and scale)
            repeat = 1 if backend == "rdflib" else args.large_repeat if scale == "1e7" else args.repeat
            done = subprocess.run([sys.executable, __file__, "--worker", f"{scale}:{backend}", "--data", str(data),
                                   "--repeat", str(repeat)],
                                  capture_output=True, text=True, check=False)
            if done.returncode != 0:
                print(f"{scale}/{backend} failed:\n{done.stderr[-2000:]}", file=sys.stderr)
                continue
            results.append(json.loads(done.stdout.strip().splitlines()[-1]))
            print(f"{scale}/{backend}: done", file=sys.stderr)
    cold = cold_cli([n for n in args.cold.split(",") if n], args.repeat) if args.cold else {}
    Path(args.out).write_text(render(results, cold, args.repeat), encoding="utf-8")
    print(f"written: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
