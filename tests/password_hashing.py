"""A fast password hasher for test packages whose tests each build the whole world."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The world fixture creates seven users; Argon2 makes that the slowest part of each test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
