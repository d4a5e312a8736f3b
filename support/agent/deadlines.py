"""The service-level clock in words for agents: which target runs and how much business time is left.

The stored columns say how a ticket stood at its last change (tickets/service_levels.py); whether a running
target is now in its warning window or breached follows from due_at and the time of reading, here.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _

from .. import hours
from ..clock import as_utc
from .labels import label

EXACT_WITHIN = timedelta(days=21)     # further off, business minutes are not worth counting day by day


@dataclass(frozen=True)
class Deadline:
    target: str | None               # "first" | "next" | "resolution"
    state: str | None                # running | warning | breached | paused | met | missed
    minutes_left: int | None         # business minutes, negative once breached
    words: str                       # "First response: 1 h 20 min left"

    @property
    def css(self) -> str:
        return f"sla sla-{self.state}" if self.state else "sla"


def duration(minutes: int) -> str:
    """Business minutes as "45 min" or "3 h 05 min"."""
    minutes = abs(minutes)
    if minutes < 60:
        return _("%(m)d min", m=minutes)
    return _("%(h)d h %(m)02d min", h=minutes // 60, m=minutes % 60)


def state_at(ticket, now: datetime) -> tuple[str | None, int | None]:
    """The live state of the ticket's target at `now`, and the business minutes left (None if not running)."""
    if ticket.due_at is None:
        return ticket.sla_state, None
    due, at = as_utc(ticket.due_at), as_utc(now)
    if abs(due - at) > EXACT_WITHIN:
        return ("breached" if due <= at else "running"), None
    left = hours.business_minutes_between(current_app.extensions["markets"][ticket.market], at, due)
    if due <= at:
        return "breached", left
    return ("warning" if left <= current_app.config["SLA_WARNING_MINUTES"] else "running"), left


def describe(ticket, now: datetime) -> Deadline:
    """The ticket's deadline as a short line for the queue and the ticket page, in the agent's language."""
    state, left = state_at(ticket, now)
    name = label("target", ticket.sla_target) if ticket.sla_target else _("Due")   # a ticket not yet recomputed
    if state in ("running", "warning", "breached") and left is None:
        words = _("%(target)s: due in more than three weeks", target=name) if state == "running" else \
            _("%(target)s: overdue by more than three weeks", target=name)
    elif state in ("running", "warning"):
        words = _("%(target)s: %(time)s left", target=name, time=duration(left))
    elif state == "breached":
        words = _("%(target)s: %(time)s overdue", target=name, time=duration(left))
    elif state == "paused":
        words = _("Clock paused while we wait for the customer")
    elif state == "met":
        words = _("Resolved in time")
    elif state == "missed":
        words = _("Resolved after the target")
    else:
        words = "–"
    return Deadline(ticket.sla_target, state, left, words)
