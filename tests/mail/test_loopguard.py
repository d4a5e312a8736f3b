"""Loop and junk protection: automated mail is recognised, with a reason; a person's mail is not."""
import pytest

from support.mail import loopguard, parse

from .conftest import build

OWN = {"help-se@example.com", "cancel@example.se"}
DSN = (b"From: Mail Delivery System <MAILER-DAEMON@mx.foretag.se>\r\nTo: help-se@example.com\r\n"
       b"Subject: Undelivered Mail\r\nMIME-Version: 1.0\r\n"
       b"Content-Type: multipart/report; report-type=delivery-status; boundary=B\r\n\r\n"
       b"--B\r\nContent-Type: text/plain\r\n\r\nfailed\r\n--B\r\nContent-Type: message/delivery-status\r\n\r\n"
       b"Reporting-MTA: dns; mx\r\n\r\nFinal-Recipient: rfc822; x@y\r\nAction: failed\r\n--B--\r\n")
MDN = (b"From: kund@foretag.se\r\nTo: help-se@example.com\r\nSubject: Svar\r\nMIME-Version: 1.0\r\n"
       b"Content-Type: multipart/report; report-type=disposition-notification; boundary=B\r\n\r\n"
       b"--B\r\nContent-Type: text/plain\r\n\r\nread\r\n--B\r\nContent-Type: message/disposition-notification\r\n\r\n"
       b"Disposition: manual-action/MDN-sent-manually; displayed\r\n--B--\r\n")


@pytest.mark.parametrize("raw, reason, why", [
    (build(headers={"Auto-Submitted": "auto-replied"}), "Auto-Submitted", "RFC 3834"),
    (build(headers={"Auto-Submitted": "auto-generated"}), "Auto-Submitted", "RFC 3834 generated"),
    (build(headers={"Precedence": "bulk"}), "Precedence: bulk", "bulk mail"),
    (build(headers={"Precedence": "junk"}), "Precedence: junk", "junk"),
    (build(headers={"Precedence": "auto_reply"}), "Precedence: auto_reply", "old auto-reply convention"),
    (build(headers={"List-Id": "<news.example>"}), "mailing list", "list mail"),
    (build(headers={"List-Unsubscribe": "<https://x/u>"}), "mailing list", "newsletter"),
    (build(headers={"X-Autoreply": "yes"}), "X-Autoreply", "autoresponder header"),
    (build(headers={"X-Autorespond": "yes"}), "X-Autorespond", "autoresponder header"),
    (build(headers={"X-Auto-Response-Suppress": "All"}), "X-Auto-Response-Suppress", "Exchange automatic mail"),
    (build(headers={"X-Loop": "helpdesk@other.example"}), "X-Loop", "another helpdesk's loop header"),
    (build(headers={"Return-Path": "<>"}), "empty Return-Path", "null sender: a report"),
    (build(sender="postmaster@foretag.se"), "system address", "postmaster"),
    (build(sender="no-reply@shop.example"), "system address", "no-reply sender"),
    (build(sender="Support <help-se@example.com>"), "our own address", "our own mail coming back"),
    (build(subject="Automatiskt svar: Fråga"), "automatic reply", "Outlook autoreply in Swedish, no headers"),
    (build(subject="Fraværsmelding"), "automatic reply", "Norwegian out-of-office"),
    (build(subject="Frånvarande: Re: Ang. er retur"), "automatic reply", "a Swedish client's absence prefix"),
    (build(subject="Fraværende: SV: Tilbud"), "automatic reply", "... a Norwegian one"),
    (DSN, "delivery status notification", "bounce"),
    (MDN, "read receipt", "disposition notification"),
])
def test_automated_mail_is_recognised(raw, reason, why):
    assert reason in (loopguard.automated_reason(parse.parse(raw), OWN) or ""), why


@pytest.mark.parametrize("raw, why", [
    (build(), "plain customer mail"),
    (build(headers={"Auto-Submitted": "no"}), "Auto-Submitted: no is a person"),
    (build(subject="Re: Avbokning av order"), "a reply is not an auto-reply"),
    (build(sender="reply@foretag.se"), "a mailbox merely named reply"),
    (build(headers={"Precedence": "normal"}), "normal precedence"),
])
def test_person_mail_passes(raw, why):
    assert loopguard.automated_reason(parse.parse(raw), OWN) is None, why
