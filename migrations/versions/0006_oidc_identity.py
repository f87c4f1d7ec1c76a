"""Entra ID identity of a user: tenant and object id, unique together

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 09:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    # Reviewed: two nullable columns and one unique constraint; existing users keep working
    # (NULLs never collide, so every local account stays valid).
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('entra_tid', sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column('entra_oid', sa.String(length=36), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_users_entra_tid_entra_oid'), ['entra_tid', 'entra_oid'])


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_users_entra_tid_entra_oid'), type_='unique')
        batch_op.drop_column('entra_oid')
        batch_op.drop_column('entra_tid')
