"""Load test: concurrent customers report transport damage (form + photo) against gunicorn, then the outbox drains.

For each database (SQLite file in WAL mode, and a throwaway PostgreSQL cluster): 200 customers (threads) each
loop GET form -> POST with one photo for 60 s against 2 gunicorn workers, while two `flask worker` processes send
the outbox to an aiosmtpd sink. Checks: no failed request; tickets in the database == successful submissions
(the same references); every acknowledgement in the outbox reached the sink exactly once; on SQLite the second
worker refuses to start with a clear message. Exit status 1 if any check fails.

    .venv/bin/python bench/load_submit.py [--db sqlite|postgresql|both] [--users 200] [--seconds 60]
"""
from __future__ import annotations

import sys
from pathlib import Path

# the checkout, not bench/, goes first on the path: a bench script named like a stdlib module would shadow it
sys.path[0] = str(Path(__file__).resolve().parent.parent)

import argparse
import contextlib
import random
import re
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field

from aiosmtpd.controller import Controller

from bench._harness import (ROOT, VENV_BIN, app_env, bench, create_schema, free_port, gunicorn,  # noqa: E402
                            make_photo, percentile, postgres_cluster, submit_damage)

MARKETS = {"se": "sv", "no": "nb"}
OVERRIDES = {"no": {"support_email": "support-no@example.test"}}   # Norway's address is configuration


@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    refs: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)

    def ok(self, ref: str, seconds: float) -> None:
        with self.lock:
            self.refs.append(ref)
            self.latencies.append(seconds)

    def failed(self, what: str) -> None:
        with self.lock:
            self.failures.append(what)


class Sink:
    """aiosmtpd handler that keeps (Message-ID, Subject, recipients) of every mail it receives."""

    def __init__(self) -> None:
        self.received: list[tuple[str, str, list[str]]] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        head = envelope.content.split(b"\r\n\r\n", 1)[0].decode("utf-8", "replace")
        mid = re.search(r"^Message-ID:\s*(\S+)", head, re.I | re.M)
        subject = re.search(r"^Subject:\s*(.*(?:\r\n[ \t].*)*)", head, re.I | re.M)
        with self.lock:
            self.received.append((mid[1] if mid else "", subject[1] if subject else "", list(envelope.rcpt_tos)))
        return "250 OK"


def customer(n: int, port: int, deadline: float, photo: bytes, tally: Tally) -> None:
    """One customer: until the deadline, open the damage form and submit it with one photo."""
    market = random.choice(list(MARKETS))
    serial = 0
    while time.monotonic() < deadline:
        serial += 1
        started = time.monotonic()
        try:
            ref, problem = submit_damage(port, market, MARKETS[market], f"kund{n}.{serial}@example.test", photo)
        except Exception as exc:  # noqa: BLE001 - every kind of failure is counted, not raised
            ref, problem = None, f"{type(exc).__name__}: {exc}"
        if ref:
            tally.ok(ref, time.monotonic() - started)
        else:
            tally.failed(problem)


def start_workers(env: dict, count: int, folder: Path) -> list[tuple[subprocess.Popen, Path]]:
    """`count` x `flask --app support worker`, each logging to its own file."""
    started = []
    for i in range(count):
        log = folder / f"worker{i}.log"
        with open(log, "wb") as out:
            proc = subprocess.Popen([str(VENV_BIN / "flask"), "--app", "support", "worker", "--interval", "0.5"],
                                    env={**env, "SUPPORT_LOG_LEVEL": "INFO"}, cwd=ROOT, stdout=out,
                                    stderr=subprocess.STDOUT)
        started.append((proc, log))
        time.sleep(1.0)       # the first one takes the SQLite lock before the second tries
    return started


def stop_workers(workers: list[tuple[subprocess.Popen, Path]]) -> None:
    for proc, _log in workers:
        if proc.poll() is None:
            proc.terminate()
            proc.wait(30)


def outbox_state(env: dict) -> dict:
    """Tickets' references and the acknowledgements' (Message-ID, status), read with a short-lived app."""
    from sqlalchemy import select

    from support import create_app
    from support.extensions import db
    from support.outbox import OutboxMail
    from support.tickets.models import Ticket
    app = create_app({"TESTING": True, "SECRET_KEY": env["SUPPORT_SECRET_KEY"],
                      "SQLALCHEMY_DATABASE_URI": env["SUPPORT_SQLALCHEMY_DATABASE_URI"]})
    with app.app_context():
        refs = list(db.session.scalars(select(Ticket.reference)))
        acks = [tuple(row) for row in db.session.execute(
            select(OutboxMail.message_id, OutboxMail.status).where(OutboxMail.kind == "acknowledgement"))]
        db.session.remove()
        db.engine.dispose()
    return {"refs": refs, "acks": acks}


