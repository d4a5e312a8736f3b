"""Parse one raw RFC 5322 message into what intake needs, with the standard library's `email` (policy compat32).

Nothing here raises on odd input except `MalformedMail`: headers are read raw and every string that leaves this
module is decoded once, by `decoding` (declared charset, UTF-8, Windows-1252, Latin-1), so no surrogate escape
or NUL reaches the database or a template, and every message becomes text, HTML and files.
"""
from __future__ import annotations

import email
import email.policy
import hashlib
import re
from dataclasses import dataclass, field
from email import errors
from email.message import Message
from email.parser import BytesHeaderParser
from email.utils import collapse_rfc2231_value, getaddresses, parsedate_to_datetime

from ..config import Defaults
from . import decoding, textify

TRACE_HEADERS = {"received", "return-path", "delivered-to", "x-original-to", "x-peer", "x-mailfrom", "x-rcptto"}
MAX_BYTES = Defaults.MAIL_MAX_BYTES   # the configured default (support/config.py)
MAX_DEPTH = 30                   # MIME nesting deeper than this is kept as one file, not walked
MAX_ADDRESS = 320                # the longest address a column takes; RFC 5321 allows 254
MAX_REFERENCES = 100             # the newest References kept: enough to thread, few enough for one SQL IN
# compat32, not default: every header is read raw and decoded here (decoding.py), so the default policy's header
# objects, parsed by its header registry on each get() (a content type, a charset, a boundary), were built for
# nothing; they were most of the parsing time (a plain mail 0.36 ms -> 0.03 ms, one with a photo 2.1 -> 0.4 ms)
POLICY = email.policy.compat32


class MalformedMail(ValueError):
    """The input is not a message we can read; the reason is shown to the operator.

    `mail` holds what could be read of its header (for a message over the size limit), else None.
    """

    def __init__(self, reason: str, mail: ParsedMail | None = None) -> None:
        super().__init__(reason)
        self.mail = mail


@dataclass
class Part:
    """A file carried by the message: an attachment or an inline (cid:) image."""
    name: str
    data: bytes
    content_type: str
    content_id: str | None = None


@dataclass
class ParsedMail:
    message: Message
    raw_sha256: str
    content_sha256: str              # raw minus trace headers: the same message relayed twice has the same digest
    message_id: str | None
    sender: str | None               # lower-case address
    sender_name: str | None
    recipients: list[str]            # Delivered-To, X-Original-To, To, Cc, in that order
    subject: str
    in_reply_to: list[str]
    references: list[str]
    text: str                        # the whole text, as received (HTML converted)
    html: str | None                 # sanitised HTML for display
    parts: list[Part] = field(default_factory=list)

    def header(self, name: str) -> str:
        """One header decoded to text, '' when absent or undecodable."""
        return header_text(self.message, name)

    def headers(self, name: str) -> list[str]:
        return [decoding.header_value(v) for v in raw_headers(self.message, name)]


def raw_headers(msg, name: str) -> list[str]:
    """Every value of one header field as the parser kept it (8-bit bytes as surrogate escapes)."""
    name = name.lower()
    return [str(v) for k, v in msg.raw_items() if k.lower() == name]


def header_text(msg, name: str) -> str:
    """The first value of a header field as one line of clean text, '' when absent."""
    values = raw_headers(msg, name)
    if not values:
        return ""
    return decoding.header_value(values[0], _charset_hint(msg) if decoding.has_8bit(values[0]) else None)


def _charset_hint(msg) -> str | None:
    """The charset a message declares for its text: the likeliest one for raw 8-bit bytes in its headers."""
    try:
        return msg.get_content_charset() or next(
            (p.get_content_charset() for p in msg.walk() if p.get_content_charset()), None)
    except Exception:  # noqa: BLE001 - a broken Content-Type gives no hint
        return None


MSGID = re.compile(r"<[^<>\s]+>")


def message_ids(value: str) -> list[str]:
    return MSGID.findall(value or "")


