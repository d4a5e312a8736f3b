"""Property: whatever MIME a sender's program builds (charsets, raw 8-bit header bytes, nesting, broken
boundaries), intake never raises, always keeps the raw bytes, and every ticket it makes shows on the agent page
and on the customer's status page."""
import base64
import hashlib
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from support.agent import accounts
from support.extensions import db
from support.mail.ingest import ingest
from support.mail.models import InboundMail
from support.tickets import links
from support.tickets.models import Ticket

PROPERTY = settings(max_examples=40, deadline=timedelta(seconds=5), derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                           HealthCheck.data_too_large])
CHARSETS = ["utf-8", "iso-8859-1", "windows-1252", "iso-8859-15", "shift_jis", "iso-2022-jp", "koi8-r", "big5",
            "utf-16", "us-ascii"]
LABELS = CHARSETS + ["x-unknown", "", "utf-8*sv", "unknown-8bit"]     # what a part may claim, rightly or not
WORDS = st.text(alphabet=st.sampled_from(list("abcåäöæøÅÖ €–—“”テスト日本語ЖЯ \t\x00\x01!?<>\",;:=\\'")),
                max_size=25)


def encode(text: str, charset: str) -> bytes:
    try:
        return text.encode(charset)
    except (UnicodeEncodeError, LookupError):
        return text.encode("utf-8")


@st.composite
def header_value(draw) -> bytes:
    """Raw 8-bit bytes in some charset, an RFC 2047 word with a right or wrong label, or a mix."""
    text, charset, label = draw(WORDS), draw(st.sampled_from(CHARSETS)), draw(st.sampled_from(LABELS))
    kind = draw(st.sampled_from(["raw", "b", "q", "mixed"]))
    data = encode(text, charset)
    word = (f"=?{label}?B?{base64.b64encode(data).decode()}?=" if kind != "q"
            else f"=?{label}?Q?{''.join(f'={b:02X}' for b in data)}?=").encode()
    return {"raw": data, "b": word, "q": word, "mixed": data + b" " + word}[kind].replace(b"\r", b"").replace(
        b"\n", b"")


@st.composite
def leaf(draw) -> bytes:
    ctype = draw(st.sampled_from(["text/plain", "text/html", "text/calendar", "application/pdf", "image/jpeg",
                                  "application/pkcs7-signature", "application/ms-tnef", "message/rfc822"]))
    label, cte = draw(st.sampled_from(LABELS)), draw(st.sampled_from(["7bit", "8bit", "base64",
                                                                        "quoted-printable", "x-uuencode", "bogus"]))
    body = encode(draw(WORDS), draw(st.sampled_from(CHARSETS)))
    if ctype == "application/pdf":
        body = b"%PDF-1.4\n" + body
    if cte == "base64" and draw(st.booleans()):
        body = base64.encodebytes(body)
    head = f"Content-Type: {ctype}; charset=\"{label}\"\r\nContent-Transfer-Encoding: {cte}\r\n".encode()
    if ctype.startswith(("application", "image")) or draw(st.booleans()):
        name = draw(st.sampled_from([b'filename="' + draw(header_value()).replace(b'"', b"") + b'"',
                                     b"filename*=utf-8''%C3%A5%FF%2F..%2Fx.pdf", b"filename=" + draw(header_value())]))
        head += b"Content-Disposition: attachment; " + name + b"\r\n"
    if ctype == "message/rfc822":
        body = b"From: a@b.example\r\nSubject: " + draw(header_value()) + b"\r\n\r\n" + body
    return head + b"\r\n" + body


def tree(depth: int):
    if depth == 0:
        return leaf()
    return st.one_of(leaf(), st.builds(multipart, st.sampled_from(["mixed", "alternative", "related", "signed",
                                                                    "report"]),
                                       st.sampled_from(["b1", "", "a b", "=_x\x01", "--", "b1"]),
                                       st.sampled_from(["closed", "unclosed", "wrong", "missing"]),
                                       st.lists(tree(depth - 1), max_size=3)))


def multipart(subtype: str, boundary: str, ending: str, children: list[bytes]) -> bytes:
    """A multipart entity whose boundary may be empty, illegal, reused by a child, wrong or not declared."""
    declared = "" if ending == "missing" else f'; boundary="{boundary}"'
    used = "other" if ending == "wrong" else boundary
    inner = b"".join(b"--" + used.encode() + b"\r\n" + child + b"\r\n" for child in children)
    close = b"" if ending == "unclosed" else b"--" + used.encode() + b"--\r\n"
    return f"Content-Type: multipart/{subtype}{declared}\r\n\r\n".encode() + inner + close


@st.composite
def messages(draw) -> bytes:
    head = [b"From: " + draw(header_value()) + b" <" + draw(st.sampled_from([b"kund", b"\xc3\xa5sa", b"x"]))
            + b"@foretag.example>", b"To: help-se@example.com", b"Subject: " + draw(header_value()),
            b"MIME-Version: 1.0"]
    if draw(st.booleans()):
        head.append(b"Message-ID: <" + hashlib.sha256(draw(st.binary(max_size=8))).hexdigest()[:12].encode()
                    + b"@foretag.example>")
    extra = draw(st.lists(st.tuples(st.sampled_from([b"Cc", b"Reply-To", b"References", b"In-Reply-To",
                                                      b"Precedence", b"Content-Disposition", b"X-Mailer"]),
                                    header_value()), max_size=3))
    head += [name + b": " + value for name, value in extra]
    return b"\r\n".join(head) + b"\r\n" + draw(tree(2))


@pytest.fixture
def agent_client(client):
    agent = accounts.create_agent("egenskap@example.test", "Egenskap", "correct horse battery", role="admin")
    assert client.post("/agent/login", data={"email": agent.email, "password": "correct horse battery"}
                       ).status_code == 302
    return client


@PROPERTY
@given(raw=messages())
def test_any_mime_tree_is_kept_and_every_ticket_renders(app, agent_client, raw):
    out = ingest(raw, mailbox="help-se@example.com")
    assert out.action in ("created", "appended", "ignored", "rejected")
    assert out.action in ("created", "appended") or out.reason
    kept = db.session.scalar(select(InboundMail).where(InboundMail.sha256 == hashlib.sha256(raw).hexdigest()))
    assert (kept is not None and kept.raw == raw) or out.reason == "already received"
    if out.ticket:
        ticket = db.session.scalar(select(Ticket).where(Ticket.reference == out.ticket))
        assert agent_client.get(f"/agent/tickets/{ticket.reference}").status_code == 200
        status_page = f"/{ticket.language}/ticket/{ticket.reference}?key={links.status_key(ticket)}"
        assert agent_client.get(status_page).status_code == 200
