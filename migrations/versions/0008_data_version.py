"""the data version of the read model; indexes for the bounded pages

Revision ID: 0008_data_version
Revises: 0002
Create Date: 2026-12-02 05:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008_data_version'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    # Reviewed: one new one-row table (the version every cached read is keyed by).
    op.create_table('data_version',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('version', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_data_version'))
    )
    op.execute("INSERT INTO data_version (id, version) VALUES (1, 1)")


def downgrade():
    op.drop_table('data_version')
