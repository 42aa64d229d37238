"""The pure rules: who may log in through SSO and when a provider's login is strong."""

from __future__ import annotations

import pytest

from motverka.accounts.models import CASE_ROLES, Role
from motverka.sso.policy import (
    Refusal,
    UserStanding,
    clean_subject,
    oidc_is_strong,
    refusal_for,
    saml_is_strong,
)

LOA3 = "http://id.elegnamnden.se/loa/1.0/loa3"


def refusal(active=True, role=Role.CASE_WORKER, units=1):
    return refusal_for(
        UserStanding(is_active=active, role=role, unit_count=units),
        known_roles=Role.values,
        case_roles=CASE_ROLES,
    )


@pytest.mark.parametrize("role", Role.values)
@pytest.mark.parametrize("units", [0, 1, 3])
@pytest.mark.parametrize("active", [True, False])
def test_every_combination_of_standing(role, units, active):
    expected = None
    if not active:
        expected = Refusal.INACTIVE
    elif role in CASE_ROLES and units == 0:
        expected = Refusal.NO_ROLE
    assert refusal(active, role, units) is expected


@pytest.mark.parametrize("role", ["", "superuser", "CASE_WORKER", " case_worker"])
def test_a_role_motverka_does_not_know_is_no_role(role):
    assert refusal(role=role) is Refusal.NO_ROLE


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("SE2321000032-abc", "SE2321000032-abc"),
        ("  padded  ", "padded"),
        (["one"], "one"),
        (["one", "two"], None),  # several values: the identity is not unambiguous
        ([], None),
        ("", None),
        ("   ", None),
        (None, None),
        (42, None),
    ],
)
def test_clean_subject(value, expected):
    assert clean_subject(value) == expected


def test_saml_strength_needs_an_accepted_class_ref():
    assert saml_is_strong([LOA3], [LOA3])
    assert saml_is_strong(["x", LOA3], [" " + LOA3 + " ", ""])
    assert not saml_is_strong([LOA3 + "x"], [LOA3])
    assert not saml_is_strong(["", None], ["", LOA3])  # type: ignore[list-item]
    assert not saml_is_strong([LOA3], [])


def test_oidc_strength_from_acr_or_amr():
    assert oidc_is_strong({"acr": LOA3}, accepted_acr=[LOA3], accepted_amr=[])
    assert oidc_is_strong({"amr": ["pwd", "hwk"]}, accepted_acr=[], accepted_amr=["hwk"])
    assert oidc_is_strong({"amr": "hwk"}, accepted_acr=[], accepted_amr=["hwk"])
    assert not oidc_is_strong(
        {"acr": "loa2", "amr": ["pwd"]}, accepted_acr=[LOA3], accepted_amr=["hwk"]
    )
    assert not oidc_is_strong({"acr": [LOA3]}, accepted_acr=[LOA3], accepted_amr=[])
    assert not oidc_is_strong({"amr": [{"x": 1}]}, accepted_acr=[], accepted_amr=["hwk"])
    assert not oidc_is_strong({}, accepted_acr=[""], accepted_amr=[""])
    assert not oidc_is_strong({"acr": ""}, accepted_acr=[""], accepted_amr=[])
