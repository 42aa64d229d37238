"""Errors raised by the access layer and the services; views and the API translate them."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


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


class VersionConflict(Conflict):
    """The record was saved by someone else since the caller read it (optimistic concurrency,
    decision 0017): nothing was written. The API answers 412, the UI a conflict page (409)."""

    def __init__(
        self,
        *,
        record_type: str,
        record_id: Any,
        expected_version: int | None,
        current_version: int | None,
    ) -> None:
        super().__init__(
            str(
                _(
                    "Uppgifterna har ändrats av någon annan sedan du läste dem (din version "
                    "%(expected)s, sparad version %(current)s). Inget sparades. Läs in dem igen "
                    "och gör om ändringen."
                )
                % {
                    "expected": "–" if expected_version is None else expected_version,
                    "current": "–" if current_version is None else current_version,
                }
            ),
            "version_conflict",
        )
        self.record_type = record_type
        self.record_id = record_id
        self.expected_version = expected_version
        self.current_version = current_version


__all__ = ["AccessDenied", "Conflict", "NotFound", "ValidationError", "VersionConflict"]
