"""Reads of reference data that other apps rely on."""

from __future__ import annotations

from datetime import date

from django.db.models import Q

from motverka.reference.models import LegalReference


def legal_reference_valid_on(code: str, day: date) -> LegalReference | None:
    """The reference with ``code`` in force on ``day``, or None if no entry covers the day.

    Periods of one code do not overlap (admin validation); should they ever, the entry that
    came into force last wins, so a newer law is preferred over an old one.
    """
    return (
        LegalReference.objects.filter(code=code, valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .order_by("-valid_from")
        .first()
    )