def parse(raw: bytes, *, max_bytes: int = MAX_BYTES) -> ParsedMail:
    """Parse raw bytes; raises MalformedMail when they are not an e-mail message at all, or too large."""
    if not raw or not raw.strip():
        raise MalformedMail("empty input")
    if len(raw) > max_bytes:
        raise MalformedMail(f"message of {_megabytes(len(raw))} MB, over the limit of {_megabytes(max_bytes)} MB "
                            "(MAIL_MAX_BYTES): kept, not made a ticket", _header_only(raw))
    try:
        msg = email.message_from_bytes(raw, policy=POLICY)
    except Exception as exc:  # noqa: BLE001 - the parser is lenient; anything escaping it is malformed input
        raise MalformedMail(f"cannot parse: {type(exc).__name__}") from None
    if any(isinstance(d, REPAIRABLE) for d in msg.defects):
        msg = _with_repaired_header(msg, raw)
    if not msg.keys():
        raise MalformedMail("no header fields: not an e-mail message")
    if not any(header_text(msg, h) for h in ("from", "sender", "return-path", "subject", "message-id")):
        raise MalformedMail("no From, Subject or Message-ID header: not an e-mail message")
    text, html, parts = _bodies(msg)
    return _parsed(msg, raw, text, html, parts)


# the fields a repaired header must find more of to be taken: who sent it and what about, and how its body reads
KEY_FIELDS = ("from", "subject", "message-id", "mime-version", "content-type")
REPAIRABLE = (errors.MissingHeaderBodySeparatorDefect, errors.FirstHeaderLineIsContinuationDefect)
HEADER_LINE = re.compile(rb"[\x21-\x39\x3b-\x7e]+:|[ \t]")
OBS_NAME = re.compile(rb"^([\x21-\x39\x3b-\x7e]+)[ \t]+:")     # RFC 822 allowed "Subject  : ..."


def _with_repaired_header(msg, raw: bytes):
    """The standard library ends the header at the first line that is no header field ("quite Delivered-To: x",
    RFC 822's "To  : y", a folded line that lost its indent), and the From, Subject or Content-Type after it land
    in the body; a first line indented (" From: x", as a broken gateway writes it) it takes for the continuation
    of nothing and drops. Read again with such lines mended or dropped, if that finds more of the KEY_FIELDS;
    the raw bytes stay as they came."""
    lines = raw.splitlines(keepends=True)
    if lines:
        lines[0] = lines[0].lstrip(b" \t")
    end = next((i for i, line in enumerate(lines) if not line.strip(b"\r\n")), len(lines))
    head = [OBS_NAME.sub(rb"\1:", line) for line in lines[:end]]
    fields = [i for i, line in enumerate(head) if HEADER_LINE.match(line)]
    if not fields:
        return msg
    last = fields[-1]
    repaired = b"".join(head[i] for i in fields) + b"\r\n" + b"".join(head[last + 1:] + lines[end + 1:])
    try:
        again = email.message_from_bytes(repaired, policy=POLICY)
    except Exception:  # noqa: BLE001 - keep the first reading
        return msg
    found = sum(bool(raw_headers(again, h)) for h in KEY_FIELDS) > sum(bool(raw_headers(msg, h)) for h in KEY_FIELDS)
    return again if found else msg


def _parsed(msg, raw: bytes, text: str, html: str | None, parts: list[Part]) -> ParsedMail:
    ids = message_ids(header_text(msg, "message-id"))
    sender_name, sender = _sender(msg)
    return ParsedMail(
        message=msg, raw_sha256=hashlib.sha256(raw).hexdigest(), content_sha256=_content_digest(raw),
        message_id=ids[0] if ids else None, sender=sender, sender_name=sender_name,
        recipients=_recipients(msg), subject=header_text(msg, "subject")[:998],
        in_reply_to=message_ids(header_text(msg, "in-reply-to"))[:MAX_REFERENCES],
        references=message_ids(header_text(msg, "references"))[-MAX_REFERENCES:], text=text, html=html,
        parts=parts)


