"""Held mail: what the intake kept but did not make a ticket of (automated mail, mail it could not take), for
agents to review as in Zendesk's suspended-ticket view: dismiss it, or let a sender's mail through from now on.
Making a ticket of it is the intake's own job (ingest.release).

An agent sees the held mail of the mailboxes of their markets; mail that reached none of our mailboxes, admins.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import defer

from ..clock import to_naive_utc
from ..extensions import db
from . import mailboxes
from .models import AllowedSender, InboundMail

HELD_ACTIONS = ("ignored", "rejected")
PAGE = 50


class ReviewRefused(ValueError):
    """An action on held mail that cannot be carried out; the message is for the agent."""


def _visible(stmt, agent):
    """Restrict a query to the held mail the agent may see."""
    if agent.is_admin:
        return stmt
    boxes = [b.address for b in mailboxes.configured().values() if b.market in agent.market_codes]
    return stmt.where(InboundMail.mailbox.in_(boxes))


def _held():
    return select(InboundMail).where(InboundMail.action.in_(HELD_ACTIONS), InboundMail.review.is_(None))


def held_mail(agent, *, before: int | None = None) -> list[InboundMail]:
    """The newest held mail the agent may see (a page of PAGE, older than id `before`), without the raw bytes."""
    stmt = _visible(_held(), agent).order_by(InboundMail.id.desc()).limit(PAGE)
    if before:
        stmt = stmt.where(InboundMail.id < before)
    return list(db.session.scalars(stmt.options(defer(InboundMail.raw))))


def count(agent) -> int:
    """How much held mail waits for the agent's review (the navigation shows it)."""
    return db.session.scalar(select(func.count()).select_from(_visible(_held(), agent).subquery()))


def get(agent, mail_id: int) -> InboundMail | None:
    """One held (or already reviewed) mail the agent may see, or None."""
    stmt = _visible(select(InboundMail).where(InboundMail.id == mail_id,
                                              InboundMail.action.in_(HELD_ACTIONS + ("created", "appended"))), agent)
    return db.session.scalar(stmt)


def market_of(row: InboundMail) -> str | None:
    box = mailboxes.configured().get(row.mailbox)
    return box.market if box else None


def dismiss(row: InboundMail, agent, *, now: datetime) -> None:
    """Off the list: the mail stays stored (with its reason) until the retention time removes it."""
    if row.review is not None:
        raise ReviewRefused("already settled")
    row.review, row.reviewed_by, row.reviewed_at = "dismissed", agent.email, to_naive_utc(now)
    db.session.commit()


def allow_sender(row: InboundMail, agent) -> str:
    """Never hold mail from this message's sender for its headers again; returns the address."""
    address = (row.sender or "").strip().lower()
    if not address:
        raise ReviewRefused("no sender address")
    if not is_allowed(address):
        db.session.add(AllowedSender(address=address, added_by=agent.email))
        db.session.commit()
    return address


def is_allowed(sender: str | None) -> bool:
    """Whether an agent let this sender's mail through the loop guard."""
    return bool(sender) and db.session.scalar(
        select(AllowedSender.id).where(AllowedSender.address == sender.strip().lower())) is not None
