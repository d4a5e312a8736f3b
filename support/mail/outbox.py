"""The durable outbox: mail is queued in the caller's transaction and sent later by the worker.

Our Message-IDs are signed (HMAC with SECRET_KEY), so a reply's In-Reply-To can be trusted to name its ticket.
"""
import hashlib
import hmac
import re
import secrets

from flask import current_app

from ..extensions import db
from .models import OutboxMail

MESSAGE_ID = re.compile(r"<(?P<ref>(?:SE|NO)-\d{6})\.(?P<nonce>[0-9a-f]{16})\.(?P<sig>[0-9a-f]{16})@(?P<domain>[^>]+)>")
AUTOMATED = {"Auto-Submitted": "auto-replied"}          # RFC 3834: our acknowledgements must not trigger replies


def _signature(ref: str, nonce: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"{ref}.{nonce}".encode(), hashlib.sha256).hexdigest()[:16]


def new_message_id(ref: str) -> str:
    """A Message-ID for mail about ticket `ref`, signed so that replies can be threaded safely."""
    nonce = secrets.token_hex(8)
    domain = current_app.config.get("MESSAGE_ID_DOMAIN") or "support.ingrammicro.invalid"
    return f"<{ref}.{nonce}.{_signature(ref, nonce)}@{domain}>"


def ticket_ref_from_message_id(value: str) -> str | None:
    """The ticket reference of one of our own signed Message-IDs; None for anything else or a forged one."""
    found = MESSAGE_ID.fullmatch(value.strip())
    if not found or not hmac.compare_digest(found["sig"], _signature(found["ref"], found["nonce"])):
        return None
    return found["ref"]


def enqueue(*, kind: str, sender: str, recipient: str, subject: str, body_text: str, body_html: str | None = None,
            ticket=None, in_reply_to: str | None = None, references: tuple[str, ...] = (),
            automated: bool = False) -> OutboxMail:
    """Add one mail to the outbox in the current transaction (the caller commits)."""
    ref = ticket.reference if ticket is not None else "SE-000000"
    headers = dict(AUTOMATED) if automated else {}
    if in_reply_to:
        headers["In-Reply-To"] = in_reply_to
        headers["References"] = " ".join((*references, in_reply_to))
    mail = OutboxMail(kind=kind, sender=sender, recipient=recipient, subject=subject, body_text=body_text,
                      body_html=body_html, headers=headers, message_id=new_message_id(ref), ticket=ticket)
    db.session.add(mail)
    return mail
