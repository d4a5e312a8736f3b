"""The outbox against a real SMTP server (aiosmtpd on loopback): down, then up; every mail delivered once."""
from datetime import timedelta
from email.header import decode_header, make_header

import pytest
from sqlalchemy import select

from support.extensions import db
from tests.conftest import running
from support.outbox import sender
from support.mail.ingest import ingest
from support.outbox import OutboxMail
from support.clock import utcnow

from ..conftest import smtp_capture
from tests.mail.conftest import build


@pytest.fixture
def app_config(app_config, smtp_settings):
    return {**app_config, **smtp_settings, "MAIL_RETRY_BASE_SECONDS": 60}


def test_backoff_doubles_up_to_the_cap():
    assert [sender.backoff(n, 60, 600).seconds for n in (1, 2, 3, 4, 5)] == [60, 120, 240, 480, 600]


def test_smtp_down_then_up_delivers_every_acknowledgement_once(app, smtp_port):
    senders = [f"kund{n}@foretag{n}.se" for n in range(3)]
    for address in senders:
        assert ingest(build(sender=address, body=f"Hej från {address}")).action == "created"
    now = utcnow()

    down = sender.send_due(now=now)                      # nothing listens on the port
    assert (down.sent, down.deferred) == (0, 3)
    rows = db.session.scalars(select(OutboxMail)).all()
    assert {(r.status, r.attempts) for r in rows} == {("pending", 1)}
    assert all(r.next_attempt_at == now + timedelta(seconds=60) and "Error" in r.last_error for r in rows)
    assert sender.send_due(now=now + timedelta(seconds=30)).deferred == 0    # back-off is respected

    with smtp_capture(smtp_port) as handler:
        up = sender.send_due(now=now + timedelta(seconds=61))
        again = sender.send_due(now=now + timedelta(hours=2))
    assert (up.sent, again.sent, again.deferred) == (3, 0, 0)
    assert sorted(m["To"] for m in handler.messages) == senders
    ids = {r.message_id for r in db.session.scalars(select(OutboxMail))}
    assert {m["Message-ID"].strip() for m in handler.messages} == ids     # long ids arrive folded
    first = handler.messages[0]
    assert first["Auto-Submitted"] == "auto-replied"       # our acknowledgements must not trigger auto-replies
    assert "[SE-" in str(make_header(decode_header(first["Subject"])))
    assert {r.status for r in db.session.scalars(select(OutboxMail))} == {"sent"}


def test_rows_are_claimed_once(app):
    ingest(build())
    now = utcnow()
    claimed = sender.claim(10, now)
    assert len(claimed) == 1 and claimed[0].status == "sending"
    assert sender.claim(10, now) == []                              # another worker finds nothing
    assert len(sender.claim(10, now + sender.LEASE + timedelta(seconds=1))) == 1   # a crashed worker's lease ends


@pytest.fixture
def sqlite_app(app_config, tmp_path):
    """This test is about SQLite, also when the suite runs on PostgreSQL."""
    yield from running({**app_config, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/worker.db"})


def test_sqlite_allows_a_single_worker(sqlite_app):
    from support.outbox import worker
    with worker.single_worker_lock():
        result = sqlite_app.test_cli_runner().invoke(args=["worker", "--once"])
    assert result.exit_code == 1 and "only one worker" in result.output
