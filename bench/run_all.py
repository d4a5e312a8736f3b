"""Run every benchmark in bench/ and print one table of their figures.

    .venv/bin/python bench/run_all.py [--only NAME ...] [--skip NAME ...] [--timeout SECONDS]

Each bench/<name>.py (files starting with "_" are helpers) runs as `python -m bench.<name>` from the checkout, one
after the other (the machine is small; parallel runs would measure each other). A script reports figures as
lines on standard output, either
    BENCH {"name": "search.rps", "value": 812.5, "unit": "req/s", "baseline": 2110.0, "ratio": 0.385}
or  BENCH name=search.rps value=812.5 unit=req/s baseline=2110 ratio=0.385
`baseline` is a figure measured in the same run (e.g. a trivial route), so `ratio` survives a noisy machine.
`target` is the issue's bar (`target_ratio` for a ratio); `load` is the machine's 1-minute load average when the
script finished (2 cores: above 2, other processes took part of the machine).
Anything else a script prints is passed through; a non-zero exit marks the script as failed.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path[0] = str(Path(__file__).resolve().parent.parent)   # the checkout, so `bench.<name>` imports

import argparse
import json
import os
import subprocess
import time

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
COLUMNS = ("script", "name", "value", "unit", "baseline", "ratio", "target", "load")


def scripts(only: list[str], skip: list[str]) -> list[str]:
    """The bench scripts to run, by name, in alphabetical order."""
    names = sorted(p.stem for p in BENCH_DIR.glob("*.py") if not p.stem.startswith("_") and p.stem != "run_all")
    return [n for n in names if (not only or n in only) and n not in skip]


def parse_line(line: str) -> dict | None:
    """One BENCH line as a dict (JSON or key=value form); None for any other line."""
    if not line.startswith("BENCH "):
        return None
    rest = line[len("BENCH "):].strip()
    if rest.startswith("{"):
        try:
            return json.loads(rest)
        except json.JSONDecodeError:
            return None
    fields = dict(part.split("=", 1) for part in rest.split() if "=" in part)
    return fields if "name" in fields else None


def run_script(name: str, timeout: float) -> tuple[list[dict], str]:
    """Run one script, echoing its output; return its figures and a status ("ok", "exit N", "timeout")."""
    print(f"== {name}", flush=True)
    figures, started = [], time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", f"bench.{name}"], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, bufsize=1)
    try:
        for line in proc.stdout:
            print("   " + line, end="", flush=True)
            figure = parse_line(line)
            if figure is not None:
                figures.append(figure)
            if time.monotonic() - started > timeout:
                proc.kill()
                return figures, "timeout"
        proc.wait(timeout=max(1, timeout - (time.monotonic() - started)))
    except subprocess.TimeoutExpired:
        proc.kill()
        return figures, "timeout"
    status = "ok" if proc.returncode == 0 else f"exit {proc.returncode}"
    load = os.getloadavg()
    print(f"== {name}: {status} in {time.monotonic() - started:.0f} s; load average {load[0]:.2f} {load[1]:.2f} "
          f"{load[2]:.2f}", flush=True)
    for figure in figures:
        figure.setdefault("load", round(load[0], 2))
        if "target_ratio" in figure:
            figure.setdefault("target", f"ratio >= {figure['target_ratio']}")
    return figures, status


def _cell(value) -> str:
    if isinstance(value, float):
        return f"{value:,.3f}".rstrip("0").rstrip(".") if abs(value) < 1000 else f"{value:,.0f}"
    return "" if value is None else str(value)


def table(rows: list[dict]) -> str:
    """A plain-text table (also valid Markdown) of the figures."""
    cells = [[_cell(row.get(c)) for c in COLUMNS] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(COLUMNS)]
    line = lambda values: "| " + " | ".join(v.ljust(w) for v, w in zip(values, widths)) + " |"  # noqa: E731
    return "\n".join([line(COLUMNS), line(["-" * w for w in widths]), *map(line, cells)])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", default=[], help="run only these scripts (names without .py)")
    parser.add_argument("--skip", nargs="*", default=[], help="leave these scripts out")
    parser.add_argument("--timeout", type=float, default=1200, help="seconds per script")
    args = parser.parse_args()
    rows, statuses = [], {}
    for name in scripts(args.only, args.skip):
        figures, statuses[name] = run_script(name, args.timeout)
        rows += [{"script": name, **f} for f in figures]
    print("\n" + table(rows))
    failed = {n: s for n, s in statuses.items() if s != "ok"}
    for name, status in failed.items():
        print(f"FAILED: {name} ({status})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
