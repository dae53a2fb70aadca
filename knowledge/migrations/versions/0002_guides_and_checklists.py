"""Guides: tutorial keywords, step conditions and tutorial links; checklists of documents per case.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 02:10:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('guides', schema=None) as batch_op:
        batch_op.add_column(sa.Column('keywords', sa.JSON(), nullable=False, server_default='[]'))
    with op.batch_alter_table('guide_steps', schema=None) as batch_op:
        batch_op.add_column(sa.Column('condition', sa.String(length=32), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('tutorial', sa.String(length=64), nullable=False, server_default=''))
    op.create_table('checklists',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('procedure_code', sa.String(length=32), nullable=False),
    sa.Column('questions', sa.JSON(), nullable=False),
    sa.Column('rules', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('procedure_code')
    )


def downgrade() -> None:
    op.drop_table('checklists')
    with op.batch_alter_table('guide_steps', schema=None) as batch_op:
        batch_op.drop_column('tutorial')
        batch_op.drop_column('condition')
    with op.batch_alter_table('guides', schema=None) as batch_op:
        batch_op.drop_column('keywords')
