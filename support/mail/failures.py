"""Which intake failures are temporary: only the database or the disk being away. Everything else is the message.

A mail server piping into `flask mail ingest` retries a message for days when told "try again later" (exit 75),
and the IMAP fetcher leaves it unseen; that is right when the database is down or the upload disk is full, and
wrong for anything about the message itself, which would fail the same way on every retry until the sender
gets a bounce. So a message-caused failure is kept as rejected, with its raw bytes and the reason, for an agent
to review; only a transient one is raised, for the caller to retry.
"""
from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import exc as sa_exc

from ..extensions import db
from . import ingest as intake_mail
from .ingest import Outcome

log = logging.getLogger(__name__)


class TemporaryFailure(RuntimeError):
    """The database or the disk is unavailable: retry the message later, nothing of it was kept."""


def is_transient(error: BaseException) -> bool:
    """True when retrying later can succeed: the database is unreachable or refuses to work, or the upload
    directory cannot be written (a missing mount, a full or read-only disk)."""
    if isinstance(error, (sa_exc.OperationalError, sa_exc.DisconnectionError, sa_exc.TimeoutError)):
        return True
    if isinstance(error, sa_exc.DBAPIError) and error.connection_invalidated:
        return True
    # a system call's failure carries an errno; Pillow's and other parsers' OSErrors about bad data do not
    return isinstance(error, OSError) and error.errno is not None


def ingest_or_keep(raw: bytes, *, mailbox: str | None = None, now: datetime | None = None) -> Outcome:
    """ingest(); a failure caused by the message is kept as rejected with the reason, a transient one raises
    TemporaryFailure (the message's own outcome is then unknown, and it must be delivered again)."""
    try:
        return intake_mail.ingest(raw, mailbox=mailbox, now=now)
    except Exception as error:  # noqa: BLE001 - sorted below: retry, or keep with the reason
        db.session.rollback()
        if is_transient(error):
            raise TemporaryFailure(f"{type(error).__name__}: {_first_line(error)}") from error
        log.exception("intake of a message failed; kept as rejected for review")
        reason = f"could not be processed ({type(error).__name__}); kept for review"
    try:
        return intake_mail._reject(raw, mailbox, reason)   # noqa: SLF001 - the one way rejected mail is kept
    except Exception as error:  # noqa: BLE001 - not even the raw bytes could be stored
        db.session.rollback()
        raise TemporaryFailure(f"{type(error).__name__}: {_first_line(error)}") from error


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [""])[0][:200]
