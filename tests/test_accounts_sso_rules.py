"""The single sign-on rules: role from the token's app roles, the identity, who may use a password."""

import pytest

from config import DEFAULT_OIDC_ROLE_MAP
from tracker.accounts import sso_rules
from tracker.accounts.models import ROLES

TENANT = "11111111-1111-4111-8111-111111111111"
OID = "aaaaaaaa-0000-4000-8000-000000000003"
POLICY = sso_rules.SsoPolicy(frozenset({TENANT}), DEFAULT_OIDC_ROLE_MAP, ROLES)


@pytest.mark.parametrize(
    ("app_roles", "expected"),
    [
        (["Tracker.Admin"], "admin"),
        (["Tracker.Ledergruppe"], "ledergruppe"),
        (["Tracker.Tiltaksansvarlig"], "tiltaksansvarlig"),
        (["Tracker.Leser"], "leser"),
        (["Tracker.Leser", "Tracker.Ledergruppe"], "ledergruppe"),  # the most rights win
        (["Tracker.Tiltaksansvarlig", "Tracker.Admin", "Tracker.Leser"], "admin"),
        (["Some.Other.App", "Tracker.Leser"], "leser"),
        (["Some.Other.App"], None),
        (["tracker.admin"], None),  # app role values are case-sensitive in Entra ID
        ([], None),
    ],
)
def test_the_tracker_role_is_the_known_app_role_with_most_rights(app_roles, expected):
    assert sso_rules.tracker_role(app_roles, POLICY) == expected


def test_a_configured_role_map_replaces_the_default():
    policy = sso_rules.SsoPolicy(frozenset({TENANT}), {"Omstilling.Styring": "ledergruppe"}, ROLES)
    assert sso_rules.tracker_role(["Omstilling.Styring"], policy) == "ledergruppe"
    assert sso_rules.tracker_role(["Tracker.Admin"], policy) is None


def test_the_identity_takes_name_email_and_link_names_from_the_claims():
    claims = {
        "tid": TENANT.upper(),
        "oid": OID,
        "name": "Kari Nordmann",
        "preferred_username": "Kari.Nordmann@Elverum.test",
        "email": "kari@elverum.test",
        "email_verified": True,
        "roles": ["Tracker.Leser"],
    }
    identity = sso_rules.identity_from_claims(claims)
    assert identity == sso_rules.TokenIdentity(
        tid=TENANT,
        oid=OID,
        username="kari.nordmann@elverum.test",
        full_name="Kari Nordmann",
        email="kari@elverum.test",
        link_names=("kari.nordmann@elverum.test", "kari@elverum.test"),
        app_roles=("Tracker.Leser",),
    )


@pytest.mark.parametrize(
    ("extra", "link_names", "email"),
    [
        ({"email": "x@elverum.test", "email_verified": False}, ("upn@elverum.test",), "x@elverum.test"),
        ({"email": "x@elverum.test"}, ("upn@elverum.test",), "x@elverum.test"),  # not said to be verified
        ({"email": "x@elverum.test", "email_verified": "true"}, ("upn@elverum.test",), "x@elverum.test"),
        ({}, ("upn@elverum.test",), "upn@elverum.test"),  # Entra often sends no e-mail: the UPN is the address
    ],
)
def test_only_the_upn_and_a_verified_email_may_link_an_account(extra, link_names, email):
    identity = sso_rules.identity_from_claims(
        {"tid": TENANT, "oid": OID, "preferred_username": "upn@elverum.test", **extra}
    )
    assert identity.link_names == link_names
    assert identity.email == email


@pytest.mark.parametrize(
    "claims",
    [
        {"oid": OID},
        {"tid": TENANT},
        {"tid": "not-a-guid", "oid": OID},
        {"tid": TENANT, "oid": ""},
    ],
)
def test_a_token_without_tenant_and_object_id_names_nobody(claims):
    assert sso_rules.identity_from_claims(claims) is None


def test_without_upn_or_email_the_username_is_the_object_id():
    identity = sso_rules.identity_from_claims({"tid": TENANT, "oid": OID, "roles": "Tracker.Leser"})
    assert (identity.username, identity.email, identity.link_names) == (OID, None, ())
    assert identity.app_roles == ("Tracker.Leser",)


def test_only_the_allowed_tenants_may_sign_in():
    assert sso_rules.is_allowed_tenant(TENANT, POLICY)
    assert not sso_rules.is_allowed_tenant("99999999-9999-4999-8999-999999999999", POLICY)


@pytest.mark.parametrize(
    ("mode", "is_admin", "allowed"),
    [
        ("on", False, True),
        ("on", True, True),
        ("admins", True, True),
        ("admins", False, False),
        ("off", True, False),
        ("off", False, False),
    ],
)
def test_local_login_decides_who_may_use_a_password(mode, is_admin, allowed):
    assert sso_rules.may_log_in_with_password(mode, is_admin) is allowed
