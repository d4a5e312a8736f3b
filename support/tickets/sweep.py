"""Orphan upload files: on disk under UPLOAD_DIR, but no Attachment row names them.

Intake writes a request's files before its commit and deletes them again when the commit fails
(intake._commit_with_files), but a process killed between the two leaves them behind, unseen and never served.
Only files older than `min_age` are touched, so a request still writing its files is never swept from under it.
"""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from ..extensions import db
from .models import Attachment

log = logging.getLogger(__name__)
MIN_AGE = timedelta(hours=1)            # far longer than any request that writes files
EVERY = timedelta(days=1)               # how often the worker sweeps


@dataclass
class Swept:
    removed: list[str] = field(default_factory=list)     # names relative to UPLOAD_DIR, as Attachment stores them
    size: int = 0


def _old_files(root: Path, before: datetime) -> list[tuple[str, int]]:
    """(relative name, size) of every regular file under root last changed before `before`."""
    found = []
    for folder, _dirs, files in os.walk(root):
        for name in files:
            path = Path(folder) / name
            info = path.lstat()
            if path.is_file() and not path.is_symlink() and datetime.fromtimestamp(info.st_mtime, UTC) < before:
                found.append((path.relative_to(root).as_posix(), info.st_size))
    return found


def _recorded_names() -> set[str]:
    """Every file name an Attachment row holds (files and thumbnails; merged tickets keep their old folder)."""
    names: set[str] = set()
    for stored, thumb in db.session.execute(select(Attachment.stored_name, Attachment.thumb_name)):
        names.add(stored)
        if thumb:
            names.add(thumb)
    return names


def sweep(upload_dir: str | os.PathLike, *, now: datetime, min_age: timedelta = MIN_AGE,
          dry_run: bool = False) -> Swept:
    """Delete (or with dry_run only list) the orphan files older than min_age, and folders left empty."""
    root = Path(upload_dir)
    if not root.is_dir():
        return Swept()
    candidates = _old_files(root, now - min_age)
    recorded = _recorded_names()        # read after the listing: a file committed meanwhile is in it
    swept = Swept()
    for name, size in candidates:
        if name in recorded:
            continue
        swept.removed.append(name)
        swept.size += size
        if not dry_run:
            (root / name).unlink(missing_ok=True)
    if not dry_run:
        for folder in {(root / name).parent for name in swept.removed}:
            if folder != root and folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
    return swept


class Daily:
    """The worker's once-a-day sweep: due at start-up, then every EVERY."""

    def __init__(self):
        self.next_at: datetime | None = None

    def run_if_due(self, upload_dir: str | os.PathLike, now: datetime) -> Swept | None:
        if self.next_at is not None and now < self.next_at:
            return None
        self.next_at = now + EVERY
        swept = sweep(upload_dir, now=now)
        if swept.removed:
            log.info("swept %d orphan upload files (%d bytes)", len(swept.removed), swept.size)
        return swept


def worker_job() -> None:
    """The worker's job: the sweep, once a day per worker process (at its start, then every EVERY)."""
    # the file system's clock, not clock.now(): a frozen test clock must not make fresh files look old
    current_app.extensions["upload_sweep"].run_if_due(current_app.config["UPLOAD_DIR"], datetime.now(UTC))
