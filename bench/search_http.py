#!/usr/bin/env python3
"""Throughput of GET /api/faq/search against the trivial GET /api/ping of the same app, under gunicorn.

Run from the project root: .venv/bin/python bench/search_http.py [--seconds 3] [--rounds 3] [--clients 8]
Starts gunicorn (2 workers, --preload, loopback, a temporary SQLite database), warms both routes, then drives each
route in turns with keep-alive client threads and prints requests/second for both and their ratio (target: >= 0.5).
"""
import argparse
import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._harness import (app_env, bench, create_schema, gunicorn, interleaved,  # noqa: E402
                            workers_cpu_seconds)

QUERIES = [("sv", "avbeställa order"), ("sv", "transportskada"), ("sv", "losenord"), ("nb", "sporingsnummer"),
           ("nb", "faktura kopi"), ("en", "return a product"), ("en", "chemical tax"), ("sv", "leveranstid")]


WRK_SCRIPT = """
local paths = {%s}
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n %% #paths) + 1])
end
"""


def rate(port: int, paths: list[str], seconds: float, clients: int) -> float:
    """Requests per second over `paths` in turn: wrk (Debian package `wrk`) when installed, else `drive`."""
    if not shutil.which("wrk"):
        return drive(port, paths, seconds, clients)
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(WRK_SCRIPT % ", ".join(json.dumps(p) for p in paths))
        script.flush()
        out = subprocess.run(["wrk", "-t2", f"-c{clients}", f"-d{max(1, round(seconds))}s", "-s", script.name,
                              f"http://127.0.0.1:{port}/"], capture_output=True, text=True, check=True).stdout
    if "Non-2xx" in out:
        sys.exit(f"{paths[0]}: non-2xx answers\n{out}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def drive(port: int, paths: list[str], seconds: float, clients: int) -> float:
    """Requests per second with `clients` keep-alive Python connections cycling through `paths` (they share the
    machine's cores with the server, so wrk is the better client)."""
    counts, errors, stop = [0] * clients, [], time.monotonic() + seconds

    def client(n: int) -> None:
        conn, i = http.client.HTTPConnection("127.0.0.1", port), n
        while time.monotonic() < stop:
            conn.request("GET", paths[i % len(paths)])
            resp = conn.getresponse()
            resp.read()
            if resp.status != 200:
                errors.append(f"HTTP {resp.status} for {paths[i % len(paths)]}")
                break
            counts[n] += 1
            i += 1
        conn.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        sys.exit(errors[0])
    return sum(counts) / (time.monotonic() - start)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=3.0, help="per route and round")
    ap.add_argument("--rounds", type=int, default=3, help="the routes are measured in turns; the median counts")
    ap.add_argument("--clients", type=int, default=8, help="connections (wrk -c)")
    args = ap.parse_args()
    search = [f"/api/faq/search?{urlencode({'q': q, 'lang': lang, 'limit': 5})}" for lang, q in QUERIES]
    with tempfile.TemporaryDirectory() as tmp:
        # rate limiting is not what this measures: every request comes from one loopback client
        env = app_env("sqlite:///" + os.path.join(tmp, "bench.db"), tmp, RATELIMIT_ENABLED="false")
        create_schema(env)
        with gunicorn(env, workers=2) as port:
            drive(port, ["/api/ping", *search], 1.0, args.clients)          # warm-up: both workers build indexes
            cpu: dict[str, list[float]] = {"/api/ping": [], search[0]: []}

            def measure(paths: list[str]) -> float:
                used = workers_cpu_seconds(port)
                rps = rate(port, paths, args.seconds, args.clients)
                cpu[paths[0]].append((workers_cpu_seconds(port) - used) * 1000 / (rps * args.seconds))
                return rps
            got = interleaved(measure, {"trivial": ["/api/ping"], "search": search}, args.rounds)
            trivial, searched = got["trivial"], got["search"]
            cpu_ms = {path: sorted(v)[len(v) // 2] for path, v in cpu.items()}
    print(f"trivial /api/ping:      {trivial:8.1f} req/s")
    print(f"search /api/faq/search: {searched:8.1f} req/s")
    print(f"ratio search/trivial:   {searched / trivial:8.2f}  (target >= 0.50)")
    bench("search_http.rps", searched, "req/s", baseline=trivial, target_ratio=0.5,
          client="wrk" if shutil.which("wrk") else "python", connections=args.clients)
    # the workers' CPU per request (from /proc): steadier than req/s when other processes load the machine
    bench("search_http.cpu_ms", cpu_ms[search[0]], "ms CPU/request", baseline=cpu_ms["/api/ping"])


if __name__ == "__main__":
    main()
