"""Parse one raw RFC 5322 message into what intake needs, with the standard library's `email` (policy default).

Nothing here raises on odd input except `MalformedMail`: headers are read raw and decoded defensively, bodies in
unknown charsets fall back to a lossless-enough decoding, so every message becomes text, HTML and files.
"""
from __future__ import annotations

import email
import email.policy
import hashlib
import re
from dataclasses import dataclass, field
from email.header import decode_header, make_header
from email.message import EmailMessage
from email.utils import getaddresses, parsedate_to_datetime

from . import textify

TRACE_HEADERS = {"received", "return-path", "delivered-to", "x-original-to", "x-peer", "x-mailfrom", "x-rcptto"}
MAX_BYTES = 50 * 1024 * 1024


class MalformedMail(ValueError):
    """The input is not a message we can read; the reason is shown to the operator."""


@dataclass
class Part:
    """A file carried by the message: an attachment or an inline (cid:) image."""
    name: str
    data: bytes
    content_type: str
    content_id: str | None = None


@dataclass
class ParsedMail:
    message: EmailMessage
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
        return [decode_text(v) for k, v in self.message.raw_items() if k.lower() == name.lower()]


def decode_text(value) -> str:
    """Decode an RFC 2047 header value; never raises, and the result can be stored (see storable)."""
    value = _unescaped(str(value))
    try:
        return storable(str(make_header(decode_header(value))))
    except Exception:  # noqa: BLE001 - any malformed encoded word: keep the raw text
        return storable(value)


def _unescaped(text: str) -> str:
    """Raw 8-bit bytes in a header (RFC 6532 UTF-8, or a careless mail program) reach us as surrogate escapes,
    which no database can store (UnicodeEncodeError at the insert): read them as UTF-8, else Windows-1252."""
    if not any("\udc80" <= c <= "\udcff" for c in text):
        return text
    raw = text.encode("utf-8", "surrogateescape")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", "replace")


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def storable(text: str) -> str:
    """Text a database takes: without NUL (PostgreSQL refuses it) and with a lone surrogate (UTF-7 can decode to
    one, and no encoder takes it) replaced by U+FFFD. Either used to stop the mail's intake for good; the raw
    bytes keep the original."""
    return _LONE_SURROGATE.sub("\ufffd", text.replace("\x00", ""))


def header_text(msg: EmailMessage, name: str) -> str:
    for key, value in msg.raw_items():
        if key.lower() == name.lower():
            return " ".join(decode_text(value).split())
    return ""


MSGID = re.compile(r"<[^<>\s]+>")


def message_ids(value: str) -> list[str]:
    return MSGID.findall(value or "")


def parse(raw: bytes) -> ParsedMail:
    """Parse raw bytes; raises MalformedMail when they are not an e-mail message at all."""
    if not raw or not raw.strip():
        raise MalformedMail("empty input")
    if len(raw) > MAX_BYTES:
        raise MalformedMail(f"message larger than {MAX_BYTES // (1024 * 1024)} MB")
    try:
        msg = email.message_from_bytes(raw, policy=email.policy.default)
    except Exception as exc:  # noqa: BLE001 - the parser is lenient; anything escaping it is malformed input
        raise MalformedMail(f"cannot parse: {exc}") from None
    if not msg.keys():
        raise MalformedMail("no header fields: not an e-mail message")
    if not any(header_text(msg, h) for h in ("from", "sender", "return-path", "subject", "message-id")):
        raise MalformedMail("no From, Subject or Message-ID header: not an e-mail message")
    ids = message_ids(header_text(msg, "message-id"))
    sender_name, sender = _sender(msg)
    text, html, parts = _bodies(msg)
    return ParsedMail(
        message=msg, raw_sha256=hashlib.sha256(raw).hexdigest(), content_sha256=_content_digest(raw),
        message_id=ids[0] if ids else None, sender=sender, sender_name=sender_name,
        recipients=_recipients(msg), subject=header_text(msg, "subject")[:998],
        in_reply_to=message_ids(header_text(msg, "in-reply-to")),
        references=message_ids(header_text(msg, "references")), text=text, html=html, parts=parts)


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


