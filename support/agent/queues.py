"""Reading tickets for agents: queue views by due time with keyset pages, counts, market access (search: ticket_search.py)."""
from __future__ import annotations

import base64
import json
import time
from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app
from sqlalchemy import and_, func, or_, select, text, tuple_

from .. import hours
from ..clock import as_utc, to_naive_utc
from ..extensions import db
from ..ids import valid_id
from ..tickets import operations
from ..tickets.models import CATEGORIES, STATUSES, Ticket
from .models import OPEN_SQL, Agent

PAGE_SIZE = 50
VIEWS = ("all", "mine", "unassigned", "overdue", "due_soon", "waiting")
_OPEN = text(f"ticket.{OPEN_SQL}")   # the literal term the partial indexes are declared with


class NotFound(LookupError):
    """No such ticket, or not one of the agent's markets (the same answer, so nothing leaks)."""


@dataclass(frozen=True)
class Filters:
    """What a queue page shows: a view or a queue, narrowed by market, category, status and language."""
    view: str = "all"
    queue: str | None = None
    market: str | None = None
    category: str | None = None
    status: str | None = None        # None: the open statuses
    language: str | None = None

    @classmethod
    def parse(cls, args, queues) -> Filters:
        """From query arguments; unknown values are dropped rather than failing the page."""
        def pick(name, allowed):
            value = args.get(name) or None
            return value if value in allowed else None
        return cls(view=pick("view", VIEWS) or "all", queue=pick("queue", queues), market=pick("market", ("se", "no")),
                   category=pick("category", CATEGORIES), status=pick("status", STATUSES),
                   language=pick("language", ("sv", "nb", "en")))

    def args(self) -> dict:
        """The filters as query arguments (for links), without empty ones."""
        return {k: v for k, v in self.__dict__.items() if v and not (k == "view" and v == "all")}


@dataclass
class Page:
    tickets: list[Ticket]
    next_cursor: str | None
    assignees: dict[int, str] = field(default_factory=dict)     # agent id -> name, for the page's rows


def visible_markets(agent: Agent) -> tuple[str, ...] | None:
    """The markets whose tickets the agent may see; None means all (admins)."""
    return None if agent.is_admin else agent.market_codes


def _scoped(stmt, agent: Agent):
    markets = visible_markets(agent)
    return stmt if markets is None else stmt.where(Ticket.market.in_(markets))


