import pytest


@pytest.fixture(autouse=True)
def fast_password_hashing():
    """These tests log in to servers they start as separate processes, which check
    passwords with the configured hashers: the users are stored with those too."""
