"""The service-level clock of a stored ticket: its history read from its rows, and the columns kept in step.

`refresh` is called by tickets/operations.py right before every commit that changes a ticket, so `due_at` (which
the queues sort on, through their partial indexes) and the `sla_*` columns are never stale. The clock itself is
pure (tickets/sla.py); this module only turns Message and Event rows into its `Happening`s.
"""
from __future__ import annotations

from datetime import datetime

from flask import current_app

from ..clock import as_utc, to_naive_utc
from . import sla
from .models import Ticket

_FIELD_EVENTS = {"status": "status", "reopened": "status", "priority": "priority", "queue": "queue"}
# events that set a status without recording it as "to": the customer's "this solved it" resolves the ticket
_STATUS_OF = {"solved_by_answer": "resolved"}


def history(ticket: Ticket) -> tuple[list[sla.Happening], str, str]:
    """The ticket's happenings and its first queue and priority (from the "created" event, else the earliest
    change's "from", else the current value: tickets stored before events were kept still get a clock)."""
    events = sorted(ticket.events, key=lambda e: (e.created_at, e.id or 0))
    moved_in = {mid for e in events if e.action == "merged_from" for mid in e.data.get("messages", [])}
    happenings = [sla.Happening(as_utc(ticket.created_at), "created")]
    queue = priority = None
    for e in events:
        at = as_utc(e.created_at)
        if e.action == "created":
            queue, priority = e.data.get("queue"), e.data.get("priority")
        elif e.action in _FIELD_EVENTS:
            kind = _FIELD_EVENTS[e.action]
            if kind == "queue" and queue is None:
                queue = e.data.get("from")
            if kind == "priority" and priority is None:
                priority = e.data.get("from")
            happenings.append(sla.Happening(at, kind, e.data.get("to")))
        elif e.action in _STATUS_OF:
            happenings.append(sla.Happening(at, "status", _STATUS_OF[e.action]))
        elif e.action == "merged_from":
            due = e.data.get("due")
            happenings.append(sla.Happening(at, "merged_from", due=as_utc(datetime.fromisoformat(due)) if due else None))
    for m in ticket.messages:
        # messages a merge brought in belong to the source's clock, which the merged_from due time stands for
        if m.kind in ("customer", "reply") and m.id not in moved_in:
            happenings.append(sla.Happening(as_utc(m.created_at), m.kind))
    return happenings, queue or ticket.queue, priority or ticket.priority


def clock(ticket: Ticket, now: datetime) -> sla.Clock:
    """The ticket's clock at `now`, in its market's calendar and under the configured policies."""
    happenings, queue, priority = history(ticket)
    return sla.compute(happenings, market=current_app.extensions["markets"][ticket.market],
                       policies=current_app.extensions["sla_policies"], queue=queue, priority=priority,
                       now=as_utc(now), warning_minutes=current_app.config["SLA_WARNING_MINUTES"])


def refresh(ticket: Ticket, now: datetime) -> sla.Clock:
    """Recompute and store the running target, its due time and state (the caller commits)."""
    found = clock(ticket, now)
    ticket.due_at = to_naive_utc(found.due) if found.due else None
    # warning and breached follow from due_at and the time of reading; what is stored is how it stood
    ticket.sla_target, ticket.sla_state = found.target, "running" if found.due else found.state
    ticket.sla_started_at = to_naive_utc(found.started) if found.started else None
    return found


def response_due(ticket: Ticket) -> datetime | None:
    """The due time a customer may be told: only that of a running response target, never resolution's."""
    return ticket.due_at if ticket.sla_target in ("first", "next") else None


def unrecorded(ticket: Ticket, found: sla.Clock) -> list[sla.Outcome]:
    """Targets the clock says ended that have no "target" event yet: one per target and start (a resolution
    reopened and resolved again keeps its first verdict; the thread shows the rest)."""
    recorded = {(e.data.get("target"), e.data.get("started")) for e in ticket.events if e.action == "target"}
    return [o for o in found.history if (o.target, o.started.isoformat()) not in recorded]
