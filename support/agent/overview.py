"""The admins' overview: tickets in and resolved per day, per queue and market, first responses against due
times, FAQ deflections, unanswered questions, entries voted not helpful and mail that could not be sent; figures for small server-rendered charts."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import String, case, cast, func, select

from ..extensions import db
from ..faq import feedback
from ..faq.models import SearchMiss
from ..outbox import OutboxMail
from ..tickets.models import Ticket
from . import deflection as deflection_figure


@dataclass
class Overview:
    days: list[tuple[str, int, int]]                 # (YYYY-MM-DD, in, resolved)
    by_queue: list[tuple[str, str, int, int]]        # (market, queue, in, open now)
    responses: dict[str, int]                        # on_time, late, waiting_overdue, waiting_in_time
    median_first_response_minutes: int | None
    deflected: int
    unanswered: list[tuple[str, str, int]]           # (query, lang, times)
    not_helpful: list[tuple[str, str, int]]          # (FAQ slug, lang, votes)
    undelivered: list[tuple[OutboxMail, str | None]]  # mail the outbox gave up on (and its ticket), newest first
    deflection: deflection_figure.Deflection | None = None  # requests the FAQ settled per day; suggestions used

    @property
    def peak(self) -> int:
        return max([1, *(max(a, b) for _, a, b in self.days)])


def _per_day(column, since: datetime) -> dict[str, int]:
    day = func.substr(cast(column, String), 1, 10)       # ISO date text on SQLite and PostgreSQL
    rows = db.session.execute(select(day, func.count()).where(column >= since).group_by(day))
    return {d: n for d, n in rows}


def build(*, now: datetime, days: int = 14) -> Overview:
    """Figures for the last `days` days (UTC days)."""
    since = (now - timedelta(days=days - 1)).replace(hour=0, minute=0, second=0, microsecond=0)
    created, resolved = _per_day(Ticket.created_at, since), _per_day(Ticket.resolved_at, since)
    labels = [(since + timedelta(days=i)).strftime("%Y-%m-%d") for i in range(days)]
    is_open = Ticket.status.in_(("new", "open", "pending"))
    by_queue = db.session.execute(
        select(Ticket.market, Ticket.queue, func.count(), func.sum(case((is_open, 1), else_=0)))
        .where(Ticket.created_at >= since).group_by(Ticket.market, Ticket.queue)
        .order_by(Ticket.market, Ticket.queue)).all()
    answered = db.session.execute(
        select(Ticket.first_response_at, Ticket.due_at, Ticket.created_at)
        .where(Ticket.created_at >= since, Ticket.first_response_at.is_not(None))).all()
    on_time = sum(1 for first, due, _ in answered if due is None or first <= due)
    waiting = db.session.execute(
        select(func.sum(case((Ticket.due_at < now, 1), else_=0)), func.count())
        .where(Ticket.created_at >= since, Ticket.first_response_at.is_(None), is_open)).one()
    minutes = sorted(int((first - made).total_seconds() // 60) for first, _, made in answered)
    deflected = db.session.scalar(select(func.count()).select_from(SearchMiss)
                                  .where(SearchMiss.kind == "deflected", SearchMiss.created_at >= since))
    return Overview(days=[(d, created.get(d, 0), resolved.get(d, 0)) for d in labels],
                    by_queue=[(m, q, n, int(o or 0)) for m, q, n, o in by_queue],
                    responses={"on_time": on_time, "late": len(answered) - on_time,
                               "waiting_overdue": int(waiting[0] or 0),
                               "waiting_in_time": int(waiting[1] or 0) - int(waiting[0] or 0)},
                    median_first_response_minutes=minutes[len(minutes) // 2] if minutes else None,
                    deflected=deflected or 0, unanswered=feedback.top_signals("no_answer", limit=15),
                    not_helpful=feedback.top_signals("not_helpful", limit=15),
                    undelivered=[tuple(row) for row in db.session.execute(
                        select(OutboxMail, Ticket.reference).outerjoin(Ticket, Ticket.id == OutboxMail.ticket_id)
                        .where(OutboxMail.status == "failed").order_by(OutboxMail.id.desc()).limit(20))],
                    deflection=deflection_figure.build(since=since, labels=labels, tickets_in=created))
