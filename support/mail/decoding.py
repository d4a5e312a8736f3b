"""Mail bytes into clean text, once, where a message is parsed: nothing undecodable gets further than this.

The standard library parses 8-bit header bytes (RFC 6532 UTF-8, raw Latin-1 from old clients) into surrogate
escapes, and a body may declare a charset it is not written in. The database refuses surrogates and
PostgreSQL refuses NUL, so every string intake keeps goes through here and comes out as valid text: bytes are
tried in the declared charset, then UTF-8, then Windows-1252, then Latin-1 (which never fails). The raw
bytes of the message are kept elsewhere, so this decoding may be lossy without losing anything.

A declared charset is read as mail readers read it, by the WHATWG Encoding Standard's labels (webencodings):
"iso-8859-8-i", "x-mac-roman" and "windows-874" are charsets Python does not know by those names, and
"iso-8859-1" means Windows-1252, as Outlook means it when it puts a euro sign or curly quotes in such a mail.
"""
from __future__ import annotations

import codecs
import re
from email.header import decode_header
from functools import lru_cache

import webencodings

MAX_HEADER_CHARS = 64 * 1024     # longer header values are cut before decoding: no sender writes more, and the
                                 # header parser's time grows with the length (a References of 1,000 IDs is 60 kB)
FALLBACKS = ("utf-8", "cp1252")  # then latin-1, which decodes any byte

_SURROGATES = re.compile("[\ud800-\udfff]")
_NOT_ESCAPES = re.compile("[\ud800-\udc7f\udd00-\udfff]")   # surrogateescape uses U+DC80..U+DCFF
_FOLD = re.compile(r"\r?\n(?=[ \t])")
_LINE_BREAK = re.compile(r"\r\n?")
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")        # all C0 but tab, LF, FF and CR, and DEL
_HEADER_SPACE = re.compile(r"[\s\x00-\x1f\x7f]+")
# a run of RFC 2047 encoded words, with only white space between them (which RFC 2047 says to drop)
_WORD = r"=\?[^?\s]*\?[qQbB]\?[^?\s]*\?="
_ENCODED_RUN = re.compile(rf"{_WORD}(?:[ \t]*{_WORD})*")


def decode_bytes(data: bytes, *charsets: str | None) -> str:
    """Bytes as text: the first of charsets (then UTF-8, Windows-1252) that decodes them, else Latin-1.

    Bytes that are valid UTF-8 are UTF-8 even where a one-byte charset (ASCII, Latin-1, Windows-1252) is
    declared: scripts and webshops often send UTF-8 under such a label, and text really in one of those charsets
    is as good as never valid UTF-8 too ("ä" would have to be followed by two of "\x80"-"\xbf")."""
    eight_bit = not data.isascii()
    for charset in (*charsets, *FALLBACKS):
        name = codec(charset) if charset else None
        if name is None:
            continue
        if eight_bit and _one_byte(name):
            try:
                return data.decode("utf-8")
            except UnicodeDecodeError:
                pass
        try:
            return data.decode(name)
        except ValueError:                  # bytes not in this charset
            continue
    return data.decode("latin-1")


@lru_cache(maxsize=256)
def codec(label: str) -> str | None:
    """Python's name of the text codec a charset label means: the WHATWG label first, then Python's own names
    ("utf-7", "ibm850", a quoted label); None when neither knows it as a text encoding (or a NUL is in it)."""
    found = webencodings.lookup(label)
    names = [found.codec_info.name] if found is not None else []
    try:
        names.append(codecs.lookup(label).name)
    except (LookupError, ValueError):
        pass
    for name in names:
        try:
            b"a".decode(name)               # "base64" or "rot13" are codecs, but not of text (refused even
        except LookupError:                 # before decoding); also webencodings' own x-user-defined, which
            continue                        # Python does not have
        except ValueError:                  # "a" is no UTF-16: still a text encoding
            pass
        return name
    return None