def _header_only(raw: bytes) -> ParsedMail | None:
    """What the header of a message says (sender, subject, recipients), without reading its body."""
    try:
        head = raw[:1024 * 1024].replace(b"\r\n", b"\n").partition(b"\n\n")[0]
        msg = BytesHeaderParser(policy=POLICY).parsebytes(head)
        return _parsed(msg, raw, "", None, [])
    except Exception:  # noqa: BLE001 - the header is only a courtesy to the review list
        return None


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f}" if size >= 1024 * 1024 else f"{size / (1024 * 1024):.2f}"


def _content_digest(raw: bytes) -> str:
    """SHA-256 of the message without the trace headers that each relay or mailbox adds."""
    head, sep, body = raw.replace(b"\r\n", b"\n").partition(b"\n\n")
    kept, skip = [], False
    for line in head.split(b"\n"):
        if line[:1] in (b" ", b"\t"):
            if not skip:
                kept.append(line)
            continue
        skip = line.split(b":", 1)[0].strip().lower().decode("ascii", "replace") in TRACE_HEADERS
        if not skip:
            kept.append(line)
    return hashlib.sha256(b"\n".join(kept) + sep + body).hexdigest()


def _addresses(msg: Message, name: str) -> list[tuple[str, str]]:
    """(display name, lower-case address) of a header: parsed before the encoded words in names are decoded, so
    that a decoded comma or quote cannot split or merge addresses."""
    values = raw_headers(msg, name)
    hint = _charset_hint(msg) if any(decoding.has_8bit(v) for v in values) else None
    values = [decoding.repair(v[:decoding.MAX_HEADER_CHARS], "utf-8", hint) for v in values]
    try:
        pairs = getaddresses([decoding.clean_line(v) for v in values])
    except Exception:  # noqa: BLE001 - getaddresses is lenient; should it fail, there is no usable address
        return []
    return [(decoding.clean_line(decoding.decode_words(n)), decoding.clean_line(a).lower()) for n, a in pairs
            if "@" in a and len(a) <= MAX_ADDRESS]


def _sender(msg: Message) -> tuple[str | None, str | None]:
    for name in ("from", "sender", "reply-to"):
        found = _addresses(msg, name)
        if found:
            return (found[0][0] or None), found[0][1]
    return None, None


def _recipients(msg: Message) -> list[str]:
    seen: list[str] = []
    for name in ("delivered-to", "x-original-to", "to", "cc"):
        for _, addr in _addresses(msg, name):
            if addr not in seen:
                seen.append(addr)
    return seen


def _bodies(msg: Message, depth: int = 0) -> tuple[str, str | None, list[Part]]:
    """The text, the sanitised HTML and the files of a message. A message with no text of its own but a message
    in it (forwarded as an attachment with nothing typed above it, or sent as message/rfc822 whole) shows that
    message's text: the request is in it, and the ticket must not read as empty."""
    plain, html, parts, inner = [], [], [], []
    for part in _leaves(msg):
        ctype = part.get_content_type()
        name = _filename(part)
        disposition = (part.get_content_disposition() or "").lower()
        if ctype in ("text/plain", "text/html") and not name and disposition != "attachment":
            (plain if ctype == "text/plain" else html).append(_text_of(part))
        elif ctype.startswith("multipart/") and not part.is_multipart():
            plain.append(_text_of(part))    # no usable boundary: the parts are one text, shown as it came
        elif ctype.startswith("multipart/") or ctype in ("message/delivery-status", "message/disposition-notification"):
            continue
        else:
            payload = part.get_payload() if ctype == "message/rfc822" else None
            if isinstance(payload, list):
                inner.extend(sub for sub in payload if isinstance(sub, Message))
            data = _payload(part)
            if data:
                cid = (header_text(part, "content-id").strip("<> ")[:200] or None)
                parts.append(Part(name or _default_name(ctype, len(parts)), data, ctype, cid))
    safe_html = decoding.clean(textify.sanitise("\n".join(html))) if html else None
    text = "\n\n".join(p for p in plain if p.strip()) or (textify.html_to_text("\n".join(html)) if html else "")
    if not text.strip() and inner and depth < MAX_DEPTH:
        text = _bodies(inner[0], depth + 1)[0]
    return decoding.clean(text), safe_html, parts


