"""accounting: ledger lines, mapping filters per measure, deflators (issue 17)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 04:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    # Reviewed: only new tables; existing tables are unchanged.
    op.create_table('ledger_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('period', sa.Integer(), nullable=False),
    sa.Column('ansvar', sa.String(length=20), nullable=False),
    sa.Column('art', sa.String(length=20), nullable=False),
    sa.Column('funksjon', sa.String(length=20), nullable=False),
    sa.Column('prosjekt', sa.String(length=30), nullable=False),
    sa.Column('amount_nok', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_lines'))
    )
    with op.batch_alter_table('ledger_lines', schema=None) as batch_op:
        batch_op.create_index('ix_ledger_lines_kind_year_period', ['kind', 'year', 'period'], unique=False)

    op.create_table('accounting_filters',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('measure_id', sa.Integer(), nullable=False),
    sa.Column('ansvar', sa.String(length=41), nullable=False),
    sa.Column('art', sa.String(length=41), nullable=False),
    sa.Column('funksjon', sa.String(length=41), nullable=False),
    sa.Column('prosjekt', sa.String(length=61), nullable=False),
    sa.Column('created_dt', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['measure_id'], ['measures.id'], name=op.f('fk_accounting_filters_measure_id_measures'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_accounting_filters'))
    )
    with op.batch_alter_table('accounting_filters', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_accounting_filters_measure_id'), ['measure_id'], unique=False)

    op.create_table('accounting_deflators',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('rate_basis_points', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=200), nullable=False),
    sa.Column('updated_dt', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('year', name=op.f('pk_accounting_deflators'))
    )


def downgrade():
    op.drop_table('accounting_deflators')
    with op.batch_alter_table('accounting_filters', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_accounting_filters_measure_id'))
    op.drop_table('accounting_filters')
    with op.batch_alter_table('ledger_lines', schema=None) as batch_op:
        batch_op.drop_index('ix_ledger_lines_kind_year_period')
    op.drop_table('ledger_lines')
