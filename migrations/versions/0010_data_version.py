"""the data version of the read model; indexes for the bounded pages

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 05:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
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

    # Reviewed: indexes only, for the bounded pages (checked with EXPLAIN on SQLite and PostgreSQL).
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.create_index('ix_audit_entries_action_at_dt', ['action', 'at_dt'], unique=False)
        batch_op.create_index('ix_audit_entries_username_at_dt', ['username', 'at_dt'], unique=False)
    with op.batch_alter_table('benefit_figures', schema=None) as batch_op:
        batch_op.create_index('ix_benefit_figures_unapproved', ['is_approved', 'year', 'quarter'], unique=False)


def downgrade():
    with op.batch_alter_table('benefit_figures', schema=None) as batch_op:
        batch_op.drop_index('ix_benefit_figures_unapproved')
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_entries_username_at_dt')
        batch_op.drop_index('ix_audit_entries_action_at_dt')
    op.drop_table('data_version')
