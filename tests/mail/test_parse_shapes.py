"""Parsing the shapes real mail comes in: 8-bit headers, odd file names, signatures, invitations, broken MIME.

Every string that leaves the parser must be clean text (no surrogate escape, no NUL): the database refuses
anything else, and that refusal used to end as "internal error, try again" and a mail server retrying for days.
"""
import re

import pytest

from support.mail import parse

SURROGATE_OR_NUL = re.compile("[\ud800-\udfff\x00]")


def clean(mail: parse.ParsedMail) -> bool:
    """No surrogate or NUL in any string the parser hands on."""
    strings = [mail.subject, mail.text, mail.html or "", mail.sender or "", mail.sender_name or "",
               mail.message_id or "", *mail.recipients, *mail.in_reply_to, *mail.references,
               *(p.name for p in mail.parts), *(p.content_id or "" for p in mail.parts)]
    return not any(SURROGATE_OR_NUL.search(s) for s in strings)


def message(head: str, body: bytes = b"Hej!\r\n", *, encoding="utf-8") -> bytes:
    """A raw message: the header as given (encoded with `encoding`, so raw 8-bit bytes stay raw) and the body."""
    return head.replace("\n", "\r\n").encode(encoding) + b"\r\n" + body


def multipart(head: str, *parts: bytes, boundary: str = "BOUNDARY", subtype: str = "mixed", extra: str = "") -> bytes:
    inner = b"".join(b"--" + boundary.encode() + b"\r\n" + part + b"\r\n" for part in parts)
    return message(f"{head}MIME-Version: 1.0\nContent-Type: multipart/{subtype}; boundary=\"{boundary}\"{extra}\n",
                   inner + b"--" + boundary.encode() + b"--\r\n")


HEAD = "From: Kund <kund@foretag.se>\nTo: help-se@example.com\nSubject: Fråga\nMessage-ID: <m1@foretag.se>\n"
TEXT = b"Content-Type: text/plain; charset=utf-8\r\n\r\nSe bifogad fil.\r\n"


def test_rfc6532_utf8_sender_and_subject():
    mail = parse.parse(message("From: Åsa Öberg <asa@example.se>\nTo: help-se@example.com\n"
                               "Subject: Skadad leverans – order 4711\n"))
    assert (mail.sender_name, mail.sender, mail.subject) == ("Åsa Öberg", "asa@example.se",
                                                             "Skadad leverans – order 4711")


def test_raw_latin1_subject_and_name():
    mail = parse.parse(message("From: Jørn Støylen <jorn@firma.no>\nTo: help-no@example.com\n"
                               "Subject: Pakken er ødelagt\n", encoding="latin-1"))
    assert (mail.sender_name, mail.subject) == ("Jørn Støylen", "Pakken er ødelagt")


def test_encoded_display_name_with_a_comma_stays_one_address():
    mail = parse.parse(message("From: =?utf-8?q?=C3=96berg=2C_=C3=85sa?= <asa@example.se>\nSubject: x\n"))
    assert (mail.sender_name, mail.sender) == ("Öberg, Åsa", "asa@example.se")


@pytest.mark.parametrize("disposition, name, why", [
    ("attachment; filename*=utf-8''fraktsedel%20%C3%A5.pdf", "fraktsedel å.pdf", "RFC 2231"),
    ("attachment; filename*0*=utf-8''frakt%C3%A5; filename*1=sedel.pdf", "fraktåsedel.pdf", "RFC 2231 continued"),
    ('attachment; filename="=?utf-8?q?fraktsedel_=C3=A5.pdf?="', "fraktsedel å.pdf", "RFC 2047 in quotes"),
    ("attachment; filename==?utf-8?b?ZnJha3RzZWRlbCDDpS5wZGY=?=", "fraktsedel å.pdf", "RFC 2047 unquoted"),
    ('attachment; filename="fraktsedel å.pdf"', "fraktsedel å.pdf", "raw UTF-8"),
    ('attachment; filename="../../etc/passwd"', ".._.._etc_passwd", "no path survives"),
])
def test_attachment_names(disposition, name, why):
    pdf = (f"Content-Type: application/pdf\r\nContent-Disposition: {disposition}\r\n"
           "Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n").encode()
    mail = parse.parse(multipart(HEAD, TEXT, pdf))
    assert [(p.name, p.data[:5]) for p in mail.parts] == [(name, b"%PDF-")], why
    assert clean(mail)


