"""The customer's status link: /<lang>/ticket/<ref>?key=..., signed so that a changed number opens nothing.

The key is an HMAC (SECRET_KEY) over the reference and the ticket's random secret: the database alone does
not yield a working link, and any part of the app (acknowledgement, agent replies) can rebuild it.
"""
from __future__ import annotations

import hashlib
import hmac
from urllib.parse import urlsplit

from flask import current_app, has_request_context, url_for
from sqlalchemy import select

from ..extensions import db
from .models import Ticket

KEY_LENGTH = 40                      # hex digits: 160 bits


def status_key(ticket) -> str:
    """The key of a ticket's status link."""
    secret = current_app.config["SECRET_KEY"].encode()
    message = f"status:{ticket.reference}:{ticket.secret}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()[:KEY_LENGTH]


def key_matches(ticket, key: str | None) -> bool:
    """Whether `key` opens this ticket (constant-time comparison)."""
    return bool(key) and hmac.compare_digest(status_key(ticket).encode(), str(key).encode())


def status_url(ticket, *, external: bool = True) -> str:
    """The status link of a ticket in its customer's language; outside a request, PUBLIC_URL gives the host."""
    return url_in_mail("tickets.status", {"lang": ticket.language, "ref": ticket.reference,
                                          "key": status_key(ticket)}, external=external)


def url_in_mail(endpoint: str, values: dict, *, external: bool = True) -> str:
    """A link for a mail: built in a request like any URL, else (the worker, the CLI) on PUBLIC_URL's host."""
    if has_request_context():
        return url_for(endpoint, _external=external, **values)
    return on_public_host(endpoint, values, external=external)


def on_public_host(endpoint: str, values: dict, *, external: bool = True) -> str:
    """A link on PUBLIC_URL's host (localhost when unset), whatever host the current request came in on."""
    base = urlsplit(current_app.config["PUBLIC_URL"] or "http://localhost")
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/", url_scheme=base.scheme)
    return adapter.build(endpoint, values, force_external=external)


def ticket_for_customer(ref: str, key: str | None):
    """The ticket this status link opens, or None (unknown reference and wrong key look the same)."""
    ticket = ticket_by_reference(ref)
    return ticket if ticket is not None and key_matches(ticket, key) else None


def attachment_of(ticket, attachment_id: int):
    """One of the ticket's attachments by id, or None (an id of another ticket is None too)."""
    return next((a for a in ticket.attachments if a.id == attachment_id), None)


def agent_may_see(user, ticket) -> bool:
    """A signed-in agent sees the tickets of the markets they serve."""
    return bool(getattr(user, "is_authenticated", False)) and ticket.market in getattr(user, "market_codes", ())


def ticket_by_reference(ref: str):
    """The ticket with this reference, or None (for agents; customers go through ticket_for_customer)."""
    return db.session.scalar(select(Ticket).filter_by(reference=ref))
