"""Removing the personal data of one case (gallring), inside the caller's transaction.

What goes: letters and their PDF/A, the journal, steps, measures, consents, deadlines and
reminders, housing, personal accounts, home visits, the household, interventions, the case
timeline, the change history of the case, the free-text fields of the case — and the
person row, unless another case of the unit still holds it. What stays: the case row
itself, anonymised, pointing at an empty placeholder person of its unit, with its
reference, unit, dates received, status, outcome, sending municipality and target groups,
so that the figures of past years do not change (``reporting/selectors.py``). Audit rows
about the case get the pseudonym (``audit/pseudonyms.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from motverka.audit.pseudonyms import Pseudonymised, audit_pseudonymise, erasure_permitted
from motverka.cases.models import Case, CaseEvent, Intervention, JournalEntry
from motverka.history.models import Change
from motverka.housing.models import ChildView, HomeVisit, Housing, PersonalAccount
from motverka.letters.models import Letter, LetterDocument
from motverka.people.models import HouseholdMember, Person
from motverka.workflow.models import CaseMeasure, Consent, Deadline, StepRecord


@dataclass(frozen=True)
class Erased:
    person_removed: bool
    audit: Pseudonymised


def _protected_anywhere(person: Person) -> bool:
    """As ``cases.selectors.without_protected_persons`` decides it today, so that the
    breakdown by sending municipality keeps leaving this case out after disposal."""
    if person.protected_identity:
        return True
    if not person.personal_identity_number:
        return False
    return Person.objects.filter(
        personal_identity_number=person.personal_identity_number, protected_identity=True
    ).exists()


def _delete_in_reverse(queryset) -> None:  # type: ignore[no-untyped-def]
    # Corrections point at what they correct (PROTECT): the newest go first.
    for pk in list(queryset.order_by("-pk").values_list("pk", flat=True)):
        queryset.model.objects.filter(pk=pk).delete()


def erase_case(*, case: Case, pseudonym: str) -> Erased:
    person = case.person
    with erasure_permitted(case_id=case.pk, person_id=person.pk, pseudonym=pseudonym):
        letters = Letter.objects.filter(case=case)
        LetterDocument.objects.filter(letter__in=letters).delete()
        _delete_in_reverse(letters)
        _delete_in_reverse(JournalEntry.objects.filter(case=case))
        for model in (
            StepRecord,
            CaseMeasure,
            Consent,
            Deadline,
            CaseEvent,
            Intervention,
            ChildView,
            HomeVisit,
            PersonalAccount,
            Housing,
            HouseholdMember,
        ):
            model.objects.filter(case=case).delete()  # type: ignore[attr-defined]
        placeholder = Person.objects.create(
            unit_id=case.unit_id,
            reserve_identity=pseudonym,
            first_name="",
            last_name="",
            protected_identity=_protected_anywhere(person),
        )
        Case.objects.filter(pk=case.pk).update(
            person=placeholder,
            indicator_note="",
            assessment_reason="",
            closing_note="",
            moved_on=None,
        )
        still_held = Case.objects.filter(person_id=person.pk).exists()
        if not still_held:
            person.delete()
        audit = audit_pseudonymise(
            case_id=case.pk,
            person_id=person.pk,
            person_removed=not still_held,
            pseudonym=pseudonym,
        )
        # The change history holds old values: it goes with the case (and the person).
        about = Q(case_id=case.pk)
        if not still_held:
            about |= Q(person_id=person.pk)
        Change.objects.filter(about).delete()
    return Erased(person_removed=not still_held, audit=audit)
