"""Notifications from the audit trail: each new Event that matters to an agent tells them, in the same flush.

Ticket operations know nothing of agents' wishes (imports run agent -> tickets, never back); they record an
Event for every change (tickets/operations.py record_event), and this listener reads the new ones just
before they are written, so a notification commits with the change that causes it, or not at all.
"""
from __future__ import annotations

from flask import current_app, has_app_context
from sqlalchemy import event as sa_event, select

from ..agent.models import Agent
from ..clock import as_utc
from ..extensions import db
from ..tickets.models import Event, Ticket
from . import store

_listening = False


def listen() -> None:
    """Attach the listener once per process (the session factory is shared by every app of a test run)."""
    global _listening
    if not _listening:
        sa_event.listen(db.session, "before_flush", _before_flush)
        _listening = True


def _before_flush(session, _context, _instances) -> None:
    if not has_app_context() or "notifications" not in current_app.extensions:
        return
    for item in [obj for obj in session.new if isinstance(obj, Event)]:
        ticket = item.ticket
        if ticket is not None:
            for agent, kind in recipients(session, item, ticket):
                store.add(session, agent, kind, ticket, as_utc(item.created_at))


def recipients(session, item: Event, ticket: Ticket) -> list[tuple[Agent, str]]:
    """Who hears of this event, and as what; never the agent who did it."""
    found: list[tuple[Agent, str]] = []
    if item.action == "created" and item.data.get("priority") == "urgent":
        found = [(a, "urgent") for a in workers_of(session, ticket.market, ticket.queue)]
    elif item.action == "message" and item.actor == "customer" and ticket.assignee_id:
        found = [(session.get(Agent, ticket.assignee_id), "customer_reply")]
    elif item.action == "assigned" and item.agent_id and ticket.assignee_id:
        found = [(session.get(Agent, ticket.assignee_id), "assigned")]
    return [(a, kind) for a, kind in found if a is not None and a.id != item.agent_id]


def workers_of(session, market: str, queue: str) -> list[Agent]:
    """Active agents who work this market and queue."""
    agents = session.scalars(select(Agent).where(Agent.active.is_(True)).order_by(Agent.id))
    return [a for a in agents if a.works(market, queue)]
