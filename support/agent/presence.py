"""Who else has a ticket open, or is writing a reply to it: a notice on the ticket page, refreshed by a tiny script.

The version check already stops one agent's change from overwriting another's; this saves the wasted work of two
replies to the same customer. A row per (ticket, agent), stamped on each page view and on each poll of the page's
script (AGENT_PRESENCE_POLL_SECONDS); a colleague counts as present while their stamp is younger than
AGENT_PRESENCE_SECONDS, so a closed tab drops out by itself. This module owns the table.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from babel.lists import format_list
from flask import current_app
from flask_babel import get_locale, ngettext
from sqlalchemy import ForeignKey, String, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, mapped_column

from ..clock import as_utc, to_naive_utc
from ..extensions import db
from .models import Agent

STATES = ("viewing", "replying")


class Presence(db.Model):
    """An agent's last sign of life on a ticket page, and whether they were typing a reply or a note."""
    __tablename__ = "agent_presence"
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"), primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agent.id", ondelete="CASCADE"), primary_key=True)
    state: Mapped[str] = mapped_column(String(10))
    seen_at: Mapped[datetime] = mapped_column(index=True)


def seen(ticket, agent, state: str, *, now: datetime) -> str | None:
    """Stamp the agent on the ticket (one commit) and say who else is there, or None when nobody is."""
    state = state if state in STATES else "viewing"
    values = {"ticket_id": ticket.id, "agent_id": agent.id, "state": state, "seen_at": to_naive_utc(as_utc(now))}
    insert = (postgresql if db.engine.dialect.name == "postgresql" else sqlite).insert
    stmt = insert(Presence).values(**values)          # one statement: two tabs of one agent never collide
    db.session.execute(stmt.on_conflict_do_update(index_elements=["ticket_id", "agent_id"],
                                                  set_={"state": state, "seen_at": values["seen_at"]}))
    db.session.commit()
    return notice(others(ticket, agent, now=now))


def others(ticket, agent, *, now: datetime) -> list[tuple[str, str]]:
    """(name, state) of the colleagues seen on this ticket lately, by name."""
    since = to_naive_utc(as_utc(now)) - timedelta(seconds=current_app.config["AGENT_PRESENCE_SECONDS"])
    rows = db.session.execute(select(Agent.name, Presence.state).join(Agent, Agent.id == Presence.agent_id)
                              .where(Presence.ticket_id == ticket.id, Presence.agent_id != agent.id,
                                     Presence.seen_at >= since).order_by(Agent.name))
    return [(name, state) for name, state in rows]


def notice(colleagues: list[tuple[str, str]]) -> str | None:
    """"Anna Agent is writing a reply to this ticket. Ola also has it open." in the request's language."""
    locale = get_locale() or "en"
    replying = [name for name, state in colleagues if state == "replying"]
    viewing = [name for name, state in colleagues if state != "replying"]
    parts = []
    if replying:
        parts.append(ngettext("%(names)s is writing a reply to this ticket.",
                              "%(names)s are writing replies to this ticket.", len(replying),
                              names=format_list(replying, locale=locale)))
    if viewing:
        parts.append(ngettext("%(names)s also has this ticket open.", "%(names)s also have this ticket open.",
                              len(viewing), names=format_list(viewing, locale=locale)))
    return " ".join(parts) or None
