"""Benchmark: the agent queue view and ticket search over 1,000,000 tickets.

    .venv/bin/python bench/queue_view.py                      # SQLite in a temporary file, then a throwaway PostgreSQL
    .venv/bin/python bench/queue_view.py --db sqlite            # one of them
    .venv/bin/python bench/queue_view.py postgresql+psycopg://postgres@127.0.0.1:5432/bench
    options: --tickets N (default 1000000), --runs N (default 50), --keep (reuse a filled database)

The database given is EMPTIED (all tables dropped) unless --keep finds it already filled. Tickets are written with
one executemany (SQLite) or COPY (PostgreSQL) with the secondary indexes dropped, which are rebuilt afterwards.
Timed: the rendered queue page via the Flask test client, signed in, page 1 and page 500 (keyset cursor) of several
views, filters that match no ticket (the most a page's index walk can cost), the first page when the queue counts
are not cached, and the ticket search; prints p50/p95 per case (target: p95 < 100 ms). The in-run baseline of each
figure is GET /healthz through the same signed-in client (one trivial query): what any request costs here. The
views' clock is frozen at the tickets' "now", so "overdue" and "due soon" hold what they would on a live desk.

On a shared machine, fill once and time many runs at high priority. `nice` alone does not lift a process above
other sessions: with autogroup scheduling (/proc/sys/kernel/sched_autogroup_enabled) the kernel shares the CPU
between sessions first, so at load 9 a page at nice -15 still took 35-45 ms instead of 10. As root, give the bench
its own session with a niced autogroup, and the cluster's (the postmaster starts a session of its own) as well:
    nice -n -15 sh scripts/pg-server.sh start /work/qbench/pg PORT
    echo -15 > /proc/$(head -1 /work/qbench/pg/data/postmaster.pid)/autogroup
    setsid sh -c 'echo -15 > /proc/self/autogroup; exec nice -n -15 .venv/bin/python bench/queue_view.py \
        postgresql+psycopg://postgres@127.0.0.1:PORT/postgres --keep'          # or sqlite:////work/qbench/bench.db
The header line gives the process's nice value, its autogroup and the load average; the last line the load at the end.
"""
from __future__ import annotations

import argparse
import contextlib
import re
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select, text  # noqa: E402

from bench._harness import bench, postgres_cluster  # noqa: E402
from support import create_app  # noqa: E402
from support.agent import accounts, queues  # noqa: E402
from support.extensions import db  # noqa: E402
from support.tickets.models import Ticket  # noqa: E402

COLUMNS = ("reference", "secret", "market", "language", "channel", "category", "queue", "status", "priority",
           "subject", "customer_email", "customer_name", "company", "order_numbers", "details", "created_at",
           "updated_at", "due_at", "first_response_at", "resolved_at", "version")
ROUTE = {"cancellation": "cancellations", "damage": "damage", "stuck-order": "order-status", "other": "general"}
SUBJECTS = ("Skadad leverans", "Makulera order", "Order står still", "Fråga om faktura", "Skadet levering",
            "Kansellere ordre", "Ordre står fast", "Damaged delivery", "Cancel order", "Leveransstatus")
NOW = datetime(2026, 3, 10, 9, 0)
PAGE = 50


def _rows(n: int, seed: int = 7):
    """n tickets: 20 % open (new/open/pending), due times spread around now, 200k customers, 20k companies."""
    rnd = random.Random(seed)
    counters = {"se": 0, "no": 0}
    for i in range(n):
        market = "se" if rnd.random() < 0.6 else "no"
        counters[market] += 1
        category = rnd.choice(("cancellation", "damage", "stuck-order", "other"))
        status = rnd.choice(("new", "open", "pending")) if rnd.random() < 0.2 else rnd.choice(("resolved", "closed"))
        created = NOW - timedelta(minutes=rnd.randrange(0, 2 * 365 * 24 * 60))
        due = NOW + timedelta(minutes=rnd.randrange(-30 * 24 * 60, 30 * 24 * 60))
        done = created + timedelta(hours=rnd.randrange(1, 72)) if status in ("resolved", "closed") else None
        customer = rnd.randrange(200_000)
        yield (f"{market.upper()}-{counters[market]:06d}", "x" * 32, market, "sv" if market == "se" else "nb",
               rnd.choice(("web", "email")), category, ROUTE[category], status,
               rnd.choice(("urgent", "high", "normal", "normal", "normal", "low")),
               f"{rnd.choice(SUBJECTS)} {i}", f"kund{customer}@firma{customer % 20_000}.example",
               f"Kund {customer}", f"Firma {customer % 20_000} AB", str(4_000_000 + i * 7), "{}", created, created,
               due, done, done, 1)


