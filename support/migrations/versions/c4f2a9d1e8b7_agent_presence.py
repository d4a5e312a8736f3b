"""Who has a ticket open or is replying to it (support/agent/presence.py): a row per ticket and agent

Revision ID: c4f2a9d1e8b7
Revises: b5e1c0a7d912
Create Date: 2026-12-01 22:45:00
"""
import sqlalchemy as sa
from alembic import op

revision = 'c4f2a9d1e8b7'
down_revision = 'b5e1c0a7d912'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('agent_presence',
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('agent_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('seen_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['agent_id'], ['agent.id'], name=op.f('fk_agent_presence_agent_id_agent'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], name=op.f('fk_agent_presence_ticket_id_ticket'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('ticket_id', 'agent_id', name=op.f('pk_agent_presence'))
    )
    with op.batch_alter_table('agent_presence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agent_presence_seen_at'), ['seen_at'], unique=False)


def downgrade():
    with op.batch_alter_table('agent_presence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agent_presence_seen_at'))
    op.drop_table('agent_presence')
