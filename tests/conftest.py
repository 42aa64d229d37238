from __future__ import annotations

import os
from dataclasses import dataclass

import pytest

from motverka.accounts.models import Role, Unit, User
from tests.api_client import ApiClient
from tests.factories import make_unit, make_user
from tests.second_factor import SecondFactorClient

# Playwright's sync API runs an event loop in the test thread; Django refuses ORM calls
# there unless told this is intended.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


#: The hasher the tests store passwords with. The configured Argon2 costs about 0.3 s of CPU
#: per password here, and the world fixture alone creates seven users: that was half of the
#: suite's time. tests/accounts/test_passwords.py checks the configured hashers themselves.
TEST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = TEST_PASSWORD_HASHERS


@pytest.fixture
def client():
    """A test client whose ``force_login`` also completes the second factor."""
    return SecondFactorClient()


@dataclass
class World:
    unit_a: Unit
    unit_b: Unit
    worker_a: User
    worker_b: User
    manager: User
    analyst: User
    admin: User


@pytest.fixture
def world(db) -> World:
    from motverka.reference.models import Municipality

    # The directory knows where the usual sending municipality's social services are, so
    # letters to it are addressed as in a configured installation.
    Municipality.objects.filter(code="0180").update(
        social_services_name="Socialförvaltningen, Stockholms stad",
        social_services_address="Box 44\n100 64 Stockholm",
    )
    unit_a = make_unit("Enhet A")
    unit_b = make_unit("Enhet B")
    return World(
        unit_a=unit_a,
        unit_b=unit_b,
        worker_a=make_user(Role.CASE_WORKER, [unit_a], username="worker_a"),
        worker_b=make_user(Role.CASE_WORKER, [unit_b], username="worker_b"),
        manager=make_user(Role.UNIT_MANAGER, [unit_a], username="manager"),
        analyst=make_user(Role.ANALYST, username="analyst"),
        admin=make_user(Role.ADMINISTRATOR, username="admin"),
    )


@pytest.fixture
def api_as(world):
    """``api_as(user)``: a JSON client with a fresh bearer token for ``user`` (None: none)."""
    from motverka.api.services import api_token_create

    def make(user):
        if user is None:
            return ApiClient(None)
        _row, token = api_token_create(acting_user=None, user=user, name="test")
        return ApiClient(token)

    return make


#: The data migrations that fill reference tables, with the function each runs forwards,
#: in migration order (the letter templates' later migrations rewrite the first ones).
REFERENCE_DATA_MIGRATIONS = [
    ("motverka.reference.migrations.0002_load_municipalities", "load"),
    ("motverka.reference.migrations.0004_legal_references", "load"),
    ("motverka.letters.migrations.0002_default_templates", "load"),
    ("motverka.letters.migrations.0004_consent_statement_in_templates", "use_placeholder"),
    ("motverka.letters.migrations.0006_templates_fill_from_the_case", "forwards"),
    ("motverka.letters.migrations.0007_ivo_application_decisions", "forwards"),
    ("motverka.archive.migrations.0002_retention_legal_references", "load"),
]


@pytest.fixture(autouse=True)
def _reference_data_in_transactional_tests(request):
    """Transactional tests end with a flush that also empties the tables the data
    migrations filled (municipalities, legal references, letter templates). Put them back
    before each such test, through the same migration code."""
    marker = request.node.get_closest_marker("django_db")
    if not (marker and marker.kwargs.get("transaction")):
        return
    request.getfixturevalue("transactional_db")
    _load_reference_data()


def _load_reference_data():
    """The data migrations' rows, through the same migration code, if they are gone."""
    from importlib import import_module

    from django.apps import apps

    from motverka.reference.models import Municipality

    if Municipality.objects.exists():
        return
    for module, function in REFERENCE_DATA_MIGRATIONS:
        getattr(import_module(module), function)(apps, None)


def _flush_with_protection_suspended():
    """Between transactional tests the harness empties every table (TRUNCATE on
    PostgreSQL, DELETE on SQLite), which the append-only rules refuse. This flush — and
    nothing else in the suite — runs with the rules lifted for its own connection."""
    from django.test import TransactionTestCase

    from motverka.audit.protection import protection_suspended

    flush = TransactionTestCase._fixture_teardown

    def _fixture_teardown(self):
        with protection_suspended():
            flush(self)
        # The flush emptied the reference data too. Put it back at once: the test processes
        # take tests as they come (--dist worksteal), so an ordinary test may follow.
        _load_reference_data()

    TransactionTestCase._fixture_teardown = _fixture_teardown


_flush_with_protection_suspended()
