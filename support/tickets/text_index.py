"""The full-text index of every ticket, in the database's own engine: PostgreSQL text search or SQLite FTS5.

One document per ticket: the subject; every customer message, reply and internal note (agents only search);
and, kept whole (not stemmed), the reference, the customer's name, company and e-mail, the order numbers and
the attachments' file names.

    PostgreSQL  table ticket_search (ticket_id, document tsvector) with a GIN index of every document and one
                per market of that market's (partial indexes). The subject and messages go
                through the ticket language's Snowball configuration ('swedish', 'norwegian', 'english'), the
                rest through 'simple'. The document is computed by one SQL statement from the tables, so the
                migration's build and every refresh are the same code.
    SQLite      FTS5 table ticket_fts (subject, body, facts), rowid = ticket id. FTS5 has no Swedish or Norwegian
                stemmer, so the text is stemmed here (text_query.analysed, Whoosh's Snowball) before it is stored,
                and the query is stemmed the same way.

Neither table is in the models' metadata (an FTS5 table is not a table SQLAlchemy can declare): `create`/`drop`
run after the models' create_all/drop_all and in the migration, and `include_name` keeps Alembic's comparison
off them. `refresh` is called by tickets/operations.py before each commit, so the index changes in the same
transaction as the ticket; `matching` is the query side, for the agent's search.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import reduce

import sqlalchemy as sa
from flask import current_app
from sqlalchemy import event, func, select
from sqlalchemy.dialects.postgresql import ARRAY

from ..extensions import db
from ..markets import DEFAULT_MARKETS
from . import text_query
from .models import Attachment, Message, Ticket
from .text_query import Query

PG_TABLE, FTS_TABLE = "ticket_search", "ticket_fts"
CONFIGS = {"sv": "swedish", "nb": "norwegian", "en": "english"}
QUERY_CONFIGS = ("swedish", "norwegian", "english", "simple")    # a query word may be in any ticket's language
FTS_SHADOWS = tuple(f"{FTS_TABLE}_{s}" for s in ("data", "idx", "content", "docsize", "config"))
# PostgreSQL: one GIN index of every document, and one per market of only that market's (a partial index): an
# agent of one market then reads only that market's posting lists, not a common word's of both markets ANDed
# with the market word's 600,000 entries (30-60 ms at 1,000,000 tickets, for a word that hardly occurs there)
PG_INDEX = "ix_ticket_search_document"
MARKET_INDEXES = {code: f"{PG_INDEX}_{code}" for code in DEFAULT_MARKETS}
NOT_IN_MODELS = frozenset({PG_TABLE, FTS_TABLE, *FTS_SHADOWS, PG_INDEX, *MARKET_INDEXES.values()})
FTS_WEIGHTS = (3.0, 1.0, 1.0)          # subject, body, facts: bm25's per-column weights
# the market as a word of the document, so that the engine finds "this word in this market" from its own index:
# a word common in Norway but absent in Sweden would otherwise be walked through, ticket by ticket, for nothing
MARKET = "zzmarketzz"
WALK = 30_000                          # PostgreSQL: newest tickets walked for a common query before the index
PHRASE_SLICE = 200_000                 # PostgreSQL: newest tickets whose documents a phrase is checked in first
BATCH = 2000


def include_name(name, type_, parent_names) -> bool:
    """Alembic's filter: the index tables are built by hand (here and in their migration), not from models."""
    return name not in NOT_IN_MODELS


# --- schema ---