def _leaves(msg: Message, depth: int = 0):
    """Every non-multipart part; an attached message/rfc822 counts as one file, not as more body text."""
    if msg.is_multipart() and msg.get_content_type() != "message/rfc822" and depth < MAX_DEPTH:
        for sub in msg.get_payload() or []:
            if isinstance(sub, Message):
                yield from _leaves(sub, depth + 1)
    else:
        yield msg


def _filename(part) -> str | None:
    """The file name a part gives (RFC 2231, RFC 2047 or raw 8-bit), as clean text without any path."""
    name = None
    for header, param in (("content-disposition", "filename"), ("content-type", "name")):
        values = raw_headers(part, header)
        # the header parser is asked only where the parameter's name is written (also as name*= or name*0*=):
        # a text part's Content-Type has none, and parsing it to find so was a tenth of a plain mail's parse
        if values and not name and param in values[0].lower():
            name = _parameter(header, values[0], param)
    if name:
        name = decoding.clean_line(decoding.decode_words(name)).replace("/", "_").replace("\\", "_").strip()
    return name[:255] if name else None


def _parameter(header: str, raw: str, param: str) -> str | None:
    """One parameter of a MIME header, read by the standard library from the header decoded to text first, so
    that raw 8-bit bytes get the fallback charsets rather than U+FFFD."""
    text = decoding.repair(decoding.unfold(raw), "utf-8")
    try:
        value = email.policy.default.header_factory(header, text).params.get(param)
    except Exception:  # noqa: BLE001 - a header the parser cannot take apart: the lenient reading below
        value = None
    if not value:      # the strict parser drops a value that breaks the grammar (filename==?utf-8?b?...=?=)
        lenient = Message()
        lenient[header] = text
        try:
            value = collapse_rfc2231_value(lenient.get_param(param, header=header))
        except Exception:  # noqa: BLE001 - no readable parameter
            return None
    return decoding.repair(value, "utf-8") if isinstance(value, str) else None


def _payload(part) -> bytes:
    """A part's bytes: transfer encoding undone (base64, quoted-printable, uuencode), else as they stand."""
    try:
        if part.get_content_type() == "message/rfc822" or part.is_multipart():
            return part.as_bytes(policy=email.policy.compat32)
        data = part.get_payload(decode=True)
    except Exception:  # noqa: BLE001 - undecodable transfer encoding, unserialisable part: keep what is there
        payload = part.get_payload()
        data = decoding.repair(payload).encode("utf-8") if isinstance(payload, str) else b""
    return data if isinstance(data, bytes) else b""


def _text_of(part) -> str:
    """A text part as clean text: its declared charset, else UTF-8, else Windows-1252, else Latin-1."""
    try:
        charset = part.get_content_charset()
    except Exception:  # noqa: BLE001 - a broken Content-Type: no declared charset
        charset = None
    text = decoding.clean(decoding.decode_bytes(_payload(part), charset))
    if part.get_content_type() == "text/plain" and _param(part, "format") == "flowed":
        text = decoding.unflow(text, delsp=_param(part, "delsp") == "yes")
    return text


def _param(part, name: str) -> str:
    """A Content-Type parameter's value in lower case, "" when it is missing or unreadable."""
    try:
        return str(part.get_param(name, "")).strip().lower()
    except Exception:  # noqa: BLE001 - a broken Content-Type: as if the parameter were missing
        return ""


EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png", "image/gif": ".gif", "image/webp": ".webp",
              "image/heic": ".heic", "application/pdf": ".pdf", "message/rfc822": ".eml", "text/calendar": ".ics",
              "application/ms-tnef": ".dat", "application/pkcs7-signature": ".p7s",
              "application/x-pkcs7-signature": ".p7s", "application/pkcs7-mime": ".p7m",
              "application/pgp-signature": ".asc", "application/pgp-encrypted": ".asc"}


def _default_name(ctype: str, n: int) -> str:
    return f"attachment-{n + 1}{EXTENSIONS.get(ctype, '.bin')}"


def date_of(parsed: ParsedMail):
    """The Date header as an aware datetime, or None."""
    try:
        value = parsedate_to_datetime(parsed.header("date"))
    except (TypeError, ValueError, IndexError):
        return None
    return value if value and value.tzinfo else None
