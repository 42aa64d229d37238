"""Where the current request comes from, for the audit log.

The middleware sets the origin once per request; the access layer and services read it so
that every audit row says "from where" without threading the request through the domain.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class Origin:
    channel: str  # "ui", "api" or "command"
    address: str = ""


_current: ContextVar[Origin] = ContextVar(
    "motverka_origin",
    default=Origin(channel="command"),  # noqa: B039 - Origin is a frozen dataclass
)


def current_origin() -> Origin:
    return _current.get()


@contextmanager
def origin(value: Origin) -> Iterator[Origin]:
    token = _current.set(value)
    try:
        yield value
    finally:
        _current.reset(token)
