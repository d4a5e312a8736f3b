"""The full-text index of every ticket: PostgreSQL text search (ticket_search, GIN) or SQLite FTS5 (ticket_fts)

Built here for the tickets that exist; from then on tickets/operations.py keeps it current. The document is
computed by the app's own code (support/tickets/text_index.py), so the build and later refreshes agree; that
module's schema functions are kept able to run against this revision's tables.

Revision ID: c4d2a7f19e53
Revises: d6e3f2a9b8c1
Create Date: 2026-12-01 23:00:00
"""
from alembic import op
from flask import current_app

from support.tickets import text_index

revision = 'c4d2a7f19e53'
down_revision = 'd6e3f2a9b8c1'
branch_labels = None
depends_on = None


def upgrade():
    conn = op.get_bind()
    text_index.create(conn, with_index=False)
    text_index.rebuild(conn, current_app.config["TICKET_SEARCH_MAX_CHARS"])
    if conn.dialect.name == "postgresql":        # after the rows: building a GIN index at once is much faster
        text_index.create_pg_index(conn)


def downgrade():
    text_index.drop(op.get_bind())
