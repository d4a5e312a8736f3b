"""Decoding at the parsing boundary: 8-bit bytes, encoded words and control characters become clean text."""
import pytest

from support.mail import decoding


def escaped(data: bytes) -> str:
    """Bytes as the standard library's parser keeps them in a header: 8-bit bytes as surrogate escapes."""
    return data.decode("ascii", "surrogateescape")


@pytest.mark.parametrize("raw, hint, expected, why", [
    (escaped("Åsa Öberg".encode()), None, "Åsa Öberg", "raw UTF-8 (RFC 6532)"),
    (escaped("Fråga om fakturan".encode("latin-1")), None, "Fråga om fakturan", "raw Latin-1: Windows-1252"),
    (escaped("Pris – 20 €".encode("cp1252")), None, "Pris – 20 €", "raw Windows-1252 dash and euro"),
    (escaped("テスト".encode("shift_jis")), "shift_jis", "テスト", "raw Shift_JIS, the body's charset as hint"),
    ("=?utf-8?q?P=C3=A4r_=C3=85berg?=", None, "Pär Åberg", "RFC 2047 quoted-printable"),
    ("=?UTF-8?B?w4VzYQ==?= =?UTF-8?B?IMOWYmVyZw==?=", None, "Åsa Öberg", "adjacent encoded words: space dropped"),
    ("=?utf-8?b?w4Vz?=\r\n =?utf-8?b?YQ==?=", None, "Åsa", "folded encoded words"),
    ("=?iso-2022-jp?B?GyRCJF4kXyRgJGEkYhsoQg==?=", None, "まみむめも", "Japanese ISO-2022-JP"),
    ("=?x-unknown?q?Fr=E5ga?=", None, "Fråga", "unknown charset: the fallbacks"),
    ("=?us-ascii?q?Fr=E5ga?=", None, "Fråga", "a wrong declared charset: the fallbacks"),
    ("=?utf-8?b?!!!notbase64?=", None, "=?utf-8?b?!!!notbase64?=", "broken base64: kept as written"),
    ("Re: =?utf-8?q?Skadad_leverans_=E2=80=93?= order 4711", None, "Re: Skadad leverans – order 4711", "mixed"),
    ("a\x00b\tc\r\n d", None, "a b c d", "NUL, white space collapsed, unfolded"),
    ("\ud800x", None, "\ufffdx", "a lone surrogate that is no escaped byte"),
    ("\udcff", None, "ÿ", "an escaped byte that is no UTF-8"),
])
def test_header_value(raw, hint, expected, why):
    assert decoding.header_value(raw, hint) == expected, why


@pytest.mark.parametrize("data, charset, expected", [
    ("Hej då".encode(), "utf-8", "Hej då"),
    ("Hej då".encode("latin-1"), "us-ascii", "Hej då"),            # declared ASCII, sent 8-bit
    ("Hej då".encode(), "x-no-such-charset", "Hej då"),
    (b"Hej d\xe5", "utf-8", "Hej då"),                                # declared UTF-8, sent Latin-1
    (b"\x81\x8d", None, "\x81\x8d"),                                  # not Windows-1252 either: Latin-1
    ("あいう".encode("iso-2022-jp"), "ISO-2022-JP", "あいう"),
    # labels as mail readers read them (the WHATWG Encoding Standard), not only Python's names
    ("מענה".encode("iso-8859-8"), "iso-8859-8-i", "מענה"),          # Hebrew, logical order
    ("Café".encode("mac-roman"), "x-mac-roman", "Café"),
    ("Pris – 20 € ’".encode("cp1252"), "iso-8859-1", "Pris – 20 € ’"),   # Outlook's "Latin-1"
    ("Hej då".encode("latin-1"), "'iso-8859-1'", "Hej då"),         # a quoted label
    ("Hej då".encode("latin-1"), "base64", "Hej då"),               # a codec, but not of text: the fallbacks
    # UTF-8 under a one-byte label (a webshop's script): UTF-8; under a multi-byte one the label holds
    ("Fråga om åäö".encode(), "iso-8859-1", "Fråga om åäö"),
    ("Fråga om åäö".encode(), "windows-1252", "Fråga om åäö"),
    ("Blåbär".encode(), "us-ascii", "Blåbär"),
    ("テスト".encode("shift_jis"), "shift_jis", "テスト"),
])
def test_decode_bytes(data, charset, expected):
    assert decoding.decode_bytes(data, charset) == expected


def test_clean_keeps_line_breaks_as_newlines_and_drops_controls():
    assert decoding.clean("rad 1\r\nrad\x00 2\x1b\tx\x0c\rslut") == "rad 1\nrad 2\tx\x0c\nslut"


def test_absurdly_long_header_is_cut_before_decoding():
    assert len(decoding.header_value("x" * 10_000_000)) == decoding.MAX_HEADER_CHARS
