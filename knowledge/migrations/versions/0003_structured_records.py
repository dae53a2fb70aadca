"""Structured portal records: receiving agency, usage, import flags, source, verified by; copies per paper;
fees with validity and the source of a repaired time; the citizens' vocabulary; the source of each guide step.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 08:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('procedures', schema=None) as batch_op:
        batch_op.add_column(sa.Column('receiving_agency', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('usage', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('flags', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('source', sa.String(length=16), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('verified_by', sa.Text(), nullable=False, server_default=''))
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('copies', sa.Integer(), nullable=True))
    with op.batch_alter_table('channels', schema=None) as batch_op:
        batch_op.add_column(sa.Column('fees', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('time_source', sa.Text(), nullable=False, server_default=''))
    with op.batch_alter_table('guide_steps', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source', sa.Text(), nullable=False, server_default=''))
    op.create_table('vocabulary',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('phrase', sa.Text(), nullable=False),
    sa.Column('term', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('phrase')
    )


def downgrade() -> None:
    op.drop_table('vocabulary')
    with op.batch_alter_table('guide_steps', schema=None) as batch_op:
        batch_op.drop_column('source')
    with op.batch_alter_table('channels', schema=None) as batch_op:
        batch_op.drop_column('time_source')
        batch_op.drop_column('fees')
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_column('copies')
    with op.batch_alter_table('procedures', schema=None) as batch_op:
        for name in ('verified_by', 'source', 'flags', 'usage', 'receiving_agency'):
            batch_op.drop_column(name)
