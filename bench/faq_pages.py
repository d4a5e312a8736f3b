#!/usr/bin/env python3
"""Throughput of the FAQ category and entry pages against a bare route and a plain Jinja page of the same size
(one as large as the category page, one as large as the entry page), all served by one gunicorn (2 sync workers,
--preload, loopback): bench/_plain_pages.py mounts the baselines beside the app.

Run from the project root: .venv/bin/python bench/faq_pages.py [--seconds 3] [--rounds 3] [--connections 8]
Uses wrk (Debian package `wrk`) when installed, else keep-alive Python client threads (which then share the two
cores with the server and flatter the slow routes less than wrk does).
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._harness import (app_env, bench, create_schema, get, gunicorn, interleaved,  # noqa: E402
                            workers_cpu_seconds)
from bench.search_http import drive  # noqa: E402


def rate(port: int, path: str, seconds: float, connections: int) -> float:
    if shutil.which("wrk"):
        out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds:.0f}s", f"http://127.0.0.1:{port}{path}"],
                             capture_output=True, text=True, check=True).stdout
        if "Non-2xx" in out:
            sys.exit(f"{path}: non-2xx answers\n{out}")
        return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    return drive(port, [path], seconds, connections)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=3.0, help="per path and round")
    ap.add_argument("--rounds", type=int, default=3, help="the paths are measured in turns; the median counts")
    ap.add_argument("--connections", type=int, default=8)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = app_env("sqlite:///" + os.path.join(tmp, "bench.db"), tmp, RATELIMIT_ENABLED="false")
        create_schema(env)
        with gunicorn(env, workers=2, app="bench._plain_pages:app") as port:
            measured = json.loads(get(port, "/plain/paths")[2])
            paths = {"bare": "/plain/ping", "jinja": "/plain/page", "category": measured["category"],
                     "jinja_entry": "/plain/entry", "entry": measured["entry"]}
            sizes = {name: len(get(port, path)[2]) for name, path in paths.items()}
            for path in paths.values():                     # warm-up: both workers build what they cache
                rate(port, path, 1, args.connections)
            cpu: dict[str, list[float]] = {path: [] for path in paths.values()}

            def measure(path: str) -> float:
                used = workers_cpu_seconds(port)
                rps = rate(port, path, args.seconds, args.connections)
                cpu[path].append((workers_cpu_seconds(port) - used) * 1000 / (rps * args.seconds))
                return rps
            got = interleaved(measure, paths, args.rounds)
            cpu_ms = {name: sorted(cpu[path])[len(cpu[path]) // 2] for name, path in paths.items()}
    for name, value in got.items():
        print(f"{name:12s} {paths[name]:40s} {sizes[name]:7,d} bytes {value:8.1f} req/s {cpu_ms[name]:6.2f} ms CPU")
    bench("faq_pages.bare_route.rps", got["bare"], "req/s")
    bench("faq_pages.plain_jinja.rps", got["jinja"], "req/s", baseline=got["bare"], bytes=sizes["jinja"])
    bench("faq_pages.plain_jinja_entry_size.rps", got["jinja_entry"], "req/s", baseline=got["bare"],
          bytes=sizes["jinja_entry"])
    for page, plain in (("category", "jinja"), ("entry", "jinja_entry")):
        bench(f"faq_pages.{page}.rps", got[page], "req/s", baseline=got[plain], target_ratio=0.5,
              bytes=sizes[page], vs="plain Jinja page of the same size")
        bench(f"faq_pages.{page}.vs_bare", got[page], "req/s", baseline=got["bare"], vs="bare route")
        # the workers' CPU per request (from /proc): steadier than req/s when other processes load the machine
        bench(f"faq_pages.{page}.cpu_ms", cpu_ms[page], "ms CPU/request", baseline=cpu_ms[plain],
              vs="plain Jinja page of the same size")


if __name__ == "__main__":
    main()
