"""Ticket submission with one 2 MB photo under gunicorn, against a trivial route as the in-run baseline.

A few clients loop GET damage form -> POST with a 2 MB JPEG (check, re-encode without EXIF, thumbnail, one
transaction with the outbox mail) for --seconds; then the same clients hit /api/ping. Ratios: submissions per
second over pings per second, and the submission's median latency over the ping's.

    .venv/bin/python bench/submit_photo.py [--db sqlite|postgresql] [--clients 4] [--seconds 20] [--photo-kb 2048]
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path[0] = str(Path(__file__).resolve().parent.parent)   # not bench/: a bench script could shadow the stdlib

import argparse
import contextlib
import tempfile
import threading
import time

from bench._harness import (app_env, bench, create_schema, get, gunicorn, make_photo, percentile,  # noqa: E402
                            postgres_cluster, submit_damage)


def hammer(action, clients: int, seconds: float) -> tuple[int, int, list[float], float]:
    """Run `action()` from `clients` threads for `seconds`: (ok, failed, latencies, elapsed)."""
    lock, latencies, failed = threading.Lock(), [], [0]
    deadline = time.monotonic() + seconds

    def loop():
        while time.monotonic() < deadline:
            started = time.monotonic()
            ok = action()
            with lock:
                if ok:
                    latencies.append(time.monotonic() - started)
                else:
                    failed[0] += 1

    threads = [threading.Thread(target=loop) for _ in range(clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return len(latencies), failed[0], latencies, time.monotonic() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--photo-kb", type=int, default=2048)
    args = parser.parse_args()
    photo = make_photo(args.photo_kb)
    folder = Path(tempfile.mkdtemp(prefix="bench-submit-"))
    with contextlib.ExitStack() as stack:
        uri = stack.enter_context(postgres_cluster()) if args.db == "postgresql" else f"sqlite:///{folder}/s.db"
        env = app_env(uri, folder, RATELIMIT_ENABLED=False)
        create_schema(env)
        port = stack.enter_context(gunicorn(env, workers=2, log=folder / "gunicorn.log"))
        submit_damage(port, "se", "sv", "warm@example.test", photo)           # warm both code paths
        get(port, "/api/ping")
        ok, failed, lat, elapsed = hammer(
            lambda: submit_damage(port, "se", "sv", "kund@example.test", photo)[0] is not None,
            args.clients, args.seconds)
        p_ok, p_failed, p_lat, p_elapsed = hammer(lambda: get(port, "/api/ping")[0] == 200, args.clients,
                                                  min(args.seconds, 10))
    prefix = f"submit_photo.{args.db}"
    bench(f"{prefix}.rps", ok / elapsed, "submissions/s", baseline=p_ok / p_elapsed,
          photo_mb=round(len(photo) / 2**20, 2), clients=args.clients)
    bench(f"{prefix}.p50", percentile(lat, 50) * 1000, "ms", baseline=percentile(p_lat, 50) * 1000)
    bench(f"{prefix}.p95", percentile(lat, 95) * 1000, "ms", baseline=percentile(p_lat, 95) * 1000)
    bench(f"{prefix}.failed", failed + p_failed, "requests")
    return 0 if not (failed or p_failed) and ok else 1


if __name__ == "__main__":
    sys.exit(main())
