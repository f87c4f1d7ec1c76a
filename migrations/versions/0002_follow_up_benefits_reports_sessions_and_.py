"""follow-up, benefits, reports, sessions and login attempts

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 12:37:49.588546

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    # Reviewed: only new tables; existing tables are unchanged.
    op.create_table('login_attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=80), nullable=False),
    sa.Column('at_dt', sa.DateTime(timezone=True), nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('ip_address', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_attempts'))
    )
    with op.batch_alter_table('login_attempts', schema=None) as batch_op:
        batch_op.create_index('ix_login_attempts_username_at', ['username', 'at_dt'], unique=False)

    op.create_table('report_recipients',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('audience', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('created_dt', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_recipients')),
    sa.UniqueConstraint('audience', 'email', name=op.f('uq_report_recipients_audience_email'))
    )
    op.create_table('risk_indicators',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('guidance', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_risk_indicators')),
    sa.UniqueConstraint('key', name=op.f('uq_risk_indicators_key'))
    )
    op.create_table('closed_quarters',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('quarter', sa.Integer(), nullable=False),
    sa.Column('closed_by_id', sa.Integer(), nullable=True),
    sa.Column('closed_dt', sa.DateTime(timezone=True), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.ForeignKeyConstraint(['closed_by_id'], ['users.id'], name=op.f('fk_closed_quarters_closed_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_closed_quarters')),
    sa.UniqueConstraint('year', 'quarter', name=op.f('uq_closed_quarters_year_quarter'))
    )
    op.create_table('reporting_rounds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('quarter', sa.Integer(), nullable=False),
    sa.Column('deadline_date', sa.Date(), nullable=False),
    sa.Column('created_dt', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_reporting_rounds_programme_id_programmes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reporting_rounds')),
    sa.UniqueConstraint('programme_id', 'year', 'quarter', name=op.f('uq_reporting_rounds_programme_id_year_quarter'))
    )
    op.create_table('reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.Column('audience', sa.String(length=20), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('trigger', sa.String(length=20), nullable=False),
    sa.Column('created_dt', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('snapshot_json', sa.Text(), nullable=False),
    sa.Column('pdf_bytes', sa.LargeBinary(), nullable=False),
    sa.Column('html_text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_reports_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_reports_programme_id_programmes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reports')),
    sa.UniqueConstraint('programme_id', 'period', 'audience', 'version', name=op.f('uq_reports_programme_id_period_audience_version'))
    )
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reports_programme_id'), ['programme_id'], unique=False)

    op.create_table('user_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_dt', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen_dt', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ended_dt', sa.DateTime(timezone=True), nullable=True),
    sa.Column('end_reason', sa.String(length=32), nullable=True),
    sa.Column('ip_address', sa.String(length=64), nullable=True),
    sa.Column('user_agent', sa.String(length=300), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_sessions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_sessions')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_user_sessions_token_hash'))
    )
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_sessions_user_id'), ['user_id'], unique=False)

    op.create_table('report_outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('message_id', sa.String(length=200), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('claimed_dt', sa.DateTime(timezone=True), nullable=True),
    sa.Column('sent_dt', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], name=op.f('fk_report_outbox_report_id_reports'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_outbox')),
    sa.UniqueConstraint('message_id', name=op.f('uq_report_outbox_message_id')),
    sa.UniqueConstraint('report_id', 'email', name=op.f('uq_report_outbox_report_id_email'))
    )
    with op.batch_alter_table('report_outbox', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_outbox_report_id'), ['report_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_report_outbox_state'), ['state'], unique=False)

    op.create_table('report_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.Column('audience', sa.String(length=20), nullable=False),
    sa.Column('trigger', sa.String(length=20), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('claimed_dt', sa.DateTime(timezone=True), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], name=op.f('fk_report_runs_report_id_reports'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_runs')),
    sa.UniqueConstraint('period', 'audience', 'trigger', name=op.f('uq_report_runs_period_audience_trigger'))
    )
    op.create_table('update_reminders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('sent_dt', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_update_reminders_owner_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['round_id'], ['reporting_rounds.id'], name=op.f('fk_update_reminders_round_id_reporting_rounds'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_update_reminders')),
    sa.UniqueConstraint('round_id', 'owner_id', name=op.f('uq_update_reminders_round_id_owner_id'))
    )
    op.create_table('benefit_figures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('measure_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('quarter', sa.Integer(), nullable=False),
    sa.Column('realised_to_date_nok', sa.BigInteger(), nullable=False),
    sa.Column('forecast_year_nok', sa.BigInteger(), nullable=False),
    sa.Column('explanation', sa.Text(), nullable=False),
    sa.Column('corrective_action', sa.Text(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('reported_by_id', sa.Integer(), nullable=True),
    sa.Column('reported_dt', sa.DateTime(timezone=True), nullable=False),
    sa.Column('is_approved', sa.Boolean(), nullable=False),
    sa.Column('approved_by_id', sa.Integer(), nullable=True),
    sa.Column('approved_dt', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_dt', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_dt', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['approved_by_id'], ['users.id'], name=op.f('fk_benefit_figures_approved_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['measure_id'], ['measures.id'], name=op.f('fk_benefit_figures_measure_id_measures'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reported_by_id'], ['users.id'], name=op.f('fk_benefit_figures_reported_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_benefit_figures')),
    sa.UniqueConstraint('measure_id', 'year', 'quarter', name=op.f('uq_benefit_figures_measure_id_year_quarter'))
    )
    with op.batch_alter_table('benefit_figures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_benefit_figures_measure_id'), ['measure_id'], unique=False)

    op.create_table('budget_take_outs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('measure_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('amount_nok', sa.BigInteger(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('entered_by_id', sa.Integer(), nullable=True),
    sa.Column('created_dt', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_dt', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['entered_by_id'], ['users.id'], name=op.f('fk_budget_take_outs_entered_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['measure_id'], ['measures.id'], name=op.f('fk_budget_take_outs_measure_id_measures'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_budget_take_outs')),
    sa.UniqueConstraint('measure_id', 'year', name=op.f('uq_budget_take_outs_measure_id_year'))
    )
    with op.batch_alter_table('budget_take_outs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_budget_take_outs_measure_id'), ['measure_id'], unique=False)

    op.create_table('employee_consequences',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('measure_id', sa.Integer(), nullable=False),
    sa.Column('affected_units', sa.Text(), nullable=False),
    sa.Column('affected_employees', sa.Integer(), nullable=True),
    sa.Column('fte_change_planned', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('fte_change_realised', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('fte_by_attrition', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('fte_by_redeployment', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('fte_by_downsizing', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('union_consultation_date', sa.Date(), nullable=True),
    sa.Column('is_safety_rep_involved', sa.Boolean(), nullable=False),
    sa.Column('work_env_assessment_date', sa.Date(), nullable=True),
    sa.Column('work_env_assessment_summary', sa.Text(), nullable=False),
    sa.Column('created_dt', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_dt', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['measure_id'], ['measures.id'], name=op.f('fk_employee_consequences_measure_id_measures'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_employee_consequences')),
    sa.UniqueConstraint('measure_id', name=op.f('uq_employee_consequences_measure_id'))
    )
    op.create_table('kpis',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('measure_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('unit', sa.String(length=50), nullable=False),
    sa.Column('direction', sa.String(length=10), nullable=False),
    sa.Column('baseline_value', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('baseline_date', sa.Date(), nullable=True),
    sa.Column('target_value', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('target_date', sa.Date(), nullable=True),
    sa.Column('created_dt', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_dt', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['measure_id'], ['measures.id'], name=op.f('fk_kpis_measure_id_measures'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kpis'))
    )
    with op.batch_alter_table('kpis', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kpis_measure_id'), ['measure_id'], unique=False)

    op.create_table('measure_dependencies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('measure_id', sa.Integer(), nullable=False),
    sa.Column('depends_on_id', sa.Integer(), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('created_dt', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_dt', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('measure_id <> depends_on_id', name=op.f('ck_measure_dependencies_not_self')),
    sa.ForeignKeyConstraint(['depends_on_id'], ['measures.id'], name=op.f('fk_measure_dependencies_depends_on_id_measures'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['measure_id'], ['measures.id'], name=op.f('fk_measure_dependencies_measure_id_measures'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_measure_dependencies')),
    sa.UniqueConstraint('measure_id', 'depends_on_id', name=op.f('uq_measure_dependencies_measure_id_depends_on_id'))
    )
    with op.batch_alter_table('measure_dependencies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_measure_dependencies_depends_on_id'), ['depends_on_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_measure_dependencies_measure_id'), ['measure_id'], unique=False)

    op.create_table('milestones',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('measure_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('when_text', sa.String(length=200), nullable=True),
    sa.Column('baseline_due_date', sa.Date(), nullable=True),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('done_date', sa.Date(), nullable=True),
    sa.Column('responsible', sa.String(length=200), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('import_title', sa.Text(), nullable=True),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('created_dt', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_dt', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['measure_id'], ['measures.id'], name=op.f('fk_milestones_measure_id_measures'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_milestones'))
    )
    with op.batch_alter_table('milestones', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_milestones_measure_id'), ['measure_id'], unique=False)

    op.create_table('org_risk_assessments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('measure_id', sa.Integer(), nullable=False),
    sa.Column('assessed_date', sa.Date(), nullable=False),
    sa.Column('assessed_by_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_dt', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_dt', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assessed_by_id'], ['users.id'], name=op.f('fk_org_risk_assessments_assessed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['measure_id'], ['measures.id'], name=op.f('fk_org_risk_assessments_measure_id_measures'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_org_risk_assessments'))
    )
    with op.batch_alter_table('org_risk_assessments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_org_risk_assessments_measure_id'), ['measure_id'], unique=False)

    op.create_table('plan_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('measure_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('old_saving_nok', sa.BigInteger(), nullable=True),
    sa.Column('new_saving_nok', sa.BigInteger(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.Column('changed_dt', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['changed_by_id'], ['users.id'], name=op.f('fk_plan_revisions_changed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['measure_id'], ['measures.id'], name=op.f('fk_plan_revisions_measure_id_measures'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_revisions'))
    )
    with op.batch_alter_table('plan_revisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_revisions_measure_id'), ['measure_id'], unique=False)

    op.create_table('risk_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('measure_id', sa.Integer(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('probability_before', sa.Integer(), nullable=False),
    sa.Column('consequence_before', sa.Integer(), nullable=False),
    sa.Column('mitigation', sa.Text(), nullable=False),
    sa.Column('mitigation_owner', sa.String(length=200), nullable=False),
    sa.Column('probability_after', sa.Integer(), nullable=True),
    sa.Column('consequence_after', sa.Integer(), nullable=True),
    sa.Column('created_dt', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_dt', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['measure_id'], ['measures.id'], name=op.f('fk_risk_items_measure_id_measures'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_risk_items'))
    )
    with op.batch_alter_table('risk_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_risk_items_measure_id'), ['measure_id'], unique=False)

    op.create_table('status_updates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('measure_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('quarter', sa.Integer(), nullable=False),
    sa.Column('confidence', sa.String(length=20), nullable=False),
    sa.Column('confidence_justification', sa.Text(), nullable=False),
    sa.Column('progress', sa.Text(), nullable=False),
    sa.Column('corrective_actions', sa.Text(), nullable=False),
    sa.Column('decisions_needed', sa.Text(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('submitted_dt', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reviewed_dt', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.Column('created_dt', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_dt', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_status_updates_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['measure_id'], ['measures.id'], name=op.f('fk_status_updates_measure_id_measures'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['users.id'], name=op.f('fk_status_updates_reviewed_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_status_updates')),
    sa.UniqueConstraint('measure_id', 'year', 'quarter', name=op.f('uq_status_updates_measure_id_year_quarter'))
    )
    with op.batch_alter_table('status_updates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_status_updates_measure_id'), ['measure_id'], unique=False)

    op.create_table('benefit_figure_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('figure_id', sa.Integer(), nullable=False),
    sa.Column('old_realised_to_date_nok', sa.BigInteger(), nullable=False),
    sa.Column('old_forecast_year_nok', sa.BigInteger(), nullable=False),
    sa.Column('old_explanation', sa.Text(), nullable=False),
    sa.Column('old_corrective_action', sa.Text(), nullable=False),
    sa.Column('was_approved', sa.Boolean(), nullable=False),
    sa.Column('is_correction', sa.Boolean(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.Column('changed_dt', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['changed_by_id'], ['users.id'], name=op.f('fk_benefit_figure_revisions_changed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['figure_id'], ['benefit_figures.id'], name=op.f('fk_benefit_figure_revisions_figure_id_benefit_figures'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_benefit_figure_revisions'))
    )
    with op.batch_alter_table('benefit_figure_revisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_benefit_figure_revisions_figure_id'), ['figure_id'], unique=False)

    op.create_table('kpi_measurements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kpi_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('quarter', sa.Integer(), nullable=False),
    sa.Column('value', sa.Numeric(precision=18, scale=4), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['kpi_id'], ['kpis.id'], name=op.f('fk_kpi_measurements_kpi_id_kpis'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kpi_measurements')),
    sa.UniqueConstraint('kpi_id', 'year', 'quarter', name=op.f('uq_kpi_measurements_kpi_id_year_quarter'))
    )
    with op.batch_alter_table('kpi_measurements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kpi_measurements_kpi_id'), ['kpi_id'], unique=False)

    op.create_table('org_risk_scores',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['org_risk_assessments.id'], name=op.f('fk_org_risk_scores_assessment_id_org_risk_assessments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['indicator_id'], ['risk_indicators.id'], name=op.f('fk_org_risk_scores_indicator_id_risk_indicators'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_org_risk_scores')),
    sa.UniqueConstraint('assessment_id', 'indicator_id', name=op.f('uq_org_risk_scores_assessment_id_indicator_id'))
    )
    op.create_table('update_comments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('update_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_dt', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_update_comments_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['update_id'], ['status_updates.id'], name=op.f('fk_update_comments_update_id_status_updates'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_update_comments'))
    )
    with op.batch_alter_table('update_comments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_update_comments_update_id'), ['update_id'], unique=False)




def downgrade():
    # Reviewed: only new tables; existing tables are unchanged.
    with op.batch_alter_table('update_comments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_update_comments_update_id'))

    op.drop_table('update_comments')
    op.drop_table('org_risk_scores')
    with op.batch_alter_table('kpi_measurements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kpi_measurements_kpi_id'))

    op.drop_table('kpi_measurements')
    with op.batch_alter_table('benefit_figure_revisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_benefit_figure_revisions_figure_id'))

    op.drop_table('benefit_figure_revisions')
    with op.batch_alter_table('status_updates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_status_updates_measure_id'))

    op.drop_table('status_updates')
    with op.batch_alter_table('risk_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_risk_items_measure_id'))

    op.drop_table('risk_items')
    with op.batch_alter_table('plan_revisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_revisions_measure_id'))

    op.drop_table('plan_revisions')
    with op.batch_alter_table('org_risk_assessments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_org_risk_assessments_measure_id'))

    op.drop_table('org_risk_assessments')
    with op.batch_alter_table('milestones', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_milestones_measure_id'))

    op.drop_table('milestones')
    with op.batch_alter_table('measure_dependencies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_measure_dependencies_measure_id'))
        batch_op.drop_index(batch_op.f('ix_measure_dependencies_depends_on_id'))

    op.drop_table('measure_dependencies')
    with op.batch_alter_table('kpis', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kpis_measure_id'))

    op.drop_table('kpis')
    op.drop_table('employee_consequences')
    with op.batch_alter_table('budget_take_outs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_budget_take_outs_measure_id'))

    op.drop_table('budget_take_outs')
    with op.batch_alter_table('benefit_figures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_benefit_figures_measure_id'))

    op.drop_table('benefit_figures')
    op.drop_table('update_reminders')
    op.drop_table('report_runs')
    with op.batch_alter_table('report_outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_outbox_state'))
        batch_op.drop_index(batch_op.f('ix_report_outbox_report_id'))

    op.drop_table('report_outbox')
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_sessions_user_id'))

    op.drop_table('user_sessions')
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reports_programme_id'))

    op.drop_table('reports')
    op.drop_table('reporting_rounds')
    op.drop_table('closed_quarters')
    op.drop_table('risk_indicators')
    op.drop_table('report_recipients')
    with op.batch_alter_table('login_attempts', schema=None) as batch_op:
        batch_op.drop_index('ix_login_attempts_username_at')

    op.drop_table('login_attempts')

