"""Closed cases from years ago, for the demo (cases due for disposal) and for tests.

Everything goes through the services, as a case worker would have done it at the time:
the case is registered with its old dates, gets a signed journal entry and a finalised
letter dated then, and is taken through the workflow to closed.
"""

from __future__ import annotations

import random
import re
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from motverka.cases.models import Case
from motverka.cases.services import CaseIntake, case_register, journal_entry_add
from motverka.people.services import HouseholdMemberInput, PersonInput

_FILL_IN = re.compile(r"\[FYLL I[^\]]*\]")


def identity_number_born(year: int, month: int, day: int, serial: int = 238) -> str:
    """A valid (Luhn) identity number for the day: ``YYYYMMDD`` + serial + check digit."""
    nine = f"{year % 100:02d}{month:02d}{day:02d}{serial:03d}"
    total = 0
    for index, digit in enumerate(nine):
        value = int(digit) * (2 - index % 2)
        total += value // 10 + value % 10
    return f"{year:04d}{month:02d}{day:02d}{serial:03d}{(10 - total % 10) % 10}"


def _finalised_letter(case: Case, user: Any, on: date) -> None:
    from motverka.letters import services as letters

    letter = letters.letter_draft_create(acting_user=user, case=case, kind="person_information")
    letter = letters.letter_draft_update(
        acting_user=user,
        letter=letter,
        letter_date=on,
        subject=letter.subject,
        body=_FILL_IN.sub("Uppgifterna är ifyllda av handläggaren.", letter.body),
        recipient_name=letter.recipient_name or case.person.full_name,
        recipient_address=letter.recipient_address or "Storgatan 1, 455 30 Munkedal",
        recipient_email=letter.recipient_email,
    )
    preview = letters.letter_preview(acting_user=user, letter=letter)
    letters.letter_finalise(
        acting_user=user,
        letter=letter,
        preview_sha256=preview.digest,
        confirm_unverified_reference=True,
    )


def old_closed_case(
    *,
    worker: Any,
    unit: Any,
    received_on: date,
    first_name: str,
    last_name: str,
    personal_identity_number: str,
    with_letter: bool = True,
    sending_municipality_code: str = "1480",
    target_groups: tuple[str, ...] = ("newly_arrived",),
    protected_identity: bool = False,
) -> Case:
    from motverka.workflow.demo import advance_case

    case = case_register(
        acting_user=worker,
        intake=CaseIntake(
            person=PersonInput(
                first_name=first_name,
                last_name=last_name,
                personal_identity_number=personal_identity_number,
                protected_identity=protected_identity,
            ),
            unit_id=unit.pk,
            sending_municipality_code=sending_municipality_code,
            received_on=received_on,
            moved_on=received_on - timedelta(days=14),
            target_groups=target_groups,
            indicators=("housing_arranged",),
            indicator_note="Fiktivt ärende från förr.",
            interventions=(),
            household=(
                HouseholdMemberInput(
                    first_name="Lo", relation="child", birth_date=received_on - timedelta(days=900)
                ),
            ),
            allow_open_case=True,
        ),
    )
    journal_entry_add(
        acting_user=worker,
        case=case,
        entry_date=received_on + timedelta(days=1),
        text="Samtal med den enskilde om flytten.",
        sign=True,
    )
    if with_letter:
        _finalised_letter(case, worker, received_on + timedelta(days=2))
    advance_case(case=case, acting_user=worker, stage=4, rng=random.Random(0))  # noqa: S311
    case.refresh_from_db()
    return case


def create_cases_due(*, worker: Any, unit: Any) -> list[Case]:
    """Three closed cases of about seven years ago: two to dispose of, one (born on the
    15th) kept for research and delivered to the e-archive."""
    today = timezone.localdate()
    start = date(today.year - 7, 3, 1)
    people = [
        ("Vera", "Gallringsdemo", identity_number_born(1975, 4, 8)),
        ("Olle", "Gallringsdemo", identity_number_born(1981, 9, 15)),
        ("Iris", "Gallringsdemo", identity_number_born(1990, 1, 21)),
    ]
    return [
        old_closed_case(
            worker=worker,
            unit=unit,
            received_on=start + timedelta(days=40 * index),
            first_name=first,
            last_name=last,
            personal_identity_number=number,
            with_letter=index != 2,
        )
        for index, (first, last, number) in enumerate(people)
    ]


__all__ = ["create_cases_due", "identity_number_born", "old_closed_case"]
