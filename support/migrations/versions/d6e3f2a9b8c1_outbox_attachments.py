"""Outbox mail carries files (an agent's reply with a return label or a credit note)

Revision ID: d6e3f2a9b8c1
Revises: 8e4f0b6a2c13
Create Date: 2026-12-01 23:20:00
"""
import sqlalchemy as sa
from alembic import op

revision = 'd6e3f2a9b8c1'
down_revision = '8e4f0b6a2c13'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('outbox_mail', sa.Column('attachments', sa.JSON(), server_default='[]', nullable=False))


def downgrade():
    op.drop_column('outbox_mail', 'attachments')
