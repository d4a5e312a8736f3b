"""Parsing: charsets, encoded names, HTML-only mail, inline images; malformed input gives a reason."""
import pytest

from support.mail import parse, textify

from .conftest import build

LATIN1_MAIL = (b"From: =?iso-8859-1?q?P=E4r_=C5berg?= <par@foretag.se>\r\nTo: help-se@example.com\r\n"
               b"Subject: =?iso-8859-1?q?Tr=E4sig_sk=E4rm?=\r\nMessage-ID: <a1@foretag.se>\r\n"
               b"Content-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
               b"Sk\xe4rmen \xe4r s\xf6nder.\r\n")
UNKNOWN_CHARSET = (b"From: a@b.se\r\nSubject: x\r\nContent-Type: text/plain; charset=x-no-such-charset\r\n\r\n"
                   b"Hej d\xc3\xa5\r\n")
RFC2231_NAME = (b"From: a@b.se\r\nSubject: bild\r\nMIME-Version: 1.0\r\n"
                b"Content-Type: multipart/mixed; boundary=XX\r\n\r\n--XX\r\nContent-Type: text/plain\r\n\r\nse bild\r\n"
                b"--XX\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment;"
                b" filename*=utf-8''fraktsedel%20%C3%A5%C3%A4%C3%B6.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                b"JVBERi0xLjQK\r\n--XX--\r\n")


@pytest.mark.parametrize("raw, sender, subject, text", [
    (LATIN1_MAIL, "par@foretag.se", "Träsig skärm", "Skärmen är sönder."),        # 8-bit ISO-8859-1, RFC 2047
    (UNKNOWN_CHARSET, "a@b.se", "x", "Hej då"),                                    # unknown charset: UTF-8 fallback
    (build(body="Hei, pakken er ødelagt", charset="utf-8"), "kund@foretag.se", "Fråga", "Hei, pakken er ødelagt"),
])
def test_text_and_headers_decode(raw, sender, subject, text):
    mail = parse.parse(raw)
    assert (mail.sender, mail.subject, mail.text.strip()) == (sender, subject, text)


def test_rfc2231_attachment_name_is_decoded():
    mail = parse.parse(RFC2231_NAME)
    assert [(p.name, p.content_type, p.data[:5]) for p in mail.parts] == [
        ("fraktsedel åäö.pdf", "application/pdf", b"%PDF-")]


def test_html_only_mail_is_sanitised_and_converted():
    html = ('<html><head><style>p{color:red}</style><script>alert(1)</script></head><body>'
            '<p onclick="steal()">Kartongen var <b>krossad</b></p><img src="https://track.example/p.gif" width=1>'
            '<img src="cid:photo1"><a href="javascript:alert(1)">x</a><ul><li>rad ett</li></ul></body></html>')
    mail = parse.parse(build(body=None, html=html))
    assert "Kartongen var krossad" in mail.text and "- rad ett" in mail.text
    for bad in ("script", "alert", "onclick", "<img", "track.example", "style", "javascript"):
        assert bad not in mail.html, bad


def test_inline_cid_image_becomes_a_part(jpeg):
    raw = build(body=None, html='<p>Se bild</p><img src="cid:img1@x">')
    from email import message_from_bytes, policy
    msg = message_from_bytes(raw, policy=policy.default)
    msg.get_payload()  # make it related with an inline image
    msg.add_related(jpeg, maintype="image", subtype="jpeg", cid="<img1@x>")
    mail = parse.parse(bytes(msg))
    assert [(p.content_type, p.content_id) for p in mail.parts] == [("image/jpeg", "img1@x")]


@pytest.mark.parametrize("raw, reason", [
    (b"", "empty input"),
    (b"   \r\n", "empty input"),
    (b"\x00\x01binary garbage without headers", "not an e-mail message"),
    (b"just a line of text\n\nand more", "not an e-mail message"),
])
def test_malformed_input_is_rejected_with_a_reason(raw, reason):
    with pytest.raises(parse.MalformedMail, match=reason):
        parse.parse(raw)


def test_content_digest_ignores_relay_trace_headers():
    raw = build(message_id="<same@foretag.se>")
    relayed = b"Received: from mx2 by mx1; Mon, 3 Mar 2025 10:00:00 +0100\r\nDelivered-To: x@y\r\n" + raw
    assert parse.parse(raw).content_sha256 == parse.parse(relayed).content_sha256
    assert parse.parse(raw).raw_sha256 != parse.parse(relayed).raw_sha256


@pytest.mark.parametrize("text, shown, why", [
    ("Hej,\nJa.\n\n/Ida\n\nFrån: Support <s@x.se>\nSkickat: den 3 mars\nTill: ida\n\ngammalt", "Hej,\nJa.\n\n/Ida",
     "Outlook header block in Swedish starts the history"),
    ("Thanks!\n\nOn Mon, 3 Mar 2025 at 10:00, Support <s@x.se> wrote:\n> old text", "Thanks!", "Gmail attribution"),
    ("Hei\n-- \nAnders Vik\nNilsen Kontor", "Hei", "signature separator"),
    ("> quoted question\nmy answer inline\n> rest", "> quoted question\nmy answer inline",
     "inline answers keep their quotes; the trailing quote is history"),
    ("From: the CEO, we need this today.\nThanks", "From: the CEO, we need this today.\nThanks",
     "'From:' in prose is not a header block"),
    ("Hej, kartongen var hel.\n\nMvh Per\n\nDetta meddelande är konfidentiellt. Företaget ansvarar inte för skador "
     "orsakade av virus.", "Hej, kartongen var hel.\n\nMvh Per", "a legal footer is not the customer's text"),
    ("Hi,\n\nThe confidential price list, please. Is it still valid?", "Hi,\n\nThe confidential price list, "
     "please. Is it still valid?", "one footer word in the customer's own text stays"),
])
def test_trim_keeps_the_new_part(text, shown, why):
    assert textify.trim(text) == shown, why