def drain(env: dict, sink: Sink, timeout: float) -> dict:
    """Wait until no acknowledgement is pending or being sent; return the final state."""
    deadline = time.monotonic() + timeout
    while True:
        state = outbox_state(env)
        busy = [a for a in state["acks"] if a[1] in ("pending", "sending")]
        if not busy or time.monotonic() > deadline:
            time.sleep(1.5)                # a round in flight may still be talking to the sink
            return outbox_state(env)
        time.sleep(1.0)


def run(db: str, args, photo: bytes) -> bool:
    """One full load run on `db`; prints BENCH lines and returns whether every check held."""
    folder = Path(tempfile.mkdtemp(prefix=f"load-{db}-"))
    sink = Sink()
    smtp = Controller(sink, hostname="127.0.0.1", port=free_port())
    smtp.start()
    with contextlib.ExitStack() as stack:
        uri = (stack.enter_context(postgres_cluster()) if db == "postgresql"
               else f"sqlite:///{folder / 'support.db'}")
        env = app_env(uri, folder, RATELIMIT_ENABLED=False, MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port,
                      MAIL_USE_TLS=False, MAIL_USE_SSL=False, MARKET_OVERRIDES=OVERRIDES, WORKER_INTERVAL=0.5)
        create_schema(env)
        port = stack.enter_context(gunicorn(env, workers=args.web_workers, threads=args.threads,
                                            log=folder / "gunicorn.log"))
        workers = start_workers(env, 2, folder)
        stack.callback(stop_workers, workers)          # also on Ctrl-C or an error: no orphaned workers
        tally, deadline = Tally(), time.monotonic() + args.seconds
        threads = [threading.Thread(target=customer, args=(n, port, deadline, photo, tally), daemon=True)
                   for n in range(args.users)]
        started = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - started
        state = drain(env, sink, timeout=args.drain)
    smtp.stop()
    return report(db, args, tally, elapsed, state, sink, workers, folder)


def sent_by(log: Path) -> int:
    """How many mails one worker reports having sent (its "outbox: sent N, ..." log lines)."""
    return sum(int(n) for n in re.findall(r"outbox: sent (\d+)", log.read_text(errors="replace")))


def report(db, args, tally, elapsed, state, sink, workers, folder) -> bool:
    """Print the figures and the checks; True when all hold."""
    sent_ids = [mid for mid, _subject, _rcpt in sink.received]
    ack_ids = {a[0] for a in state["acks"]}
    refused = [log.read_text() for proc, log in workers if proc.returncode not in (None, 0, -15)]
    checks = {
        "no failed requests": not tally.failures,
        "tickets == successful submissions": sorted(state["refs"]) == sorted(tally.refs),
        "every acknowledgement sent": all(a[1] == "sent" for a in state["acks"]) and ack_ids <= set(sent_ids),
        "nothing sent twice": len(sent_ids) == len(set(sent_ids)) == len(ack_ids),
        "one acknowledgement per ticket": len(ack_ids) == len(state["refs"]),
    }
    if db == "sqlite":
        checks["second SQLite worker refused"] = len(refused) == 1 and "only one worker" in refused[0]
    else:
        checks["both PostgreSQL workers ran"] = not refused
    prefix = f"load_submit.{db}"
    bench(f"{prefix}.submissions", len(tally.refs), "tickets", users=args.users, seconds=args.seconds)
    bench(f"{prefix}.rate", len(tally.refs) / elapsed, "tickets/s")
    bench(f"{prefix}.failed", len(tally.failures), "requests", target="0")
    # the database against what the customers were told: ratio 1 when every success is a ticket and no more
    bench(f"{prefix}.tickets_in_database", len(state["refs"]), "tickets", baseline=len(tally.refs) or None,
          target="== successful submissions")
    bench(f"{prefix}.p50", percentile(tally.latencies, 50) * 1000, "ms (GET form + POST)")
    bench(f"{prefix}.p95", percentile(tally.latencies, 95) * 1000, "ms (GET form + POST)")
    bench(f"{prefix}.acks_sent", len(sent_ids), "mails", duplicates=len(sent_ids) - len(set(sent_ids)),
          by_worker=[sent_by(log) for _proc, log in workers])
    for name, held in checks.items():
        print(f"CHECK {db}: {name}: {'ok' if held else 'FAILED'}", flush=True)
    if tally.failures:
        print(f"  first failures: {sorted(set(tally.failures))[:5]} (logs in {folder})", flush=True)
    return all(checks.values())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker (1: sync workers)")
    parser.add_argument("--photo-kb", type=int, default=300)
    parser.add_argument("--drain", type=float, default=300, help="seconds to wait for the outbox to empty")
    args = parser.parse_args()
    photo = make_photo(args.photo_kb)
    results = [run(db, args, photo) for db in (("sqlite", "postgresql") if args.db == "both" else (args.db,))]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
