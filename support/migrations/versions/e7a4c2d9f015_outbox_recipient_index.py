"""An index for the per-address acknowledgement limit: recent outbox mail by lower-cased recipient

Revision ID: e7a4c2d9f015
Revises: e7b3c1d9a2f4
Create Date: 2026-12-02 05:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = 'e7a4c2d9f015'
down_revision = 'e7b3c1d9a2f4'
branch_labels = None
depends_on = None


def upgrade():
    # an expression index: autogenerate cannot see it on SQLite
    op.create_index('ix_outbox_mail_recipient_lower', 'outbox_mail', [sa.text('lower(recipient)'), 'created_at'],
                    unique=False)


def downgrade():
    op.drop_index('ix_outbox_mail_recipient_lower', table_name='outbox_mail')
