"""Database connection settings that are more than a value (decision 0027).

On PostgreSQL the app's queries are bound on the server (psycopg's extended protocol) and
a query a connection has run ``DATABASE_PREPARE_THRESHOLD`` times is prepared: PostgreSQL
parses it once and may keep its plan. The extended protocol takes one statement per
execution; :func:`client_side_binding` is for the few places that send two at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # settings import this module before Django is set up
    from django.db.backends.base.base import BaseDatabaseWrapper


def postgresql_options(environ: Any) -> dict[str, Any]:
    """The OPTIONS for a PostgreSQL connection: server-side binding, and the prepare
    threshold (empty: never prepare, e.g. behind a pooler that cannot keep them)."""
    text = environ.get("DATABASE_PREPARE_THRESHOLD", "5").strip()
    threshold = int(text) if text.isdigit() else 0
    if text and threshold < 1:
        # 0 would prepare even the migrations' two-statement commands, which fails.
        raise ValueError(f"DATABASE_PREPARE_THRESHOLD must be empty or at least 1, not {text!r}")
    return {"server_side_binding": True, "prepare_threshold": threshold or None}


@contextmanager
def client_side_binding(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """Cursors opened on ``connection`` inside the block bind on the client (the simple
    protocol): several statements may go to the server in one round trip. Elsewhere, and
    on other databases, nothing changes."""
    if connection.vendor != "postgresql":
        yield
        return
    from django.db.backends.postgresql.base import (  # type: ignore[attr-defined]
        Cursor as ClientBindingCursor,
    )

    connection.ensure_connection()
    raw = connection.connection
    previous = raw.cursor_factory
    raw.cursor_factory = ClientBindingCursor
    try:
        yield
    finally:
        raw.cursor_factory = previous
