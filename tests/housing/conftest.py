from __future__ import annotations

import pytest

PROVIDER = "motverka.housing.selectors.known_addresses"


@pytest.fixture(autouse=True)
def _address_provider(settings):
    # Until config/settings.py lists the provider, the tests configure it themselves.
    providers = list(getattr(settings, "MOTVERKA_KNOWN_ADDRESS_PROVIDERS", ()))
    if PROVIDER not in providers:
        settings.MOTVERKA_KNOWN_ADDRESS_PROVIDERS = [*providers, PROVIDER]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The world fixture creates seven users; Argon2 makes that the slowest part of each test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
