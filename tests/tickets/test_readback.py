"""readback.kept(): what an operation just committed is read back without a reload, and expired afterwards."""
from datetime import UTC, datetime

from sqlalchemy import event

from support.extensions import db
from support.tickets import operations, readback


def test_the_new_ticket_is_read_without_a_query_and_expired_after(app, make_draft):
    statements = []
    listener = lambda *args: statements.append(args[2])            # noqa: E731 - the statement text
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        with readback.kept():
            ticket = operations.open_ticket(make_draft(), now=datetime(2026, 3, 3, 9, 0, tzinfo=UTC))
            statements.clear()
            assert ticket.reference.startswith("SE-") and ticket.secret
            assert statements == [], "read from the objects the commit left loaded"
        assert ticket.reference.startswith("SE-")
        assert any(s.startswith("SELECT") for s in statements), "expired when the block ended: read afresh"
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert db.session().expire_on_commit, "the session expires on commit again"
