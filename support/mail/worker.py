"""The worker loop: fetch every mailbox, send the due outbox, sleep; one at a time on SQLite."""
from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import tempfile
import time
from datetime import UTC, datetime

from flask import current_app

from ..extensions import db
from ..tickets import sweep
from . import fetch, sender

log = logging.getLogger(__name__)


class WorkerRunning(RuntimeError):
    """Another worker holds the SQLite lock."""


def single_worker_lock():
    """On SQLite, an exclusive lock file next to the database; PostgreSQL workers need none (SKIP LOCKED)."""
    if db.engine.dialect.name != "sqlite":
        return contextlib.nullcontext()
    path = _lock_path(db.engine.url.database)
    handle = open(path, "a+")  # noqa: SIM115 - held for the worker's lifetime
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise WorkerRunning(f"another worker is running (lock {path}); on SQLite only one worker may run, "
                            "use PostgreSQL to run several") from None
    return contextlib.closing(handle)


def _lock_path(database: str | None) -> str:
    """One lock per database file; an in-memory database lives in one process, so its lock is per engine."""
    if database and database != ":memory:":
        return os.path.abspath(database) + ".worker-lock"
    return os.path.join(tempfile.gettempdir(), f"support-worker-{os.getpid()}-{id(db.engine)}.lock")


def run_once() -> None:
    """One round: every mailbox, then the outbox; a failing mailbox does not stop the others."""
    for account in fetch.accounts():
        try:
            fetch.fetch_account(account)
        except Exception as exc:  # noqa: BLE001 - a server down is retried next round
            db.session.rollback()
            log.warning("fetching %s failed: %s: %s", account.mailbox, type(exc).__name__, exc)
    report = sender.send_due()
    if report.sent or report.deferred or report.failed:
        log.info("outbox: sent %d, deferred %d, failed %d", report.sent, report.deferred, report.failed)


def run(*, once: bool, interval: float) -> None:
    daily = sweep.Daily()             # orphan upload files, once a day (not per --once round: cron runs those often)
    while True:
        try:
            run_once()
            if not once:
                daily.run_if_due(current_app.config["UPLOAD_DIR"], datetime.now(UTC))
        except Exception as exc:  # noqa: BLE001 - the database may be briefly away; keep the worker alive
            db.session.rollback()
            log.warning("worker round failed: %s: %s", type(exc).__name__, exc)
        if once:
            return
        time.sleep(interval)
