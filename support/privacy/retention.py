"""Retention: what the desk stops keeping, per market, a configured time after a ticket is closed.

Three clocks (RETENTION in support/config.py): a closed ticket's files and raw mail go first; its customer's
identity (and with it the thread's text, outbox mail and event data) later, leaving the anonymised ticket for
the figures; mail that never became part of a ticket (held, ignored, rejected) goes soonest.
A run plans first (the dry run prints the plan), then applies exactly that plan.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from .. import clock
from ..clock import to_naive_utc
from ..extensions import db
from ..mail.models import InboundMail
from ..outbox.models import OutboxMail
from ..tickets.models import Attachment, Ticket
from . import erase
from .models import PrivacyLog
from .removal import ERASED_DOMAIN, Removal, apply, files_of

CLOSED = ("resolved", "closed")      # resolved_at is set when a ticket reaches either


def _policy(market: str) -> dict:
    return current_app.config["RETENTION"][market]


def _closed_before(market: str, cutoff: datetime):
    return select(Ticket.id).where(Ticket.market == market, Ticket.status.in_(CLOSED), Ticket.resolved_at < cutoff)


def plan(now: datetime) -> Removal:
    """What a retention run at `now` removes (the dry run)."""
    now = to_naive_utc(now)
    removal = Removal()
    for market in current_app.config["RETENTION"]:
        policy = _policy(market)
        removal.add(_files_and_raw_mail(_closed_before(market, now - timedelta(days=policy["files_days"]))))
        stale = list(db.session.scalars(_closed_before(market, now - timedelta(days=policy["identity_days"]))
                                        .where(Ticket.customer_email.notlike(f"%@{ERASED_DOMAIN}"))))
        if stale:
            removal.add(erase.erase_tickets(stale))
    removal.add(_unlinked_mail(now))
    return removal


def _files_and_raw_mail(tickets) -> Removal:
    attachments = list(db.session.scalars(select(Attachment).where(Attachment.ticket_id.in_(tickets))))
    return Removal(attachments=[a.id for a in attachments], files=files_of(attachments),
                   inbound_mail=list(db.session.scalars(select(InboundMail.id).where(InboundMail.ticket_id.in_(tickets)))))


def _unlinked_mail(now: datetime) -> Removal:
    """Mail in and out that belongs to no ticket, after the shortest period of the market it came in at."""
    config = current_app.config
    shortest = min(p["unlinked_mail_days"] for p in config["RETENTION"].values())
    inbound = []
    for row_id, mailbox, received in db.session.execute(
            select(InboundMail.id, InboundMail.mailbox, InboundMail.received_at)
            .where(InboundMail.ticket_id.is_(None), InboundMail.received_at < now - timedelta(days=shortest))):
        market = config["MAILBOXES"].get(mailbox, {}).get("market")
        days = _policy(market)["unlinked_mail_days"] if market in config["RETENTION"] else shortest
        if received < now - timedelta(days=days):
            inbound.append(row_id)
    outbox = db.session.scalars(select(OutboxMail.id).where(
        OutboxMail.ticket_id.is_(None), OutboxMail.status.in_(("sent", "failed")),
        OutboxMail.created_at < now - timedelta(days=shortest)))
    return Removal(inbound_mail=inbound, outbox_mail=list(outbox))


def purge(now: datetime, *, actor: str) -> tuple[Removal, PrivacyLog]:
    """Apply retention at `now`; every run leaves an audit row, also one that removed nothing."""
    removal = plan(now)
    return removal, apply(removal, action="purge", actor=actor)


def daily_purge() -> None:
    """The worker's job: a purge at most once a day (the last run is read from the audit log, so several
    workers and restarts agree)."""
    at = clock.now()
    last = db.session.scalar(select(PrivacyLog.created_at).where(PrivacyLog.action == "purge")
                             .order_by(PrivacyLog.created_at.desc()).limit(1))
    if last is not None and last > to_naive_utc(at) - timedelta(days=1):
        return
    removal, _ = purge(at, actor="worker")
    if not removal.empty:
        current_app.logger.info("retention: removed %s", removal.counts())
