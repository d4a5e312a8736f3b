"""Mail about notifications: what is due for an agent goes out as one mail, a burst as one digest.

A worker job. It waits NOTIFY_GATHER_SECONDS after an agent's oldest unmailed notification, so what arrives
together is mailed together; outside opening hours (none of the agent's markets open) it holds mail for agents
who did not ask for it then, and their digest goes at the opening. Rows are claimed with FOR UPDATE SKIP LOCKED,
so several workers on PostgreSQL never mail the same notification twice.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from itertools import groupby

from urllib.parse import urlsplit

from flask import current_app, has_request_context, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from .. import clock, hours, outbox
from ..clock import as_utc, to_naive_utc
from ..extensions import db
from ..tickets import notify
from .models import Notification


def mail_due(now: datetime | None = None) -> int:
    """Queue one mail per agent with notifications due to be mailed; returns how many mails were queued."""
    now = as_utc(now or clock.now())
    rows = db.session.scalars(select(Notification).where(Notification.mail == "due")
                              .order_by(Notification.agent_id, Notification.id)
                              .with_for_update(skip_locked=True)).all()
    queued = 0
    gather = timedelta(seconds=current_app.config["NOTIFY_GATHER_SECONDS"])
    for _agent_id, group in groupby(rows, key=lambda n: n.agent_id):
        notes = list(group)
        agent = notes[0].agent
        if as_utc(notes[0].created_at) + gather > now or not _may_mail_now(agent, now):
            continue                         # still gathering, or held for the opening
        if agent.active:
            _enqueue(agent, notes)
            queued += 1
        for note in notes:
            note.mail, note.mailed_at = "sent", to_naive_utc(now)
    db.session.commit()
    return queued


def _may_mail_now(agent, now: datetime) -> bool:
    if agent.notify_off_hours:
        return True
    markets = current_app.extensions["markets"]
    return any(hours.status(markets[code], now).is_open for code in agent.market_codes if code in markets)


def _sender(agent) -> str | None:
    configured = current_app.config["NOTIFY_SENDER"]
    markets = current_app.extensions["markets"]
    return configured or next((s for s in (notify.sender_for(markets[c]) for c in agent.market_codes if c in markets)
                               if s), None)


def line(note: Notification) -> str:
    """One notification as a sentence in the current locale (the list page and the mail say the same)."""
    ticket = note.ticket
    ref, subject = ticket.reference, ticket.subject
    if note.kind == "urgent":
        return _("New urgent ticket %(ref)s in your queue: %(subject)s", ref=ref, subject=subject)
    if note.kind == "customer_reply":
        return _("The customer answered on %(ref)s, assigned to you: %(subject)s", ref=ref, subject=subject)
    if note.kind == "assigned":
        return _("%(ref)s was assigned to you: %(subject)s", ref=ref, subject=subject)
    if note.kind == "breach_warning":
        return _("%(ref)s is about to miss its target: %(subject)s", ref=ref, subject=subject)
    if note.kind == "escalation":
        return _("%(ref)s missed its target and is escalated to you: %(subject)s", ref=ref, subject=subject)
    return f"{note.kind}: {ref}"


def _enqueue(agent, notes: list[Notification]) -> None:
    sender = _sender(agent)
    if not sender:                           # nowhere to send from: the in-app list still has them
        return
    with force_locale(agent.language):
        lines = [(line(n), absolute("agent.ticket", ref=n.ticket.reference)) for n in notes]
        if len(notes) == 1:
            subject = lines[0][0]
        else:
            subject = _("%(n)d notifications from customer support", n=len(notes))
        body = current_app.jinja_env.get_template("notifications/email/digest.txt").render(
            agent=agent, lines=lines, list_url=absolute("notifications.index"))
    outbox.enqueue(kind="notification", thread=f"agent-{agent.id}", sender=sender, recipient=agent.email,
                   subject=subject, body_text=body, automated=True)


def absolute(endpoint: str, **values) -> str:
    """A full link for mail the worker sends (outside a request, PUBLIC_URL gives the host)."""
    if has_request_context():
        return url_for(endpoint, _external=True, **values)
    base = urlsplit(current_app.config["PUBLIC_URL"] or "http://localhost")
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/", url_scheme=base.scheme)
    return adapter.build(endpoint, values, force_external=True)
