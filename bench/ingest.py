"""Benchmark: ingest 1,000 generated messages (plain, multipart with a photo, HTML-only, ISO-8859-1), per kind.

    .venv/bin/python bench/ingest.py [--count 1000] [--postgres | --database-uri URL] [--profile DIR] [--workers N]

Runs in a temporary instance (SQLite file unless --postgres or --database-uri). The kinds are interleaved, so
each kind's figure comes from the same run as the others. Per kind and mixed it prints wall-clock messages per
second and CPU milliseconds per message (time.process_time of this process: steadier than wall-clock on a
shared machine; a PostgreSQL server's own CPU is not in it). The in-run baseline is the floor of the contract:
each raw message stored in its own InboundMail row with one commit, nothing else, on the same database.
--profile DIR writes one cProfile file per kind, timed in CPU seconds (DIR/ingest-<kind>.prof; `python -m pstats`).
The app starts as a production process does (production.settle: search indexes built, start-up objects frozen).

--workers N: N forked processes on the same database (as `flask mail fetch --workers N` runs), each taking every
Nth message, all started together at a barrier; the figure is their throughput, all messages over the wall time
from the start to the last one's end, and the CPU milliseconds per message of all of them (not the database
server's). The floor is measured the same way: N processes storing their share of raw rows at once.
"""
import argparse
import collections
import contextlib
import cProfile
import hashlib
import io
import multiprocessing
import os
import sys
import tempfile
import time
from email.message import EmailMessage
from email.utils import make_msgid

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from PIL import Image  # noqa: E402
from sqlalchemy import delete  # noqa: E402

from bench._harness import bench, postgres_cluster  # noqa: E402
from support import create_app, production  # noqa: E402
from support.extensions import db  # noqa: E402
from support.mail.ingest import ingest  # noqa: E402
from support.mail.models import InboundMail  # noqa: E402

MAILBOXES = {"support-se@bench.example": {"market": "se", "queue": "general"},
             "support-no@bench.example": {"market": "no", "queue": "general"}}
KINDS = ("plain", "photo", "html", "latin1")
FLOOR_BOX = "floor@bench.invalid"


def photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (1024, 768), (180, 120, 60)).save(out, "JPEG", quality=85)
    return out.getvalue()


def message(n: int, kind: str, jpeg: bytes) -> bytes:
    msg = EmailMessage()
    msg["From"] = f"Kund {n} <kund{n}@foretag{n % 97}.se>"
    msg["To"] = "support-no@bench.example" if kind == "html" else "support-se@bench.example"
    msg["Message-ID"] = make_msgid(domain=f"foretag{n % 97}.se")
    if kind == "plain":
        msg["Subject"] = f"Avboka order 70-{10000 + n}-11"
        msg.set_content(f"Hej,\n\nKan ni avboka order 70-{10000 + n}-11? Vi beställde av misstag.\n\nMvh\nKund {n}\n")
    elif kind == "photo":
        msg["Subject"] = f"Transportskada order 70-{20000 + n}-11"
        msg.set_content("Hej,\n\nKartongen var intryckt och skärmen är sprucken. Se bild.\n\n/Kund\n")
        msg.add_attachment(jpeg, maintype="image", subtype="jpeg", filename=f"skada-{n}.jpg")
    elif kind == "html":
        msg["Subject"] = "Bestillingen har stått stille"
        msg.set_content(f"<html><body><p>Hei,</p><p>Ordre 70-{30000 + n}-11 har stått stille i en uke.</p>"
                        f"<img src='https://tracker.example/p.gif'><script>x()</script></body></html>",
                        subtype="html")
    else:
        msg["Subject"] = "Fråga om fakturan"
        msg.set_content("Hej,\n\nVår faktura är fel, kan ni skicka en ny? Tack på förhand.\n", charset="iso-8859-1",
                        cte="quoted-printable")
    return bytes(msg)


