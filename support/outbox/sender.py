"""The outbox sender: delivers queued mail with Flask-Mail, retrying with exponential back-off, never twice.

A row is claimed (status "sending") in its own commit before the SMTP conversation and marked "sent" right after
it, so a second worker never picks it up. PostgreSQL workers claim with SELECT ... FOR UPDATE SKIP LOCKED;
SQLite runs one worker (see worker.py). A row left "sending" by a crashed worker is retried after a lease, with
the same Message-ID, so a receiver can still tell the copies apart.
"""
from __future__ import annotations

import logging
import re
import smtplib
import socket
from dataclasses import dataclass
from pathlib import Path
from datetime import datetime, timedelta

from flask import current_app
from flask_mail import Message
from sqlalchemy import func, or_, select, update

from ..extensions import db, mail
from ..clock import utcnow
from ..headers import one_line
from .models import OutboxMail

log = logging.getLogger(__name__)
LEASE = timedelta(minutes=15)          # longer than any SMTP conversation
HEADER_NAME = re.compile(r"[!-9;-~]{1,76}")   # RFC 5322 field name: printable ASCII except the colon


@dataclass
class Report:
    sent: int = 0
    deferred: int = 0
    failed: int = 0


def backoff(attempts: int, base: int, cap: int) -> timedelta:
    """Seconds to wait after the n-th failed attempt: base, 2*base, 4*base ... at most cap."""
    return timedelta(seconds=min(cap, base * 2 ** max(0, attempts - 1)))


def claim(limit: int, now: datetime) -> list[OutboxMail]:
    """Take up to `limit` due rows for this worker (one commit); other workers skip them.

    The attempt is counted here, before the SMTP conversation, so that a row that kills its worker every time
    (and so never reaches _defer) still runs out of attempts instead of being re-claimed forever.
    """
    expired = (OutboxMail.status == "sending") & (OutboxMail.next_attempt_at <= now - LEASE)
    db.session.execute(update(OutboxMail).where(expired, OutboxMail.attempts >= max_attempts())
                       .values(status="failed", last_error=func.coalesce(OutboxMail.last_error,
                                                                         "the worker stopped while sending it")))
    due = (select(OutboxMail.id)
           .where(or_((OutboxMail.status == "pending") & (OutboxMail.next_attempt_at <= now), expired))
           .order_by(OutboxMail.next_attempt_at, OutboxMail.id).limit(limit)
           .with_for_update(skip_locked=True))
    ids = list(db.session.scalars(due))
    if ids:
        db.session.execute(update(OutboxMail).where(OutboxMail.id.in_(ids))
                           .values(status="sending", next_attempt_at=now, attempts=OutboxMail.attempts + 1))
    db.session.commit()
    return list(db.session.scalars(select(OutboxMail).where(OutboxMail.id.in_(ids)).order_by(OutboxMail.id)))


def max_attempts() -> int:
    return current_app.config["MAIL_MAX_ATTEMPTS"]


def send_due(*, now: datetime | None = None, limit: int = 50) -> Report:
    """Send every due outbox row once; failures are rescheduled with back-off or, when hopeless, marked failed.

    A failure of one row (whatever its cause) is recorded on that row and never stops the rows behind it; only a
    lost connection defers the rest of the batch.
    """
    now = now or utcnow()
    report = Report()
    rows = claim(limit, now)
    if not rows:
        return report
    try:
        with mail.connect() as conn:
            for row in rows:
                _send_one(conn, row, report, now)
    except (OSError, smtplib.SMTPException) as exc:    # server down or dropped the connection: retry later
        for row in rows:
            if row.status == "sending":
                _defer(row, exc, report, now)
    return report


def _send_one(conn, row: OutboxMail, report: Report, now: datetime) -> None:
    try:
        conn.send(build(row))
    except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused) as exc:
        _fail(row, exc, report)
        return
    except smtplib.SMTPResponseException as exc:
        if exc.smtp_code >= 500:
            _fail(row, exc, report)
            return
        raise
    except (OSError, smtplib.SMTPException):
        raise                           # the connection is gone: send_due defers this row and the rest
    except Exception as exc:  # noqa: BLE001 - this row's own fault (its headers, its data): retried later, alone
        log.warning("outbox mail %s not sent: %s: %s", row.id, type(exc).__name__, exc)
        _defer(row, exc, report, now)
        return
    row.status, row.sent_at = "sent", utcnow()
    db.session.commit()                 # right after the SMTP DATA: the window for a double send is this commit
    report.sent += 1


def _defer(row: OutboxMail, exc: Exception, report: Report, now: datetime) -> None:
    config = current_app.config
    row.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    if row.attempts >= config["MAIL_MAX_ATTEMPTS"]:
        row.status = "failed"
        report.failed += 1
    else:
        row.status = "pending"
        row.next_attempt_at = now + backoff(row.attempts, config["MAIL_RETRY_BASE_SECONDS"],
                                                 config["MAIL_RETRY_MAX_SECONDS"])
        report.deferred += 1
    db.session.commit()


def _fail(row: OutboxMail, exc: Exception, report: Report) -> None:
    row.status, row.last_error = "failed", f"{type(exc).__name__}: {exc}"[:2000]
    db.session.commit()
    report.failed += 1


def build(row: OutboxMail) -> Message:
    """The Flask-Mail message of a row: text and HTML parts, our Message-ID and threading headers.

    Every header value is put on one line here, whatever the row holds: a line break would either forge a header
    or make Flask-Mail refuse the message (BadHeaderError) on every attempt.
    """
    headers = {name: _header_value(name, value) for name, value in dict(row.headers or {}).items()
               if HEADER_NAME.fullmatch(str(name))}
    msg = Message(subject=one_line(row.subject), sender=one_line(row.sender), recipients=[one_line(row.recipient)],
                  body=row.body_text, html=row.body_html, extra_headers=headers)
    msg.msgId = one_line(row.message_id)
    for item in row.attachments or ():   # a missing file fails the send like any error: the row backs off
        path = Path(current_app.config["UPLOAD_DIR"]) / item["path"]
        msg.attach(one_line(item["filename"]), item["mime_type"], path.read_bytes())
    return msg


def _header_value(name: str, value) -> str:
    """One line; a threading header keeps only ASCII ids: a customer's non-ASCII Message-ID, quoted back in a
    reply's References, made the message impossible to serialise (UnicodeEncodeError) on every attempt."""
    text = one_line(str(value))
    if name.lower() in ("in-reply-to", "references"):
        text = " ".join(token for token in text.split() if token.isascii())
    return text


def connect_timeout() -> None:
    """smtplib waits forever by default; the worker must not hang on a half-open server."""
    socket.setdefaulttimeout(current_app.config["MAIL_TIMEOUT_SECONDS"])
