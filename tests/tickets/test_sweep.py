"""The sweep of orphan upload files (issue 19, item 6): what a crash between writing a photo and the commit leaves."""
import os
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from support.extensions import db
from support.tickets import photos, sweep
from support.tickets.photos import Upload


def age(path: Path, hours: float) -> None:
    stamp = time.time() - hours * 3600
    os.utime(path, (stamp, stamp))


@pytest.fixture
def uploads(app, make_ticket, jpeg, tmp_path):
    """A ticket with a recorded photo, and the files a crash left: an old orphan (with thumbnail), a fresh one."""
    root = Path(app.config["UPLOAD_DIR"])
    ticket = make_ticket(uploads=[Upload("skada.jpg", jpeg)])
    recorded = ticket.attachments[0]
    crashed = photos.store(photos.check_photo(Upload("b.jpg", jpeg)), ticket.reference, root)   # never committed
    fresh = photos.store(photos.check_photo(Upload("c.jpg", jpeg)), ticket.reference, root)    # a request now
    lost = photos.store(photos.check_photo(Upload("d.jpg", jpeg)), "SE-999999", root)           # a whole folder
    for name in (recorded.stored_name, recorded.thumb_name, crashed.stored_name, crashed.thumb_name,
                 lost.stored_name, lost.thumb_name):
        age(root / name, 2)
    return {"root": root, "recorded": [recorded.stored_name, recorded.thumb_name],
            "orphans": sorted([crashed.stored_name, crashed.thumb_name, lost.stored_name, lost.thumb_name]),
            "fresh": [fresh.stored_name, fresh.thumb_name]}


def files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def test_the_cli_removes_old_orphans_only(app, uploads):
    root = uploads["root"]
    result = app.test_cli_runner().invoke(args=["tickets", "sweep-files"])
    assert result.exit_code == 0, result.output
    assert sorted(result.output.splitlines()[:-1]) == uploads["orphans"]
    assert "removed 4 orphan files" in result.output
    assert files(root) == set(uploads["recorded"] + uploads["fresh"])
    assert not (root / "SE-999999").exists()                     # the folder it left empty goes too


def test_a_dry_run_lists_and_keeps(app, uploads):
    result = app.test_cli_runner().invoke(args=["tickets", "sweep-files", "--dry-run"])
    assert result.exit_code == 0 and "would remove 4 orphan files" in result.output
    assert set(uploads["orphans"]) <= files(uploads["root"])


def test_a_file_moved_to_another_ticket_by_a_merge_is_kept(app, uploads, make_ticket):
    """A merge moves the row, not the file: the file stays in the first ticket's folder and is still recorded."""
    other = make_ticket(subject="Annan")
    from support.tickets.models import Attachment
    row = db.session.scalar(db.select(Attachment).where(Attachment.stored_name == uploads["recorded"][0]))
    row.ticket_id = other.id
    db.session.commit()
    sweep.sweep(uploads["root"], now=datetime.now(UTC))
    assert set(uploads["recorded"]) <= files(uploads["root"])


def test_the_worker_sweeps_once_a_day(app, uploads):
    daily, now = sweep.Daily(), datetime.now(UTC)
    assert len(daily.run_if_due(uploads["root"], now).removed) == 4
    assert daily.run_if_due(uploads["root"], now + timedelta(hours=23)) is None
    assert daily.run_if_due(uploads["root"], now + timedelta(days=1)) is not None


def test_no_upload_folder_yet(app, tmp_path):
    assert sweep.sweep(tmp_path / "none", now=datetime.now(UTC)).removed == []
