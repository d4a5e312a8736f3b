"""A new request as plain data (from a web form or a parsed mail), and the 24-hour rule it is judged by."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from ..clock import as_utc
from .routing import damage_deadline


@dataclass
class Draft:
    """A new request as plain data, from a web form or a parsed mail."""
    market: str                 # "se" | "no"
    language: str               # "sv" | "nb" | "en"
    channel: str                # "web" | "email"
    category: str               # cancellation | damage | stuck-order | other
    subject: str
    body: str                   # the customer's text, whole
    customer_email: str
    customer_name: str | None = None
    company: str | None = None
    phone: str | None = None
    customer_number: str | None = None
    order_numbers: str | None = None
    details: dict = field(default_factory=dict)   # request-type fields: "delivered_at", "damaged_items", ...
    delivered_at: datetime | None = None          # aware; damage only
    queue: str | None = None    # a mailbox's queue, used as the routing prior
    body_html: str | None = None   # sanitised HTML of a mail
    acknowledge: bool = True    # False for mail that must not be answered (rate-limited sender)
    mail_message_id: str | None = None   # the Message-ID of the mail it came in, for threading our replies
    question: str | None = None   # the customer's own words, for the FAQ answer (a mail without its quoted history)


def is_late(draft: Draft, now: datetime) -> bool | None:
    """Damage reported more than 24 hours after delivery; None when the rule does not apply."""
    if draft.category != "damage" or draft.delivered_at is None:
        return None
    return as_utc(now) > as_utc(damage_deadline(draft.delivered_at))
