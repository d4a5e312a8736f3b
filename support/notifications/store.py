"""The one writer of notifications: who is told what, the in-app list and its unread count."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, text, update

from ..clock import to_naive_utc
from ..extensions import db
from .models import Notification

LIST_SIZE = 50


def add(session, agent, kind: str, ticket, at: datetime, **data) -> Notification | None:
    """Tell one agent (in `session`, the caller's transaction), unless they chose not to hear of this kind."""
    if not agent.active or not agent.wants(kind):
        return None
    note = Notification(agent_id=agent.id, kind=kind, data=data, created_at=to_naive_utc(at), mail="due")
    note.ticket = ticket                     # a new ticket has no id before the flush; the relationship waits
    session.add(note)
    return note


# every agent page shows the count: plain SQL over ix_notification_agent_read, a tenth of the ORM query's time
_UNREAD = text("SELECT count(*) FROM notification WHERE agent_id = :agent AND read_at IS NULL")


def unread_count(agent) -> int:
    return db.session.execute(_UNREAD, {"agent": agent.id}).scalar() or 0


def latest(agent, limit: int = LIST_SIZE) -> list[Notification]:
    return list(db.session.scalars(select(Notification).where(Notification.agent_id == agent.id)
                                   .order_by(Notification.id.desc()).limit(limit)))


def mark_read(agent, now: datetime, ids: list[int] | None = None) -> int:
    """Mark the agent's notifications read (these ids, or all); returns how many changed."""
    stmt = update(Notification).where(Notification.agent_id == agent.id, Notification.read_at.is_(None))
    if ids is not None:
        stmt = stmt.where(Notification.id.in_(ids))
    done = db.session.execute(stmt.values(read_at=to_naive_utc(now))).rowcount
    db.session.commit()
    return done


def open_one(agent, note_id: int, now: datetime) -> Notification | None:
    """One of the agent's own notifications, marked read (the agent is opening it); None if it is not theirs."""
    note = db.session.get(Notification, note_id)
    if note is None or note.agent_id != agent.id:
        return None
    if note.read_at is None:
        note.read_at = to_naive_utc(now)
        db.session.commit()
    return note
