"""The tracker: portfolio and benefits-realisation follow-up for a municipality."""

import os
from importlib import import_module

from flask import Flask

import tracker.models  # noqa: F401  (every model registered before the first query)
from config import Config, ProductionConfig, config_from_env
from tracker.accounts.oidc import check_config as check_sign_in_config
from tracker.accounts.passwords import configure_hasher
from tracker.database_setup import configure_engine_options, drop_connections_after_fork, install_sqlite_pragmas
from tracker.extensions import csrf, db, login_manager, migrate
from tracker.files import restrict_to_owner, write_new_owner_only
from tracker.main.errors import init_error_handlers
from tracker.main.template_helpers import init_template_helpers
from tracker.portfolio import read_only
from tracker.readmodel import cache as readmodel_cache
from tracker.security import register_security as _register_security
from tracker.web.paths import register_id_converter
from tracker.web.urls import install_cached_url_for

BLUEPRINT_MODULES = (
    "tracker.main.views",
    "tracker.accounts.views",
    "tracker.accounts.oidc_views",
    "tracker.measures.views",
    "tracker.users.views",
    "tracker.programmes.views",
    "tracker.auditlog.views",
    "tracker.benefits.views",
    "tracker.reports.views",
    "tracker.reports.public",
    "tracker.milestones.views",
    "tracker.kpis.views",
    "tracker.updates.views",
    "tracker.risks.views",
    "tracker.staff.views",
    "tracker.dependencies.views",
    "tracker.api_tokens.views",
    "tracker.api.views",
    "tracker.accounting.views",
    "tracker.meetings.views",
    "tracker.followup.views",
    "tracker.scenarios.views",
)
COMMAND_MODULES = (
    "tracker.main.commands",
    "tracker.accounts.commands",
    "tracker.api_tokens.commands",
    "tracker.audit.commands",
    "tracker.backup_commands",
    "tracker.measures.commands",
    "tracker.followup.commands",
    "tracker.updates.commands",
    "tracker.benefits.commands",
    "tracker.demo.commands",
    "tracker.reports.commands",
    "tracker.scheduler.commands",
    "tracker.accounting.commands",
    "tracker.scenarios.commands",
)


def create_app(config_class: type[Config] | None = None, **overrides) -> Flask:
    """Build the application: configuration, extensions, blueprints, commands, error pages."""
    config_class = config_class or config_from_env()
    if config_class is ProductionConfig:
        ProductionConfig.check()
    app = Flask(__name__, template_folder="../templates", static_folder="../static", instance_relative_config=True)
    app.config.from_object(config_class)
    app.config.update(overrides)
    ensure_secret_key(app)
    check_sign_in_config(app.config)
    register_extensions(app)
    register_blueprints(app)
    register_commands(app)
    register_template_helpers(app)
    register_errorhandlers(app)
    register_security(app)
    return app


def ensure_secret_key(app: Flask) -> None:
    """Development keeps a generated key in the instance folder; production must set SECRET_KEY."""
    if app.config.get("SECRET_KEY"):
        return
    os.makedirs(app.instance_path, exist_ok=True)
    key_path = os.path.join(app.instance_path, "secret_key")
    if not os.path.exists(key_path):
        write_new_owner_only(key_path, os.urandom(32).hex().encode("ascii"))
    restrict_to_owner(key_path)
    with open(key_path, encoding="ascii") as handle:
        app.config["SECRET_KEY"] = handle.read().strip()


def register_extensions(app: Flask) -> None:
    configure_engine_options(app)
    db.init_app(app)
    install_sqlite_pragmas(app)
    drop_connections_after_fork(app)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(__file__), "..", "migrations"))
    csrf.init_app(app)
    login_manager.init_app(app)
    read_only.install(db.session)  # a closed programme's rows refuse every change, whoever writes
    readmodel_cache.init_app(app)
    configure_hasher(app.config["ARGON2_TIME_COST"], app.config["ARGON2_MEMORY_COST_KIB"])
    login_manager.login_view = "accounts.login"
    login_manager.login_message = "Logg inn for å se denne siden."
    login_manager.login_message_category = "info"


def register_blueprints(app: Flask) -> None:
    register_id_converter(app)
    for module_name in BLUEPRINT_MODULES:
        app.register_blueprint(import_module(module_name).bp)


def register_commands(app: Flask) -> None:
    for module_name in COMMAND_MODULES:
        for command in import_module(module_name).COMMANDS:
            app.cli.add_command(command)


def register_template_helpers(app: Flask) -> None:
    init_template_helpers(app)
    install_cached_url_for(app)


def register_security(app: Flask) -> None:
    _register_security(app)


def register_errorhandlers(app: Flask) -> None:
    init_error_handlers(app)