def _fill(n: int) -> None:
    """Drop and recreate the schema, bulk-load n tickets without secondary indexes, then build them."""
    db.drop_all()
    db.create_all()
    indexes = list(Ticket.__table__.indexes)
    with db.engine.begin() as conn:
        for index in indexes:
            index.drop(conn)
    raw = db.engine.raw_connection()
    try:
        cur = raw.cursor()
        if db.engine.dialect.name == "postgresql":
            with cur.copy(f"COPY ticket ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                for row in _rows(n):
                    copy.write_row(row)
        else:
            stamp = "%Y-%m-%d %H:%M:%S.%f"
            cur.executemany(f"INSERT INTO ticket ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})",
                            ((*r[:15], *(d.strftime(stamp) if d else None for d in r[15:20]), r[20])
                             for r in _rows(n)))
        raw.commit()
    finally:
        raw.close()
    with db.engine.begin() as conn:
        for index in indexes:
            index.create(conn)
        if db.engine.dialect.name == "sqlite":
            conn.execute(text("ANALYZE"))
    if db.engine.dialect.name == "postgresql":
        # VACUUM as autovacuum does within a minute of a bulk load: it sets the visibility map (index-only scans,
        # which the queue counts rely on, read the table itself until then) and the hint bits, so the first timed
        # queries do not pay for writing every page of a fresh COPY
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM (ANALYZE) ticket"))


# (label, filters, pages). The bench has no English tickets: a filter on English walks the whole index it reads
# in due order without finding one, the worst case of any filter combination that matches few tickets
CASES = [("queue damage", queues.Filters(queue="damage"), (1, 500)), ("all open", queues.Filters(), (1, 500)),
         ("overdue", queues.Filters(view="overdue"), (1, 500)),
         ("due soon", queues.Filters(view="due_soon"), (1, 500)),
         ("waiting for customer", queues.Filters(view="waiting"), (1, 500)),
         ("English (none)", queues.Filters(language="en"), (1,)),
         ("queue damage, English (none)", queues.Filters(queue="damage", language="en"), (1,)),
         ("due soon, English (none)", queues.Filters(view="due_soon", language="en"), (1,)),
         ("closed, English (none)", queues.Filters(status="closed", language="en"), (1,))]


def _cursor_at(filters: queues.Filters, agent, page: int) -> str | None:
    """The keyset cursor an agent would hold after paging `page - 1` times (found with one OFFSET query)."""
    if page == 1:
        return None
    stmt = queues._filtered(filters, agent, NOW).order_by(Ticket.due_at, Ticket.id)
    last = db.session.scalar(stmt.offset((page - 1) * PAGE - 1).limit(1))
    return queues.encode_cursor(last) if last else None


def _time(fn, runs: int) -> tuple[float, float]:
    fn()                                     # warm-up: templates compiled, caches primed
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[max(0, int(round(0.95 * len(samples))) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", nargs="?", help="database URL (default: SQLite in a temporary file and a throwaway "
                                               "PostgreSQL cluster, one after the other)")
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--keep", action="store_true", help="reuse the database if it already holds the tickets")
    args = parser.parse_args()
    if args.url:
        return run(args.url, args)
    if args.db in ("sqlite", "both"):
        run("sqlite:///" + os.path.join(tempfile.mkdtemp(prefix="bench-queue-"), "bench.db"), args)
    if args.db in ("postgresql", "both"):
        with contextlib.ExitStack() as stack:
            run(stack.enter_context(postgres_cluster()), args)


def run(url: str, args) -> None:
    """Fill (unless --keep finds the tickets) and measure one database."""
    app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False,
                      "WTF_CSRF_ENABLED": False, "TESTING": True, "SERVER_NAME": None,
                      "TWO_FACTOR_REQUIRED": "off",           # the bench admin signs in with the password alone
                      # the views' clock at the tickets' "now": due times lie around it, so "overdue" and "due soon"
                      # hold what they would on a live desk (at the real date every open ticket would be overdue)
                      "FROZEN_NOW": NOW.isoformat() + "+00:00"})
    with app.app_context():
        have = 0
        if args.keep:
            db.create_all()
            have = db.session.scalar(select(func.count()).select_from(Ticket))
            db.session.rollback()       # end the count's transaction: on PostgreSQL it would block the fill's DROP
        if have < args.tickets:
            start = time.perf_counter()
            _fill(args.tickets)
            print(f"filled {args.tickets:,} tickets ({db.engine.dialect.name}) in {time.perf_counter() - start:.1f} s",
                  flush=True)
        _measure(app, args.runs)
        print(f"{db.engine.dialect.name}: load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} at the end",
              flush=True)
        db.session.remove()
    with app.app_context():
        db.engine.dispose()


def _measure(app, runs: int) -> None:
    db.session.execute(db.delete(accounts.Agent))
    db.session.commit()
    admin = accounts.create_agent("bench-admin@example.test", "Bench Admin", "lantern meadow 42", role="admin")
    agent = accounts.create_agent("bench-se@example.test", "Bench SE", "lantern meadow 42", markets="se")
    engine = db.engine.dialect.name
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"{engine}: {db.session.scalar(select(func.count()).select_from(Ticket)):,} tickets, {runs} runs per case, "
          f"this process at nice {os.nice(0)}, {_autogroup()}, load average {load}", flush=True)
    print(f"{engine + ' case':58} {'p50 ms':>8} {'p95 ms':>8}")
    for who in (admin, agent):
        client = app.test_client()
        client.post("/agent/login", data={"email": who.email, "password": "lantern meadow 42"})
        baseline = _time(lambda: client.get("/healthz"), runs)
        _report(engine, f"{who.email.split('@')[0]}: GET /healthz (the baseline)", *baseline)
        for label, filters, pages in CASES:
            for page in pages:
                cursor = _cursor_at(filters, who, page)
                url = "/agent/?" + "&".join(f"{k}={v}" for k, v in {**filters.args(), "after": cursor}.items() if v)
                assert client.get(url).status_code == 200, url
                p50, p95 = _time(lambda: client.get(url), runs)
                _report(engine, f"{who.email.split('@')[0]}: {label}, page {page}"
                                f"{'' if cursor or page == 1 else ' (short)'}", p50, p95, baseline)

        def fresh_counts():
            app.extensions["agent_queue_counts"] = {}
            queues.counts(who)

        def page_counted_afresh():          # what the first page view after QUEUE_COUNTS_TTL costs
            app.extensions["agent_queue_counts"] = {}
            client.get("/agent/")
        _report(engine, f"{who.email.split('@')[0]}: all open, page 1, counts uncached",
                *_time(page_counted_afresh, runs), baseline)
        _report(engine, f"{who.email.split('@')[0]}: queue counts, uncached "
                        f"(cached {app.config['QUEUE_COUNTS_TTL']:.0f} s)", *_time(fresh_counts, runs), baseline)
        for label, q in (("reference", "SE-004711"), ("order number prefix", "4000700"),
                         ("e-mail prefix", "kund1234@"), ("company prefix", "firma 1234"), ("subject words", "cancel")):
            p50, p95 = _time(lambda: client.get("/agent/search", query_string={"q": q}), runs)
            _report(engine, f"{who.email.split('@')[0]}: search {label} ({q})", p50, p95, baseline)


def _autogroup() -> str:
    """The process's scheduling group and its nice ("/autogroup-7 nice -15"), which decide its share against
    other sessions; the process's own nice only orders it within its session."""
    try:
        return Path("/proc/self/autogroup").read_text().strip().lstrip("/")
    except OSError:
        return "no autogroup"


def _report(engine: str, label: str, p50: float, p95: float, baseline: tuple[float, float] | None = None) -> None:
    print(f"{label:58} {p50:8.1f} {p95:8.1f}{'' if p95 < 100 else '  OVER TARGET'}", flush=True)
    name = f"queue.{engine}." + re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_") + ".p95"
    if baseline is None:
        bench(name, p95, "ms")
    else:
        bench(name, p95, "ms", baseline=baseline[1], target="p95 < 100 ms")


if __name__ == "__main__":
    main()
