"""Many open deadlines at once, bulk-created (scaffolding: the sweep, not case registration,
is under test; case registration has its own tests)."""

from __future__ import annotations

from datetime import date, timedelta

from motverka.accounts.models import Role, Unit, User
from motverka.cases.models import Case
from motverka.people.models import Person
from motverka.reference.models import Municipality
from motverka.workflow.deadlines import DeadlineKind
from motverka.workflow.models import Deadline

TODAY = date(2026, 6, 10)


def open_deadlines(cases: int, *, today: date = TODAY, tag: str = "R") -> list[int]:
    """``cases`` cases with one overdue deadline of every kind each; returns their ids."""
    unit = Unit.objects.create(name=f"Påminnelser {tag}", email=f"enhet.{tag}@example.org")
    worker = User.objects.create(
        username=f"paminnelser-{tag}".lower(),
        role=Role.CASE_WORKER,
        email=f"handlaggare.{tag}@example.org".lower(),
    )
    receiving = Municipality.objects.get(code="1430")
    sending = Municipality.objects.get(code="0180")
    people = Person.objects.bulk_create(
        [
            Person(
                unit=unit,
                reserve_identity=f"{tag}-{index}",
                first_name="Test",
                last_name=str(index),
            )
            for index in range(cases)
        ]
    )
    Case.objects.bulk_create(
        [
            Case(
                reference=f"SN 2026/{tag}{index:05d}",
                person=person,
                unit=unit,
                assigned_to=worker if index % 2 else None,
                sending_municipality=sending,
                receiving_municipality=receiving,
                received_on=today - timedelta(days=90),
                created_by=worker,
            )
            for index, person in enumerate(people)
        ]
    )
    case_ids = list(Case.objects.filter(unit=unit).values_list("id", flat=True))
    Deadline.objects.bulk_create(
        [
            Deadline(
                case_id=case_id,
                kind=kind,
                source_date=today - timedelta(days=60),
                due_on=today - timedelta(days=1 + offset),
            )
            for case_id in case_ids
            for offset, kind in enumerate(DeadlineKind)
        ]
    )
    return list(Deadline.objects.filter(case__unit=unit).values_list("id", flat=True))
