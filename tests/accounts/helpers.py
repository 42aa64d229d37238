"""Signing in through the real pages, as a browser does."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD


def password_login(client: Client, username: str, password: str = PASSWORD, **extra: Any) -> Any:
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def code_login(client: Client, code: str, **extra: Any) -> Any:
    return client.post(reverse("mfa_verify"), {"token": code}, **extra)
