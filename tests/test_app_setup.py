"""Start-up: the embedded default and production's refusal to start half-configured."""

import pytest

from config import ProductionConfig, TestingConfig
from tracker import create_app


@pytest.mark.parametrize("missing", ["SECRET_KEY", "DATABASE_URL"])
def test_production_refuses_to_start_without_required_settings(monkeypatch, missing):
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    monkeypatch.delenv(missing)
    with pytest.raises(RuntimeError, match=missing):
        create_app(ProductionConfig)


@pytest.mark.parametrize("key", ["x", "k" * 31, "æ" * 15])
def test_production_refuses_a_secret_key_shorter_than_32_bytes(monkeypatch, key):
    monkeypatch.setenv("SECRET_KEY", key)
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    with pytest.raises(RuntimeError, match="at least 32 bytes"):
        create_app(ProductionConfig)


def test_production_starts_with_a_secret_key_of_32_bytes(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "k" * 32)
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    # The class read SECRET_KEY at import time, so the app gets it as an override here.
    assert create_app(ProductionConfig, SECRET_KEY="k" * 32).config["HSTS_ENABLED"] is True


def test_setup_loads_elverum_and_prints_a_one_time_admin_password_once(tmp_path):
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'fresh.sqlite'}")
    runner = app.test_cli_runner()

    first = runner.invoke(args=["setup"])
    assert first.exit_code == 0, first.output
    assert "44 tiltak" in first.output
    password = first.output.split("engangspassord: ")[1].split()[0]

    second = runner.invoke(args=["setup"])
    assert second.exit_code == 0, second.output
    assert "engangspassord" not in second.output and "Importerte" not in second.output

    client = app.test_client()
    response = client.post("/login", data={"username": "admin", "password": password})
    assert response.status_code == 302
    with app.app_context():
        from tracker.extensions import db

        db.engine.dispose()


def test_summary_json_command_prints_the_report_totals(runner, elverum):
    import json

    result = runner.invoke(args=["portfolio", "summary", "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["programme"] == "Omstilling 2025"
    assert summary["measures"] == 44
    # The report's figures are the menu; nothing is adopted yet, so nothing is planned.
    assert summary["years"]["2029"]["menu_nok"] == 88_100_000
    assert summary["years"]["2029"]["planned_savings_nok"] == 0
    assert summary["years"]["2029"]["target_nok"] == 40_000_000
    assert summary["groups"]["1"]["name"] == "Barnehage og skole"
    assert summary["groups"]["1"]["years"]["2026"]["menu_nok"] == 6_100_000


def test_users_create_command_makes_an_account_that_can_log_in(runner, client):
    result = runner.invoke(
        args=["users", "create", "--username", "kari", "--password", "langt-passord-1", "--role", "ledergruppe"]
    )
    assert result.exit_code == 0, result.output
    assert client.post("/login", data={"username": "kari", "password": "langt-passord-1"}).status_code == 302


def test_users_create_command_rejects_a_short_password(runner):
    result = runner.invoke(args=["users", "create", "--username", "ola", "--password", "kort", "--role", "leser"])
    assert result.exit_code != 0
    assert "minst 10 tegn" in result.output
