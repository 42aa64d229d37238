"""Benchmarks (``make bench``); shared set-up for the bench modules."""

from __future__ import annotations

import secrets
from typing import Any


def bench_case_worker(username: str) -> tuple[Any, Any]:
    """A unit and a case worker in it, made through the services as the app makes them."""
    from motverka.accounts.models import Role
    from motverka.accounts.services import unit_create, user_create

    unit = unit_create(acting_user=None, name="Benchenheten")
    user = user_create(
        acting_user=None,
        username=username,
        password=secrets.token_urlsafe(16),
        role=Role.CASE_WORKER,
        first_name="Bench",
        last_name="Handläggare",
        units=[unit],
    )
    return unit, user
