#!/usr/bin/env python3
"""Throughput of GET /api/faq/search against the trivial GET /api/ping of the same app, under gunicorn.

Run from the project root: .venv/bin/python bench/search_http.py [--seconds 5] [--clients 4]
Starts gunicorn (2 workers, loopback, a temporary SQLite database), warms both routes, then drives each route
with keep-alive client threads and prints requests/second for both and their ratio (target: >= 0.5).
"""
import argparse
import http.client
import os
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._harness import app_env, bench, create_schema, gunicorn  # noqa: E402

QUERIES = [("sv", "avbeställa order"), ("sv", "transportskada"), ("sv", "losenord"), ("nb", "sporingsnummer"),
           ("nb", "faktura kopi"), ("en", "return a product"), ("en", "chemical tax"), ("sv", "leveranstid")]


def drive(port: int, paths: list[str], seconds: float, clients: int) -> float:
    """Requests per second with `clients` keep-alive connections cycling through `paths`."""
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
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--clients", type=int, default=4)
    args = ap.parse_args()
    search = [f"/api/faq/search?{urlencode({'q': q, 'lang': lang, 'limit': 5})}" for lang, q in QUERIES]
    with tempfile.TemporaryDirectory() as tmp:
        # rate limiting is not what this measures: every request comes from one loopback client
        env = app_env("sqlite:///" + os.path.join(tmp, "bench.db"), tmp, RATELIMIT_ENABLED="false")
        create_schema(env)
        with gunicorn(env, workers=2) as port:
            drive(port, ["/api/ping", *search], 1.0, args.clients)          # warm-up: both workers build indexes
            trivial = drive(port, ["/api/ping"], args.seconds, args.clients)
            searched = drive(port, search, args.seconds, args.clients)
    print(f"trivial /api/ping:      {trivial:8.1f} req/s")
    print(f"search /api/faq/search: {searched:8.1f} req/s")
    print(f"ratio search/trivial:   {searched / trivial:8.2f}  (target >= 0.50)")
    bench("search_http.rps", searched, "req/s", baseline=trivial, target_ratio=0.5)


if __name__ == "__main__":
    main()
