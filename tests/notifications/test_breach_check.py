"""The worker's breach check: each running target about to be missed is told once, also when two workers run
the check at the same moment on PostgreSQL (two threads, two sessions, one real cluster); an urgent breach is
escalated to the queue's lead once and marked on the ticket."""
import os
import subprocess
import tempfile
import threading
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import func, select

from support import create_app
from support.agent import accounts
from support.extensions import db
from support.notifications import breaches, mailing
from support.notifications.models import Notification, SlaAlert
from support.outbox import OutboxMail
from support.tickets.models import Event, Ticket
from support.tickets.operations import Draft, open_ticket
from tests.conftest import PG_SCRIPT, free_port

MONDAY_0830 = datetime(2026, 3, 2, 7, 30, tzinfo=UTC)       # the opening in Stockholm


def urgent_ticket(n: int, at: datetime) -> Ticket:
    return open_ticket(Draft(market="se", language="sv", channel="web", category="cancellation",
                             subject=f"Makulera order {n}", body="Makulera, tack.", customer_email=f"k{n}@kund.se"),
                       now=at)


def test_a_warning_is_told_once_per_ticket_and_target_and_an_urgent_breach_goes_to_the_lead(app):
    app.config.update(SLA_QUEUE_LEADS={"cancellations": "lead@example.test"}, NOTIFY_GATHER_SECONDS=0)
    eva = accounts.create_agent("eva@example.test", "Eva", "a long enough password", markets="se")
    lead = accounts.create_agent("lead@example.test", "Lea", "a long enough password", markets="se",
                                 queues="order-status")
    ticket = urgent_ticket(1, MONDAY_0830)                            # first response due 09:30 (60 min)
    assert breaches.check(MONDAY_0830 + timedelta(minutes=20)) == 0  # 40 min left: not yet
    assert breaches.check(MONDAY_0830 + timedelta(minutes=31)) == 1  # 29 min left: warn
    assert breaches.check(MONDAY_0830 + timedelta(minutes=45)) == 0  # told already
    warned = db.session.scalars(select(Notification.agent_id).where(Notification.kind == "breach_warning")).all()
    assert warned == [eva.id]                                         # unassigned: the queue's workers
    assert breaches.check(MONDAY_0830 + timedelta(minutes=61)) == 1  # breached: escalated
    assert breaches.check(MONDAY_0830 + timedelta(minutes=90)) == 0
    assert db.session.scalars(select(Notification.agent_id).where(Notification.kind == "escalation")).all() == [lead.id]
    assert [e.data for e in db.session.scalars(select(Event).where(Event.action == "escalated"))] == \
        [{"target": "first", "lead": lead.email}]
    assert db.session.scalar(select(func.count()).select_from(SlaAlert)) == 2
    assert ticket.reference


@pytest.fixture(scope="module")
def postgresql_url(database_uri):
    """A fresh database on a real PostgreSQL: the suite's cluster when it runs on one, else one started here."""
    started = None
    if database_uri.startswith("postgresql"):
        server = database_uri
    else:
        folder, port = tempfile.mkdtemp(prefix="pg-breach-"), free_port()
        os.chmod(folder, 0o755)
        subprocess.run(["sh", str(PG_SCRIPT), "start", folder, str(port)], check=True, capture_output=True)
        server, started = f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres", folder
    name = f"breach_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()
        if started:
            subprocess.run(["sh", str(PG_SCRIPT), "stop", started], check=False, capture_output=True)


def test_two_workers_checking_at_once_on_postgresql_send_each_warning_once(app_config, postgresql_url):
    pg = create_app({**app_config, "SQLALCHEMY_DATABASE_URI": postgresql_url, "NOTIFY_GATHER_SECONDS": 0})
    tickets = 30
    with pg.app_context():
        db.create_all()
        agents = [accounts.create_agent(f"a{n}@example.test", f"A{n}", "a long enough password", markets="se").email
                  for n in range(2)]
        for n in range(tickets):
            urgent_ticket(n, MONDAY_0830)
        db.session.execute(sa.delete(Notification))                  # the "new urgent" ones: not under test
        db.session.commit()
    check_at, errors = MONDAY_0830 + timedelta(minutes=35), []
    start = threading.Barrier(2)

    def worker(job):
        try:
            with pg.app_context():                                    # its own session and connection
                start.wait()
                job(check_at)
                db.session.remove()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    for job in (breaches.check, mailing.mail_due):                   # both workers check, then both mail
        threads = [threading.Thread(target=worker, args=(job,)) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        start.reset()
    assert errors == []
    with pg.app_context():
        try:
            assert db.session.scalar(select(func.count()).select_from(SlaAlert)) == tickets
            warned = db.session.execute(select(Notification.agent_id, Notification.ticket_id)
                                        .where(Notification.kind == "breach_warning")).all()
            assert len(warned) == len(set(warned)) == tickets * len(agents)
            mails = db.session.scalars(select(OutboxMail).where(OutboxMail.kind == "notification")).all()
            for agent in agents:
                theirs = [m for m in mails if m.recipient == agent]
                refs = [line for m in theirs for line in m.body_text.splitlines() if "/agent/tickets/" in line]
                assert len(refs) == len(set(refs)) == tickets, "each warning mailed once to each agent"
        finally:
            db.session.remove()
            db.drop_all()
            db.engine.dispose()
