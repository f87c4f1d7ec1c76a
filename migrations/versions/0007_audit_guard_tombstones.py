"""audit guard triggers, milestone tombstones, take-out approval, report claim heartbeat

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 05:04:08.553081

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

# The database refuses UPDATE and DELETE on audit rows (the same statements as
# tracker.audit.models.GUARD_DDL, copied so this revision never changes with the code).
# A later batch migration that rebuilds audit_entries on SQLite drops these triggers and must
# create them again.
APPEND_ONLY = "audit_entries is append-only"
GUARD = {
    "sqlite": (
        "CREATE TRIGGER IF NOT EXISTS audit_entries_no_update BEFORE UPDATE ON audit_entries "
        f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}: UPDATE refused'); END",
        "CREATE TRIGGER IF NOT EXISTS audit_entries_no_delete BEFORE DELETE ON audit_entries "
        f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}: DELETE refused'); END",
    ),
    "postgresql": (
        "CREATE OR REPLACE FUNCTION audit_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN RAISE EXCEPTION USING MESSAGE = '{APPEND_ONLY}: ' || TG_OP || ' refused'; END $$",
        "CREATE TRIGGER audit_entries_append_only BEFORE UPDATE OR DELETE ON audit_entries "
        "FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only()",
    ),
}
UNGUARD = {
    "sqlite": ("DROP TRIGGER IF EXISTS audit_entries_no_update", "DROP TRIGGER IF EXISTS audit_entries_no_delete"),
    "postgresql": (
        "DROP TRIGGER IF EXISTS audit_entries_append_only ON audit_entries",
        "DROP FUNCTION IF EXISTS audit_entries_append_only()",
    ),
}


def _execute(statements):
    for statement in statements.get(op.get_bind().dialect.name, ()):
        op.execute(statement)


def upgrade():
    # Reviewed: one new table, new columns (nullable, except is_approved: existing take-outs
    # start unapproved), and the audit triggers.
    op.create_table('milestone_tombstones',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('measure_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('deleted_dt', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['measure_id'], ['measures.id'], name=op.f('fk_milestone_tombstones_measure_id_measures'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_milestone_tombstones'))
    )
    with op.batch_alter_table('milestone_tombstones', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_milestone_tombstones_measure_id'), ['measure_id'], unique=False)

    with op.batch_alter_table('budget_take_outs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_approved', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('approved_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('approved_dt', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_budget_take_outs_approved_by_id_users'), 'users', ['approved_by_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('report_runs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('heartbeat_dt', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('error', sa.Text(), nullable=True))

    _execute(GUARD)


def downgrade():
    _execute(UNGUARD)

    with op.batch_alter_table('report_runs', schema=None) as batch_op:
        batch_op.drop_column('error')
        batch_op.drop_column('heartbeat_dt')

    with op.batch_alter_table('budget_take_outs', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_budget_take_outs_approved_by_id_users'), type_='foreignkey')
        batch_op.drop_column('approved_dt')
        batch_op.drop_column('approved_by_id')
        batch_op.drop_column('is_approved')

    with op.batch_alter_table('milestone_tombstones', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_milestone_tombstones_measure_id'))

    op.drop_table('milestone_tombstones')
