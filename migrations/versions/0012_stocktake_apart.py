"""stocktake_apart: the boxes of a stock-take's scope listed apart at opening, with their reason

Revision ID: 0012_stocktake_apart
Revises: 0011_alerts
Create Date: 2026-12-07 04:00:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0012_stocktake_apart'
down_revision = '0011_alerts'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('stocktake_apart',
    sa.Column('stocktake_id', sa.Integer(), nullable=False),
    sa.Column('box_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('reason', sa.String(length=12), nullable=False),
    sa.Column('home_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['stocktake_id'], ['stocktakes.id'], name=op.f('fk_stocktake_apart_stocktake_id_stocktakes')),
    sa.PrimaryKeyConstraint('stocktake_id', 'box_id', name=op.f('pk_stocktake_apart'))
    )


def downgrade() -> None:
    op.drop_table('stocktake_apart')
