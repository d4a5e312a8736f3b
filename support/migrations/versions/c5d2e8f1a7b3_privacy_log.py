"""The privacy log: erasures, exports and retention runs, with counts and row ids (never the data)

Revision ID: c5d2e8f1a7b3
Revises: c4d2e8f1a7b3
Create Date: 2026-12-01 22:40:00
"""
import sqlalchemy as sa
from alembic import op

revision = 'c5d2e8f1a7b3'
down_revision = 'c4d2e8f1a7b3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('privacy_log',
                    sa.Column('id', sa.Integer(), nullable=False),
                    sa.Column('action', sa.String(length=10), nullable=False),
                    sa.Column('actor', sa.String(length=320), nullable=False),
                    sa.Column('counts', sa.JSON(), nullable=False),
                    sa.Column('ids', sa.JSON(), nullable=False),
                    sa.Column('created_at', sa.DateTime(), nullable=False),
                    sa.PrimaryKeyConstraint('id'))
    op.create_index('ix_privacy_log_action_created', 'privacy_log', ['action', 'created_at'], unique=False)


def downgrade():
    op.drop_index('ix_privacy_log_action_created', table_name='privacy_log')
    op.drop_table('privacy_log')
