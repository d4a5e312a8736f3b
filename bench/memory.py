"""Memory per gunicorn worker after a warm-up, against a worker serving a bare Flask app as the baseline.

The warm-up visits every FAQ page in the three languages, runs searches, opens every request form and submits
three damage reports with a photo, so the in-memory search indexes, templates, Pillow and the database driver
are all loaded. Figures are per worker (mean of 2): RSS, PSS (shared pages split between the processes that
share them) and USS (private; what one more worker costs).

    .venv/bin/python bench/memory.py [--db sqlite|postgresql]
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path[0] = str(Path(__file__).resolve().parent.parent)   # not bench/: a bench script could shadow the stdlib

import argparse
import contextlib
import re
import statistics
import tempfile
from concurrent.futures import ThreadPoolExecutor

from bench._harness import (app_env, bench, create_schema, get, gunicorn, make_photo, memory_kb,  # noqa: E402
                            postgres_cluster, submit_damage, worker_pids)

LINK = re.compile(r'href="(/(?:sv|nb|en)/(?:faq|categories)/[^"?#]+)"')
QUERIES = ["order", "leverans", "faktura", "retur", "skadad", "kansellere", "l%C3%B6senord", "frakt", "garanti", "pris"]


def warm_up(port: int, workers: int) -> int:
    """Visit the FAQ, search, open the forms, submit reports; returns the number of requests.

    As many clients as workers, in parallel: a sync worker serves one request at a time, so every worker gets its
    share of every kind of page."""
    pages = set()
    for lang in ("sv", "nb", "en"):
        pages.update(LINK.findall(get(port, f"/{lang}/")[2].decode()))
    paths = sorted(pages) + [f"/{lang}/search?q={q}" for lang in ("sv", "nb", "en") for q in QUERIES]
    paths += [f"/api/faq/search?q={q}&lang=sv" for q in QUERIES]
    paths += [f"/{lang}/contact/{kind}" for lang in ("sv", "nb", "en")
              for kind in ("cancellation", "damage", "stuck-order", "other")]
    photo = make_photo(300)

    def client(n: int) -> None:
        for path in paths[n:] + paths[:n]:
            get(port, path)
        for k in range(3):
            submit_damage(port, "se", "sv", f"warm{n}.{k}@example.test", photo)

    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(client, range(2 * workers)))
    return 2 * workers * (len(paths) + 3)


def per_worker(port: int) -> dict[str, float]:
    """Mean RSS/PSS/USS in MB over the workers of the server on `port`."""
    samples = [memory_kb(pid) for pid in worker_pids(port)]
    print("per worker (MB):", "; ".join(" ".join(f"{k}={v / 1024:.1f}" for k, v in s.items()) for s in samples))
    figures = {k: statistics.mean(s[k] for s in samples) / 1024 for k in ("rss", "pss", "uss")}
    return {**figures, "uss_max": max(s["uss"] for s in samples) / 1024}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--no-preload", dest="preload", action="store_false",
                        help="each worker builds its own app (gunicorn without --preload), for comparison")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-memory-"))
    with contextlib.ExitStack() as stack:
        uri = stack.enter_context(postgres_cluster()) if args.db == "postgresql" else f"sqlite:///{folder}/m.db"
        env = app_env(uri, folder, RATELIMIT_ENABLED=False)
        create_schema(env)
        with gunicorn(env, workers=args.workers, app="bench._trivial:app") as port:
            for _ in range(200):
                get(port, "/api/ping")
            baseline = per_worker(port)
        with gunicorn(env, workers=args.workers, log=folder / "gunicorn.log", preload=args.preload) as port:
            requests = warm_up(port, args.workers)
            measured = per_worker(port)
    baseline["uss_max"] = baseline["uss"]
    for kind in ("rss", "pss", "uss", "uss_max"):
        bench(f"memory.{args.db}.{kind}_per_worker", measured[kind], "MB", baseline=baseline[kind],
              workers=args.workers, preload=args.preload, warm_up_requests=requests,
              **({"target": "<= 60 MB"} if kind.startswith("uss") else {}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
