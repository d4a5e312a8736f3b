"""Web tickets under gunicorn, with and without a 2 MB photo, against a trivial route as the in-run baseline.

Three phases against one gunicorn (2 sync workers), each with the same clients for --seconds:
  1. /api/ping (the bare route: what the server and this client can do at all);
  2. a ticket without a photo: GET the "other" form, POST it with its CSRF token (one transaction: ticket,
     message, event, acknowledgement in the outbox, text index);
  3. a damage report: GET the damage form, POST it with a 2 MB JPEG (checked by content, stored, thumbnail).
The client is wrk (Debian package `wrk`: `apt-get install -y wrk`) when installed, as the issue measures:
-tN -cN, one connection per thread, bench/submit_photo.lua. Without it (or with --client python) Python threads
do the same (measured here: 0.7 ms CPU per plain ticket and 2.5 ms per photo ticket on the server's two cores,
wrk 0.3 and 4 ms: its sends of the 2 MB body cost the kernel more; `client_cpu_ms` says it for each run).
Only a POST answered with a redirect to the receipt counts as a ticket, and after each phase the database must
hold as many new tickets as were counted (`*.tickets_in_database`, else the script exits 1), plus at most the
POSTs wrk sent but stopped waiting for at the end (`unanswered`: the server still finishes them).
Ratios: tickets per second over pings per second, and the median latency (GET + POST) over the ping's. The
wall-clock figures swing with whatever else the machine runs; `cpu_ms` (the gunicorn workers' CPU time per
ticket, from /proc, against the same per ping) does much less so, and 2 cores / cpu_ms bounds what two workers
can do; `client_cpu_ms` is what the client takes of the same cores per ticket.

    .venv/bin/python bench/submit_photo.py [--db sqlite|postgresql] [--clients 8] [--seconds 20] [--photo-kb 2048]
                                           [--client wrk|python] [--only plain|photo]
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path[0] = str(Path(__file__).resolve().parent.parent)   # not bench/: a bench script could shadow the stdlib

import argparse
import contextlib
import json
import resource
import shutil
import subprocess
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

from bench._harness import (MULTIPART, _customer, app_env, bench, create_schema, get, gunicorn,  # noqa: E402
                            make_photo, multipart, percentile, postgres_cluster, submit_damage, submit_question,
                            workers_cpu_seconds)

LUA = Path(__file__).resolve().with_suffix(".lua")
TOKEN, ADDRESS = "TOKENxSLOTxJ7Q", "ADDRESSxSLOTxJ7Q"     # where the client puts the CSRF token and the address


def measured(port: int, run) -> tuple[int, int, int, list[float], float, float, float]:
    """run() -> (ok, failed, unanswered, latencies, elapsed), plus the CPU seconds the workers and the client
    spent meanwhile (the client: wrk, a child that has exited, or this process's threads)."""
    before, client = workers_cpu_seconds(port), client_cpu_seconds()
    result = run()
    return (*result, workers_cpu_seconds(port) - before, client_cpu_seconds() - client)


def client_cpu_seconds() -> float:
    """User + system CPU of this process and of its children that have exited (wrk; gunicorn still runs)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def hammer(action, clients: int, seconds: float) -> tuple[int, int, int, list[float], float]:
    """Run `action()` from `clients` Python threads for `seconds`: (ok, failed, 0, latencies, elapsed); each
    thread waits for its last answer, so none is left unanswered."""
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
    return len(latencies), failed[0], 0, latencies, time.monotonic() - started


def wrk(port: int, path: str, clients: int, seconds: float, pieces: Path | None = None,
        content_type: str = "") -> tuple[int, int, int, list[float], float]:
    """bench/submit_photo.lua under wrk: GET `path`, or (with `pieces`) tickets on the form at `path`."""
    args = ["wrk", f"-t{clients}", f"-c{clients}", f"-d{max(1, round(seconds))}s", "--timeout", "60s",
            "-s", str(LUA), f"http://127.0.0.1:{port}", "--", path]
    if pieces is not None:
        args += [str(pieces), content_type]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    line = next((line for line in out.splitlines() if line.startswith("WRK ")), None)
    if line is None:
        sys.exit(f"wrk printed no result:\n{out}")
    found = json.loads(line[4:])
    return (found["ok"], found["failed"], found["unanswered"], [ms / 1000 for ms in found["latency_ms"]],
            found["seconds"])


def write_pieces(port: int, kind: str, folder: Path, photo: bytes) -> tuple[str, Path, str]:
    """The form's path, and its POST body cut where the token and the address go, for the Lua client; encoded as
    the form's enctype says (as a browser does)."""
    path = f"/sv/contact/{'damage' if kind == 'photo' else 'other'}"
    fields = {"csrf_token": TOKEN, "website": "", **_customer("se", "sv", f"{kind}-kund{ADDRESS}@example.test")}
    if kind == "photo":
        delivered = (datetime.now(UTC) - timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")
        fields.update(order_numbers="7001234567", delivered_at=delivered,
                      description="Kartongen var intryckt och skärmen sprucken.")
    else:
        fields.update(subject="Fråga om leveransen", order_numbers="7001234567",
                      description="Hej! När kan vi räkna med leveransen av vår order?")
    if MULTIPART in get(port, path)[2]:
        body, content_type = multipart(fields, [("photos", "skada.jpg", "image/jpeg", photo)] if photo else [])
    else:
        body, content_type = urlencode(fields).encode(), "application/x-www-form-urlencoded"
    assert body.count(TOKEN.encode()) == 1 and body.count(ADDRESS.encode()) == 1
    before_token, rest = body.split(TOKEN.encode())
    before_address, after_address = rest.split(ADDRESS.encode())
    pieces = folder / f"wrk-{kind}"
    pieces.mkdir()
    for name, data in (("before_token", before_token), ("before_address", before_address),
                       ("after_address", after_address)):
        (pieces / name).write_bytes(data)
    return path, pieces, content_type


def ticket_count(uri: str) -> int:
    """Tickets in the database once the workers are done (the count holds still for a second), read directly,
    not through the app under test."""
    import sqlalchemy
    engine = sqlalchemy.create_engine(uri)
    try:
        last = None
        while True:
            with engine.connect() as conn:
                now = conn.execute(sqlalchemy.text("SELECT count(*) FROM ticket")).scalar_one()
            if now == last:
                return now
            last = now
            time.sleep(1.0)
    finally:
        engine.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--photo-kb", type=int, default=2048)
    parser.add_argument("--only", choices=("plain", "photo"), help="measure only this kind of ticket")
    parser.add_argument("--client", choices=("wrk", "python"), default="wrk" if shutil.which("wrk") else "python")
    args = parser.parse_args()
    photo = make_photo(args.photo_kb)
    folder = Path(tempfile.mkdtemp(prefix="bench-submit-"))
    serial = iter(range(10**9))             # distinct addresses: the per-address acknowledgement limit stays out
    submit = {"plain": lambda: submit_question(port, "se", "sv", f"kund{next(serial)}@example.test")[0] is not None,
              "photo": lambda: submit_damage(port, "se", "sv", f"kund{next(serial)}@example.test", photo)[0] is not None}
    kinds = [k for k in ("plain", "photo") if args.only in (None, k)]
    results, counted = {}, {}
    with contextlib.ExitStack() as stack:
        uri = stack.enter_context(postgres_cluster()) if args.db == "postgresql" else f"sqlite:///{folder}/s.db"
        env = app_env(uri, folder, RATELIMIT_ENABLED=False)
        create_schema(env)
        port = stack.enter_context(gunicorn(env, workers=2, log=folder / "gunicorn.log"))
        for _warm in range(4):              # both workers, every code path
            submit_damage(port, "se", "sv", "warm@example.test", photo)
            submit_question(port, "se", "sv", "warm@example.test")
            get(port, "/api/ping")
        if args.client == "wrk":
            ping = measured(port, lambda: wrk(port, "/api/ping", args.clients, min(args.seconds, 10)))
        else:
            ping = measured(port, lambda: hammer(lambda: get(port, "/api/ping")[0] == 200, args.clients,
                                                 min(args.seconds, 10)))
        for kind in kinds:
            if args.client == "wrk":
                form = write_pieces(port, kind, folder, photo if kind == "photo" else b"")
                run = lambda: wrk(port, form[0], args.clients, args.seconds, form[1], form[2])  # noqa: E731
            else:
                run = lambda: hammer(submit[kind], args.clients, args.seconds)  # noqa: E731
            before = ticket_count(uri)
            results[kind] = measured(port, run)
            counted[kind] = ticket_count(uri) - before
    p_ok, p_failed, _, p_lat, p_elapsed, p_cpu, p_client = ping
    failed = p_failed
    for kind, (ok, kind_failed, unanswered, lat, elapsed, cpu, client) in results.items():
        prefix = f"submit_{kind}.{args.db}"
        extra = {"photo_mb": round(len(photo) / 2**20, 2)} if kind == "photo" else {}
        bench(f"{prefix}.rps", ok / elapsed, "tickets/s", baseline=p_ok / p_elapsed, clients=args.clients,
              client=args.client, **extra)
        bench(f"{prefix}.p50", percentile(lat, 50) * 1000, "ms", baseline=percentile(p_lat, 50) * 1000)
        bench(f"{prefix}.p95", percentile(lat, 95) * 1000, "ms", baseline=percentile(p_lat, 95) * 1000)
        bench(f"{prefix}.cpu_ms", cpu / max(ok, 1) * 1000, "ms CPU per ticket", baseline=p_cpu / max(p_ok, 1) * 1000)
        # what the client takes of the same two cores, per ticket (and per ping)
        bench(f"{prefix}.client_cpu_ms", client / max(ok, 1) * 1000, "ms CPU per ticket", client=args.client,
              baseline=p_client / max(p_ok, 1) * 1000)
        bench(f"{prefix}.failed", kind_failed, "requests")
        bench(f"{prefix}.tickets_in_database", counted[kind], "tickets", baseline=ok or None,
              target="== successful submissions (+ unanswered)", unanswered=unanswered)
        failed += kind_failed + (not ok <= counted[kind] <= ok + unanswered)
    return 0 if not failed and all(r[0] for r in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
