"""Web tickets under gunicorn, without a photo and with one 2 MB photo, against a trivial route as the baseline.

First --clients-plain clients (8) loop GET form -> POST with the CSRF token (a question, no photo) for --seconds;
then --clients (4) loop GET damage form -> POST with a 2 MB JPEG (check, re-encode without EXIF, thumbnail, one
transaction with the outbox mail); then the same clients hit /api/ping. Ratios: submissions per second over pings
per second with as many clients, and the submission's median latency over the ping's.

    .venv/bin/python bench/submit_photo.py [--db sqlite|postgresql] [--clients 4] [--clients-plain 8]
                                           [--seconds 20] [--photo-kb 2048]
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
                            postgres_cluster, submit_damage, submit_question)


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
    parser.add_argument("--clients", type=int, default=4, help="clients posting photos")
    parser.add_argument("--clients-plain", type=int, default=8, help="clients posting requests without a photo")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--photo-kb", type=int, default=2048)
    args = parser.parse_args()
    photo = make_photo(args.photo_kb)
    folder = Path(tempfile.mkdtemp(prefix="bench-submit-"))
    prefix, failures = f"submit_photo.{args.db}", 0
    with contextlib.ExitStack() as stack:
        uri = stack.enter_context(postgres_cluster()) if args.db == "postgresql" else f"sqlite:///{folder}/s.db"
        env = app_env(uri, folder, RATELIMIT_ENABLED=False)
        create_schema(env)
        port = stack.enter_context(gunicorn(env, workers=2, log=folder / "gunicorn.log"))
        submit_damage(port, "se", "sv", "warm@example.test", photo)           # warm both code paths
        submit_question(port, "se", "sv", "warm@example.test")
        get(port, "/api/ping")
        cases = (("no_photo", args.clients_plain, lambda: submit_question(port, "se", "sv", "kund@example.test")),
                 ("photo", args.clients, lambda: submit_damage(port, "se", "sv", "kund@example.test", photo)))
        for case, clients, submit in cases:
            ok, failed, lat, elapsed = hammer(lambda: submit()[0] is not None, clients, args.seconds)
            p_ok, p_failed, p_lat, p_elapsed = hammer(lambda: get(port, "/api/ping")[0] == 200, clients,
                                                      min(args.seconds, 10))
            extra = {"photo_mb": round(len(photo) / 2**20, 2)} if case == "photo" else {}
            bench(f"{prefix}.{case}.rps", ok / elapsed, "submissions/s", baseline=p_ok / p_elapsed, clients=clients,
                  target=">= 40/s" if case == "photo" else ">= 200/s", **extra)
            bench(f"{prefix}.{case}.p50", percentile(lat, 50) * 1000, "ms", baseline=percentile(p_lat, 50) * 1000)
            bench(f"{prefix}.{case}.p95", percentile(lat, 95) * 1000, "ms", baseline=percentile(p_lat, 95) * 1000)
            bench(f"{prefix}.{case}.failed", failed + p_failed, "requests")
            failures += failed + p_failed + (not ok)
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
