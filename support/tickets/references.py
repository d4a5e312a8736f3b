"""Ticket references: `SE-000123` (the market and six digits, one sequence per market), cited in mail as `[SE-000123]`.

The one place that knows the format: it hands out the next number (the counter table is written only here),
formats it, and recognises a reference or a tag in text.
"""
from __future__ import annotations

import re

from sqlalchemy import bindparam, update
from sqlalchemy.dialects import postgresql, sqlite

from ..extensions import db
from .models import TicketCounter

PATTERN = r"(?:SE|NO)-\d{6}"                 # the markets of markets.py, upper-case
REFERENCE = re.compile(PATTERN, re.IGNORECASE)
TAG = re.compile(rf"\[({PATTERN})\]", re.IGNORECASE)
TAG_IN_SUBJECT = re.compile(rf"\s*\[{PATTERN}\]", re.IGNORECASE)


def format_reference(market: str, number: int) -> str:
    """`SE-000123` for market "se" and number 123."""
    return f"{market.upper()}-{number:06d}"


def is_reference(value: str) -> bool:
    """Whether the whole of `value` is a ticket reference (any case)."""
    return REFERENCE.fullmatch(value.strip()) is not None


def tags_in(text: str) -> list[str]:
    """The references cited as `[SE-000123]` in a text (a subject), upper-case, in order."""
    return [ref.upper() for ref in TAG.findall(text or "")]


def without_tags(text: str) -> str:
    """The text with its `[SE-000123]` tags taken out."""
    return TAG_IN_SUBJECT.sub("", text or "")


_COUNTER = TicketCounter.__table__
_BUMP = (update(_COUNTER).where(_COUNTER.c.market == bindparam("of_market")).values(last=_COUNTER.c.last + 1)
         .returning(_COUNTER.c.last))       # built once: every new ticket runs it
_FIRST = {name: dialect.insert(_COUNTER).values(market=bindparam("of_market"), last=0)
          .on_conflict_do_nothing(index_elements=[_COUNTER.c.market])
          for name, dialect in (("postgresql", postgresql), ("sqlite", sqlite))}


def allocate(market: str) -> str:
    """The next reference of a market: one counter row per market, incremented in place.

    PostgreSQL: in a transaction of its own, committed at once, so the counter row is locked for that UPDATE
    only; in the ticket's transaction it stayed locked to the ticket's commit, and ingest processes (or web
    workers) of one market took their tickets one after the other. A ticket whose commit then fails leaves its
    number unused (a gap, as a PostgreSQL sequence leaves). SQLite: in the caller's transaction, whose writes
    wait for each other anyway (one writer at a time), and an in-memory database has only one connection.
    """
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as conn:
            return _allocate(conn, market)
    # the table, not the ORM entity: no session objects to synchronise
    return _allocate(db.session.connection(), market)


def _allocate(conn, market: str) -> str:
    number = conn.execute(_BUMP, {"of_market": market}).scalar()
    if number is None:
        # the market's first ticket: its row, unless a rival just made it (then this waits for the rival's
        # commit). On the connection, not in a savepoint of the session: that would flush the caller's pending
        # rows first, and take a unique violation of theirs (the same mail stored meanwhile) for the rival's
        conn.execute(_FIRST[conn.dialect.name], {"of_market": market})
        number = conn.execute(_BUMP, {"of_market": market}).scalar_one()
    return format_reference(market, number)
