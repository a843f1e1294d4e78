#!/usr/bin/env python3
"""Time modgraph's commands as whole processes on the real catalogue (not part of the test run).

    .venv/bin/python benchmarks/run.py [--repeat 5] [--out benchmarks/results.md]

Each command runs --repeat times; the table gives median and min wall time and peak RSS of the
child process (from os.wait4), with the machine it ran on.
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
}


def timed(argv: list[str]) -> tuple[float, int, int]:
    """Wall seconds, peak RSS in MiB and exit status of one run."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    _, status, usage = os.wait4(process.pid, 0)
    return time.perf_counter() - start, usage.ru_maxrss // 1024, os.waitstatus_to_exitcode(status)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results.md"))
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
        runs = [timed(MODGRAPH + [a.format(tmp=tmp) for a in argv]) for _ in range(args.repeat)]
        seconds = [r[0] for r in runs]
        lines.append(f"| {label} | {statistics.median(seconds):.2f} | {min(seconds):.2f} | "
                     f"{max(r[1] for r in runs)} | {runs[-1][2]} |")
        print(lines[-1], flush=True)
    Path(args.out).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"written: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
