"""Password rules, the user's own change and the change forced after an administrator."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from motverka.accounts.models import Role
from motverka.accounts.passwords import SwedishPasswordValidator, weak_words
from motverka.audit.models import AuditAction, AuditEvent
from motverka.reference.models import Municipality
from tests.accounts.helpers import password_login
from tests.factories import PASSWORD, make_user
from tests.second_factor import SecondFactorClient, verify_session

REFUSED = [
    "munkedal",
    "Munkedal2026!",
    "Sommar2026",
    "sommar2026!!",
    "2026Vinter",
    "Höst-2025",
    "december2026",
    "L0s3nord1234",
    "Lösenord123!",
    "valkommen2026",
    "Upplands Väsby 1",
    "Malung-Sälen99",
    "hejhejhejhej",
    "qwertyuiop12",
]
ACCEPTED = [
    "Blåbärssoppa-i-Vasaloppet-77",
    "korrekt häst batteri häftklammer",
    "Sommarängens-blå-cykel-77",
]


def test_passwords_are_stored_with_argon2id_as_configured(settings, world):
    """The suite stores passwords with a fast hasher (tests/conftest.py); with the hashers
    the application is configured with, a password is stored as Argon2id, a login checks
    it, and an older PBKDF2 hash is upgraded at the next login."""
    from django.contrib.auth.hashers import make_password

    from motverka.accounts.models import User
    from motverka.config import settings as configured

    settings.PASSWORD_HASHERS = configured.PASSWORD_HASHERS
    assert configured.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    user = make_user(Role.CASE_WORKER, [world.unit_a], username="argon")
    assert user.password.startswith("argon2$argon2id$")
    assert password_login(Client(), "argon").status_code == 302
    assert password_login(Client(), "argon", "Fel-lösenord-helt-klart-1").status_code == 200

    User.objects.filter(pk=user.pk).update(password=make_password(PASSWORD, hasher="pbkdf2_sha256"))
    assert password_login(Client(), "argon").status_code == 302
    assert User.objects.get(pk=user.pk).password.startswith("argon2$argon2id$")


@pytest.mark.parametrize("password", REFUSED)
def test_swedish_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError) as error:
        SwedishPasswordValidator().validate(password)
    assert "kommunnamn" in error.value.messages[0]


@pytest.mark.parametrize("password", ACCEPTED)
def test_passphrases_pass(password):
    SwedishPasswordValidator().validate(password)


def test_every_municipality_of_the_reference_data_is_on_the_list(db):
    names = list(Municipality.objects.values_list("name", flat=True))
    assert len(names) == 290
    for name in names:
        with pytest.raises(ValidationError):
            SwedishPasswordValidator().validate(f"{name}2026")
    assert len(weak_words()) > 400


def test_all_validators_together(world):
    for weak in ("kort-lösen1", "worker_a-2026", "password1234", "Sommar2026!!"):
        with pytest.raises(ValidationError):
            validate_password(weak, user=world.worker_a)
    validate_password("Blåbärssoppa-i-Vasaloppet-77", user=world.worker_a)


def test_the_change_page_refuses_a_weak_password_and_changes_nothing(client, world):
    client.force_login(world.worker_a)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "test-password-123",
            "new_password1": "Munkedal2026",
            "new_password2": "Munkedal2026",
        },
    )
    assert response.status_code == 400
    world.worker_a.refresh_from_db()
    assert world.worker_a.check_password("test-password-123")


def _admin_client(world):
    admin = SecondFactorClient()
    admin.force_login(world.admin)
    return admin


def test_a_password_an_administrator_sets_must_be_changed_at_first_login(world):
    admin = _admin_client(world)
    url = reverse("admin:auth_user_password_change", args=[world.worker_a.pk])
    weak = admin.post(
        url, {"password1": "munkedal2026", "password2": "munkedal2026", "usable_password": "true"}
    )
    assert weak.status_code == 200  # refused with the form's errors
    response = admin.post(
        url,
        {
            "password1": "Tillfälligt-lösen-för-Anna-9",
            "password2": "Tillfälligt-lösen-för-Anna-9",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302
    world.worker_a.refresh_from_db()
    assert world.worker_a.must_change_password
    assert AuditEvent.objects.filter(action=AuditAction.PASSWORD_RESET, actor=world.admin).exists()

    client = Client()
    assert password_login(client, "worker_a", "Tillfälligt-lösen-för-Anna-9").status_code == 302
    verify_session(client, world.worker_a)
    start = client.get(reverse("start"))
    assert start.status_code == 302 and start["Location"].startswith(reverse("password_change"))
    assert client.get(reverse("case_list"))["Location"].startswith(reverse("password_change"))
    assert "angetts av en administratör" in client.get(reverse("password_change")).content.decode()
    client.post(
        reverse("password_change"),
        {
            "old_password": "Tillfälligt-lösen-för-Anna-9",
            "new_password1": "Mitt-eget-långa-lösen-42",
            "new_password2": "Mitt-eget-långa-lösen-42",
        },
    )
    world.worker_a.refresh_from_db()
    assert not world.worker_a.must_change_password
    assert client.get(reverse("start")).status_code == 200


def test_a_user_an_administrator_creates_must_change_the_password(world):
    admin = _admin_client(world)
    response = admin.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "ny_handlaggare",
            "password1": "Tillfälligt-lösen-för-Ny-9",
            "password2": "Tillfälligt-lösen-för-Ny-9",
            "usable_password": "true",
            "role": "case_worker",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    from motverka.accounts.models import User

    assert User.objects.get(username="ny_handlaggare").must_change_password
