"""several programmes: a closed flag on the programme, each user's chosen programme

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05 09:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    # Reviewed: two columns with safe defaults. Every existing programme stays open, and every user
    # starts on the default programme (NULL); measure codes were already unique per programme
    # (uq_measures_programme_id_code since 0001), with no unique constraint on the code alone.
    with op.batch_alter_table('programmes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_closed', sa.Boolean(), server_default='0', nullable=False))
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('current_programme_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_users_current_programme_id_programmes'),
            'programmes',
            ['current_programme_id'],
            ['id'],
            ondelete='SET NULL',
        )


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_users_current_programme_id_programmes'), type_='foreignkey')
        batch_op.drop_column('current_programme_id')
    with op.batch_alter_table('programmes', schema=None) as batch_op:
        batch_op.drop_column('is_closed')