class Clock:
    """Wall and CPU seconds per kind."""

    def __init__(self) -> None:
        self.wall, self.cpu, self.count = collections.Counter(), collections.Counter(), collections.Counter()

    @contextlib.contextmanager
    def timing(self, kind: str):
        wall, cpu = time.perf_counter(), time.process_time()
        yield
        self.cpu[kind] += time.process_time() - cpu
        self.wall[kind] += time.perf_counter() - wall
        self.count[kind] += 1

    def figures(self, kinds) -> tuple[float, float]:
        """(messages per second, CPU ms per message) over the given kinds."""
        count = sum(self.count[k] for k in kinds)
        return count / sum(self.wall[k] for k in kinds), 1000 * sum(self.cpu[k] for k in kinds) / count


def floor(raws, tag: str = "") -> Clock:
    """The contract's floor: each raw message in its own row and commit (removed again afterwards)."""
    clock = Clock()
    for n, (kind, raw) in enumerate(raws):
        with clock.timing(kind):
            db.session.add(InboundMail(message_id=f"<floor.{tag}{n}@bench.invalid>", mailbox=FLOOR_BOX, raw=raw,
                                       sha256=hashlib.sha256(raw).hexdigest(), action="rejected"))
            db.session.commit()
    db.session.execute(delete(InboundMail).where(InboundMail.mailbox == FLOOR_BOX))
    db.session.commit()
    return clock


def run(raws, profile_dir: str | None) -> tuple[Clock, collections.Counter]:
    clock, actions = Clock(), collections.Counter()
    profiles = {k: cProfile.Profile(time.process_time) for k in KINDS} if profile_dir else {}
    for kind, raw in raws:
        profiler = profiles.get(kind)
        with clock.timing(kind):
            if profiler:
                profiler.enable()
            actions[(kind, ingest(raw).action)] += 1
            if profiler:
                profiler.disable()
    for kind, profiler in profiles.items():
        profiler.dump_stats(os.path.join(profile_dir, f"ingest-{kind}.prof"))
    return clock, actions


def bench_app(uri: str | None, tmp: str):
    app = create_app({"SECRET_KEY": "bench", "MAILBOXES": MAILBOXES, "UPLOAD_DIR": os.path.join(tmp, "up"),
                      "SQLALCHEMY_DATABASE_URI": uri or f"sqlite:///{tmp}/bench.db", "MAIL_ACK_LIMIT": 10})
    production.settle(app)        # as a production process starts: indexes built, start-up objects frozen
    return app


def measure(uri: str | None, raws, profile_dir: str | None):
    with tempfile.TemporaryDirectory() as tmp:
        app = bench_app(uri, tmp)
        with app.app_context():
            db.create_all()
            base = floor(raws)
            clock, actions = run(raws, profile_dir)
            db.session.remove()
            if uri:
                db.drop_all()
            db.engine.dispose()
    return base, clock, actions


def _share(uri, tmp, raws, barrier, results, tag: str) -> None:
    """One of the N processes: its floor, then its ingest, each started at the barrier with the others."""
    app = bench_app(uri, tmp)
    with app.app_context():
        barrier.wait(timeout=600)
        start = time.clock_gettime(time.CLOCK_MONOTONIC)     # system-wide: comparable between the processes
        base = floor(raws, tag)
        floor_span = (start, time.clock_gettime(time.CLOCK_MONOTONIC))
        barrier.wait(timeout=600)
        start = time.clock_gettime(time.CLOCK_MONOTONIC)
        clock, actions = run(raws, None)
        span = (start, time.clock_gettime(time.CLOCK_MONOTONIC))
        db.session.remove()
        db.engine.dispose()
    results.put((floor_span, dict(base.cpu), dict(base.count), span, dict(clock.cpu), dict(clock.count), actions))


class Together:
    """The processes' figures: throughput over the common wall time, CPU summed."""

    def __init__(self, spans, cpu: collections.Counter, count: collections.Counter) -> None:
        self.wall = max(end for _s, end in spans) - min(start for start, _e in spans)
        self.cpu, self.count = cpu, count

    def rate(self) -> float:
        return sum(self.count.values()) / self.wall

    def cpu_ms(self, kinds) -> float:
        return 1000 * sum(self.cpu[k] for k in kinds) / sum(self.count[k] for k in kinds)