def test_raw_latin1_attachment_name():
    pdf = 'Content-Type: application/pdf; name="fraktsedel å.pdf"\r\n\r\n%PDF-1.4\r\n'.encode("latin-1")
    mail = parse.parse(multipart(HEAD, TEXT, pdf))
    assert [p.name for p in mail.parts] == ["fraktsedel å.pdf"]


def test_forwarded_message_tnef_and_invitation_are_files_and_the_text_is_shown():
    forwarded = b"Content-Type: message/rfc822\r\n\r\n" + message(HEAD, b"Det ursprungliga.\r\n")
    tnef = (b"Content-Type: application/ms-tnef; name=winmail.dat\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            b"eJ8+IgAAAQ==\r\n")
    invite = (b"Content-Type: text/calendar; method=REQUEST; charset=utf-8\r\n\r\nBEGIN:VCALENDAR\r\n"
              b"SUMMARY:M\xc3\xb6te\r\nEND:VCALENDAR\r\n")
    mail = parse.parse(multipart(HEAD, TEXT, forwarded, tnef, invite))
    assert mail.text.strip() == "Se bifogad fil."
    assert [(p.name, p.content_type) for p in mail.parts] == [
        ("attachment-1.eml", "message/rfc822"), ("winmail.dat", "application/ms-tnef"),
        ("attachment-3.ics", "text/calendar")]
    assert b"Det ursprungliga." in mail.parts[0].data


def test_a_forward_with_nothing_typed_above_it_shows_the_forwarded_text():
    forwarded = b"Content-Type: message/rfc822\r\n\r\n" + message(HEAD, b"Kartongen var intryckt.\r\n")
    mail = parse.parse(multipart(HEAD, forwarded))
    assert mail.text.strip() == "Kartongen var intryckt."
    assert [p.content_type for p in mail.parts] == ["message/rfc822"]       # and the mail itself is kept


def test_a_message_sent_whole_as_message_rfc822_shows_its_text():
    whole = message(HEAD + "MIME-Version: 1.0\nContent-Type: message/rfc822\n",
                    message(HEAD, b"Ordern har inte skickats.\r\n"))
    assert parse.parse(whole).text.strip() == "Ordern har inte skickats."


@pytest.mark.parametrize("protocol, sig_type, name", [
    ("application/pkcs7-signature", "application/pkcs7-signature", "smime.p7s"),
    ("application/pgp-signature", "application/pgp-signature", "signature.asc"),
])
def test_signed_mail_keeps_the_signature_as_a_file_and_shows_the_text(protocol, sig_type, name):
    sig = f"Content-Type: {sig_type}; name={name}\r\nContent-Transfer-Encoding: base64\r\n\r\nMIIB\r\n".encode()
    mail = parse.parse(multipart(HEAD, TEXT, sig, subtype="signed", extra=f'; protocol="{protocol}"'))
    assert mail.text.strip() == "Se bifogad fil." and [p.name for p in mail.parts] == [name]


def test_uuencoded_body_is_decoded():
    body = b"begin 644 hej.txt\r\n%2&5J(0H`\r\n`\r\nend\r\n"
    mail = parse.parse(message(HEAD + "Content-Type: text/plain\nContent-Transfer-Encoding: x-uuencode\n", body))
    assert mail.text.strip() == "Hej!"


# Thunderbird and Apple Mail send format=flowed: the paragraph the customer typed, cut at 72 columns by soft breaks
FLOWED = ("Hej! Vi fick leveransen i morse och kartongen var intryckt, en av \r\n"
          "skärmarna har sprucket. Hinner vi anmäla det idag?\r\n"
          "\r\n"
          ">> Den 2 dec. 2026 skrev Support: Tack för ditt \r\n"
          ">> meddelande.\r\n"
          " From the stuffed line\r\n"
          "-- \r\n"
          "Anna\r\n")


@pytest.mark.parametrize("params, space", [
    ("; format=flowed", " "),
    ("; format=Flowed; delsp=yes", ""),   # DelSp: the space before a soft break was not the writer's
])
def test_format_flowed_text_is_the_paragraphs_the_customer_typed(params, space):
    mail = parse.parse(message(HEAD + f"Content-Type: text/plain; charset=utf-8{params}\n", FLOWED.encode()))
    assert mail.text.strip().split("\n") == [
        f"Hej! Vi fick leveransen i morse och kartongen var intryckt, en av{space}skärmarna har sprucket. Hinner vi"
        " anmäla det idag?", "", f">> Den 2 dec. 2026 skrev Support: Tack för ditt{space}meddelande.",
        "From the stuffed line", "-- ", "Anna"]


def test_fixed_text_keeps_its_line_breaks():
    mail = parse.parse(message(HEAD + "Content-Type: text/plain; charset=utf-8\n", FLOWED.encode()))
    assert mail.text.startswith("Hej! Vi fick leveransen i morse och kartongen var intryckt, en av \n")


@pytest.mark.parametrize("content_type, why", [
    ("multipart/mixed", "no boundary parameter"),
    ('multipart/mixed; boundary="not the one used"', "a boundary that never occurs"),
    ('multipart/mixed; boundary="a\x01b"', "an illegal boundary"),
])
def test_broken_boundaries_still_show_the_text(content_type, why):
    body = b"--XYZ\r\nContent-Type: text/plain\r\n\r\nKartongen var trasig.\r\n--XYZ--\r\n"
    mail = parse.parse(message(HEAD + f"MIME-Version: 1.0\nContent-Type: {content_type}\n", body))
    assert "Kartongen var trasig." in mail.text, why
    assert clean(mail)


def test_missing_body():
    mail = parse.parse(HEAD.replace("\n", "\r\n").encode())
    assert (mail.subject, mail.text, mail.parts) == ("Fråga", "", [])


def test_nul_and_control_characters_never_leave_the_parser():
    mail = parse.parse(message(HEAD.replace("Fråga", "Fr\x00åga\x1b"), b"Hej\x00 d\xe5\x07\r\n"))
    assert (mail.subject, mail.text.strip()) == ("Fr åga", "Hej då")


def test_absurd_header_lengths():
    head = (f"From: kund@foretag.se\nTo: {'x@y.example, ' * 200_000}help-se@example.com\n"
            f"Subject: {'å' * 3_000_000}\nReferences: {' '.join(f'<r{n}@x>' for n in range(50_000))}\n"
            f"Message-ID: <{'m' * 5000}@x>\n")
    mail = parse.parse(message(head))
    assert len(mail.subject) == 998 and set(mail.subject) == {"å"}
    assert len(mail.references) == parse.MAX_REFERENCES and clean(mail)


def test_deep_nesting_is_cut_not_recursed_into():
    part = TEXT
    for n in range(200):
        part = (f'Content-Type: multipart/mixed; boundary="b{n}"\r\n\r\n--b{n}\r\n').encode() + part + \
               f"\r\n--b{n}--\r\n".encode()
    mail = parse.parse(message(HEAD + "MIME-Version: 1.0\n", b"") .rstrip(b"\r\n") + b"\r\n" + part)
    assert clean(mail)


def test_message_over_the_size_limit_keeps_what_its_header_says():
    raw = message(HEAD, b"x" * 2000)
    with pytest.raises(parse.MalformedMail, match="over the limit") as refused:
        parse.parse(raw, max_bytes=1000)
    assert (refused.value.mail.sender, refused.value.mail.subject) == ("kund@foretag.se", "Fråga")


@pytest.mark.parametrize("head, why", [
    ("Received: by mx\nquite Delivered-To: x@y\nFrom: Kund <kund@foretag.se>\nSubject: Fråga\n", "a stray line"),
    ("From  : Kund <kund@foretag.se>\nTo    : help-se@example.com\nSubject     : Fråga\n", "RFC 822 obs-syntax"),
    (" From: Kund <kund@foretag.se>\nTo: help-se@example.com\nSubject: Fråga\n", "an indented first line"),
])
def test_malformed_header_lines_do_not_hide_the_fields_after_them(head, why):
    mail = parse.parse(message(head, b"Kartongen var trasig.\r\n"))
    assert (mail.sender, mail.subject, mail.text) == ("kund@foretag.se", "Fråga", "Kartongen var trasig.\n"), why


def test_a_folded_line_without_its_indent_does_not_hide_the_mime_header_after_it():
    # Exchange wraps its long diagnostics headers; a relay that drops the indent leaves a line that is no field
    head = ("From: Kund <kund@foretag.se>\nSubject: Fråga\nX-Diagnostics: 1;AM4PR01;6:1Y77Vdi\n"
            "P8FxVksOO2tmFWl+LxT0Acgv7RaCFBKFmzA31fwJabrvuEaFINDvMVgEV9Cc41by\nMIME-Version: 1.0\n"
            "Content-Type: multipart/alternative; boundary=\"B\"\n")
    body = (b"--B\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nKartongen var trasig.\r\n"
            b"--B\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>Kartongen var trasig.</p>\r\n--B--\r\n")
    mail = parse.parse(message(head, body))
    assert (mail.sender, mail.subject, mail.text) == ("kund@foretag.se", "Fråga", "Kartongen var trasig.")
