"""Errors raised by the access layer and the services; views and the API translate them."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class AccessDenied(Exception):
    """The user's role may not use this function at all (existence is not secret): 403."""


class NotFound(Exception):
    """The object does not exist or the user may not know that it does: 404."""


class Conflict(Exception):
    """The request is well-formed but refused in the current state: 409."""

    def __init__(self, message: str, code: str = "conflict") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


__all__ = ["AccessDenied", "Conflict", "NotFound", "ValidationError"]
