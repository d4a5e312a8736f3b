"""Web tickets under gunicorn, with and without a 2 MB photo, against a trivial route as the in-run baseline.

Three phases against one gunicorn (2 sync workers), each with the same clients for --seconds:
  1. /api/ping (the bare route: what the server and this client can do at all);
  2. a ticket without a photo: GET the "other" form, POST it with its CSRF token (one transaction: ticket,
     message, event, acknowledgement in the outbox, text index);
  3. a damage report: GET the damage form, POST it with a 2 MB JPEG (checked by content, stored, thumbnail).
Ratios: tickets per second over pings per second, and the median latency over the ping's. The wall-clock figures
swing with whatever else the machine runs; `cpu_ms` (the gunicorn workers' CPU time per ticket, from /proc,
against the same per ping) does much less so, and 2 cores / cpu_ms bounds what two workers can do.

    .venv/bin/python bench/submit_photo.py [--db sqlite|postgresql] [--clients 8] [--seconds 20] [--photo-kb 2048]
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
                            postgres_cluster, submit_damage, submit_question, workers_cpu_seconds)


def measured(port: int, action, clients: int, seconds: float):
    """hammer() plus the workers' CPU seconds spent meanwhile."""
    before = workers_cpu_seconds(port)
    result = hammer(action, clients, seconds)
    return (*result, workers_cpu_seconds(port) - before)


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
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--photo-kb", type=int, default=2048)
    parser.add_argument("--only", choices=("plain", "photo"), help="measure only this kind of ticket")
    args = parser.parse_args()
    photo = make_photo(args.photo_kb)
    folder = Path(tempfile.mkdtemp(prefix="bench-submit-"))
    serial = iter(range(10**9))             # distinct addresses: the per-address acknowledgement limit stays out
    kinds = {"plain": lambda: submit_question(port, "se", "sv", f"kund{next(serial)}@example.test")[0] is not None,
             "photo": lambda: submit_damage(port, "se", "sv", f"kund{next(serial)}@example.test", photo)[0] is not None}
    kinds = {k: v for k, v in kinds.items() if args.only in (None, k)}
    results = {}
    with contextlib.ExitStack() as stack:
        uri = stack.enter_context(postgres_cluster()) if args.db == "postgresql" else f"sqlite:///{folder}/s.db"
        env = app_env(uri, folder, RATELIMIT_ENABLED=False)
        create_schema(env)
        port = stack.enter_context(gunicorn(env, workers=2, log=folder / "gunicorn.log"))
        for _warm in range(4):              # both workers, every code path
            submit_damage(port, "se", "sv", "warm@example.test", photo)
            submit_question(port, "se", "sv", "warm@example.test")
            get(port, "/api/ping")
        ping = measured(port, lambda: get(port, "/api/ping")[0] == 200, args.clients, min(args.seconds, 10))
        for kind, action in kinds.items():
            results[kind] = measured(port, action, args.clients, args.seconds)
    p_ok, p_failed, p_lat, p_elapsed, p_cpu = ping
    failed = p_failed
    for kind, (ok, kind_failed, lat, elapsed, cpu) in results.items():
        prefix = f"submit_{kind}.{args.db}"
        extra = {"photo_mb": round(len(photo) / 2**20, 2)} if kind == "photo" else {}
        bench(f"{prefix}.rps", ok / elapsed, "tickets/s", baseline=p_ok / p_elapsed, clients=args.clients, **extra)
        bench(f"{prefix}.p50", percentile(lat, 50) * 1000, "ms", baseline=percentile(p_lat, 50) * 1000)
        bench(f"{prefix}.p95", percentile(lat, 95) * 1000, "ms", baseline=percentile(p_lat, 95) * 1000)
        bench(f"{prefix}.cpu_ms", cpu / max(ok, 1) * 1000, "ms CPU per ticket", baseline=p_cpu / max(p_ok, 1) * 1000)
        bench(f"{prefix}.failed", kind_failed, "requests")
        failed += kind_failed
    return 0 if not failed and all(r[0] for r in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
