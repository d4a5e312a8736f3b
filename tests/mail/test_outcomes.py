"""What becomes of a message: a ticket that reads as the sender wrote it, or kept with a reason; exit status 75
(try again later) only when the database or the disk is away."""
import json

from sqlalchemy import func, select

from support import create_app
from support.extensions import db
from support.mail import classify, failures
from support.mail.ingest import ingest
from support.mail.models import InboundMail
from support.tickets.models import Ticket

from .conftest import MAILBOXES, build

RFC6532 = ("From: Åsa Öberg <asa@example.se>\r\nTo: help-se@example.com\r\nSubject: Skadad leverans – order 4711\r\n"
           "Message-ID: <rfc6532.1@example.se>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
           "Content-Transfer-Encoding: 8bit\r\n\r\nKartongen var intryckt och två skärmar är spruckna.\r\n").encode()


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def run(runner, *files, mailbox="help-se@example.com"):
    result = runner.invoke(args=["mail", "ingest", "--json", "--mailbox", mailbox, *map(str, files)])
    return result.exit_code, [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]


def test_rfc6532_utf8_name_and_subject_read_exactly_as_sent(app, runner, tmp_path):
    path = tmp_path / "asa.eml"
    path.write_bytes(RFC6532)
    status, [outcome] = run(runner, path)
    assert (status, outcome["action"], outcome["category"]) == (0, "created", "damage")
    ticket = db.session.scalar(select(Ticket).where(Ticket.reference == outcome["ticket"]))
    assert (ticket.customer_name, ticket.subject) == ("Åsa Öberg", "Skadad leverans – order 4711")
    assert ticket.customer_email == "asa@example.se"


def test_a_message_over_the_size_limit_is_kept_with_the_reason_not_made_a_ticket(app):
    app.config["MAIL_MAX_BYTES"] = 4096
    raw = build(subject="Stora bilder", body="x" * 8000)
    out = ingest(raw)
    assert (out.action, count(Ticket)) == ("rejected", 0) and "over the limit" in out.reason
    row = db.session.scalar(select(InboundMail))
    assert (row.raw, row.subject, row.sender, row.mailbox) == (raw, "Stora bilder", "kund@foretag.se",
                                                                "help-se@example.com")


def test_a_failure_caused_by_the_message_is_kept_for_review_and_exits_0(app, runner, tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("a bug that this message triggers")
    monkeypatch.setattr(classify, "classify", broken)
    path = tmp_path / "one.eml"
    path.write_bytes(build(subject="Avboka", body="Avboka order 12-34567-89"))
    status, [outcome] = run(runner, path)
    assert (status, outcome["action"]) == (0, "rejected")
    assert outcome["reason"] == "could not be processed (ValueError); kept for review"
    row = db.session.scalar(select(InboundMail))
    assert (row.raw, row.action, count(Ticket)) == (path.read_bytes(), "rejected", 0)


def test_database_unavailable_is_a_temporary_failure(app_config, tmp_path):
    gone = tmp_path / "no-such-folder" / "support.db"
    app = create_app({**app_config, "MAILBOXES": MAILBOXES, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{gone}"})
    path = tmp_path / "one.eml"
    path.write_bytes(build())
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["mail", "ingest", "--json", str(path)])
        db.engine.dispose()
    outcome = json.loads(result.output.splitlines()[-1])
    assert result.exit_code == 75 and outcome["action"] == "rejected"
    assert outcome["reason"].startswith("temporary failure, try again: OperationalError")


def test_upload_disk_unavailable_is_a_temporary_failure_and_nothing_is_kept(app, runner, tmp_path, jpeg):
    not_a_folder = tmp_path / "uploads-file"
    not_a_folder.write_text("a file where the upload folder should be")
    app.config["UPLOAD_DIR"] = str(not_a_folder)
    path = tmp_path / "photo.eml"
    path.write_bytes(build(subject="Transportskada", attachments=[("bild.jpg", jpeg, "image/jpeg")]))
    status, [outcome] = run(runner, path)
    assert status == 75 and outcome["reason"].startswith("temporary failure, try again")
    assert count(InboundMail) == count(Ticket) == 0      # the mail server keeps it; the retry starts afresh
    app.config["UPLOAD_DIR"] = str(tmp_path / "uploads")
    status, [outcome] = run(runner, path)
    assert (status, outcome["action"]) == (0, "created")


def test_what_is_transient():
    from sqlalchemy.exc import DataError, IntegrityError, OperationalError
    assert failures.is_transient(OperationalError("SELECT 1", {}, Exception("server closed the connection")))
    assert failures.is_transient(OSError(28, "No space left on device"))
    assert not failures.is_transient(OSError("cannot identify image file"))      # Pillow: about the data
    assert not failures.is_transient(DataError("INSERT", {}, Exception("value too long")))
    assert not failures.is_transient(IntegrityError("INSERT", {}, Exception("duplicate key")))
    assert not failures.is_transient(UnicodeEncodeError("utf-8", "\udcc3", 0, 1, "surrogates not allowed"))


def test_absurd_header_lengths_fit_the_columns(app):
    long_name = "Å" * 5000
    raw = (f"From: {long_name} <kund@foretag.se>\r\nTo: help-se@example.com\r\nCc: {'x' * 400}@foretag.se\r\n"
           f"Subject: {'Skadad leverans ' * 200_000}\r\nMessage-ID: <{'m' * 2000}@foretag.se>\r\n"
           f"References: {' '.join(f'<r{n}@foretag.se>' for n in range(20_000))}\r\n\r\nTrasig kartong.\r\n"
           ).encode()
    out = ingest(raw)
    assert out.action == "created"
    ticket = db.session.scalar(select(Ticket))
    assert len(ticket.subject) == 300 and len(ticket.customer_name) == 200
    assert ingest(raw).reason == "already received"
