"""The overview's service-level chart: first responses and resolutions met per queue and market, per week.

Read from the "target" events that ticket operations record when a target ends (tickets/operations.py _settle),
so the figures are what the clock said at the time, not a later re-reading of the policies.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from ..extensions import db
from ..tickets.models import Event, Ticket

TARGETS = ("first", "resolution")


@dataclass
class Row:
    market: str
    queue: str
    target: str
    weeks: list[tuple[int, int]]       # (met, ended) per week, oldest first

    def share(self, week: int) -> float | None:
        met, ended = self.weeks[week]
        return met / ended if ended else None


def build(*, now: datetime, weeks: int = 8) -> tuple[list[str], list[Row]]:
    """Week labels (ISO "2026-W10") and one row per market, queue and target with ended targets."""
    monday = (now - timedelta(days=now.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
    since = monday - timedelta(weeks=weeks - 1)
    labels = [f"{d.isocalendar().year}-W{d.isocalendar().week:02d}"
              for d in (since + timedelta(weeks=i) for i in range(weeks))]
    rows: dict[tuple[str, str, str], Row] = {}
    found = db.session.execute(select(Ticket.market, Ticket.queue, Event.data, Event.created_at)
                               .join(Ticket, Ticket.id == Event.ticket_id)
                               .where(Event.action == "target", Event.created_at >= since))
    for market, queue, data, at in found:
        if data.get("target") not in TARGETS:
            continue
        key = (market, queue, data["target"])
        row = rows.setdefault(key, Row(*key, [(0, 0)] * weeks))
        week = min((at - since).days // 7, weeks - 1)
        met, ended = row.weeks[week]
        row.weeks[week] = (met + bool(data.get("met")), ended + 1)
    return labels, [rows[k] for k in sorted(rows)]
