"""The JSON API test client, shared by the API tests of every app."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client


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
