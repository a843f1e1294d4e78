#!/usr/bin/env python3
"""Load test of `modgraph serve` on 127.0.0.1 (issue 18; not a test).

    .venv/bin/python benchmarks/serve_load.py [--clients 20] [--seconds 30] [--store DIR]
                                              [--out benchmarks/serve.md]

Starts `modgraph serve` (default limits: 10 s per query) on a free port, then ``--clients``
threads, each with its own HTTP connection, send requests for ``--seconds`` without pause, in a
fixed random order (seed 18) over a mix: every named query with its example values (`/api/NAME`,
SPARQL JSON), every module page (`/id/module/...`, HTML) and the same pages as Turtle, and a few
`/sparql` queries. Meanwhile one more client sends a runaway query (a cross product with a filter
over every pair of triples) every 12 s, which must end in 503 at the time limit while the others keep
answering. Run twice: with the server's answer cache (default) and without (`--cache-mb 0`). The
tables give requests, errors (any status but 200), throughput and latency percentiles per kind,
and the latencies of the mix while a runaway query ran.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from modgraph import queries as q  # noqa: E402
from modgraph.serve.backend import free_port  # noqa: E402

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . FILTER (STR(?a) < STR(?d)) }"
SPARQL = [
    "PREFIX mg: <https://w3id.org/modgraph/def#> SELECT (COUNT(?m) AS ?n) WHERE { ?m a mg:Module }",
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> PREFIX mg: <https://w3id.org/modgraph/def#> "
    "SELECT ?m ?title WHERE { ?m a mg:Module ; skos:prefLabel ?title FILTER (lang(?title) = 'nl') } ORDER BY ?title",
    "DESCRIBE <https://w3id.org/modgraph/id/module/amw/intake>",
]


def start_server(port: int, store: str | None, log: Path, cache_mb: int) -> subprocess.Popen:
    command = [str(Path(sys.executable).parent / "modgraph"), "--root", str(REPO), "serve", "--port", str(port),
               "--cache-mb", str(cache_mb)]
    if store:
        command += ["--store", store]
    process = subprocess.Popen(command, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/sparql", params={"query": "ASK {}"}).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit(f"modgraph serve did not start; see {log}")


def request_mix(base: str) -> list[tuple[str, str, dict]]:
    """(kind, url, headers) for each request of the mix."""
    mix = []
    for name, query in sorted(q.discover(REPO / "queries").items()):
        params = urllib.parse.urlencode(query.example_params)
        mix.append(("named query", f"{base}/api/{name}?{params}", {"Accept": "application/sparql-results+json"}))
    modules = sorted(p.relative_to(REPO / "data" / "modules").with_suffix("").as_posix()
                     for p in (REPO / "data" / "modules").glob("*/*.ttl"))
    for slug in modules:
        mix.append(("module page (HTML)", f"{base}/id/module/{slug}", {"Accept": "text/html"}))
        mix.append(("module (Turtle)", f"{base}/id/module/{slug}", {"Accept": "text/turtle"}))
    for text in SPARQL:
        mix.append(("/sparql", f"{base}/sparql?{urllib.parse.urlencode({'query': text})}", {}))
    return mix


def client(mix, seed: int, until: float, out: list) -> None:
    order = random.Random(seed)
    with httpx.Client(timeout=60) as http:
        while time.monotonic() < until:
            kind, url, headers = order.choice(mix)
            started = time.monotonic()
            try:
                status = http.get(url, headers=headers).status_code
            except httpx.HTTPError as exc:
                status = type(exc).__name__
            out.append((kind, started, time.monotonic() - started, status))


def runaways(base: str, until: float, out: list) -> None:
    with httpx.Client(timeout=60) as http:
        while time.monotonic() < until - 10:
            started = time.monotonic()
            status = http.get(f"{base}/sparql", params={"query": RUNAWAY}).status_code
            out.append((started, time.monotonic(), status))
            time.sleep(max(0.0, 12 - (time.monotonic() - started)))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def render_header(args) -> list[str]:
    return ["# `modgraph serve` under load (issue 18)", "",
            f"Machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
            f"{args.clients} clients without pause for {args.seconds:g} s on 127.0.0.1 (the clients run on the same 2 "
            f"cores), plus one runaway query every 12 s; generated by `benchmarks/serve_load.py` on "
            f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}. Latency is the whole request as the client sees "
            "it (ms). Errors: any status but 200.", ""]


def render(title: str, done: list, runaway: list, seconds: float) -> list[str]:
    lines = [f"## {title}", "", "| kind | requests | errors | p50 ms | p90 ms | p99 ms | max ms |",
             "|---|---|---|---|---|---|---|"]
    kinds = sorted({d[0] for d in done}) + ["all"]
    for kind in kinds:
        rows = [d for d in done if kind == "all" or d[0] == kind]
        times = [d[2] * 1000 for d in rows]
        errors = sum(1 for d in rows if d[3] != 200)
        lines.append(f"| {kind} | {len(rows):,} | {errors} | {percentile(times, .5):.1f} | {percentile(times, .9):.1f} "
                     f"| {percentile(times, .99):.1f} | {max(times):.1f} |")
    lines += ["", f"Throughput: {len(done) / seconds:.0f} requests/s.", "",
              "Runaway queries (a filtered cross product of the catalogue; time limit 10 s):", ""]
    for started, ended, status in runaway:
        lines.append(f"- status {status} after {ended - started:.1f} s")
    during = [d[2] * 1000 for d in done if any(s <= d[1] <= e for s, e, _ in runaway)]
    if during:
        lines.append(f"- requests of the mix answered while one ran: {len(during):,}, p50 "
                     f"{statistics.median(during):.1f} ms, p99 {percentile(during, .99):.1f} ms")
    return lines + [""]


def run(args, cache_mb: int) -> tuple[list, list, float]:
    """One load run against a fresh server; (requests done, runaway queries, seconds)."""
    port = free_port()
    log = Path(os.environ.get("TMPDIR", "/tmp")) / f"serve-load-{port}.log"
    server = start_server(port, args.store, log, cache_mb)
    base = f"http://127.0.0.1:{port}"
    try:
        mix = request_mix(base)
        done: list = []
        runaway: list = []
        started = time.monotonic()
        until = started + args.seconds
        threads = [threading.Thread(target=client, args=(mix, 18 + i, until, done)) for i in range(args.clients)]
        threads.append(threading.Thread(target=runaways, args=(base, until, runaway)))
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return done, runaway, time.monotonic() - started
    finally:
        server.terminate()
        server.wait(30)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--store", help="serve this on-disk store (e.g. a synth catalogue loaded with --include)")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "serve.md")
    args = parser.parse_args()
    lines = render_header(args)
    lines += render("With the answer cache (default, 64 MB): mostly repeated requests", *run(args, 64))
    lines += render("Without it (`--cache-mb 0`): every request evaluated", *run(args, 0))
    report = "\n".join(lines)
    args.out.write_text(report, encoding="utf-8")
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
