"""Reading back what one operation just committed, without the reload that the commit's expiry would cost.

A commit expires every loaded object, so the first attribute read after it reloads the row: the receipt's
redirect (reference and status key of the ticket just opened) paid a SELECT of the whole ticket, about a
twentieth of a web ticket's time. Within `kept()` the caller reads what it wrote itself; everything is expired
when the block ends, as the commit would have done, so nothing stale outlives it.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from ..extensions import db


@contextmanager
def kept() -> Iterator[None]:
    """Commits inside the block leave the session's objects loaded until the block ends."""
    session = db.session()
    expiring = session.expire_on_commit
    session.expire_on_commit = False
    try:
        yield
    finally:
        session.expire_on_commit = expiring
        session.expire_all()
