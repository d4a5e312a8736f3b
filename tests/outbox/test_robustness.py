"""One bad outbox row never stops the mail behind it (issue 19, item 1), against a real SMTP server (aiosmtpd).

A line break in a web form's subject or order number used to become a mail subject: Flask-Mail refused it
(BadHeaderError), `flask mail send` crashed with that row and every row claimed with it left in "sending", and the
same row was claimed first again when the lease ran out, for ever.
"""
from datetime import timedelta
from email.header import decode_header, make_header

import pytest
from sqlalchemy import select

from support.extensions import db
from support.outbox import sender
from support.outbox import OutboxMail
from support.tickets.operations import Draft, open_ticket
from support.clock import utcnow

from ..tickets.conftest import form_fields

INJECTED = "Hej\r\nBcc: someone@example.com"
INJECTED_ORDER = "4400123\nBcc: other@example.com\r\nX-Evil: 1"


@pytest.fixture
def app_config(app_config, smtp_settings):
    return {**app_config, **smtp_settings, "MAIL_MAX_ATTEMPTS": 3}


def subject_of(message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def assert_no_injection(messages):
    for message in messages:
        assert message["Bcc"] is None and message["X-Evil"] is None
        assert "someone@example.com" not in message["X-RcptTo"] and "other@example.com" not in message["X-RcptTo"]
        assert "\n" not in subject_of(message) and "\r" not in subject_of(message)


def post_request(client, kind, email, **fields):
    response = client.post(f"/sv/contact/{kind}", data=form_fields(kind, email=email, **fields))
    assert response.status_code == 302, response.get_data(as_text=True)


def test_a_line_break_in_a_form_does_not_stop_the_mail_behind_it(app, client, smtp):
    post_request(client, "other", "bad@example.se", subject=INJECTED, order_numbers=INJECTED_ORDER)
    for n in range(3):
        post_request(client, "cancellation", f"kund{n}@example.se")

    first = app.test_cli_runner().invoke(args=["mail", "send"])
    assert first.exit_code == 0, first.output
    assert "sent 4, deferred 0, failed 0" in first.output
    assert sorted(m["To"] for m in smtp.messages) == ["bad@example.se"] + [f"kund{n}@example.se" for n in range(3)]
    assert_no_injection(smtp.messages)
    bad = next(m for m in smtp.messages if m["To"] == "bad@example.se")
    assert "Hej Bcc: someone@example.com" in subject_of(bad)     # folded where it entered: on one line, harmless

    second = app.test_cli_runner().invoke(args=["mail", "send"])
    assert second.exit_code == 0 and "sent 0, deferred 0, failed 0" in second.output
    assert len(smtp.messages) == 4


def test_a_subject_stored_with_a_line_break_is_folded_when_the_mail_is_built(app, smtp):
    """Rows written before the form rule (or by another path) still go out, on one line."""
    open_ticket(Draft(market="se", language="sv", channel="web", category="other", subject=INJECTED, body="Hej",
                      customer_email="bad@example.se", order_numbers=INJECTED_ORDER), now=utcnow())
    row = db.session.scalar(select(OutboxMail))
    row.headers = {**row.headers, "X-Note": "a\r\nBcc: someone@example.com", "Bad: Name": "x"}
    db.session.commit()

    report = sender.send_due()
    assert (report.sent, report.deferred, report.failed) == (1, 0, 0)
    assert_no_injection(smtp.messages)
    assert smtp.messages[0]["X-Note"] == "a Bcc: someone@example.com"
    assert smtp.messages[0]["Bad"] is None


def queue_rows(n, overrides=None):
    rows = [OutboxMail(**{"kind": "acknowledgement", "sender": "support-se@ingrammicro.com",
                          "recipient": f"kund{i}@example.se", "subject": f"Tack {i}", "body_text": "Hej",
                          "headers": {}, "message_id": f"<row{i}@example.test>", **(overrides or {}).get(i, {})})
            for i in range(n)]
    db.session.add_all(rows)
    db.session.commit()
    return rows


def test_a_row_that_fails_for_any_reason_backs_off_and_is_finally_failed(app, smtp):
    """A row whose own data breaks the build (here: headers that are not a mapping) is deferred alone."""
    bad, *good = queue_rows(4, {0: {"headers": ["not", "a", "mapping"]}})
    now = utcnow()

    report = sender.send_due(now=now)
    assert (report.sent, report.deferred, report.failed) == (3, 1, 0)
    assert sorted(m["To"] for m in smtp.messages) == [r.recipient for r in good]
    db.session.refresh(bad)
    assert bad.status == "pending" and bad.attempts == 1 and "Error" in bad.last_error
    assert bad.next_attempt_at == now + timedelta(seconds=60)          # backed off, not first in line again
    assert sender.send_due(now=now + timedelta(seconds=30)).deferred == 0

    later = now
    for _attempt in range(2):                                           # MAIL_MAX_ATTEMPTS = 3
        later += timedelta(hours=2)
        last = sender.send_due(now=later)
    db.session.refresh(bad)
    assert (last.failed, bad.status, bad.attempts) == (1, "failed", 3)
    assert sender.claim(10, later + timedelta(days=1)) == []           # never claimed again
    assert len(smtp.messages) == 3


def test_a_row_that_kills_its_worker_runs_out_of_attempts(app):
    """A row left "sending" past its lease (its worker died in the send) counts that attempt too."""
    (row,) = queue_rows(1)
    now = utcnow()
    for attempt in range(1, 4):                                         # claimed, then the worker "dies"
        assert [r.id for r in sender.claim(10, now)] == [row.id]
        assert row.attempts == attempt
        now += sender.LEASE + timedelta(seconds=1)
    assert sender.claim(10, now) == []
    db.session.refresh(row)
    assert row.status == "failed" and row.last_error


def test_mail_send_exits_non_zero_when_nothing_due_could_be_sent(app):
    queue_rows(2)                                        # nothing listens on the SMTP port
    result = app.test_cli_runner().invoke(args=["mail", "send"])
    assert result.exit_code == 75, result.output
    assert "sent 0, deferred 2" in result.output
    nothing_due = app.test_cli_runner().invoke(args=["mail", "send"])
    assert nothing_due.exit_code == 0 and "sent 0, deferred 0, failed 0" in nothing_due.output
