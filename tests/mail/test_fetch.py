"""IMAP polling against a real Dovecot: marked only after the commit; a cut connection loses and doubles nothing."""
import socket

import pytest
from imap_tools import AND, MailBoxUnencrypted
from sqlalchemy import func, select

from support.extensions import db
from support.mail import fetch
from support.mail.models import InboundMail
from support.tickets.models import Ticket

from ..conftest import free_port
from . import imap_server
from .conftest import build


@pytest.fixture
def imap_port():
    port = free_port()
    proc, _ = imap_server.start(port)
    yield port
    imap_server.stop(proc)


@pytest.fixture
def app_config(app_config, imap_port):
    return {**app_config, "IMAP_ACCOUNTS": [{
        "mailbox": "help-se@example.com", "host": "127.0.0.1", "port": imap_port, "tls": False,
        "user": imap_server.USER, "password": imap_server.PASSWORD, "folder": "INBOX", "timeout": 10}]}


def deliver(port, *raws):
    with MailBoxUnencrypted("127.0.0.1", port=port).login(imap_server.USER, imap_server.PASSWORD) as box:
        for raw in raws:
            box.append(raw, "INBOX")


def unseen(port) -> int:
    with MailBoxUnencrypted("127.0.0.1", port=port).login(imap_server.USER, imap_server.PASSWORD) as box:
        return len(box.uids(AND(seen=False)))


def tickets() -> int:
    return db.session.scalar(select(func.count()).select_from(Ticket))


def test_fetch_ingests_and_marks_seen(app, imap_port, runner):
    deliver(imap_port, build(subject="Första", body="Första frågan"), build(subject="Andra", body="Andra frågan"))
    result = runner.invoke(args=["mail", "fetch"])
    assert result.exit_code == 0 and result.output.count(": created SE-") == 2, result.output
    assert (tickets(), unseen(imap_port)) == (2, 0)
    assert runner.invoke(args=["mail", "fetch"]).output == ""            # nothing left to fetch


def test_connection_cut_between_commit_and_mark_loses_and_doubles_nothing(app, imap_port, monkeypatch):
    deliver(imap_port, build(subject="Första", body="Första frågan"), build(subject="Andra", body="Andra frågan"))
    account = fetch.accounts()[0]
    real_mark = fetch._mark

    def cut_then_mark(box, uid, acct):
        # the network fails after the first message's commit, before the server hears \Seen
        box.client.sock.shutdown(socket.SHUT_RDWR)
        real_mark(box, uid, acct)

    monkeypatch.setattr(fetch, "_mark", cut_then_mark)
    with pytest.raises(Exception):        # imaplib reports the dead socket in several ways; any is a cut
        fetch.fetch_account(account)
    db.session.rollback()
    assert (tickets(), unseen(imap_port)) == (1, 2)      # stored, but not marked on the server

    monkeypatch.setattr(fetch, "_mark", real_mark)
    outcomes = fetch.fetch_account(account)
    assert [(o.action, o.reason) for o in outcomes] == [("ignored", "already received"), ("created", None)]
    assert (tickets(), unseen(imap_port)) == (2, 0)
    assert db.session.scalar(select(func.count()).select_from(InboundMail)) == 2


def test_a_message_that_fails_by_its_content_is_kept_and_marked_not_fetched_forever(app, imap_port, monkeypatch):
    from support.mail import classify
    real = classify.classify

    def fails_on_poison(subject, body, queue=None):
        if "gift" in subject:
            raise ValueError("a bug this message triggers")
        return real(subject, body, queue)

    monkeypatch.setattr(classify, "classify", fails_on_poison)
    deliver(imap_port, build(subject="Förgiftad", body="Ett"), build(subject="Andra", body="Andra frågan"))
    outcomes = fetch.fetch_account(fetch.accounts()[0])
    assert [o.action for o in outcomes] == ["rejected", "created"]
    assert (tickets(), unseen(imap_port)) == (1, 0)
    assert db.session.scalar(select(InboundMail.reason).where(InboundMail.action == "rejected")).startswith(
        "could not be processed (ValueError)")


def test_disk_unavailable_leaves_the_message_unseen_for_the_next_round(app, imap_port, tmp_path, jpeg):
    not_a_folder = tmp_path / "uploads-file"
    not_a_folder.write_text("a file where the upload folder should be")
    app.config["UPLOAD_DIR"] = str(not_a_folder)
    deliver(imap_port, build(subject="Skada", body="Se bild", attachments=[("b.jpg", jpeg, "image/jpeg")]),
            build(subject="Andra", body="Andra frågan"))
    assert fetch.fetch_account(fetch.accounts()[0]) == []
    assert (tickets(), unseen(imap_port)) == (0, 2)
    app.config["UPLOAD_DIR"] = str(tmp_path / "uploads")
    assert [o.action for o in fetch.fetch_account(fetch.accounts()[0])] == ["created", "created"]
    assert (tickets(), unseen(imap_port)) == (2, 0)


@pytest.fixture
def shared_config(shared_config, imap_port):       # the IMAP account of this module's app_config is in it
    return shared_config


def test_fetch_in_two_processes_takes_each_message_once(shared_app, imap_port):
    twice = build(subject="Två gånger", body="Samma brev, levererat två gånger")
    deliver(imap_port, *(build(subject=f"Fråga {n}", body=f"Fråga nummer {n}") for n in range(7)), twice, twice)
    result = shared_app.test_cli_runner().invoke(args=["mail", "fetch", "--workers", "2"])
    assert result.exit_code == 0, result.output
    # the copy delivered twice has two UIDs, one in each process's share: one ticket, the other already received
    assert result.output.count(": created SE-") == 8, result.output
    ignored = [line for line in result.output.splitlines() if ": ignored SE-" in line]
    assert len(ignored) == 1 and ignored[0].endswith(": already received"), result.output
    with shared_app.app_context():
        assert tickets() == 8
        assert db.session.scalar(select(func.count()).select_from(InboundMail)) == 8
        db.session.remove()
    assert unseen(imap_port) == 0


def test_fetch_in_processes_refuses_an_in_memory_database(app_config):
    from support import create_app
    app = create_app({**app_config, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    result = app.test_cli_runner().invoke(args=["mail", "fetch", "--workers", "2"])
    assert result.exit_code == 2 and "in-memory" in result.output
