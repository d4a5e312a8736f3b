"""The ticket remembers its service-level clock: the running target, how it stood, when it started

Revision ID: 5d2a9c7e41b0
Revises: c4f2a9d1e8b7
Create Date: 2026-12-01 22:40:00

Existing tickets keep their due_at; the next change to each recomputes it with the rest.
"""
import sqlalchemy as sa
from alembic import op

revision = '5d2a9c7e41b0'
down_revision = 'c4f2a9d1e8b7'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('ticket', sa.Column('sla_target', sa.String(length=10), nullable=True))
    op.add_column('ticket', sa.Column('sla_state', sa.String(length=10), nullable=True))
    op.add_column('ticket', sa.Column('sla_started_at', sa.DateTime(), nullable=True))


def downgrade():
    # plain DROP COLUMN (SQLite >= 3.35 has it): a batch table copy would lose the expression indexes on ticket
    for name in ('sla_started_at', 'sla_state', 'sla_target'):
        op.drop_column('ticket', name)
