"""The overview's deflection figure: requests the FAQ settled, per day, and how often agents use its suggestions.

Three ways the FAQ settles a request, each counted where it is recorded:
- the request form's while-typing panel: "This solved it" (js/deflect.js -> /api/tickets/deflected, a SearchMiss
  of kind "deflected"); the customer never sends the form;
- the acknowledgement's signed "this solved it" link: the ticket resolved by the customer (Event
  "solved_by_answer"; counted by its name, so the figure holds whichever module records it);
- an agent's reply built on a suggested answer (Events "suggestion_used" recorded with the reply; a reply that
  used two answers counts once).
The share is of all requests: the tickets that came in plus the panel's deflections (those never became tickets).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import String, cast, func, select

from ..extensions import db
from ..faq.models import SearchMiss
from ..tickets.models import Event

PANEL_KIND = "deflected"
SOLVED_ACTION = "solved_by_answer"
USED_ACTION = "suggestion_used"
REPLIED_ACTION = "replied"


@dataclass(frozen=True)
class Day:
    day: str               # YYYY-MM-DD (UTC)
    panel: int             # settled by the form's panel
    link: int              # tickets the customer closed with the acknowledgement's link
    suggested: int         # replies built on a suggested answer
    requests: int          # tickets in + panel deflections

    @property
    def settled(self) -> int:
        return self.panel + self.link + self.suggested


@dataclass(frozen=True)
class Deflection:
    days: list[Day]
    replies: int                     # agents' replies in the period
    replies_with_suggestion: int

    @property
    def settled(self) -> int:
        return sum(d.settled for d in self.days)

    @property
    def requests(self) -> int:
        return sum(d.requests for d in self.days)

    def total(self, way: str) -> int:
        return sum(getattr(d, way) for d in self.days)

    @property
    def share(self) -> int | None:
        """Per cent of all requests the FAQ settled; None without requests."""
        return round(100 * self.settled / self.requests) if self.requests else None

    @property
    def usage(self) -> int | None:
        """Per cent of replies that used a suggestion; None without replies."""
        return round(100 * self.replies_with_suggestion / self.replies) if self.replies else None

    @property
    def peak(self) -> int:
        return max([1, *(max(d.requests, d.settled) for d in self.days)])


def _per_day(column, *where) -> dict[str, int]:
    # one expression object in SELECT and GROUP BY: PostgreSQL compares them with their bound parameters
    day = func.substr(cast(column, String), 1, 10)       # ISO date text on SQLite and PostgreSQL
    return {d: n for d, n in db.session.execute(select(day, func.count()).where(*where).group_by(day))}


def _replies_with_suggestion(since: datetime) -> dict[str, int]:
    """Per day, the replies that used a suggestion: one reply records its events with the ticket and one time."""
    rows = db.session.execute(select(Event.ticket_id, Event.created_at)
                              .where(Event.action == USED_ACTION, Event.created_at >= since)).all()
    per_day: dict[str, int] = {}
    for _ticket, at in set(rows):
        key = at.strftime("%Y-%m-%d")
        per_day[key] = per_day.get(key, 0) + 1
    return per_day


def build(*, since: datetime, labels: list[str], tickets_in: dict[str, int]) -> Deflection:
    """The figure for the days `labels` (from `since`), given the tickets that came in per day."""
    panel = _per_day(SearchMiss.created_at, SearchMiss.kind == PANEL_KIND, SearchMiss.created_at >= since)
    link = _per_day(Event.created_at, Event.action == SOLVED_ACTION, Event.created_at >= since)
    suggested = _replies_with_suggestion(since)
    replies = db.session.scalar(select(func.count()).select_from(Event)
                                .where(Event.action == REPLIED_ACTION, Event.created_at >= since)) or 0
    days = [Day(d, panel.get(d, 0), link.get(d, 0), suggested.get(d, 0), tickets_in.get(d, 0) + panel.get(d, 0))
            for d in labels]
    return Deflection(days, replies, sum(suggested.values()))
