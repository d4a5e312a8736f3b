"""Queueing: a mail is added to the outbox in the caller's transaction, under a signed Message-ID.

A Message-ID names its thread (`<SE-000123.nonce.signature@domain>`) and is signed with SECRET_KEY, so the
In-Reply-To of a reply can be trusted to name the thread it continues; the outbox does not know what a thread
key means (mail intake reads it as a ticket reference).
"""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from flask import current_app

from ..extensions import db
from .models import OutboxMail

KEY = r"[A-Za-z0-9-]{1,40}"
MESSAGE_ID = re.compile(rf"<(?P<key>{KEY})\.(?P<nonce>[0-9a-f]{{16}})\.(?P<sig>[0-9a-f]{{16}})@(?P<domain>[^>]+)>")
MESSAGE_ID_BYTES = re.compile(rf"<{KEY}\.[0-9a-f]{{16}}\.[0-9a-f]{{16}}@[^<>\s]+>".encode())
AUTOMATED = {"Auto-Submitted": "auto-replied"}          # RFC 3834: our acknowledgements must not trigger replies


def _signature(key: str, nonce: str) -> str:
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, f"{key}.{nonce}".encode(), hashlib.sha256).hexdigest()[:16]


def new_message_id(key: str) -> str:
    """A Message-ID for mail of thread `key`, signed so that replies can be threaded safely."""
    nonce = secrets.token_hex(8)
    domain = current_app.config["MESSAGE_ID_DOMAIN"]
    return f"<{key}.{nonce}.{_signature(key, nonce)}@{domain}>"


def signed_key(value: str) -> str | None:
    """The thread key of one of our own signed Message-IDs; None for anything else or a forged one."""
    found = MESSAGE_ID.fullmatch(value.strip())
    if not found or not hmac.compare_digest(found["sig"], _signature(found["key"], found["nonce"])):
        return None
    return found["key"]


def sent_ids_in(raw: bytes) -> list[str]:
    """Our signed Message-IDs quoted anywhere in a message (a delivery report returns them), verified."""
    found = (value.decode("ascii", "replace") for value in MESSAGE_ID_BYTES.findall(raw))
    return [key for key in map(signed_key, found) if key]


def enqueue(*, kind: str, thread: str, sender: str, recipient: str, subject: str, body_text: str,
            body_html: str | None = None, ticket_id: int | None = None, in_reply_to: str | None = None,
            references: tuple[str, ...] = (), automated: bool = False, attachments: list[dict] = ()) -> OutboxMail:
    """Add one mail to the outbox in the current transaction (the caller commits)."""
    headers = dict(AUTOMATED) if automated else {}
    if in_reply_to:
        headers["In-Reply-To"] = in_reply_to
        headers["References"] = " ".join((*references, in_reply_to))
    mail = OutboxMail(kind=kind, sender=sender, recipient=recipient, subject=subject, body_text=body_text,
                      body_html=body_html, headers=headers, message_id=new_message_id(thread), ticket_id=ticket_id,
                      attachments=list(attachments))
    db.session.add(mail)
    return mail
