"""Answering a write that has committed.

Once a service's transaction has committed, the write has happened: an answer of 500 would
invite the client to send it again. Endpoints build their answer from the objects the
service returned; where that needs further reads (a preview, a related list), they go
through :func:`committed_answer`, which falls back to what is known without reading when
such a read fails, and logs the failure.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from django.db import DatabaseError

logger = logging.getLogger(__name__)

T = TypeVar("T")


def committed_answer(full: Callable[[], T], known: Callable[[], T]) -> T:
    """``full()``, or ``known()`` (built without database reads) when ``full()`` fails."""
    try:
        return full()
    except DatabaseError:
        logger.warning("A read after a committed write failed; answering from what was written")
        return known()
