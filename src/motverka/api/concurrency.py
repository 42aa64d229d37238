"""``ETag`` and ``If-Match`` for the API's editable records (decision 0017).

Every editable record answers GET with a strong ``ETag`` naming its type, id and version,
``"letter-12-v3"`` (:func:`motverka.integrity.versioning.etag`). A PATCH or PUT must send it
back in ``If-Match``: without it the answer is 428 and nothing is written; with a tag that
is no longer current the service refuses (VersionConflict) and the answer is 412 with the
current version and ETag. POSTs that change a record (corrections, consents, finalising a
letter) accept ``If-Match`` too, and check it when it is sent.
"""

from __future__ import annotations

import re
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from motverka.integrity.versioning import etag

HEADER = "If-Match"
_TAG = re.compile(
    r'^\s*(?:W/)?"(?P<type>[a-z_]+)-(?P<id>[0-9a-z_-]+?)-v(?P<version>[0-9]{1,9})"\s*$'
)


class PreconditionRequired(Exception):
    """A PATCH or PUT without ``If-Match``: 428."""

    def __init__(self, record_type: str, record_id: Any) -> None:
        super().__init__(record_type)
        self.record_type = record_type
        self.record_id = record_id


class PreconditionFailed(Exception):
    """An ``If-Match`` that names another record or is not one of ours: 412."""

    def __init__(self, record_type: str, record_id: Any) -> None:
        super().__init__(record_type)
        self.record_type = record_type
        self.record_id = record_id


def expected_version(
    request: HttpRequest, record_type: str, record_id: Any, *, required: bool = True
) -> int | None:
    """The version the client's ``If-Match`` names for this record.

    Missing: PreconditionRequired when ``required`` (PATCH, PUT), else None (no check).
    A tag of another record, a list of tags or ``*``: PreconditionFailed."""
    header = request.headers.get(HEADER)
    if header is None or not header.strip():
        if required:
            raise PreconditionRequired(record_type, record_id)
        return None
    match = _TAG.match(header)
    if match is None or match["type"] != record_type or match["id"] != str(record_id):
        raise PreconditionFailed(record_type, record_id)
    return int(match["version"])


def with_etag(response: HttpResponse, record_type: str, record_id: Any, version: int) -> None:
    response["ETag"] = etag(record_type, record_id, version)


def required_message() -> str:
    return _(
        "Ange If-Match med den ETag du fick när du läste posten (GET), så att ingen annans "
        "ändring skrivs över."
    )


def failed_message() -> str:
    return _(
        "If-Match gäller inte den aktuella versionen av posten: någon annan har ändrat den "
        "sedan du läste den, eller taggen gäller en annan post. Inget sparades. Läs posten igen "
        "(GET) och gör om ändringen."
    )
