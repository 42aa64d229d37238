"""Gap-free yearly sequences for case references (diarienummer) and reserve identities.

The increment is an UPDATE of one row, so concurrent registrations queue on its row lock
(PostgreSQL) or on the write lock (SQLite); a rolled-back registration rolls its number
back too, so the sequence has no gaps.
"""

from __future__ import annotations

from django.db.models import F


def next_in_sequence(*, prefix: str, year: int) -> int:
    """Take the next number; must be called inside the caller's transaction."""
    from motverka.cases.models import ReferenceSequence

    rows = ReferenceSequence.objects.filter(prefix=prefix, year=year)
    if not rows.update(last_number=F("last_number") + 1):
        ReferenceSequence.objects.get_or_create(prefix=prefix, year=year)
        rows.update(last_number=F("last_number") + 1)
    return rows.values_list("last_number", flat=True).get()


def format_reference(*, prefix: str, year: int, number: int) -> str:
    return f"{prefix} {year}/{number:04d}"
