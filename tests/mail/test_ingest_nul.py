"""Text no database takes, in a mail, no longer stops its intake for good (each was "internal error, try again"
for ever): a NUL (PostgreSQL), raw 8-bit header bytes and a lone surrogate from UTF-7 (any database). The ticket
is opened; the raw bytes keep the original."""
from sqlalchemy import select

from support.extensions import db
from support.mail.ingest import ingest
from support.mail.models import InboundMail
from support.tickets.models import Ticket


def test_a_nul_in_a_mail_does_not_stop_its_intake(app):
    raw = (b"From: Kund <kund@foretag.se>\r\nTo: help-se@example.com\r\nSubject: Hej\x00d\xc3\xa5\r\n"
           b"Message-ID: <nul@foretag.se>\r\nMIME-Version: 1.0\r\n"
           b"Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n"
           b"--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nKartongen\x00 var trasig.\r\n"
           b"--b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>Kartongen\x00 var trasig.</p>\r\n"
           b"--b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"a\x00b.pdf\"\r\n"
           b"\r\n%PDF-1.4\r\n--b--\r\n")
    outcome = ingest(raw)
    assert outcome.action == "created", outcome
    ticket = db.session.scalar(select(Ticket))
    assert "\x00" not in ticket.subject and "trasig" in ticket.messages[0].body_text
    assert db.session.scalar(select(InboundMail)).raw == raw            # the original, NUL and all


def test_a_utf7_part_that_decodes_to_a_lone_surrogate_is_taken(app):
    raw = (b"From: Kund <kund@foretag.se>\r\nTo: help-se@example.com\r\nSubject: UTF-7\r\n"
           b"Message-ID: <utf7@foretag.se>\r\nContent-Type: text/plain; charset=utf-7\r\n\r\nHej +2D0- d+AOU-\r\n")
    assert ingest(raw).action == "created"
    assert db.session.scalar(select(Ticket)).messages[0].body_text.startswith("Hej \ufffd d\u00e5")
