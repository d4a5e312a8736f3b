"""A message remembers the Message-ID of the mail it came in (replies thread under it without reading mail tables)

Revision ID: b3e1c0a4d9f2
Revises: 7ac8161cd2ef
Create Date: 2026-12-01 22:30:00
"""
import warnings

import sqlalchemy as sa
from alembic import op

revision = 'b3e1c0a4d9f2'
down_revision = '7ac8161cd2ef'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('message', sa.Column('mail_message_id', sa.String(length=998), nullable=True))
    op.execute("UPDATE message SET mail_message_id = (SELECT inbound_mail.message_id FROM inbound_mail "
               "WHERE inbound_mail.id = message.inbound_id) WHERE inbound_id IS NOT NULL")


def downgrade():
    with warnings.catch_warnings():        # SQLite's table copy reflects expression indexes it cannot read (kept)
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based index")
        with op.batch_alter_table('message', schema=None) as batch_op:
            batch_op.drop_column('mail_message_id')
