"""the menu apart from the plan, scenarios and variants, targets per year, later-year forecasts, one-off savings

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 09:00:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    # Reviewed: new tables; new columns are nullable or have a server default. Editable records
    # (targets, group requirements, scenarios) carry a version like every other (0008). Data: the menu is
    # filled from the plan as it stands (the best record of the report's figures an existing
    # database has; the next portfolio import writes the file's figures), and each group's
    # requirement is copied to every year the programme has a target (the rule so far).
    op.create_table(
        "menu_effects",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("measure_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("net_cost_change_nok", sa.BigInteger(), nullable=True),
        sa.Column("fte_change", sa.Numeric(precision=8, scale=2), nullable=True),
        sa.ForeignKeyConstraint(
            ["measure_id"], ["measures.id"], name=op.f("fk_menu_effects_measure_id_measures"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_menu_effects")),
        sa.UniqueConstraint("measure_id", "year", name=op.f("uq_menu_effects_measure_id_year")),
    )
    with op.batch_alter_table("menu_effects", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_menu_effects_measure_id"), ["measure_id"], unique=False)

    op.create_table(
        "group_requirements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("requirement_nok", sa.BigInteger(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["work_groups.id"],
            name=op.f("fk_group_requirements_group_id_work_groups"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_group_requirements")),
        sa.UniqueConstraint("group_id", "year", name=op.f("uq_group_requirements_group_id_year")),
    )
    with op.batch_alter_table("group_requirements", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_group_requirements_group_id"), ["group_id"], unique=False)

    op.create_table(
        "later_year_forecasts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("figure_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("forecast_nok", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["figure_id"],
            ["benefit_figures.id"],
            name=op.f("fk_later_year_forecasts_figure_id_benefit_figures"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_later_year_forecasts")),
        sa.UniqueConstraint("figure_id", "year", name=op.f("uq_later_year_forecasts_figure_id_year")),
    )
    with op.batch_alter_table("later_year_forecasts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_later_year_forecasts_figure_id"), ["figure_id"], unique=False)

    op.create_table(
        "measure_variants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("measure_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(
            ["measure_id"], ["measures.id"], name=op.f("fk_measure_variants_measure_id_measures"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_measure_variants")),
        sa.UniqueConstraint("measure_id", "key", name=op.f("uq_measure_variants_measure_id_key")),
    )
    with op.batch_alter_table("measure_variants", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_measure_variants_measure_id"), ["measure_id"], unique=False)

    op.create_table(
        "variant_effects",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("variant_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("net_cost_change_nok", sa.BigInteger(), nullable=False),
        sa.Column("fte_change", sa.Numeric(precision=8, scale=2), nullable=True),
        sa.ForeignKeyConstraint(
            ["variant_id"],
            ["measure_variants.id"],
            name=op.f("fk_variant_effects_variant_id_measure_variants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_variant_effects")),
        sa.UniqueConstraint("variant_id", "year", name=op.f("uq_variant_effects_variant_id_year")),
    )
    with op.batch_alter_table("variant_effects", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_variant_effects_variant_id"), ["variant_id"], unique=False)

    op.create_table(
        "scenarios",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("is_example", sa.Boolean(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_dt", sa.DateTime(timezone=True), nullable=False),
        sa.Column("adopted_dt", sa.DateTime(timezone=True), nullable=True),
        sa.Column("adopted_by_id", sa.Integer(), nullable=True),
        sa.Column("decision_reference", sa.String(length=200), nullable=False),
        sa.Column("decision_body", sa.String(length=200), nullable=False),
        sa.Column("decided_date", sa.Date(), nullable=True),
        sa.Column("updated_dt", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
        sa.ForeignKeyConstraint(
            ["adopted_by_id"], ["users.id"], name=op.f("fk_scenarios_adopted_by_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_scenarios_created_by_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"], ["programmes.id"], name=op.f("fk_scenarios_programme_id_programmes"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scenarios")),
        sa.UniqueConstraint("programme_id", "name", name=op.f("uq_scenarios_programme_id_name")),
    )
    with op.batch_alter_table("scenarios", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_scenarios_programme_id"), ["programme_id"], unique=False)

    op.create_table(
        "scenario_choices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scenario_id", sa.Integer(), nullable=False),
        sa.Column("measure_id", sa.Integer(), nullable=False),
        sa.Column("variant_key", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["measure_id"], ["measures.id"], name=op.f("fk_scenario_choices_measure_id_measures"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["scenario_id"],
            ["scenarios.id"],
            name=op.f("fk_scenario_choices_scenario_id_scenarios"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scenario_choices")),
        sa.UniqueConstraint("scenario_id", "measure_id", name=op.f("uq_scenario_choices_scenario_id_measure_id")),
    )
    with op.batch_alter_table("scenario_choices", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_scenario_choices_measure_id"), ["measure_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_scenario_choices_scenario_id"), ["scenario_id"], unique=False)

    with op.batch_alter_table("programme_targets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))

    with op.batch_alter_table("measures", schema=None) as batch_op:
        batch_op.add_column(sa.Column("effect_type_basis", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("adopted_variant", sa.String(length=20), nullable=True))

    with op.batch_alter_table("status_changes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("decision_body", sa.String(length=200), nullable=False, server_default=""))

    with op.batch_alter_table("benefit_figures", schema=None) as batch_op:
        batch_op.add_column(sa.Column("one_off_nok", sa.BigInteger(), nullable=False, server_default="0"))

    with op.batch_alter_table("benefit_figure_revisions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("old_one_off_nok", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("old_later_forecasts", sa.JSON(), nullable=True))

    op.execute(
        "INSERT INTO menu_effects (measure_id, year, net_cost_change_nok) "
        "SELECT measure_id, year, net_cost_change_nok FROM planned_effects"
    )
    op.execute(
        "INSERT INTO group_requirements (group_id, year, requirement_nok) "
        "SELECT work_groups.id, programme_targets.year, work_groups.savings_requirement_nok "
        "FROM work_groups JOIN programme_targets ON programme_targets.programme_id = work_groups.programme_id "
        "WHERE work_groups.savings_requirement_nok IS NOT NULL"
    )


def downgrade():
    with op.batch_alter_table("benefit_figure_revisions", schema=None) as batch_op:
        batch_op.drop_column("old_later_forecasts")
        batch_op.drop_column("old_one_off_nok")

    with op.batch_alter_table("benefit_figures", schema=None) as batch_op:
        batch_op.drop_column("one_off_nok")

    with op.batch_alter_table("status_changes", schema=None) as batch_op:
        batch_op.drop_column("decision_body")

    with op.batch_alter_table("measures", schema=None) as batch_op:
        batch_op.drop_column("adopted_variant")
        batch_op.drop_column("effect_type_basis")

    with op.batch_alter_table("programme_targets", schema=None) as batch_op:
        batch_op.drop_column("version")

    for table, indexes in (
        ("scenario_choices", ("ix_scenario_choices_scenario_id", "ix_scenario_choices_measure_id")),
        ("scenarios", ("ix_scenarios_programme_id",)),
        ("variant_effects", ("ix_variant_effects_variant_id",)),
        ("measure_variants", ("ix_measure_variants_measure_id",)),
        ("later_year_forecasts", ("ix_later_year_forecasts_figure_id",)),
        ("group_requirements", ("ix_group_requirements_group_id",)),
        ("menu_effects", ("ix_menu_effects_measure_id",)),
    ):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for index in indexes:
                batch_op.drop_index(batch_op.f(index))
        op.drop_table(table)
