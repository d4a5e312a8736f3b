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

from bench._harness import (app_env, bench, create_schema, get, gunicorn, make_photo, memory_kb,  # noqa: E402
                            postgres_cluster, submit_damage, worker_pids)

LINK = re.compile(r'href="(/(?:sv|nb|en)/(?:faq|categories)/[^"?#]+)"')
QUERIES = ["order", "leverans", "faktura", "retur", "skadad", "kansellere", "l%C3%B6senord", "frakt", "garanti", "pris"]


def warm_up(port: int) -> int:
    """Visit the FAQ, search, open the forms, submit three reports; returns the number of requests."""
    pages = set()
    for lang in ("sv", "nb", "en"):
        pages.update(LINK.findall(get(port, f"/{lang}/")[2].decode()))
    paths = sorted(pages) + [f"/{lang}/search?q={q}" for lang in ("sv", "nb", "en") for q in QUERIES]
    paths += [f"/api/faq/search?q={q}&lang=sv" for q in QUERIES]
    paths += [f"/{lang}/contact/{kind}" for lang in ("sv", "nb", "en")
              for kind in ("cancellation", "damage", "stuck-order", "other")]
    for _round in range(2):                       # both workers get their share
        for path in paths:
            get(port, path)
    photo = make_photo(300)
    for n in range(3):
        submit_damage(port, "se", "sv", f"warm{n}@example.test", photo)
    return 2 * len(paths) + 3


def per_worker(port: int) -> dict[str, float]:
    """Mean RSS/PSS/USS in MB over the workers of the server on `port`."""
    samples = [memory_kb(pid) for pid in worker_pids(port)]
    return {k: statistics.mean(s[k] for s in samples) / 1024 for k in ("rss", "pss", "uss")}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-memory-"))
    with contextlib.ExitStack() as stack:
        uri = stack.enter_context(postgres_cluster()) if args.db == "postgresql" else f"sqlite:///{folder}/m.db"
        env = app_env(uri, folder, RATELIMIT_ENABLED=False)
        create_schema(env)
        with gunicorn(env, workers=2, app="bench._trivial:app") as port:
            for _ in range(200):
                get(port, "/api/ping")
            baseline = per_worker(port)
        with gunicorn(env, workers=2, log=folder / "gunicorn.log") as port:
            requests = warm_up(port)
            measured = per_worker(port)
    for kind in ("rss", "pss", "uss"):
        bench(f"memory.{args.db}.{kind}_per_worker", measured[kind], "MB", baseline=baseline[kind],
              warm_up_requests=requests)
    return 0


if __name__ == "__main__":
    sys.exit(main())
