"""report publication and previews, the audience of a decision request

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 06:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_preview', sa.Boolean(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('published_dt', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('published_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_reports_published_by_id_users'), 'users', ['published_by_id'], ['id'], ondelete='SET NULL'
        )
    with op.batch_alter_table('status_updates', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('decisions_audience', sa.String(length=20), server_default='ledergruppe', nullable=False)
        )


def downgrade():
    with op.batch_alter_table('status_updates', schema=None) as batch_op:
        batch_op.drop_column('decisions_audience')
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_reports_published_by_id_users'), type_='foreignkey')
        batch_op.drop_column('published_by_id')
        batch_op.drop_column('published_dt')
        batch_op.drop_column('is_preview')
