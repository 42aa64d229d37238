"""Database connection settings that are more than a value (decision 0027).

On PostgreSQL the app's queries are bound on the server (psycopg's extended protocol) and
a query a connection has run ``DATABASE_PREPARE_THRESHOLD`` times is prepared: PostgreSQL
parses it once and may keep its plan. The extended protocol takes one statement per
execution; :func:`client_side_binding` is for the few places that send two at once.

Each connection also starts with its session settings (the ``options`` startup parameter):
the statement timeout, no parallel workers per query unless ``DATABASE_PARALLEL_WORKERS``
says otherwise (decision 0028): with many requests at once on few cores, a worker that
helps one query takes its time from the other requests; and the planner's cost of reading
a page out of order, ``random_page_cost``, at 1.1 rather than PostgreSQL's 4 (which
assumes spinning disks), unless ``DATABASE_RANDOM_PAGE_COST`` says otherwise (decision
0030).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # settings import this module before Django is set up
    from django.db.backends.base.base import BaseDatabaseWrapper


def _whole_number(environ: Any, name: str, default: str) -> int | None:
    """A setting that is a whole number of ASCII digits, or empty (None)."""
    text = environ.get(name, default).strip()
    if not text:
        return None
    if not (text.isascii() and text.isdigit()):
        raise ValueError(f"{name} must be empty or a whole number, not {text!r}")
    return int(text)


def _decimal_number(environ: Any, name: str, default: str) -> str | None:
    """A setting that is a decimal number of ASCII digits ("1.1", "4"), or empty (None)."""
    text = environ.get(name, default).strip()
    if not text:
        return None
    whole, _point, fraction = text.partition(".")
    if not (text.isascii() and whole.isdigit() and (fraction.isdigit() or not _point)):
        raise ValueError(f"{name} must be empty or a decimal number such as 1.1, not {text!r}")
    return text


def postgresql_options(environ: Any, *, testing: bool = False) -> dict[str, Any]:
    """The OPTIONS for a PostgreSQL connection: server-side binding, the prepare threshold
    (empty: never prepare, e.g. behind a pooler that cannot keep them) and the session
    settings each connection starts with (``options``; empty values leave the server's
    own setting)."""
    threshold = _whole_number(environ, "DATABASE_PREPARE_THRESHOLD", "5")
    if threshold == 0:
        # 0 would prepare even the migrations' two-statement commands, which fails.
        raise ValueError("DATABASE_PREPARE_THRESHOLD must be empty or at least 1, not '0'")
    # Off by default in the test suite: dropping a test database on a loaded machine can
    # take longer (the fault tests set it explicitly for the server they start).
    timeout = _whole_number(environ, "DATABASE_STATEMENT_TIMEOUT_MS", "0" if testing else "5000")
    workers = _whole_number(environ, "DATABASE_PARALLEL_WORKERS", "0")
    page_cost = _decimal_number(environ, "DATABASE_RANDOM_PAGE_COST", "1.1")
    session = {
        "statement_timeout": timeout,
        "max_parallel_workers_per_gather": workers,
        "random_page_cost": page_cost,
    }
    options = " ".join(f"-c {name}={value}" for name, value in session.items() if value is not None)
    return {
        "server_side_binding": True,
        "prepare_threshold": threshold,
        **({"options": options} if options else {}),
    }


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
