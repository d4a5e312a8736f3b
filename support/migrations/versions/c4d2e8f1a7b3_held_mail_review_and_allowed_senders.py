"""Held mail: how an agent settled it (released into a ticket, or dismissed), and the loop guard's allow-list

Revision ID: c4d2e8f1a7b3
Revises: a9992f16c370
Create Date: 2026-12-01 22:40:00
"""
import warnings

import sqlalchemy as sa
from alembic import op

revision = 'c4d2e8f1a7b3'
down_revision = 'a9992f16c370'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('inbound_mail', sa.Column('review', sa.String(length=10), nullable=True))
    op.add_column('inbound_mail', sa.Column('reviewed_by', sa.String(length=320), nullable=True))
    op.add_column('inbound_mail', sa.Column('reviewed_at', sa.DateTime(), nullable=True))
    op.create_index('ix_inbound_mail_held', 'inbound_mail', ['action', 'review', 'received_at'], unique=False)
    op.create_table('allowed_sender',
                    sa.Column('id', sa.Integer(), nullable=False),
                    sa.Column('address', sa.String(length=320), nullable=False),
                    sa.Column('added_by', sa.String(length=320), nullable=False),
                    sa.Column('created_at', sa.DateTime(), nullable=False),
                    sa.PrimaryKeyConstraint('id', name=op.f('pk_allowed_sender')),
                    sa.UniqueConstraint('address', name=op.f('uq_allowed_sender_address')))


def downgrade():
    op.drop_table('allowed_sender')
    op.drop_index('ix_inbound_mail_held', table_name='inbound_mail')
    with warnings.catch_warnings():        # SQLite's table copy reflects expression indexes it cannot read (kept)
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based index")
        with op.batch_alter_table('inbound_mail', schema=None) as batch_op:
            batch_op.drop_column('reviewed_at')
            batch_op.drop_column('reviewed_by')
            batch_op.drop_column('review')
