"""The privacy log: one row per erasure, export or retention run, with what was removed (counts and row ids),
never the removed data itself nor the address it was asked for."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ..clock import utcnow
from ..extensions import db


class PrivacyLog(db.Model):
    __tablename__ = "privacy_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    action: Mapped[str] = mapped_column(String(10))                       # "erase" | "export" | "purge"
    actor: Mapped[str] = mapped_column(String(320))                       # an agent's e-mail, "cli" or "worker"
    counts: Mapped[dict] = mapped_column(JSON, default=dict)              # {"messages": 3, "files": 4, ...}
    ids: Mapped[dict] = mapped_column(JSON, default=dict)                 # {"messages": [7, 8, 9], ...}
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_privacy_log_action_created", "action", "created_at"),)

    def __repr__(self) -> str:
        return f"<PrivacyLog {self.action} by {self.actor} {self.counts}>"