def _addresses(msg: EmailMessage, name: str) -> list[tuple[str, str]]:
    values = [decode_text(v) for k, v in msg.raw_items() if k.lower() == name]
    return [(n, a.strip().lower()) for n, a in getaddresses(values) if "@" in a]


def _sender(msg: EmailMessage) -> tuple[str | None, str | None]:
    for name in ("from", "sender", "reply-to"):
        found = _addresses(msg, name)
        if found:
            return (found[0][0] or None), found[0][1]
    return None, None


def _recipients(msg: EmailMessage) -> list[str]:
    seen: list[str] = []
    for name in ("delivered-to", "x-original-to", "to", "cc"):
        for _, addr in _addresses(msg, name):
            if addr not in seen:
                seen.append(addr)
    return seen


def _bodies(msg: EmailMessage) -> tuple[str, str | None, list[Part]]:
    """The text, the sanitised HTML and the files of a message."""
    plain, html, parts = [], [], []
    for part in _leaves(msg):
        ctype = part.get_content_type()
        name = _filename(part)
        disposition = (part.get_content_disposition() or "").lower()
        if ctype in ("text/plain", "text/html") and not name and disposition != "attachment":
            (plain if ctype == "text/plain" else html).append(_text_of(part))
        elif ctype.startswith("multipart/") or ctype in ("message/delivery-status", "message/disposition-notification"):
            continue
        else:
            data = _payload(part)
            if data:
                cid = (header_text(part, "content-id").strip("<> ") or None)
                parts.append(Part(name or _default_name(ctype, len(parts)), data, ctype, cid))
    safe_html = textify.sanitise("\n".join(html)) if html else None
    text = "\n\n".join(p for p in plain if p.strip()) or (textify.html_to_text("\n".join(html)) if html else "")
    return text, safe_html, parts


def _leaves(msg: EmailMessage):
    """Every non-multipart part; an attached message/rfc822 counts as one file, not as more body text."""
    if msg.is_multipart() and msg.get_content_type() != "message/rfc822":
        for sub in msg.get_payload() or []:
            if isinstance(sub, EmailMessage) or hasattr(sub, "get_content_type"):
                yield from _leaves(sub)
    else:
        yield msg


def _filename(part) -> str | None:
    try:
        name = part.get_filename()
    except Exception:  # noqa: BLE001 - broken RFC 2231 parameters
        name = None
    if name:
        name = decode_text(name).replace("/", "_").replace("\\", "_").strip()
    return name or None


def _payload(part) -> bytes:
    try:
        if part.get_content_type() == "message/rfc822" or part.is_multipart():
            return part.as_bytes(policy=email.policy.compat32)
        data = part.get_payload(decode=True)
    except Exception:  # noqa: BLE001 - undecodable transfer encoding: keep what is there
        data = str(part.get_payload()).encode("utf-8", "replace")
    return data if isinstance(data, bytes) else b""


def _text_of(part) -> str:
    """A text part as str: its declared charset, else UTF-8, else Windows-1252 (never fails)."""
    data = _payload(part)
    charset = part.get_content_charset() or "utf-8"
    for candidate in (charset, "utf-8", "cp1252"):
        try:
            return storable(data.decode(candidate))
        except (LookupError, ValueError):      # unknown charset, undecodable bytes, a NUL in the name
            continue
    return storable(data.decode("latin-1"))


EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png", "image/gif": ".gif", "image/webp": ".webp",
              "image/heic": ".heic", "application/pdf": ".pdf", "message/rfc822": ".eml"}


def _default_name(ctype: str, n: int) -> str:
    return f"attachment-{n + 1}{EXTENSIONS.get(ctype, '.bin')}"


def date_of(parsed: ParsedMail):
    """The Date header as an aware datetime, or None."""
    try:
        value = parsedate_to_datetime(parsed.header("date"))
    except (TypeError, ValueError, IndexError):
        return None
    return value if value and value.tzinfo else None
