"""Sign-in throttling per client address and typed e-mail address, with a growing delay instead of a lock.

A hard lock per account let anyone lock any agent out by typing wrong passwords for the agent's address. Here
failures count per (client address, typed address) pair: after LOGIN_FREE_FAILURES failures that pair must
wait LOGIN_DELAY_SECONDS before the next try, twice as long after each further failure, at most
LOGIN_MAX_DELAY_SECONDS. A stranger only slows down their own tries; the agent at their own address is not
affected. Guessing from one address across many accounts is bounded by the per-address rate limit on the
sign-in pages (LOGIN_RATE_LIMIT), and guessing one account from many addresses by the password rule (about
10^8 guesses at least, support/agent/passwords.py) and, for admins, the second factor.

Unknown addresses are counted exactly like real ones, so the answers (and their timing) do not tell which
agent addresses exist. A successful sign-in forgets its pair; rows untouched for a day are swept.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from .models import SignInFailure

FORGET_AFTER = timedelta(days=1)


def _key(client: str | None, account: str) -> tuple[str, str]:
    return (client or "unknown")[:64], account.strip().lower()[:320]


def _row(client: str | None, account: str) -> SignInFailure | None:
    client, account = _key(client, account)
    return db.session.scalar(select(SignInFailure).where(SignInFailure.client == client,
                                                         SignInFailure.account == account))


def delay_after(failures: int) -> timedelta:
    """How long a pair must wait after this many failures in a row."""
    config = current_app.config
    extra = failures - config["LOGIN_FREE_FAILURES"]
    if extra < 0:
        return timedelta(0)
    seconds = min(config["LOGIN_DELAY_SECONDS"] * 2 ** min(extra, 30), config["LOGIN_MAX_DELAY_SECONDS"])
    return timedelta(seconds=seconds)


def wait(client: str | None, account: str, *, now: datetime) -> int:
    """Seconds this client must still wait before trying this address again (0: it may try now)."""
    row = _row(client, account)
    if row is None:
        return 0
    left = row.last_failed_at + delay_after(row.failures) - now
    return max(0, int(left.total_seconds() + 0.999))


def record_failure(client: str | None, account: str, *, now: datetime) -> None:
    """Count one failure for the pair (the caller commits) and sweep pairs nobody has tried for a day."""
    db.session.execute(delete(SignInFailure).where(SignInFailure.last_failed_at < now - FORGET_AFTER))
    row = _row(client, account)
    if row is None:
        client_key, account_key = _key(client, account)
        try:
            with db.session.begin_nested():       # another request may insert the same pair at the same moment
                db.session.add(SignInFailure(client=client_key, account=account_key, failures=1, last_failed_at=now))
            return
        except IntegrityError:
            row = _row(client, account)
    row.failures += 1
    row.last_failed_at = now


def forget(client: str | None, account: str) -> None:
    """A successful sign-in: this pair starts afresh (the caller commits)."""
    client, account = _key(client, account)
    db.session.execute(delete(SignInFailure).where(SignInFailure.client == client, SignInFailure.account == account))


def forget_account(account: str) -> None:
    """A new password set by an admin: every client may try this address afresh (the caller commits)."""
    db.session.execute(delete(SignInFailure).where(SignInFailure.account == account.strip().lower()))
