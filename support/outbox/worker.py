"""The worker loop: run the periodic jobs it is given (fetching mail, sending the outbox), sleep, repeat.

One worker at a time on SQLite (a lock file); any number on PostgreSQL, where rows are claimed with SKIP LOCKED.
"""
from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import tempfile
import time
from collections.abc import Callable, Sequence

from ..extensions import db
from . import sender

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


def run_once(jobs: Sequence[Callable[[], object]]) -> None:
    """One round: every job in order (fetch the mailboxes, send the outbox ...); a failing job does not stop
    the others, and is tried again next round."""
    for job in jobs:
        try:
            job()
        except Exception as exc:  # noqa: BLE001 - a server or the database briefly away is retried next round
            db.session.rollback()
            log.warning("%s failed: %s: %s", getattr(job, "__name__", job), type(exc).__name__, exc)


def send_outbox() -> None:
    """The outbox's own job: send what is due, and say so in the log."""
    report = sender.send_due()
    if report.sent or report.deferred or report.failed:
        log.info("outbox: sent %d, deferred %d, failed %d", report.sent, report.deferred, report.failed)


def run(jobs: Sequence[Callable[[], object]], *, once: bool, interval: float) -> None:
    """Run the jobs round after round, `interval` seconds apart (one round with `once`)."""
    while True:
        run_once(jobs)
        if once:
            return
        time.sleep(interval)
