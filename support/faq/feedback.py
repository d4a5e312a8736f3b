"""Votes on FAQ entries and the signals content editors read (misses, not-helpful votes, deflections)."""
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from .models import FaqVote, SearchMiss


def has_voted(slug: str, visitor: str | None) -> bool:
    """Whether this visitor has already voted on this entry."""
    if not visitor:
        return False
    return db.session.scalar(select(FaqVote.id).filter_by(slug=slug, visitor=visitor)) is not None


def record_vote(slug: str, lang: str, visitor: str, *, helpful: bool) -> bool:
    """Record one vote per visitor and entry; False when the visitor had already voted."""
    db.session.add(FaqVote(slug=slug, lang=lang, visitor=visitor, helpful=helpful))
    if not helpful:
        db.session.add(SearchMiss(kind="not_helpful", text=slug, slug=slug, lang=lang))
    try:
        db.session.commit()
    except IntegrityError:                 # the unique (slug, visitor) row exists: the first vote stands
        db.session.rollback()
        return False
    return True


def record_signal(kind: str, query: str, lang: str, slug: str | None = None) -> None:
    """Record a search without a confident answer ("no_answer") or an FAQ answer that solved a request."""
    db.session.add(SearchMiss(kind=kind, text=" ".join(query.lower().split())[:200], lang=lang, slug=slug))
    db.session.commit()


def top_signals(kind: str, limit: int = 50) -> list[tuple[str, str, int]]:
    """The most frequent (query, lang, count) of one kind, for content editors."""
    rows = db.session.execute(
        select(SearchMiss.text, SearchMiss.lang, func.count().label("n"))
        .filter_by(kind=kind).group_by(SearchMiss.text, SearchMiss.lang)
        .order_by(func.count().desc(), SearchMiss.text).limit(limit))
    return [(q, lang, n) for q, lang, n in rows]
