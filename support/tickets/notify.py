"""Mail to customers about their tickets, queued in the outbox inside the caller's transaction (never sent inline)."""
from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select

from ..extensions import db
from ..mail import outbox
from ..mail.models import OutboxMail
from ..util import to_naive_utc
from . import links, presenting
from .models import Event


def sender_for(market) -> str | None:
    """The market's support address, else an intake mailbox of the market, else MAIL_DEFAULT_SENDER.

    Norway's support address is not in the source material, so it is configuration, never a guess.
    """
    boxes = [a for a, box in current_app.config.get("MAILBOXES", {}).items() if box.get("market") == market.code]
    return market.support_email or (boxes[0] if boxes else None) or current_app.config.get("MAIL_DEFAULT_SENDER")


def acknowledge(ticket, *, now: datetime, sender: str | None = None):
    """Queue the acknowledgement (text + HTML, customer's language, `[SE-000123]` in the subject).

    `sender` is the intake mailbox of a mail request; otherwise the market's support address is used.
    """
    market = current_app.extensions["markets"][ticket.market]
    sender = sender or sender_for(market)
    if not may_acknowledge(ticket.customer_email, now):
        ticket.events.append(Event(actor="system", action="acknowledgement-skipped",
                                   data={"reason": "rate limit for this address reached"}))
        return None
    if not sender:                      # no address to send from: record it for the agents rather than fail intake
        ticket.events.append(Event(actor="system", action="acknowledgement-skipped",
                                   data={"reason": "no sender address configured for market " + market.code}))
        return None
    with force_locale(ticket.language):
        context = {"ticket": ticket, "market": market, "status_url": links.status_url(ticket),
                   "steps": presenting.next_steps(ticket, market, now), "lang": ticket.language}
        subject = _("[%(ref)s] We have received your request: %(subject)s", ref=ticket.reference,
                    subject=ticket.subject)
        text = _render("email/acknowledgement.txt", context)
        html = _render("email/acknowledgement.html", context)
    return outbox.enqueue(kind="acknowledgement", sender=sender, recipient=ticket.customer_email, subject=subject,
                          body_text=text, body_html=html, ticket=ticket, automated=True)


def may_acknowledge(address: str, now: datetime) -> bool:
    """At most MAIL_ACK_LIMIT acknowledgements per recipient address per hour, whatever the channel.

    A web form takes any address and puts the visitor's subject in our mail, and a runaway mail sender loops:
    neither may make us send one address a stream of mail. Per address, not per client: a botnet has many.
    """
    since = to_naive_utc(now) - timedelta(hours=1)
    sent = db.session.scalar(select(func.count(OutboxMail.id)).where(
        func.lower(OutboxMail.recipient) == address.strip().lower(), OutboxMail.kind == "acknowledgement",
        OutboxMail.created_at >= since))
    return sent < current_app.config["MAIL_ACK_LIMIT"]


def _render(name: str, context: dict) -> str:
    # the Jinja environment directly: no request-bound context processors, so the mail CLI can render too
    return current_app.jinja_env.get_template(name).render(**context)
