"""Mail to customers about their tickets: built here, queued in the outbox inside the caller's transaction.

Never sent inline; the worker sends the outbox. Templates are rendered with the Jinja environment directly
(no request-bound context processors), so a view, the mail CLI and the worker produce the same text.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import force_locale, get_translations
from flask_babel import gettext as _
from jinja2 import pass_context
from markupsafe import Markup
from sqlalchemy import bindparam, func, select

from .. import outbox
from ..clock import to_naive_utc
from ..extensions import db
from . import links, presenting, references
from .models import Ticket

_RE_PREFIX = re.compile(r"^\s*((re|sv|vs|aw|fw|fwd)\s*:\s*)+", re.IGNORECASE)


def sender_for(market) -> str | None:
    """The market's support address, else an intake mailbox of the market, else MAIL_DEFAULT_SENDER.

    Norway's support address is not in the source material, so it is configuration, never a guess.
    """
    boxes = [a for a, box in current_app.config["MAILBOXES"].items() if box.get("market") == market.code]
    return market.support_email or (boxes[0] if boxes else None) or current_app.config["MAIL_DEFAULT_SENDER"]


def acknowledge(ticket: Ticket, *, now: datetime, sender: str, offer=None):
    """Queue the acknowledgement (text + HTML, customer's language, `[SE-000123]` in the subject); `offer` is the
    FAQ answer it carries (tickets/answers.py), if any."""
    market = current_app.extensions["markets"][ticket.market]
    with force_locale(ticket.language):
        context = {"ticket": ticket, "market": market, "status_url": links.status_url(ticket),
                   "steps": presenting.next_steps(ticket, market, now), "lang": ticket.language, "offer": offer}
        subject = _("[%(ref)s] We have received your request: %(subject)s", ref=ticket.reference,
                    subject=ticket.subject)
        text = _render("email/acknowledgement.txt", context)
        html = _render("email/acknowledgement.html", context)
    mail = outbox.enqueue(kind="acknowledgement", thread=ticket.reference, sender=sender,
                          recipient=ticket.customer_email, subject=subject, body_text=text, body_html=html,
                          automated=True)
    ticket.outbox.append(mail)          # its ticket_id at the flush: a new ticket has no id before it
    return mail


def reply(ticket: Ticket, agent, body: str, *, sender: str, files=()):
    """Queue an agent's reply, threaded under the customer's last mail, in the ticket's language."""
    parent, earlier = thread_ids(ticket)
    with force_locale(ticket.language):
        text = _render("agent/email/reply.txt", {"ticket": ticket, "body": body, "agent": agent,
                                                 "brand": current_app.extensions["markets"][ticket.market]})
    return outbox.enqueue(kind="reply", thread=ticket.reference, sender=sender, recipient=ticket.customer_email,
                          subject=reply_subject(ticket), body_text=text, ticket_id=ticket.id, in_reply_to=parent,
                          references=earlier, attachments=[{"path": a.stored_name, "filename": a.original_name,
                                                            "mime_type": a.mime_type} for a in files])


def reply_subject(ticket: Ticket) -> str:
    """`Re: <subject> [SE-000123]`, without piling up prefixes or tags."""
    base = references.without_tags(_RE_PREFIX.sub("", ticket.subject or "")).strip()
    return f"Re: {base} [{ticket.reference}]" if base else f"[{ticket.reference}]"


def thread_ids(ticket: Ticket) -> tuple[str | None, tuple[str, ...]]:
    """In-Reply-To (the last customer mail, else our acknowledgement) and the earlier References."""
    customer = [m.mail_message_id for m in ticket.messages if m.kind == "customer" and m.mail_message_id]
    sent = db.session.execute(select(outbox.OutboxMail.message_id, outbox.OutboxMail.kind)
                              .where(outbox.OutboxMail.ticket_id == ticket.id).order_by(outbox.OutboxMail.id)).all()
    ours = [mid for mid, _kind in sent]
    acks = [mid for mid, kind in sent if kind == "acknowledgement"]
    parent = customer[-1] if customer else (acks[-1] if acks else None)
    if parent is None:
        return None, ()
    earlier = [mid for mid in customer[:-1] + ours if mid != parent]
    return parent, tuple(earlier[-10:])      # a few ancestors suffice for threading; keeps headers short


def may_acknowledge(address: str, now: datetime) -> bool:
    """At most MAIL_ACK_LIMIT acknowledgements per recipient address per hour, whatever the channel.

    A web form takes any address and puts the visitor's subject in our mail, and a runaway mail sender loops:
    neither may make us send one address a stream of mail. Per address, not per client: a botnet has many.
    Counted on the session's connection, without an autoflush: the callers flush before they ask.
    """
    since = to_naive_utc(now) - timedelta(hours=1)
    sent = db.session.connection().scalar(_RECENT_ACKNOWLEDGEMENTS, {"address": address.strip().lower(),
                                                                     "since": since})
    return sent < current_app.config["MAIL_ACK_LIMIT"]


_mail = outbox.OutboxMail.__table__.c       # a count of rows: no ORM entity to resolve for it
# built once: every new ticket asks (ix_outbox_mail_recipient_lower answers it)
_RECENT_ACKNOWLEDGEMENTS = select(func.count()).where(
    func.lower(_mail.recipient) == bindparam("address"), _mail.kind == "acknowledgement",
    _mail.created_at >= bindparam("since"))


def _render(name: str, context: dict) -> str:
    """A mail template in the current locale, its `_()` bound to that locale's catalogue for this one rendering:
    Flask-Babel's gettext looks the locale up again for every string, which was most of a mail's rendering."""
    return current_app.jinja_env.get_template(name).render(**context, gettext=_gettext_of(get_translations()))


def _gettext_of(translations):
    """`_()` for templates with Jinja's newstyle rules (escaped where autoescaping, always %-formatted)."""
    @pass_context
    def gettext(template_context, string: str, **variables) -> str:
        text = translations.ugettext(string)
        if template_context.eval_ctx.autoescape:
            text = Markup(text)
        return text % variables
    return gettext
