"""PostgreSQL: one GIN index per market beside the one of every ticket, for the search of a one-market agent

An agent of one market searched the GIN index of all documents and ANDed the market word's posting list (600,000
entries at 1,000,000 tickets) with the words'; a partial index per market holds only that market's documents.
SQLite's FTS5 table is unchanged. The indexes are built by the app's own code (support/tickets/text_index.py).

Revision ID: e7b3c1d9a2f4
Revises: bbe6a2af3f55
Create Date: 2026-12-02 05:30:00
"""
from alembic import op

from support.tickets import text_index

revision = 'e7b3c1d9a2f4'
down_revision = 'bbe6a2af3f55'
branch_labels = None
depends_on = None


def upgrade():
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        text_index.create_market_indexes(conn)


def downgrade():
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        text_index.drop_market_indexes(conn)
