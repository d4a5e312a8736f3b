"""The service-level clock in words for agents: which target runs and how much business time is left.

The stored columns say how a ticket stood at its last change (tickets/service_levels.py); whether a running
target is now in its warning window or breached follows from due_at and the time of reading, here. A queue page
shows fifty rows, so the sentences are translated once per request (as agent/labels.py does), and business time
is counted only for due times within EXACT_WITHIN: further off, the calendar walk is not worth it to the reader.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app, g
from flask_babel import lazy_gettext as _l

from .. import hours
from ..clock import as_utc
from .labels import label

EXACT_WITHIN = timedelta(days=3)

WORDS = {
    "minutes": _l("%(m)d min"),
    "hours": _l("%(h)d h %(m)02d min"),
    "left": _l("%(target)s: %(time)s left"),
    "overdue": _l("%(target)s: %(time)s overdue"),
    "far": _l("%(target)s: more than three days left"),
    "long_overdue": _l("%(target)s: overdue by more than three days"),
    "paused": _l("Clock paused while we wait for the customer"),
    "met": _l("Resolved in time"),
    "missed": _l("Resolved after the target"),
    "due": _l("Due"),
}


@dataclass(frozen=True)
class Deadline:
    target: str | None               # "first" | "next" | "resolution"
    state: str | None                # running | warning | breached | paused | met | missed
    minutes_left: int | None         # business minutes, negative once breached; None when not counted
    words: str                       # "First response: 1 h 20 min left"

    @property
    def css(self) -> str:
        return f"sla sla-{self.state}" if self.state else "sla"


def _words() -> dict[str, str]:
    table = g.get("agent_sla_words")
    if table is None:
        table = g.agent_sla_words = {key: str(text) for key, text in WORDS.items()}
    return table


def duration(minutes: int) -> str:
    """Business minutes as "45 min" or "3 h 05 min"."""
    minutes, words = abs(minutes), _words()
    if minutes < 60:
        return words["minutes"] % {"m": minutes}
    return words["hours"] % {"h": minutes // 60, "m": minutes % 60}


def state_at(ticket, now: datetime) -> tuple[str | None, int | None]:
    """The live state of the ticket's target at `now`, and the business minutes left (None if not counted)."""
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
    words = _words()
    name = label("target", ticket.sla_target) if ticket.sla_target else words["due"]   # not yet recomputed
    if state in ("running", "warning", "breached"):
        if left is None:
            text = words["far" if state == "running" else "long_overdue"] % {"target": name}
        else:
            text = words["left" if state != "breached" else "overdue"] % {"target": name, "time": duration(left)}
    else:
        text = words.get(state, "–") if state in ("paused", "met", "missed") else "–"
    return Deadline(ticket.sla_target, state, left, text)
