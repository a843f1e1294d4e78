#!/usr/bin/env python3
"""SHACL at scale: `modgraph validate` with each SHACL engine on the catalogue and on synth outputs.

    .venv/bin/python benchmarks/shacl_scale.py [--data DIR ...] [--engines pyshacl,rudof,jena] [--timeout S]

Each row is one whole process, ``modgraph [--include DIR] validate --no-reason --shacl-engine E``:
loading the catalogue, reading the included files, both shape runs (asserted; asserted + inferred)
and the report. The reasoner is left out (it checks the catalogue only, the same for every engine).
Wall time, CPU time (user + system, children included: the JVMs), peak RSS of the largest process
(``wait4``), the verdict and the counts of the report's last line. A run over ``--timeout`` is
killed and shown as such. Not part of the test run; figures go to docs/shapes.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MODGRAPH = REPO / ".venv" / "bin" / "modgraph"
STATUS = re.compile(r"^(conforms|does not conform): ([\d,]+) violation\(s\), ([\d,]+) warning\(s\); (.*)$", re.M)
TRIPLES = re.compile(r"([\d,]+) triples")


def measure(command: list[str], timeout: float) -> dict:
    """Run ``command``; wall and CPU seconds, peak RSS (MB), exit code and its output's last line."""
    with tempfile.TemporaryFile() as out:
        start = time.monotonic()
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                os.killpg(process.pid, signal.SIGKILL)
                pid, status, usage = os.wait4(process.pid, 0)
                return {"wall": time.monotonic() - start, "timeout": True, "cpu": usage.ru_utime + usage.ru_stime,
                        "rss": usage.ru_maxrss / 1024, "code": None, "text": ""}
            time.sleep(0.2)
        wall = time.monotonic() - start
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    return {"wall": wall, "timeout": False, "cpu": usage.ru_utime + usage.ru_stime, "rss": usage.ru_maxrss / 1024,
            "code": os.waitstatus_to_exitcode(status), "text": text}


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory = next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal"))
    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[:1]
    return (f"{cpu}, {os.cpu_count()} cores, {int(memory) / 2**20:.0f} GiB, Python {platform.python_version()}, "
            f"{' '.join(java)}, load average {os.getloadavg()[0]:.1f} at start")


def versions() -> str:
    from importlib.metadata import version

    return ", ".join(f"{name} {version(name)}" for name in ("pyshacl", "pyrudof", "rdflib", "pyoxigraph"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", action="append", default=[], metavar="DIR",
                        help="a synth output to include (repeat for each size); the catalogue alone always runs")
    parser.add_argument("--engines", default="pyshacl,rudof,jena")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds before a run is killed (default 600)")
    parser.add_argument("--skip", action="append", default=[], metavar="ENGINE@DIR",
                        help="leave a combination out (e.g. pyshacl@/work/bench-data/synth-1e6)")
    args = parser.parse_args(argv)
    print(f"Machine: {machine()}; {versions()}; Jena SHACL 4.5 (Debian libapache-jena-java)\n")
    print("| data | triples | engine | wall s | CPU s | peak RSS MB | verdict | violations | warnings |")
    print("| --- | ---: | --- | ---: | ---: | ---: | --- | ---: | ---: |")
    for data in [None, *args.data]:
        for engine in args.engines.split(","):
            name = "catalogue" if data is None else f"catalogue + {Path(data).name}"
            if f"{engine}@{data}" in args.skip:
                print(f"| {name} | | {engine} | | | | not run | | |", flush=True)
                continue
            command = [str(MODGRAPH), *(["--include", data] if data else []), "validate", "--no-reason",
                       "--shacl-engine", engine]
            result = measure(command, args.timeout)
            status = STATUS.search(result["text"])
            triples = TRIPLES.search(status.group(4)).group(1) if status else ""
            if result["timeout"]:
                verdict = f"killed after {args.timeout:.0f} s"
            elif status:
                verdict = status.group(1)
            else:
                verdict = f"failed (exit {result['code']}): {result['text'].strip().splitlines()[-1:]}"
            print(f"| {name} | {triples} | {engine} | {result['wall']:.1f} | {result['cpu']:.1f} | {result['rss']:.0f} "
                  f"| {verdict} | {status.group(2) if status else ''} | {status.group(3) if status else ''} |", flush=True)
    print(f"\nLoad average {os.getloadavg()[0]:.1f} at the end.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