def measure_processes(uri: str | None, raws, workers: int):
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": uri or f"sqlite:///{tmp}/bench.db"})
        with app.app_context():
            db.create_all()
            db.session.remove()
            db.engine.dispose()       # no connection crosses the fork
        ctx = multiprocessing.get_context("fork")
        barrier, results = ctx.Barrier(workers), ctx.Queue()
        procs = [ctx.Process(target=_share, args=(uri, tmp, raws[i::workers], barrier, results, f"{i}."))
                 for i in range(workers)]
        for proc in procs:
            proc.start()
        reports = [results.get(timeout=1200) for _ in procs]     # a process that failed: its traceback, then this
        for proc in procs:
            proc.join()
        if uri:
            with app.app_context():
                db.drop_all()
                db.engine.dispose()
    totals = [collections.Counter() for _ in range(4)]
    actions = collections.Counter()
    for _fs, fcpu, fcount, _s, cpu, count, acts in reports:
        for total, part in zip(totals, (fcpu, fcount, cpu, count)):
            total.update(part)
        actions.update(acts)
    base = Together([r[0] for r in reports], totals[0], totals[1])
    together = Together([r[3] for r in reports], totals[2], totals[3])
    return base, together, actions


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=1000)
    where = ap.add_mutually_exclusive_group()
    where.add_argument("--database-uri")
    where.add_argument("--postgres", action="store_true", help="a throwaway PostgreSQL cluster (scripts/pg-server.sh)")
    ap.add_argument("--profile", metavar="DIR", help="write a cProfile file per kind into DIR (slows the run)")
    ap.add_argument("--workers", type=int, default=1, help="N processes at once on the same database")
    args = ap.parse_args()
    jpeg = photo()
    raws = [(KINDS[n % 4], message(n, KINDS[n % 4], jpeg)) for n in range(args.count)]
    if args.workers > 1:
        processes(args, raws)
        return
    engine, (base, clock, actions) = on_database(args, lambda uri: measure(uri, raws, args.profile))
    print(f"engine={engine} messages={args.count} kinds={'/'.join(KINDS)} actions="
          + ",".join(f"{k}:{a}={n}" for (k, a), n in sorted(actions.items())))
    for label, kinds in [*((k, (k,)) for k in KINDS), ("mixed", KINDS)]:
        rate, cpu = clock.figures(kinds)
        floor_rate, floor_cpu = base.figures(kinds)
        bench(f"ingest.{label}.messages_per_second", rate, "msg/s", floor_rate, engine=engine)
        bench(f"ingest.{label}.cpu_ms_per_message", cpu, "ms", floor_cpu, engine=engine)


def on_database(args, run):
    """(engine name, run(uri)) on the database the arguments name: a throwaway cluster, a URL, or None (SQLite)."""
    engine = "postgresql" if args.postgres or (args.database_uri or "").startswith("postgresql") else "sqlite"
    if args.postgres:
        with postgres_cluster() as uri:
            return engine, run(uri)
    return engine, run(args.database_uri)


def processes(args, raws) -> None:
    engine, (base, together, actions) = on_database(args, lambda uri: measure_processes(uri, raws, args.workers))
    print(f"engine={engine} messages={args.count} workers={args.workers} actions="
          + ",".join(f"{k}:{a}={n}" for (k, a), n in sorted(actions.items())))
    label = f"ingest.workers{args.workers}"
    bench(f"{label}.mixed.messages_per_second", together.rate(), "msg/s", base.rate(), engine=engine,
          workers=args.workers)
    for name, kinds in [*((k, (k,)) for k in KINDS), ("mixed", KINDS)]:
        bench(f"{label}.{name}.cpu_ms_per_message", together.cpu_ms(kinds), "ms", base.cpu_ms(kinds), engine=engine,
              workers=args.workers)


if __name__ == "__main__":
    main()
