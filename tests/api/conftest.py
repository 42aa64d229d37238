from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from motverka.api.services import api_token_create


class ApiClient:
    """A test client that speaks JSON and sends one user's bearer token."""

    def __init__(self, token: str | None) -> None:
        self.client = Client()
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}

    def get(self, path: str, params: dict[str, Any] | None = None, **extra: Any) -> Any:
        return self.client.get(path, params or {}, **{**self.headers, **extra})

    def post(self, path: str, data: Any = None, **extra: Any) -> Any:
        return self.client.post(
            path,
            json.dumps(data if data is not None else {}, default=str),
            content_type="application/json",
            **{**self.headers, **extra},
        )


@pytest.fixture
def api_as(world):
    """``api_as(user)`` gives an :class:`ApiClient` with a fresh token for ``user``."""

    def make(user: Any) -> ApiClient:
        _row, token = api_token_create(acting_user=None, user=user, name="test")
        return ApiClient(token)

    return make
