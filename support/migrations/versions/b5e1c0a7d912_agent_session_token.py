"""agent session token: server-side revocation of sessions (issue 19)

Revision ID: b5e1c0a7d912
Revises: c5d2e8f1a7b3
Create Date: 2026-12-01 22:00:00

Every session names its agent by "id:token"; a new token ends all of that agent's sessions. Existing agents get a
random token each, so the sessions signed in before this migration (which carry the id alone) must sign in again.
"""
import secrets

from alembic import op
import sqlalchemy as sa


revision = 'b5e1c0a7d912'
down_revision = 'c5d2e8f1a7b3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('agent', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_token', sa.String(length=32), nullable=True))
    agent = sa.table('agent', sa.column('id', sa.Integer), sa.column('session_token', sa.String))
    connection = op.get_bind()
    for (agent_id,) in connection.execute(sa.select(agent.c.id)).all():
        connection.execute(agent.update().where(agent.c.id == agent_id).values(session_token=secrets.token_hex(16)))
    with op.batch_alter_table('agent', schema=None) as batch_op:
        batch_op.alter_column('session_token', existing_type=sa.String(length=32), nullable=False)


def downgrade():
    with op.batch_alter_table('agent', schema=None) as batch_op:
        batch_op.drop_column('session_token')
