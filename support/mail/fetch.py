"""Polling IMAP mailboxes (imap-tools): every unseen message is ingested, then marked seen or moved.

A message is marked only after its database commit. If the connection is lost in between, the next run fetches
it again and the duplicate check answers "already received" before it is marked: nothing lost, nothing twice.
A message that fails because of its content is kept as rejected and marked like any other (failures.py); only
when the database or the disk is away is it left unseen, and the round for that mailbox ends, to be retried.

`flask mail fetch --workers N` fetches in N forked processes at once: process i takes the unseen messages whose
UID is i modulo N, of every mailbox, so no message is fetched by two of them; ingest itself is safe when two
processes do take one message (a copy delivered twice, or one mail at two of our addresses): one ticket.
"""
from __future__ import annotations

import logging
import multiprocessing
import zlib
from dataclasses import dataclass

from flask import current_app
from imap_tools import AND, MailBox, MailBoxStartTls, MailBoxUnencrypted, MailMessageFlags
from sqlalchemy import text

from ..extensions import db
from .failures import TemporaryFailure, ingest_or_keep
from .ingest import Outcome

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Account:
    mailbox: str                  # the intake address the folder belongs to
    host: str
    user: str
    port: int | None = None
    tls: str = "ssl"              # ssl | starttls | none
    password: str | None = None
    oauth2_token: str | None = None
    folder: str = "INBOX"
    move_to: str | None = None    # move handled mail here instead of flagging it \Seen
    timeout: float = 60


def accounts() -> list[Account]:
    """IMAP_ACCOUNTS entries plus any "imap" settings inside MAILBOXES entries."""
    config = current_app.config
    specs = [dict(spec) for spec in config["IMAP_ACCOUNTS"] or []]
    for address, box in (config["MAILBOXES"] or {}).items():
        if isinstance(box, dict) and box.get("imap"):
            specs.append({"mailbox": address, **box["imap"]})
    return [_account(spec) for spec in specs]


def _account(spec: dict) -> Account:
    tls = spec.get("tls", "ssl")
    tls = {True: "ssl", False: "none"}.get(tls, tls) if isinstance(tls, bool) else str(tls).lower()
    if tls not in ("ssl", "starttls", "none"):
        raise ValueError(f"IMAP account {spec.get('mailbox')}: tls must be ssl, starttls or none, not {tls!r}")
    known = set(Account.__dataclass_fields__)
    values = {k: v for k, v in spec.items() if k in known}
    return Account(**{**values, "mailbox": spec["mailbox"].lower(), "tls": tls})


def connect(account: Account):
    """A logged-in imap-tools mailbox on the account's folder."""
    if account.tls == "ssl":
        box = MailBox(account.host, port=account.port or 993, timeout=account.timeout)
    elif account.tls == "starttls":
        box = MailBoxStartTls(account.host, port=account.port or 143, timeout=account.timeout)
    else:
        box = MailBoxUnencrypted(account.host, port=account.port or 143, timeout=account.timeout)
    if account.oauth2_token:
        return box.xoauth2(account.user, account.oauth2_token, initial_folder=account.folder)
    return box.login(account.user, account.password or "", initial_folder=account.folder)


@dataclass(frozen=True)
class Share:
    """Which of a mailbox's messages one of N fetching processes takes: those whose UID is `index` modulo `of`."""
    index: int = 0
    of: int = 1

    def takes(self, uid: str) -> bool:
        return self.of == 1 or int(uid) % self.of == self.index


def fetch_account(account: Account, *, limit: int | None = None, share: Share = Share()) -> list[Outcome]:
    """Ingest the account's unseen mail (this process's share of it), marking each message after its commit."""
    outcomes = []
    with _claimed(account, share) as mine:
        if not mine:
            log.info("mailbox %s is being fetched by another worker", account.mailbox)
            return outcomes
        box = connect(account)
        try:
            for uid in [u for u in box.uids(AND(seen=False)) if share.takes(u)][:limit]:
                raw = _raw(box, uid)
                if raw is None:
                    continue          # expunged meanwhile
                try:
                    outcomes.append(ingest_or_keep(raw, mailbox=account.mailbox))
                except TemporaryFailure as exc:   # left unseen: the next round fetches it again
                    log.warning("mailbox %s: message %s left for the next round: %s", account.mailbox, uid, exc)
                    break
                _mark(box, uid, account)
            box.logout()
        finally:
            _close(box)
    return outcomes


def _close(box) -> None:
    """Release the socket even when the connection died (logout cannot run then)."""
    try:
        box.client.shutdown()
    except OSError:
        pass


def _raw(box, uid: str) -> bytes | None:
    """The exact bytes of one message, without setting \\Seen (BODY.PEEK)."""
    status, data = box.client.uid("FETCH", uid, "(BODY.PEEK[])")
    if status != "OK":
        return None
    return next((item[1] for item in data if isinstance(item, tuple)), None)


def _mark(box, uid: str, account: Account) -> None:
    if account.move_to:
        box.move(uid, account.move_to)
    else:
        box.flag(uid, MailMessageFlags.SEEN, True)


class _claimed:
    """On PostgreSQL, an advisory lock per mailbox (and share) so that only one worker fetches it; elsewhere
    always ours."""

    def __init__(self, account: Account, share: Share = Share()) -> None:
        name = account.mailbox if share.of == 1 else f"{account.mailbox}#{share.index}/{share.of}"
        self.key = zlib.crc32(name.encode()) & 0x7FFFFFFF
        self.conn = None

    def __enter__(self) -> bool:
        if db.engine.dialect.name != "postgresql":
            return True
        self.conn = db.engine.connect()
        return bool(self.conn.scalar(text("SELECT pg_try_advisory_lock(:k)"), {"k": self.key}))

    def __exit__(self, *exc) -> None:
        if self.conn is not None:
            self.conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": self.key})
            self.conn.close()


def fetch_all() -> None:
    """The worker's mail job: fetch every mailbox; a failing one does not stop the others."""
    for account in accounts():
        try:
            fetch_account(account)
        except Exception as exc:  # noqa: BLE001 - a server down is retried next round
            db.session.rollback()
            log.warning("fetching %s failed: %s: %s", account.mailbox, type(exc).__name__, exc)


def fetch_in_processes(workers: int, *, limit: int | None = None) -> list[tuple[str, Outcome]]:
    """Fetch every mailbox in `workers` forked processes at once, each its share of the messages (a UID
    partition); (mailbox, outcome) pairs, process by process. Each process has its own database connections."""
    if db.engine.url.database in (None, "", ":memory:"):
        raise ValueError("several fetching processes need a database they can all open, not an in-memory one")
    app = current_app._get_current_object()
    db.session.remove()               # nothing of this process's session or pool crosses the fork
    db.engine.dispose()
    # one share per process (maxtasksperchild): a process that finished its share does not take another's
    with multiprocessing.get_context("fork").Pool(workers, initializer=_forked, initargs=(app,),
                                                  maxtasksperchild=1) as pool:
        shares = pool.map(_fetch_share, [(Share(i, workers), limit) for i in range(workers)])
    return [pair for share in shares for pair in share]


_app = None


def _forked(app) -> None:
    global _app
    _app = app
    with app.app_context():
        db.engine.dispose(close=False)    # the parent's pooled connections stay the parent's


def _fetch_share(job: tuple[Share, int | None]) -> list[tuple[str, Outcome]]:
    share, limit = job
    with _app.app_context():
        try:
            return [(account.mailbox, outcome) for account in accounts()
                    for outcome in fetch_account(account, limit=limit, share=share)]
        finally:
            db.session.remove()