@lru_cache(maxsize=64)
def _one_byte(name: str) -> bool:
    """Whether a codec reads every 8-bit byte as one character of its own (Latin-1, Windows-125x, KOI8 ...),
    not as part of a multi-byte character (UTF-8, Shift_JIS, GBK ...)."""
    if name in ("utf-8", "utf-8-sig"):
        return False
    return len(bytes(range(0x80, 0x100)).decode(name, "replace")) == 128


def has_8bit(text: str) -> bool:
    """Whether the parser kept 8-bit bytes in this text as surrogate escapes (so `repair` has work to do)."""
    return bool(_SURROGATES.search(text))


def repair(text: str, *charsets: str | None) -> str:
    """Text whose 8-bit bytes the parser kept as surrogate escapes, decoded; never contains a surrogate."""
    if not has_8bit(text):
        return text
    text = _NOT_ESCAPES.sub("\ufffd", text)   # a lone surrogate that was no byte (from UTF-7 or UTF-16 junk)
    return decode_bytes(text.encode("utf-8", "surrogateescape"), *charsets, "utf-8")


def clean(text: str) -> str:
    """Body text safe to store and show: no surrogate, no NUL or other control character but line breaks and tabs;
    line breaks as "\n" (a part decoded from base64 keeps the CRLF of the mail it was written as)."""
    return _CONTROL.sub("", _LINE_BREAK.sub("\n", repair(text)))


def unflow(text: str, *, delsp: bool = False) -> str:
    """Text sent as format=flowed (RFC 3676: Thunderbird, Apple Mail) as the paragraphs its writer typed: a line
    ending in a space goes on in the next line of the same quote depth; space-stuffing undone; with DelSp=yes the
    space that marked the soft break was not the writer's and goes too. The signature line "-- " stays a line."""
    out, paragraph, depth_of_paragraph = [], "", None
    for line in text.split("\n"):
        depth = len(line) - len(line.lstrip(">"))
        line = line[depth:]
        line = line[1:] if line.startswith(" ") else line
        if paragraph and depth != depth_of_paragraph:       # a soft break may not cross a change of quote depth
            out.append((depth_of_paragraph, paragraph))
            paragraph = ""
        depth_of_paragraph = depth
        if line.endswith(" ") and line != "-- ":
            paragraph += line[:-1] if delsp else line
        else:
            out.append((depth, paragraph + line))
            paragraph = ""
    if paragraph:
        out.append((depth_of_paragraph, paragraph))
    return "\n".join(">" * depth + (" " if depth else "") + line for depth, line in out)


def clean_line(text: str) -> str:
    """One-line text (a header value, a file name): white space and control characters collapsed to one space."""
    return _HEADER_SPACE.sub(" ", repair(text)).strip()


def header_value(raw: str, hint: str | None = None) -> str:
    """A raw header value as one line of text: unfolded, 8-bit bytes decoded (UTF-8 first: RFC 6532), encoded
    words (RFC 2047) decoded. `hint` is the message's declared body charset, tried after UTF-8 for raw bytes."""
    return clean_line(decode_words(repair(unfold(raw), "utf-8", hint)))


def unfold(raw: str) -> str:
    """A header value on one line (RFC 5322 unfolding), cut to MAX_HEADER_CHARS."""
    return _FOLD.sub("", str(raw)[:MAX_HEADER_CHARS])


def decode_words(text: str) -> str:
    """RFC 2047 encoded words decoded, each run in its charset with the same fallbacks as bodies; the rest kept."""
    if "=?" not in text:
        return text
    return _ENCODED_RUN.sub(_decode_run, text)


def _decode_run(match: re.Match) -> str:
    try:
        chunks = decode_header(match.group(0))
    except Exception:  # noqa: BLE001 - a broken encoded word (bad base64): keep it as written
        return match.group(0)
    return "".join(chunk if isinstance(chunk, str) else decode_bytes(chunk, charset)
                   for chunk, charset in chunks)
