"""Agents are told what matters: notifications, service-level alerts raised once, and each agent's choices

Revision ID: 8e4f0b6a2c13
Revises: 5d2a9c7e41b0
Create Date: 2026-12-01 23:05:00
"""
import sqlalchemy as sa
from alembic import op

revision = '8e4f0b6a2c13'
down_revision = '5d2a9c7e41b0'
branch_labels = None
depends_on = None

KINDS = "urgent,customer_reply,assigned,breach_warning,escalation"


def upgrade():
    op.add_column('agent', sa.Column('queues', sa.String(length=200), nullable=False, server_default=''))
    op.add_column('agent', sa.Column('notify', sa.String(length=120), nullable=False, server_default=KINDS))
    op.add_column('agent', sa.Column('notify_off_hours', sa.Boolean(), nullable=False, server_default=sa.text('false')))
    op.create_table('notification',
                    sa.Column('id', sa.Integer(), nullable=False),
                    sa.Column('agent_id', sa.Integer(), nullable=False),
                    sa.Column('ticket_id', sa.Integer(), nullable=False),
                    sa.Column('kind', sa.String(length=20), nullable=False),
                    sa.Column('data', sa.JSON(), nullable=False),
                    sa.Column('mail', sa.String(length=8), nullable=False),
                    sa.Column('created_at', sa.DateTime(), nullable=False),
                    sa.Column('read_at', sa.DateTime(), nullable=True),
                    sa.Column('mailed_at', sa.DateTime(), nullable=True),
                    sa.ForeignKeyConstraint(['agent_id'], ['agent.id'], name=op.f('fk_notification_agent_id_agent')),
                    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], name=op.f('fk_notification_ticket_id_ticket')),
                    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification')))
    op.create_index('ix_notification_agent_read', 'notification', ['agent_id', 'read_at', 'id'])
    op.create_index('ix_notification_mail', 'notification', ['mail', 'agent_id', 'id'])
    op.create_table('sla_alert',
                    sa.Column('id', sa.Integer(), nullable=False),
                    sa.Column('ticket_id', sa.Integer(), nullable=False),
                    sa.Column('target', sa.String(length=10), nullable=False),
                    sa.Column('started_at', sa.DateTime(), nullable=False),
                    sa.Column('kind', sa.String(length=12), nullable=False),
                    sa.Column('created_at', sa.DateTime(), nullable=False),
                    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], name=op.f('fk_sla_alert_ticket_id_ticket')),
                    sa.PrimaryKeyConstraint('id', name=op.f('pk_sla_alert')),
                    sa.UniqueConstraint('ticket_id', 'target', 'started_at', 'kind', name='uq_sla_alert_once'))


def downgrade():
    op.drop_table('sla_alert')
    op.drop_index('ix_notification_mail', table_name='notification')
    op.drop_index('ix_notification_agent_read', table_name='notification')
    op.drop_table('notification')
    for name in ('notify_off_hours', 'notify', 'queues'):     # plain DROP COLUMN (SQLite >= 3.35)
        op.drop_column('agent', name)
