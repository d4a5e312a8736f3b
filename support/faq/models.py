"""What customers tell us about the FAQ: votes on entries, and questions it did not answer."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..clock import utcnow


class FaqVote(db.Model):
    """A "Was this helpful?" vote; one per visitor and entry (the visitor is a random cookie id, not a person)."""
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80))
    lang: Mapped[str] = mapped_column(String(2))
    helpful: Mapped[bool]
    visitor: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("slug", "visitor", name="uq_faq_vote_slug_visitor"),)


class SearchMiss(db.Model):
    """A signal for content editors: a search without a confident answer, a "not helpful" vote, a deflection.

    Only the query text, language and time are kept; no personal data.
    """
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))             # "no_answer" | "not_helpful" | "deflected"
    text: Mapped[str] = mapped_column(String(200))            # normalised query text, or the slug for votes
    lang: Mapped[str] = mapped_column(String(2))
    slug: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_search_miss_kind_text", "kind", "text"),)
