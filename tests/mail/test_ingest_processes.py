"""Ingest in several processes at once, on one database (a file for SQLite, the session's PostgreSQL cluster).

Real forked processes, started together at a barrier, take the very same messages in the same order, so each
message is in flight in both at once: whatever the timing, one message gives one ticket. The same message at
two of our addresses (a customer writing to both) is one ticket too, recorded once more as a copy.
"""
import multiprocessing

from sqlalchemy import func, select

from support import create_app
from support.extensions import db
from support.mail.ingest import ingest
from support.mail.models import InboundMail
from support.tickets.models import Ticket

from .conftest import build

ROUNDS = 12


def _take(config, barrier, jobs, results):
    app = create_app(config)
    with app.app_context():
        barrier.wait(timeout=60)
        results.put([(ingest(raw, mailbox=box).action) for raw, box in jobs])
        db.session.remove()
        db.engine.dispose()


def _in_two_processes(config, *jobs) -> list[list[str]]:
    """Each process takes its list of (raw, mailbox); one list: both take the same."""
    ctx = multiprocessing.get_context("fork")
    barrier, results = ctx.Barrier(2), ctx.Queue()
    jobs = jobs * 2 if len(jobs) == 1 else jobs
    workers = [ctx.Process(target=_take, args=(config, barrier, mine, results)) for mine in jobs]
    for w in workers:
        w.start()
    actions = [results.get(timeout=120) for _ in workers]
    for w in workers:
        w.join(timeout=60)
        assert w.exitcode == 0
    return actions


def _counts():
    tickets = db.session.scalar(select(func.count()).select_from(Ticket))
    rows = db.session.execute(select(InboundMail.message_id, InboundMail.mailbox, InboundMail.action,
                                     InboundMail.ticket_id)).all()
    return tickets, rows


def test_the_same_message_in_two_processes_at_once_is_one_ticket(shared_app, shared_config):
    raws = [build(subject=f"Fråga {n}", body=f"Hej, var är min order 70-{10000 + n}-11?") for n in range(ROUNDS)]
    actions = _in_two_processes(shared_config, [(raw, "help-se@example.com") for raw in raws])
    assert sorted(a for both in actions for a in both) == ["created"] * ROUNDS + ["ignored"] * ROUNDS
    tickets, rows = _counts()
    assert tickets == ROUNDS
    assert len(rows) == ROUNDS and {r.action for r in rows} == {"created"}


def test_one_message_at_two_addresses_in_two_processes_at_once_is_one_ticket(shared_app, shared_config):
    raws = [build(to="help-se@example.com, cancel@example.se", subject=f"Avboka {n}",
                  body=f"Hej, avboka order 70-{20000 + n}-11.") for n in range(ROUNDS)]
    # each process takes each message at both addresses, the two in opposite order
    boxes = ("help-se@example.com", "cancel@example.se")
    actions = _in_two_processes(shared_config, [(raw, box) for raw in raws for box in boxes],
                                [(raw, box) for raw in raws for box in reversed(boxes)])
    assert actions[0].count("created") + actions[1].count("created") == ROUNDS
    tickets, rows = _counts()
    assert tickets == ROUNDS
    per_message = {}
    for r in rows:
        per_message.setdefault(r.message_id, []).append(r)
    assert len(per_message) == ROUNDS
    for stored in per_message.values():       # one row per address, both on the one ticket
        assert sorted(r.mailbox for r in stored) == ["cancel@example.se", "help-se@example.com"]
        assert sorted(r.action for r in stored) == ["appended", "created"]
        assert len({r.ticket_id for r in stored}) == 1
