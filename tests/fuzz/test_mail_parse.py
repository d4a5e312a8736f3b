"""Fuzzing the e-mail parser: any bytes give a ParsedMail or MalformedMail, never another exception.

FUZZ_EXAMPLES (default 150) sets the examples per property; e.g. FUZZ_EXAMPLES=20000 for a long run.
"""
import os
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from support.mail.parse import MalformedMail, ParsedMail, parse
from support.tickets.photos import Upload, display_name

from ._corpus import cases, keep

UNSTORABLE = re.compile("[\ud800-\udfff\x00]")
FUZZ = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", 150)), deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

SEED = (b"From: =?utf-8?q?Anna_K=C3=A4llman?= <Anna@Example.SE>\r\nTo: support@example.test\r\n"
        b"Subject: =?iso-8859-1?q?Skadad_leverans_order_700123?=\r\nMessage-ID: <a1@example.se>\r\n"
        b"In-Reply-To: <SE-000001.0011223344556677.8899aabbccddeeff@support.example>\r\n"
        b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
        b"Kartongen =C3=A4r trasig.\r\n--b1\r\nContent-Type: image/jpeg; name=\"bild.jpg\"\r\n"
        b"Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=\"bild.jpg\"\r\n\r\n"
        b"/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAP//\r\n--b1--\r\n")

HEADER_NAMES = ["From", "To", "Cc", "Subject", "Message-ID", "In-Reply-To", "References", "Date", "Sender",
                "Reply-To", "Delivered-To", "X-Original-To", "Auto-Submitted", "Precedence", "Content-Type",
                "Content-Transfer-Encoding", "Content-Disposition", "MIME-Version", "Return-Path"]
CHARSETS = ["utf-8", "iso-8859-1", "windows-1252", "utf-7", "x-unknown", "", "utf-16", "gb2312"]


def _encoded_word():
    """RFC 2047 words with real, odd and unknown charsets and (possibly broken) payloads."""
    payload = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=30)
    return st.builds(lambda cs, enc, p: f"=?{cs}?{enc}?{p}?=", st.sampled_from(CHARSETS),
                     st.sampled_from(["B", "Q", "b", "q", "X"]), payload)


header_value = st.one_of(st.text(max_size=80), _encoded_word(),
                         st.lists(st.one_of(st.text(max_size=20), _encoded_word()), max_size=4).map(" ".join),
                         st.sampled_from(["<>", "<a@b> <c@d>", "\"\" <@>", "a@b, , ,c@d", "undisclosed-recipients:;",
                                          "multipart/mixed; boundary=", "text/plain; charset=\"x-bogus\"",
                                          "base64", "quoted-printable", "8bit", "attachment; filename*=utf-8''%FF",
                                          # a line break in a file name broke every download's header (issue 19)
                                          "attachment; filename*=utf-8''a%0D%0ABcc%3A%20x.pdf",
                                          "=?utf-8?q?Hej=0D=0ABcc:_x@example.com?="]))
header = st.tuples(st.sampled_from(HEADER_NAMES), header_value)


def _part(depth: int):
    leaf = st.tuples(st.just("leaf"), st.sampled_from(["text/plain", "text/html", "image/jpeg",
                                                       "application/octet-stream", "message/rfc822"]),
                     st.sampled_from(CHARSETS), st.sampled_from(["7bit", "base64", "quoted-printable", "8bit", "x"]),
                     st.binary(max_size=200))
    if depth == 0:
        return leaf
    return st.one_of(leaf, st.tuples(st.just("multi"), st.sampled_from(["mixed", "alternative", "related"]),
                                     st.text(alphabet="abc-_=", min_size=0, max_size=8),
                                     st.lists(_part(depth - 1), max_size=3)))


def _render(part) -> bytes:
    """A MIME entity from the generated tree; boundaries may be empty or collide on purpose."""
    if part[0] == "leaf":
        _, ctype, charset, cte, body = part
        head = f"Content-Type: {ctype}; charset={charset}\r\nContent-Transfer-Encoding: {cte}\r\n"
        if ctype.startswith(("image", "application")):
            head += 'Content-Disposition: attachment; filename="f\\"ile.bin"\r\n'
        return head.encode() + b"\r\n" + body
    _, sub, boundary, children = part
    inner = b"".join(b"--" + boundary.encode() + b"\r\n" + _render(c) + b"\r\n" for c in children)
    return (f'Content-Type: multipart/{sub}; boundary="{boundary}"\r\n\r\n'.encode() + inner
            + b"--" + boundary.encode() + b"--\r\n")


@st.composite
def messages(draw) -> bytes:
    headers = draw(st.lists(header, max_size=12))
    head = "".join(f"{name}: {value}\r\n" for name, value in headers).encode("utf-8", "surrogateescape")
    return head + draw(_part(2).map(_render))


@st.composite
def mutated_seed(draw) -> bytes:
    """SEED with a few bytes replaced, inserted or deleted, or cut short."""
    data = bytearray(SEED)
    for _ in range(draw(st.integers(1, 8))):
        at = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["replace", "insert", "delete", "cut"]))
        byte = draw(st.integers(0, 255))
        if action == "replace" and at < len(data):
            data[at] = byte
        elif action == "insert":
            data.insert(at, byte)
        elif action == "delete" and at < len(data):
            del data[at]
        elif action == "cut":
            del data[at:]
    return bytes(data)


def check(raw: bytes, *, save: bool = True) -> None:
    """The property: MalformedMail or a well-formed ParsedMail; anything else new is kept in the corpus."""
    try:
        parsed = parse(raw)
    except MalformedMail:
        return
    except Exception:
        if save:
            keep("mail", raw)
        raise
    assert isinstance(parsed, ParsedMail)
    assert isinstance(parsed.text, str) and (parsed.html is None or isinstance(parsed.html, str))
    assert "\n" not in parsed.subject and len(parsed.subject) <= 998
    assert parsed.sender is None or parsed.sender == parsed.sender.lower()
    assert parsed.message_id is None or (parsed.message_id.startswith("<") and parsed.message_id.endswith(">"))
    assert all(isinstance(p.data, bytes) and isinstance(p.name, str) and p.name for p in parsed.parts)
    strings = [parsed.subject, parsed.text, parsed.html or "", parsed.sender or "", parsed.sender_name or "",
               parsed.message_id or "", *parsed.recipients, *parsed.references, *(p.name for p in parsed.parts)]
    assert not any(UNSTORABLE.search(s) for s in strings), "a surrogate or NUL: the database refuses it"
    # every text is storable: no NUL (PostgreSQL refuses it), no lone surrogate (no encoder takes it)
    for value in (parsed.subject, parsed.text, parsed.html or "", parsed.sender_name or "",
                  *(p.name for p in parsed.parts)):
        assert "\x00" not in value
        value.encode("utf-8")
    # the name as stored and served (a Content-Disposition header): one line, whatever the mail said
    assert not any(c in display_name(Upload(p.name, b"")) for p in parsed.parts for c in "\r\n\x00")


def test_seed_parses():
    parsed = parse(SEED)
    assert parsed.sender == "anna@example.se" and "trasig" in parsed.text and len(parsed.parts) == 1


@FUZZ
@given(st.binary(max_size=2000))
def test_any_bytes(raw):
    check(raw)


@FUZZ
@given(messages())
def test_generated_messages(raw):
    check(raw)


@FUZZ
@given(mutated_seed())
def test_mutated_real_message(raw):
    check(raw)


@pytest.mark.parametrize("path", cases("mail"), ids=lambda p: p.name)
def test_corpus(path):
    check(path.read_bytes(), save=False)
