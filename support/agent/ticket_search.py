"""The agent's ticket search: exact matches first, then ranked full-text hits with snippets, in keyset pages.

Exact: a reference, or the beginning of an order number, e-mail address or company (one index seek each).
Full text: every word of every ticket (support/tickets/text_index.py), the newest TICKET_SEARCH_WINDOW matches
ranked by relevance. Both obey the filters and the agent's markets inside the query, so nothing of another
market is read, counted or shown. No input is an error: the query is parsed (tickets/text_query.py) and the
engines only ever see expressions built from its terms.
"""
from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from flask import current_app
from markupsafe import Markup
from sqlalchemy import func, select, tuple_

from ..extensions import db
from ..tickets import text_index, text_query
from ..tickets.models import STATUSES, Attachment, Message, Ticket
from .models import Agent
from .queues import visible_markets

PAGE_SIZE = 50
SNIPPET_SOURCE_CHARS = 20_000     # of each message, looked through for the snippet


@dataclass(frozen=True)
class SearchFilters:
    market: str | None = None
    queue: str | None = None
    status: str | None = None
    since: date | None = None          # created on or after
    until: date | None = None          # created on or before
    assignee: str | None = None        # "me", "none" or an agent's id

    @classmethod
    def parse(cls, args, queues) -> SearchFilters:
        """From query arguments; a value that is not one of the allowed is dropped rather than failing the page."""
        def pick(name, allowed):
            value = args.get(name) or None
            return value if value in allowed else None

        def day(name):
            try:
                return date.fromisoformat(args.get(name) or "")
            except ValueError:
                return None
        assignee = args.get("assignee") or None
        return cls(market=pick("market", ("se", "no")), queue=pick("queue", queues), status=pick("status", STATUSES),
                   since=day("since"), until=day("until"),
                   assignee=assignee if assignee in ("me", "none") or (assignee or "").isdigit() else None)

    def args(self) -> dict:
        return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in self.__dict__.items() if v}

    def markets(self, agent: Agent) -> tuple[str, ...] | None:
        """The markets searched: the agent's (None: all), narrowed to the filter's."""
        visible = visible_markets(agent)
        if not self.market:
            return visible
        return (self.market,) if visible is None or self.market in visible else ()

    def conditions(self, agent: Agent) -> list:
        """Every condition on the tickets, the markets included."""
        markets = self.markets(agent)
        return ([] if markets is None else [Ticket.market.in_(markets)]) + self.narrowing(agent)

    def narrowing(self, agent: Agent) -> list:
        """The conditions besides the markets (which the text index also knows)."""
        where = []
        for column, value in ((Ticket.queue, self.queue), (Ticket.status, self.status)):
            if value:
                where.append(column == value)
        if self.since:
            where.append(Ticket.created_at >= datetime.combine(self.since, time()))
        if self.until:
            where.append(Ticket.created_at < datetime.combine(self.until + timedelta(days=1), time()))
        if self.assignee == "none":
            where.append(Ticket.assignee_id.is_(None))
        elif self.assignee:
            where.append(Ticket.assignee_id == (agent.id if self.assignee == "me" else int(self.assignee)))
        return where


@dataclass
class Found:
    ticket: Ticket
    exact: bool
    snippet: Markup | None = None


@dataclass
class Results:
    found: list[Found] = field(default_factory=list)
    next_cursor: str | None = None
    window: int = 0                    # how many of the newest matches were ranked

    @property
    def tickets(self) -> list[Ticket]:
        return [f.ticket for f in self.found]


def _cursor(score: int, ticket_id: int) -> str:
    return base64.urlsafe_b64encode(json.dumps([score, ticket_id]).encode()).decode().rstrip("=")


def _position(cursor: str | None) -> tuple[int, int] | None:
    if not cursor:
        return None
    try:
        score, ticket_id = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        return int(score), int(ticket_id)
    except (ValueError, TypeError):
        return None


def _prefix(column, value: str):
    """An index-friendly prefix match: value <= column < value + U+FFFF (U+FFFF sorts last, also in ICU)."""
    return (column >= value) & (column < value + "\uffff")


def exact_matches(q: str, where: list, limit: int) -> list[Ticket]:
    """Tickets by reference, or by the beginning of an order number, e-mail address or company."""
    if not q:
        return []
    low = q.lower()
    indexed = [Ticket.reference == q.upper(), _prefix(Ticket.order_numbers, q),
               _prefix(func.lower(Ticket.customer_email), low), _prefix(func.lower(Ticket.company), low)]
    found: dict[int, Ticket] = {}
    for condition in indexed:          # one index seek each; OR-ing them would scan the table
        stmt = select(Ticket).where(condition, *where).order_by(Ticket.id.desc()).limit(limit)
        found.update((t.id, t) for t in db.session.scalars(stmt))
    return sorted(found.values(), key=lambda t: t.id, reverse=True)[:limit]


def search(text: str, agent: Agent, filters: SearchFilters = SearchFilters(), *, cursor: str | None = None,
           size: int = PAGE_SIZE) -> Results:
    q = text_query.clean(text)
    if not q:
        return Results()
    where = filters.conditions(agent)
    exact = exact_matches(q, where, size)
    position = _position(cursor)
    results = Results([Found(t, True) for t in exact] if position is None else [],
                      window=current_app.config["TICKET_SEARCH_WINDOW"])
    query = text_query.parse(q)
    hits = text_index.matching(query, filters.narrowing(agent), results.window, filters.markets(agent))
    if hits is None:
        return results
    stmt = select(Ticket, hits.c.score).join(hits, Ticket.id == hits.c.id)
    if exact:
        stmt = stmt.where(Ticket.id.not_in([t.id for t in exact]))
    if position is not None:
        stmt = stmt.where(tuple_(hits.c.score, Ticket.id) < tuple_(*position))
    rows = db.session.execute(stmt.order_by(hits.c.score.desc(), Ticket.id.desc()).limit(size + 1)).all()
    if len(rows) > size:
        rows = rows[:size]
        results.next_cursor = _cursor(rows[-1].score, rows[-1].Ticket.id)
    snippets = _snippets([r.Ticket for r in rows], query)
    results.found += [Found(r.Ticket, False, snippets.get(r.Ticket.id)) for r in rows]
    return results


def _snippets(tickets: list[Ticket], query: text_query.Query) -> dict[int, Markup | None]:
    """Where the words matched in each ticket's thread (internal notes included: only agents search)."""
    if not tickets:
        return {}
    texts: dict[int, list[str]] = {t.id: [] for t in tickets}
    for ticket_id, body in db.session.execute(select(Message.ticket_id, Message.body_text)
                                              .where(Message.ticket_id.in_(texts)).order_by(Message.id)):
        texts[ticket_id].append((body or "")[:SNIPPET_SOURCE_CHARS])
    for ticket_id, name in db.session.execute(select(Attachment.ticket_id, Attachment.original_name)
                                              .where(Attachment.ticket_id.in_(texts)).order_by(Attachment.id)):
        texts[ticket_id].append(name)
    highlight = text_query.Highlighter(query)
    return {t.id: highlight.snippet(texts[t.id], t.language) for t in tickets}
