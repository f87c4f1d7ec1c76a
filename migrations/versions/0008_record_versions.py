"""record versions: optimistic locking on every editable record

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-24 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

# Measures had a version already; these records get one. Existing rows start at version 1.
TABLES = (
    'milestones',
    'kpis',
    'risk_items',
    'risk_indicators',
    'employee_consequences',
    'status_updates',
    'benefit_figures',
    'budget_take_outs',
    'users',
)


def upgrade():
    # Reviewed: one NOT NULL column per table; the server default fills the existing rows and any
    # row inserted by plain SQL. measures.version gets the same default.
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='1'))
    with op.batch_alter_table('measures', schema=None) as batch_op:
        batch_op.alter_column('version', existing_type=sa.Integer(), existing_nullable=False, server_default='1')


def downgrade():
    with op.batch_alter_table('measures', schema=None) as batch_op:
        batch_op.alter_column('version', existing_type=sa.Integer(), existing_nullable=False, server_default=None)
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('version')
