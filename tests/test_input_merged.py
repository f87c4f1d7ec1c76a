"""Bounded input in the features that came with the merge: accounting, API tokens, versions, addresses."""

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from tracker.accounting import services as accounting
from tracker.accounting.importing import LedgerImportError, import_ledger
from tracker.accounting.models import LedgerLine
from tracker.accounting.rules import MAX_PATTERN_CHARS, parse_filter
from tracker.accounts.permissions import SYSTEM
from tracker.accounts.sso_rules import identity_from_claims
from tracker.api_tokens.services import TokenError, create_token
from tracker.audit.models import AuditEntry
from tracker.security import MAX_ADDRESS_CHARS, client_address
from tracker.web.forms import TrackerForm, VersionField, VersionsField

HEADER = "År;Periode;Ansvar;Art;Funksjon;Prosjekt;Beløp"
MAX_XLSX = 50 * 1024 * 1024


def _ledger(tmp_path, line: str):
    path = tmp_path / "hovedbok.csv"
    path.write_bytes(f"{HEADER}\r\n{line}\r\n".encode())
    return path


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("2024;1;41\x0000;10100;265;;100", "NUL-tegn"),
        ("2024;1;4100;10100;265;;1000000000001", "utenfor"),
        ("2024;1;4100;10100;265;;-99999999999999999999999", "utenfor"),
    ],
)
def test_a_ledger_row_with_a_control_character_or_an_absurd_amount_is_refused(db, tmp_path, line, problem):
    with pytest.raises(LedgerImportError) as refused:
        import_ledger(_ledger(tmp_path, line), "actual", SYSTEM, MAX_XLSX)
    assert problem in str(refused.value)
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(LedgerLine)) == 0


def test_a_filter_pattern_wider_than_its_column_is_refused():
    too_long = "1" * (MAX_PATTERN_CHARS["ansvar"] + 1)
    _spec, errors = parse_filter({"ansvar": too_long})
    assert f"høyst {MAX_PATTERN_CHARS['ansvar']} tegn" in errors["ansvar"]
    _spec, errors = parse_filter({"ansvar": "4\x001"})
    assert "ansvar" in errors


def test_a_deflator_source_and_a_token_name_follow_the_text_rules(db, make_user):
    with pytest.raises(accounting.AccountingError, match="NUL-tegn"):
        accounting.set_deflator(2026, 430, "Prop.\x00 1 S", SYSTEM)
    with pytest.raises(accounting.AccountingError, match="høyst 200 tegn"):
        accounting.set_deflator(2026, 430, "x" * 201, SYSTEM)
    user = make_user("leser")
    with pytest.raises(TokenError, match="linjeskift"):
        create_token(user, "Power\nBI", SYSTEM)
    with pytest.raises(TokenError, match="høyst 100 tegn"):
        create_token(user, "x" * 101, SYSTEM)


class _VersionedForm(TrackerForm):
    version = VersionField()
    versions = VersionsField()


@pytest.mark.parametrize("sent", ["9" * 5000, "²", "١٢", "-1", "1e3", " 12 "])
def test_a_version_that_is_no_plain_count_reads_as_none_never_an_error(app, sent):
    with app.test_request_context():
        data = MultiDict({"version": sent, "versions": f"2026={sent.strip()}"})
        form = _VersionedForm(formdata=data, meta={"csrf": False})
        expected = 12 if sent.strip() == "12" else None
        assert (form.version.seen(), form.versions.seen_for(2026)) == (expected, expected)


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("10.0.0.7", "10.0.0.7"),
        (" 2001:DB8::0001 ", "2001:db8::1"),
        ("evil\x00\r\nhost", "evilhost"),
        ("x" * 5000, "x" * MAX_ADDRESS_CHARS),
        ("", ""),
    ],
)
def test_the_client_address_is_cleaned_and_cut_to_its_column(raw, stored):
    assert client_address(raw) == stored


def test_a_forwarded_address_is_stored_clean_and_cut(make_app, make_user, db):
    make_user("leser", username="kari")
    proxied = make_app(TRUSTED_PROXY_COUNT=1)
    forwarded = "203.0.113.9\x00" + "9" * 500
    response = proxied.test_client().post(
        "/login", data={"username": "kari", "password": "feil"}, headers={"X-Forwarded-For": forwarded}
    )
    assert response.status_code == 401
    stored = db.session.scalar(select(AuditEntry.ip_address).where(AuditEntry.action == "login.failed"))
    assert stored == ("203.0.113.9" + "9" * 500)[:MAX_ADDRESS_CHARS]


def test_token_claims_lose_their_control_characters():
    claims = {
        "tid": "0f1e2d3c-4b5a-4697-8899-aabbccddeeff",
        "oid": "1f1e2d3c-4b5a-4697-8899-aabbccddeeff",
        "preferred_username": "kari\x00@example.no",
        "name": "Kari\r\n Nordmann\x07",
        "email": "kari@example.no",
    }
    identity = identity_from_claims(claims)
    assert (identity.username, identity.full_name) == ("kari@example.no", "Kari Nordmann")