def create(conn, *, with_index: bool = True) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text(f"CREATE TABLE IF NOT EXISTS {PG_TABLE} (ticket_id INTEGER PRIMARY KEY "
                             "REFERENCES ticket (id) ON DELETE CASCADE, document TSVECTOR NOT NULL)"))
        if with_index:
            create_pg_index(conn)
            create_market_indexes(conn)
    else:
        # unicode61 without diacritics removal: å, ä, ö are letters of their own in Swedish and Norwegian
        conn.execute(sa.text(f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(subject, body, facts, "
                             "tokenize = 'unicode61 remove_diacritics 0')"))


def create_pg_index(conn) -> None:
    conn.execute(sa.text(f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON {PG_TABLE} USING gin (document)"))


def create_market_indexes(conn) -> None:
    """PostgreSQL: the per-market GIN indexes. Their condition is the very clause `_market_clause` writes into a
    one-market search, which is how the planner knows it may use them."""
    for code, name in MARKET_INDEXES.items():
        conn.execute(sa.text(f"CREATE INDEX IF NOT EXISTS {name} ON {PG_TABLE} USING gin (document) "
                             f"WHERE {_market_clause(code)}"))


def drop_market_indexes(conn) -> None:
    for name in MARKET_INDEXES.values():
        conn.execute(sa.text(f"DROP INDEX IF EXISTS {name}"))


def drop(conn) -> None:
    conn.execute(sa.text(f"DROP TABLE IF EXISTS {PG_TABLE if conn.dialect.name == 'postgresql' else FTS_TABLE}"))


@event.listens_for(db.metadata, "after_create")
def _after_create(_metadata, conn, **_kw) -> None:
    create(conn)


@event.listens_for(db.metadata, "before_drop")
def _before_drop(_metadata, conn, **_kw) -> None:
    drop(conn)


# --- writing ---

def refresh(*tickets: Ticket, created: Ticket | None = None) -> None:
    """Recompute the documents of these tickets and of every ticket the session is about to change, in the
    session's transaction (the caller commits). `created`: a ticket inserted in this very transaction."""
    session = db.session
    pending = {o for o in (*session.new, *session.dirty) if isinstance(o, Ticket)}
    pending |= {o.ticket for o in (*session.new, *session.dirty) if isinstance(o, (Message, Attachment)) and o.ticket}
    session.flush()
    conn, max_chars = session.connection(), current_app.config["TICKET_SEARCH_MAX_CHARS"]
    if created is not None and conn.dialect.name != "postgresql":
        # no one else knows its id before the commit, so its only rows are the session's: its document is built
        # from them rather than read back with three queries
        replace_fts(conn, [fresh_row(created, max_chars)])
    ids = sorted({t.id for t in (*tickets, *pending) if t.id is not None} - {created.id if created else None})
    if created is not None and conn.dialect.name == "postgresql":
        ids.append(created.id)
    if ids:
        index_tickets(conn, ids, max_chars)


def index_tickets(conn, ids: Sequence[int], max_chars: int) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(_pg_upsert(sa.text("t.id = ANY(:ids)")), {"ids": list(ids), "max": max_chars})
        return
    delete_fts(conn, ids)
    insert_fts(conn, _sqlite_documents(conn, ids, max_chars))


def rebuild(conn, max_chars: int) -> None:
    """Index every ticket (the migration, for the tickets that exist before it)."""
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text(f"DELETE FROM {PG_TABLE}"))
        conn.execute(_pg_upsert(sa.true()), {"max": max_chars})
        return
    conn.execute(sa.text(f"DELETE FROM {FTS_TABLE}"))
    last = 0
    while ids := list(conn.scalars(select(Ticket.id).where(Ticket.id > last).order_by(Ticket.id).limit(BATCH))):
        insert_fts(conn, _sqlite_documents(conn, ids, max_chars))
        last = ids[-1]


def _pg_upsert(where) -> sa.TextClause:
    cfg = ("(CASE t.language " + " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in CONFIGS.items())
           + " ELSE 'simple' END)::regconfig")
    return sa.text(f"""
        INSERT INTO {PG_TABLE} (ticket_id, document)
        SELECT t.id,
               setweight(to_tsvector({cfg}, coalesce(t.subject, '')), 'A')
               || setweight(to_tsvector({cfg}, left(coalesce((SELECT string_agg(m.body_text, ' ' ORDER BY m.id)
                                                              FROM message m WHERE m.ticket_id = t.id), ''), :max)), 'B')
               || setweight(to_tsvector('simple', concat_ws(' ', '{MARKET}' || t.market, t.reference, t.customer_name, t.company,
                            t.customer_email, t.order_numbers,
                            (SELECT string_agg(a.original_name, ' ' ORDER BY a.id) FROM attachment a
                             WHERE a.ticket_id = t.id))), 'C')
        FROM ticket t WHERE {where}
        ON CONFLICT (ticket_id) DO UPDATE SET document = EXCLUDED.document""")


def sqlite_row(market: str, language: str, subject: str, bodies: Iterable[str], facts: Iterable[str | None],
               max_chars: int) -> tuple[str, str, str]:
    """The three FTS5 columns of one ticket: stemmed subject and messages, the market and facts' words unstemmed."""
    body = " ".join(bodies)[:max_chars]
    return (" ".join(text_query.analysed(subject or "", language)), " ".join(text_query.analysed(body, language)),
            " ".join([MARKET + market, *text_query.whole(" ".join(f for f in facts if f))]))


def fresh_row(ticket: Ticket, max_chars: int) -> tuple[int, str, str, str]:
    """The FTS5 row of a ticket from its loaded objects, as _sqlite_documents would read it from the tables."""
    messages = sorted(ticket.messages, key=lambda m: m.id)
    names = [a.original_name for a in sorted(ticket.attachments, key=lambda a: a.id)]
    facts = (ticket.reference, ticket.customer_name, ticket.company, ticket.customer_email, ticket.order_numbers,
             *names)
    bodies = [m.body_text or "" for m in messages]
    return (ticket.id, *sqlite_row(ticket.market, ticket.language, ticket.subject, bodies, facts, max_chars))


def replace_fts(conn, rows: Sequence[tuple[int, str, str, str]]) -> None:
    """Write these FTS5 rows in place of any under the same rowids (SQLite may hand out a deleted ticket's id again)."""
    if rows:
        delete_fts(conn, [r[0] for r in rows])
        insert_fts(conn, rows)


_DELETE_FTS = sa.text(f"DELETE FROM {FTS_TABLE} WHERE rowid = :id")


def delete_fts(conn, ids: Sequence[int]) -> None:
    """Remove the FTS5 rows of these tickets. The ids are bound, one execution each, so the statement is the same
    text for every ticket: SQLAlchemy compiles it and SQLite prepares it once, not once per id list."""
    if ids:
        conn.execute(_DELETE_FTS, [{"id": i} for i in ids])


def insert_fts(conn, rows: Iterable[tuple[int, str, str, str]]) -> None:
    rows = [{"id": i, "s": s, "b": b, "f": f} for i, s, b, f in rows]
    if rows:
        conn.execute(sa.text(f"INSERT INTO {FTS_TABLE} (rowid, subject, body, facts) VALUES (:id, :s, :b, :f)"), rows)


def _sqlite_documents(conn, ids: Sequence[int], max_chars: int):
    bodies: dict[int, list[str]] = {i: [] for i in ids}
    for ticket_id, body in conn.execute(select(Message.ticket_id, Message.body_text)
                                        .where(Message.ticket_id.in_(ids)).order_by(Message.id)):
        bodies[ticket_id].append(body or "")
    names: dict[int, list[str]] = {i: [] for i in ids}
    for ticket_id, name in conn.execute(select(Attachment.ticket_id, Attachment.original_name)
                                        .where(Attachment.ticket_id.in_(ids)).order_by(Attachment.id)):
        names[ticket_id].append(name)
    t = Ticket.__table__.c
    for row in conn.execute(select(t.id, t.market, t.language, t.subject, t.reference, t.customer_name, t.company,
                                   t.customer_email, t.order_numbers).where(t.id.in_(ids))):
        facts = (row.reference, row.customer_name, row.company, row.customer_email, row.order_numbers,
                 *names[row.id])
        yield (row.id, *sqlite_row(row.market, row.language, row.subject, bodies[row.id], facts, max_chars))


# --- searching ---

def matching(query: Query, where: Sequence, window: int, markets: Sequence[str] | None = None):
    """A subquery (id, score) of the newest `window` tickets that match the query, of the `markets` (None: all)
    and the other conditions `where` (on ticket columns), each with an integer relevance score (higher is
    better); None when the query has no word to look for, or no market is allowed. Only the newest are scored,
    so a word in half the tickets costs no more than a rare one. The markets are looked up in the index itself
    (the document's market word) as well as on the tickets."""
    if markets is not None:
        markets = [m for m in markets if m in MARKET_INDEXES]
        if set(markets) == set(MARKET_INDEXES):
            markets = None
    if not query.positive or (markets is not None and not markets):
        return None
    if db.engine.dialect.name == "postgresql":
        return _pg_matching(query, where, window, markets)
    return _fts_matching(query, where, window, markets)


def fts5_expression(query: Query, markets: Sequence[str] | None = None) -> str:
    """The MATCH expression, built from the parsed terms only: each alternative is a quoted FTS5 string, so
    nothing the agent typed is read as FTS5 syntax."""
    def term(t: text_query.Term) -> str:
        strings = sorted('"' + " ".join(seq).replace('"', '""') + '"' for seq in text_query.alternatives(t))
        return "(" + " OR ".join(strings) + ")"
    expression = " AND ".join(term(t) for t in query.positive)
    if markets is not None:
        words = [f'"{MARKET}{m}"' for m in markets]
        expression = f"({expression}) AND ({' OR '.join(words)})"
    if query.negative:
        expression = f"({expression}) NOT ({' OR '.join(term(t) for t in query.negative)})"
    return expression


def _fts_matching(query: Query, where: Sequence, window: int, markets):
    fts = sa.table(FTS_TABLE, sa.column("rowid"))
    table = sa.literal_column(FTS_TABLE)
    score = sa.cast(-func.bm25(table, *(sa.literal_column(repr(w)) for w in FTS_WEIGHTS)) * 1_000_000, sa.Integer)
    return (select(fts.c.rowid.label("id"), score.label("score"))
            .select_from(fts.join(Ticket.__table__, Ticket.id == fts.c.rowid))
            .where(table.op("MATCH")(fts5_expression(query, markets)), *where, *_on_tickets(markets))
            .order_by(fts.c.rowid.desc()).limit(window).subquery("hits"))


def _market_clause(code: str) -> str:
    """SQL: the document is of this market. Written out, not bound: a partial index's condition is matched
    against the query's clauses as written, so each per-market index has this very text as its condition."""
    if code not in MARKET_INDEXES:          # a literal in SQL: only the known codes, never anything typed
        raise ValueError(f"unknown market {code!r}")
    return f"document @@ '{MARKET}{code}'::tsquery"


def _in_markets(markets: Sequence[str] | None) -> list:
    """The clauses on ticket_search that keep to these markets (known codes, as `matching` leaves them): none for
    all of them, the per-market index's condition for one, and the market words ORed for several."""
    if markets is None:
        return []
    if len(markets) == 1:
        return [sa.text(f"{PG_TABLE}.{_market_clause(markets[0])}")]
    words = " | ".join(MARKET + m for m in markets)
    return [sa.text(f"{PG_TABLE}.document @@ '{words}'::tsquery")]


def _tsquery(query: Query):
    def term(t: text_query.Term):
        alternatives = [func.phraseto_tsquery(sa.literal_column(f"'{cfg}'::regconfig"),
                                              sa.literal(" ".join(t.parts) if t.phrase else t.text, sa.Text))
                        for cfg in QUERY_CONFIGS]
        return reduce(func.tsquery_or, alternatives)
    positive = reduce(func.tsquery_and, [term(t) for t in query.positive])
    if query.negative:
        positive = func.tsquery_and(positive, func.tsquery_not(reduce(func.tsquery_or, map(term, query.negative))))
    return positive


def _estimate(session, stmt) -> float:
    """The planner's row estimate for a statement (one planning round trip, nothing read)."""
    compiled = stmt.compile(dialect=session.get_bind().dialect)
    plan = session.connection().exec_driver_sql("EXPLAIN (FORMAT JSON) " + str(compiled), compiled.params).scalar()
    return plan[0]["Plan"]["Plan Rows"]


def _on_tickets(markets: Sequence[str] | None) -> list:
    return [] if markets is None else [Ticket.market.in_(markets)]


def _pg_matching(query: Query, where: Sequence, window: int, markets):
    """The newest matches, by one of two plans: a rare query takes all its matches from a GIN index and then
    looks up only those tickets; a common one walks the documents from the newest and stops at `window` matches.
    Left to itself, PostgreSQL walked 600,000 tickets for a word in 300 of 1,000,000 (0.5 s; the estimate was
    6,000, and that join is what it misjudged), chose parallel plans whose workers' start cost more than the
    query (40 ms on two cores), or "walked" by ANDing a common word's whole GIN posting list with the id range."""
    session = db.session
    # one core per query: parallel workers cost more to start than the query takes; no JIT, whose compiling
    # cost 50 ms at 1,000,000 tickets, more than most searches take in all; and memory enough to keep the bitmap
    # of a common word's tickets exact (lossy, every document on its pages is read again)
    for setting in ("max_parallel_workers_per_gather = 0", "jit = off", "work_mem = '32MB'"):
        session.execute(sa.text(f"SET LOCAL {setting}"))
    ts = sa.table(PG_TABLE, sa.column("ticket_id"), sa.column("document"))
    q = _tsquery(query)
    rare = current_app.config["TICKET_SEARCH_RARE"]
    # the market as a clause of its own (one market: the condition of its partial index), not inside the query
    found = (ts.c.document.op("@@")(q), *_in_markets(markets))
    matches = select(ts.c.ticket_id).where(*found)
    top = session.scalar(select(func.max(ts.c.ticket_id))) or 0
    ids = None
    if _estimate(session, matches) >= rare:
        # common: the newest documents first, but only the newest WALK of them; words that seldom meet (a word
        # of Norway searched in Sweden) would otherwise be walked through to the first ticket. The tickets are
        # joined only for conditions the document cannot answer (its market it can).
        walk = select(ts.c.ticket_id).where(*found, ts.c.ticket_id > top - WALK)
        if where:
            walk = walk.join(Ticket.__table__, Ticket.id == ts.c.ticket_id).where(*where)
        session.execute(sa.text("SET LOCAL enable_bitmapscan = off"))
        walked = list(session.scalars(walk.order_by(ts.c.ticket_id.desc()).limit(window)))
        session.execute(sa.text("SET LOCAL enable_bitmapscan = on"))
        if len(walked) == window:
            ids = walked
    # rare, or less common than it looked: the matches through a GIN index (as a scan of the table, few matches
    # meant reading every row)
    session.execute(sa.text("SET LOCAL enable_seqscan = off"))
    if ids is None and not where and any(t.phrase for t in query.positive):
        # GIN knows a phrase's words, not their order, so each document holding them all is read to check it:
        # first only those among the newest PHRASE_SLICE tickets (an English phrase of common words read 60,000)
        # (through the GIN index and the id range together: the id index alone reads all PHRASE_SLICE rows)
        session.execute(sa.text("SET LOCAL enable_indexscan = off"))
        recent = list(session.scalars(matches.where(ts.c.ticket_id > top - PHRASE_SLICE)
                                      .order_by(ts.c.ticket_id.desc()).limit(window)))
        session.execute(sa.text("SET LOCAL enable_indexscan = on"))
        if len(recent) == window:
            ids = recent
    if ids is None:                  # the estimate errs high, so 4 times over is read after all
        ids = list(session.scalars(matches.limit(4 * rare)))
    session.execute(sa.text("SET LOCAL enable_seqscan = on"))
    if len(ids) < 4 * rare:          # only these tickets are then read, by primary key
        if not where:                # the newest of them are the window: no need to look up the others
            ids = sorted(ids, reverse=True)[:window]
        newest = (select(Ticket.id.label("id")).where(Ticket.id == sa.any_(sa.literal(ids, ARRAY(sa.Integer))),
                                                      *where, *_on_tickets(markets))
                  .order_by(Ticket.id.desc()).limit(window).subquery("newest"))
    else:
        newest = (select(ts.c.ticket_id.label("id"))
                  .select_from(ts.join(Ticket.__table__, Ticket.id == ts.c.ticket_id))
                  .where(*found, *where, *_on_tickets(markets))
                  .order_by(ts.c.ticket_id.desc()).limit(window).subquery("newest"))
    scored = sa.alias(ts, "scored")
    # scored after the LIMIT, so only the window's rows pay for it. ts_rank (the matched words by their weight:
    # subject over messages), not ts_rank_cd, whose cover density of a phrase cost 20 ms for a window of 1,000
    score = sa.cast(func.ts_rank(scored.c.document, q) * 1_000_000, sa.BigInteger)
    return (select(newest.c.id, score.label("score"))
            .select_from(newest.join(scored, scored.c.ticket_id == newest.c.id)).subquery("hits"))
