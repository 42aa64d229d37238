"""The person's register extract (registerutdrag, GDPR art. 15): everything Motverka holds
on the person, in every unit, as a PDF/A to hand to them.

The controller is the committee, not the unit, so the answer is complete: every person row
with the same identity number (a reserve identity is per unit and matches only the row of
the case), every case of those rows and what each case records. A unit manager produces
it from a case they may see; the screen shows nothing of the other units — only the PDF
carries it — and the audit row names every case and person row included, so each unit's
log review sees that the extract was made (decision 0021).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from motverka.audit.models import AuditAction
from motverka.audit.services import AuditSubject, audit_record_many
from motverka.cases.access import case_get_for_user
from motverka.cases.models import Case
from motverka.housing.models import Housing, PersonalAccount
from motverka.letters.models import Letter
from motverka.letters.rendering import pdf_from_html, sha256_of
from motverka.people.models import Person
from motverka.review.selectors import require_manager
from motverka.workflow.models import Consent, StepRecord


@dataclass(frozen=True)
class RegisterExtract:
    filename: str
    pdf: bytes
    sha256: str
    cases: int


def _person_rows(person: Person) -> list[Person]:
    if person.personal_identity_number:
        return list(
            Person.objects.filter(personal_identity_number=person.personal_identity_number)
            .select_related("unit")
            .order_by("unit__name", "id")
        )
    return [person]


@dataclass(frozen=True)
class CaseSection:
    case: Case
    target_groups: list[str]
    indicators: list[str]
    interventions: list[Any]
    household: list[Any]
    journal: list[Any]
    letters: list[Any]
    steps: list[Any]
    consents: list[Any]
    housing: Any
    accounts: list[Any]


def _sections(persons: list[Person]) -> list[CaseSection]:
    cases = (
        Case.objects.filter(person__in=persons, disposal_record__isnull=True)
        .select_related("unit", "sending_municipality", "person")
        .prefetch_related("target_groups", "indicators", "interventions", "household")
        .order_by("received_on", "id")
    )
    sections = []
    for case in cases:
        sections.append(
            CaseSection(
                case=case,
                target_groups=[row.get_code_display() for row in case.target_groups.all()],
                indicators=[row.get_code_display() for row in case.indicators.all()],
                interventions=list(case.interventions.all()),
                household=list(case.household.all()),
                journal=list(case.journal_entries.order_by("entry_date", "id")),
                letters=list(Letter.objects.filter(case=case).order_by("letter_date", "id")),
                steps=list(StepRecord.objects.filter(case=case).order_by("performed_on", "id")),
                consents=list(Consent.objects.filter(case=case).order_by("id")),
                housing=Housing.objects.filter(case=case).first(),
                accounts=list(PersonalAccount.objects.filter(case=case).order_by("id")),
            )
        )
    return sections


@transaction.atomic
def register_extract(*, acting_user: Any, case_id: int | str) -> RegisterExtract:
    require_manager(acting_user)
    case = case_get_for_user(user=acting_user, case_id=case_id)
    persons = _person_rows(case.person)
    sections = _sections(persons)
    html = render_to_string(
        "archive/register_extract_document.html",
        {
            "person": case.person,
            "persons": persons,
            "sections": sections,
            "produced_at": timezone.localtime(),
            "produced_by": acting_user,
            "municipality": case.receiving_municipality,
        },
    )
    pdf = pdf_from_html(html)
    subjects = [
        AuditSubject("person", person.pk, case_id=None, person_id=person.pk) for person in persons
    ] + [
        AuditSubject(
            "case", section.case.pk, case_id=section.case.pk, person_id=section.case.person_id
        )
        for section in sections
    ]
    audit_record_many(
        actor=acting_user,
        action=AuditAction.EXPORT,
        object_type="register_extract",
        subjects=subjects,
        detail=f"registerutdrag: {len(persons)} personposter, {len(sections)} ärenden",
    )
    return RegisterExtract(
        filename=f"registerutdrag-{case.reference.replace(' ', '-').replace('/', '-')}.pdf",
        pdf=pdf,
        sha256=sha256_of(pdf),
        cases=len(sections),
    )
