"""Replacing the personal references of audit rows with a pseudonym at disposal.

The only change the database lets through on an audit row (``audit/protection.py``), and
only inside a transaction that holds an :class:`~motverka.audit.models.ErasurePermit` with
the pseudonym: ``object_id``, ``case_id``, ``person_id`` and ``detail`` are cleared, the
salt is erased and the pseudonym set. The hash of a format-2 row covers the references only
through their digest, so the chain verifies as before (decision 0021).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from motverka.audit.models import AuditEvent, AuditEventSubject, ErasurePermit


@dataclass(frozen=True)
class Pseudonymised:
    rows: int
    subjects: int
    #: Format-1 rows among them: their content can no longer be checked (decision 0021).
    sealed: int


@contextmanager
def erasure_permitted(*, case_id: int, person_id: int | None, pseudonym: str) -> Iterator[None]:
    """Opens the permit for one case for the block; it never outlives the transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("an erasure permit needs the caller's transaction")
    permit = ErasurePermit.objects.create(case_id=case_id, person_id=person_id, pseudonym=pseudonym)
    try:
        yield
    finally:
        ErasurePermit.objects.filter(pk=permit.pk).delete()


def audit_pseudonymise(
    *, case_id: int, person_id: int | None, person_removed: bool, pseudonym: str
) -> Pseudonymised:
    """Pseudonymises every row and subject about the case — and, when the person row is
    removed too, every row about the person. Called inside :func:`erasure_permitted`."""
    about = Q(case_id=case_id)
    if person_removed and person_id is not None:
        about |= Q(person_id=person_id)
    cleared = {
        "object_id": "",
        "case_id": None,
        "person_id": None,
        "reference_salt": "",
        "pseudonym": pseudonym,
    }
    events = AuditEvent.objects.filter(about, pseudonym="")
    sealed = events.filter(chain_version=1).count()
    # Subjects first: their filter reads the clear ids the row update is about to remove.
    subjects = AuditEventSubject.objects.filter(about, pseudonym="").update(**cleared)
    rows = events.update(**cleared, detail="")
    return Pseudonymised(rows=rows, subjects=subjects, sealed=sealed)
