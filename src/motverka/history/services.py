"""Opening a change context: the correcting service says who changes which case and why,
and the database triggers attribute the history rows of the same transaction to it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import transaction

from motverka.history.models import ChangeContext


@contextmanager
def change_context(*, actor: Any, case_id: int, reason: str) -> Iterator[None]:
    """Use inside the service's transaction. On an exception the transaction rolls back
    and takes the context row with it; on success the row is gone before commit."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("change_context needs the caller's transaction")
    context = ChangeContext.objects.create(actor=actor, case_id=case_id, reason=reason)
    yield
    ChangeContext.objects.filter(pk=context.pk).delete()
