import pytest


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The world fixture creates seven users; Argon2 makes that the slowest part of each test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def api_as(world):
    """``api_as(user)``: a JSON client with a fresh bearer token for ``user`` (None: none)."""
    from motverka.api.services import api_token_create
    from tests.api.conftest import ApiClient

    def make(user):
        if user is None:
            return ApiClient(None)
        _row, token = api_token_create(acting_user=None, user=user, name="test")
        return ApiClient(token)

    return make
