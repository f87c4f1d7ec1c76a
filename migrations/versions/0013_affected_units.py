"""Berørte enheter on a measure; review and strengthening actions of organisational-risk assessments

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 12:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    # Reviewed: nullable columns and one text column with a server default, so existing rows stay
    # valid (no units named, assessments not reviewed, no strengthening actions written).
    with op.batch_alter_table('measures', schema=None) as batch_op:
        batch_op.add_column(sa.Column('affected_units', sa.JSON(), nullable=True))
    with op.batch_alter_table('org_risk_assessments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reviewed_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('reviewed_dt', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_org_risk_assessments_reviewed_by_id_users'), 'users', ['reviewed_by_id'], ['id'],
            ondelete='SET NULL',
        )
    with op.batch_alter_table('org_risk_scores', schema=None) as batch_op:
        batch_op.add_column(sa.Column('strengthening_action', sa.Text(), server_default='', nullable=False))


def downgrade():
    with op.batch_alter_table('org_risk_scores', schema=None) as batch_op:
        batch_op.drop_column('strengthening_action')
    with op.batch_alter_table('org_risk_assessments', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_org_risk_assessments_reviewed_by_id_users'), type_='foreignkey')
        batch_op.drop_column('reviewed_dt')
        batch_op.drop_column('reviewed_by_id')
    with op.batch_alter_table('measures', schema=None) as batch_op:
        batch_op.drop_column('affected_units')