def encode_cursor(ticket: Ticket) -> str:
    """An opaque cursor for the page after this ticket: its (due_at, id)."""
    due = ticket.due_at.isoformat() if ticket.due_at else None
    return base64.urlsafe_b64encode(json.dumps([due, ticket.id]).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> tuple[datetime | None, int] | None:
    """The (due_at, id) of a cursor; None for a missing or mangled one (start from the top)."""
    if not cursor:
        return None
    try:
        due, last_id = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        due = datetime.fromisoformat(due) if due else None
    except (ValueError, TypeError):
        return None
    # only what encode_cursor writes: a naive UTC time and an id the database can hold (a huge one was a 500)
    if not valid_id(last_id) or (due is not None and due.tzinfo is not None):
        return None
    return due, last_id


def _segments_after(cursor: tuple[datetime | None, int]) -> list:
    """Conditions for the rows after the cursor in ORDER BY due_at, id, in the engine's NULL placement.

    One range condition per part (dated tickets, undated ones) rather than one OR of both: with the OR,
    PostgreSQL walks the index from its start, so page 500 took 50 ms of scanning instead of 0.1 ms.
    """
    due, last_id = cursor
    nulls_first = db.engine.dialect.name == "sqlite"
    if due is None:
        undated = Ticket.due_at.is_(None) & (Ticket.id > last_id)
        return [undated, Ticket.due_at.is_not(None)] if nulls_first else [undated]
    dated = tuple_(Ticket.due_at, Ticket.id) > tuple_(due, last_id)
    return [dated] if nulls_first else [dated, Ticket.due_at.is_(None)]


def _filtered(f: Filters, agent: Agent, now: datetime):
    stmt = _scoped(select(Ticket), agent)
    if f.status:
        stmt = stmt.where(Ticket.status == f.status)
    elif f.view == "waiting":
        stmt = stmt.where(Ticket.status == "pending")
    else:
        stmt = stmt.where(_OPEN)
    if f.view == "mine":
        stmt = stmt.where(Ticket.assignee_id == agent.id)
    elif f.view == "unassigned":
        stmt = stmt.where(Ticket.assignee_id.is_(None))
    elif f.view == "overdue":            # due_at is set only while a target runs: breached running targets
        stmt = stmt.where(Ticket.due_at < now)
    elif f.view == "due_soon":
        stmt = stmt.where(Ticket.due_at >= now, _due_soon(now))
    for column, value in ((Ticket.queue, f.queue), (Ticket.market, f.market), (Ticket.category, f.category),
                          (Ticket.language, f.language)):
        if value:
            stmt = stmt.where(column == value)
    return stmt


def _due_soon(now: datetime):
    """Due within SLA_DUE_SOON_MINUTES of business time, counted in each market's own calendar."""
    minutes = current_app.config["SLA_DUE_SOON_MINUTES"]
    until = {code: to_naive_utc(hours.add_business_minutes(market, as_utc(now), minutes))
             for code, market in current_app.extensions["markets"].items()}
    # the latest of them once more as a plain bound: it ends the walk of the due-order index there, where the OR
    # alone would have it read on to the last open ticket whenever fewer than a page match
    return and_(Ticket.due_at <= max(until.values()),
                or_(*(and_(Ticket.market == code, Ticket.due_at <= due) for code, due in until.items())))


def queue_page(f: Filters, agent: Agent, *, now: datetime, cursor: str | None = None,
               size: int = PAGE_SIZE) -> Page:
    """One page of a view, most urgent first (due_at, id), continuing after `cursor`."""
    stmt = _filtered(f, agent, now).order_by(Ticket.due_at, Ticket.id)
    position = decode_cursor(cursor)
    rows: list[Ticket] = []
    for condition in _segments_after(position) if position is not None else [None]:
        part = stmt if condition is None else stmt.where(condition)
        rows += db.session.scalars(part.limit(size + 1 - len(rows)))
        if len(rows) > size:
            break
    more = len(rows) > size
    rows = rows[:size]
    ids = {t.assignee_id for t in rows if t.assignee_id}
    rows_ = db.session.execute(select(Agent.id, Agent.name).where(Agent.id.in_(ids))).all() if ids else []
    names = {agent_id: name for agent_id, name in rows_}
    return Page(rows, encode_cursor(rows[-1]) if more else None, names)


def counts(agent: Agent, *, now: float | None = None) -> dict[str, int]:
    """Open tickets per queue in the agent's markets; cached for QUEUE_COUNTS_TTL seconds per set of markets, because
    counting is linear in the open tickets and the sidebar need not be exact to the second."""
    cache = current_app.extensions.setdefault("agent_queue_counts", {})
    markets, clock = visible_markets(agent), time.monotonic() if now is None else now
    hit = cache.get(markets)
    if hit is None or clock - hit[0] > current_app.config["QUEUE_COUNTS_TTL"]:
        # one count per (queue, market) the agent sees, each a range of the covering (queue, market) index: at
        # 1,000,000 tickets that is 2-3x faster than one GROUP BY over every open ticket, which compared each
        # entry's queue and market, and it reads only the agent's markets (bench/queue_view.py)
        pairs = [(queue, market) for queue in operations.queues()
                 for market in (markets if markets is not None else current_app.extensions["markets"])]
        row = db.session.execute(select(*(select(func.count()).where(_OPEN, Ticket.queue == queue,
                                                                     Ticket.market == market).scalar_subquery()
                                          for queue, market in pairs))).one()
        per_queue: dict[str, int] = {}
        for (queue, _market), n in zip(pairs, row):
            if n:
                per_queue[queue] = per_queue.get(queue, 0) + n
        hit = cache[markets] = (clock, dict(sorted(per_queue.items())))
    return hit[1]


def get_ticket(reference: str, agent: Agent) -> Ticket:
    """The ticket with this reference if the agent may see it; raises NotFound otherwise."""
    ticket = db.session.scalar(select(Ticket).filter_by(reference=reference.strip().upper()))
    markets = visible_markets(agent)
    if ticket is None or (markets is not None and ticket.market not in markets):
        raise NotFound(reference)
    return ticket
