#!/usr/bin/env python3
"""Time modgraph's commands as whole processes on the real catalogue (not part of the test run).

    .venv/bin/python benchmarks/run.py [--repeat 5] [--out benchmarks/results.md] [--include DIR ...]

Each command runs --repeat times; the table gives median and min wall time and peak RSS of the
child process (from os.wait4), with the machine it ran on. The table replaces the first section of
``--out``; the sections after it (``## ...``, written by hand) are kept. ``--include DIR`` adds a
table of the exports with a synth output included (export scales with the catalogue's size).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MODGRAPH = [sys.executable, "-m", "modgraph.cli"]
COMMANDS = {
    "reason (HermiT, write inferred)": ["reason", "--out", "{tmp}/inferred.ttl"],
    "validate (reasoner + shapes)": ["validate"],
    "validate --no-reason (shapes only)": ["validate", "--no-reason"],
    "query follow-ups (cold start)": ["query", "follow-ups", "-p", "module=amw/voortraject-arbeidstoeleiding"],
    **{f"export --format {fmt}": ["export", "--format", fmt, "--out", f"{{tmp}}/export.{fmt}"]
       for fmt in ("ttl", "nt", "jsonld", "rdfxml", "trig", "csv")},
    **{f"export --profile {name}": ["export", "--profile", name, "--out", f"{{tmp}}/{name}.ttl"]
       for name in ("cpsv-ap", "schema-org", "skos", "dcat")},
}
SCALED = [label for label in COMMANDS if label.startswith("export --format") and not label.endswith("csv")]


def timed(argv: list[str]) -> tuple[float, int, int]:
    """Wall seconds, peak RSS in MiB and exit status of one run."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    _, status, usage = os.wait4(process.pid, 0)
    return time.perf_counter() - start, usage.ru_maxrss // 1024, os.waitstatus_to_exitcode(status)


def _row(label: str, argv: list[str], tmp: Path, repeat: int) -> str:
    runs = [timed(MODGRAPH + [a.format(tmp=tmp) for a in argv]) for _ in range(repeat)]
    seconds = [r[0] for r in runs]
    row = (f"| {label} | {statistics.median(seconds):.2f} | {min(seconds):.2f} | "
           f"{max(r[1] for r in runs)} | {runs[-1][2]} |")
    print(row, flush=True)
    return row


def _hand_written_sections(path: Path) -> str:
    """The part of an earlier results file from its first ``## `` heading on (kept as it is)."""
    if not path.is_file():
        return ""
    text = path.read_text(encoding="utf-8")
    at = text.find("\n## ")
    return text[at + 1:] if at >= 0 else ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results.md"))
    parser.add_argument("--include", action="append", default=[], metavar="DIR",
                        help="also time the exports with this synth output included (repeatable)")
    args = parser.parse_args()
    tmp = Path(os.environ.get("TMPDIR", "/tmp")) / "modgraph-bench"
    tmp.mkdir(exist_ok=True)
    lines = [
        "# modgraph benchmarks",
        "",
        f"Machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}.",
        f"Each command run {args.repeat} times as a whole process (JVM start included for the reasoner).",
        "",
        "| command | median s | min s | peak RSS MiB (Python process; the JVM not counted) | exit |",
        "|---|---|---|---|---|",
    ]
    for label, argv in COMMANDS.items():
        lines.append(_row(label, argv, tmp, args.repeat))
    for folder in args.include:
        lines += ["", f"With `--include {folder}` (one run each):", "",
                  "| command | median s | min s | peak RSS MiB | exit |", "|---|---|---|---|---|"]
        for label in SCALED:
            lines.append(_row(label, ["--include", folder, *COMMANDS[label]], tmp, 1))
    out = Path(args.out)
    kept = _hand_written_sections(out)
    out.write_text("\n".join(lines) + "\n" + ("\n" + kept if kept else ""), encoding="utf-8")
    print(f"written: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
