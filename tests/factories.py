"""Factories for tests: build records through the same services as the application."""

from __future__ import annotations

import itertools
import random
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from motverka.accounts.models import Role, Unit, User
from motverka.accounts.services import unit_create, user_create
from motverka.cases.models import Case
from motverka.cases.services import CaseIntake, InterventionInput, case_register
from motverka.demo import fictitious_identity_number
from motverka.people.services import HouseholdMemberInput, PersonInput

PASSWORD = "test-password-123"
_counter = itertools.count(1)
_rng = random.Random(2026)  # noqa: S311


def make_unit(name: str | None = None) -> Unit:
    return unit_create(acting_user=None, name=name or f"Enhet {next(_counter)}")


def make_user(role: str = Role.CASE_WORKER, units: list[Unit] | None = None, **kwargs: Any) -> User:
    number = next(_counter)
    return user_create(
        acting_user=None,
        username=kwargs.pop("username", f"user{number}"),
        password=PASSWORD,
        role=role,
        first_name=kwargs.pop("first_name", "Test"),
        last_name=kwargs.pop("last_name", f"Användare {number}"),
        units=units or [],
        **kwargs,
    )


def intervention(kind: str = "care", description: str = "", **extra: Any) -> InterventionInput:
    """An ongoing intervention with its decision and legal basis recorded, as an application
    to IVO needs it."""
    return InterventionInput(
        kind=kind,
        description=description,
        ongoing=True,
        decided_on=date(2020, 1, 15),
        legal_basis="socialtjänstlagen (2025:400)",
        **extra,
    )


def identity_number() -> str:
    return fictitious_identity_number(_rng)


def make_intake(unit: Unit, **overrides: Any) -> CaseIntake:
    person = overrides.pop("person", None) or PersonInput(
        first_name=overrides.pop("first_name", "Alva"),
        last_name=overrides.pop("last_name", "Demosson"),
        personal_identity_number=overrides.pop("personal_identity_number", identity_number()),
        protected_identity=overrides.pop("protected_identity", False),
    )
    interventions = overrides.pop(
        "interventions",
        (intervention("financial_assistance"),),
    )
    defaults: dict[str, Any] = {
        "person": person,
        "unit_id": unit.pk,
        "sending_municipality_code": "0180",
        "received_on": timezone.localdate() - timedelta(days=3),
        "moved_on": timezone.localdate() - timedelta(days=10),
        "target_groups": ("newly_arrived",),
        "indicators": ("housing_arranged", "rent_paid"),
        "indicator_note": "Hyran betald två månader.",
        "interventions": interventions,
        "household": (
            HouseholdMemberInput(first_name="Bror", relation="child", birth_date=date(2019, 5, 1)),
        ),
    }
    defaults.update(overrides)
    return CaseIntake(**defaults)


def make_case(user: User, unit: Unit | None = None, **overrides: Any) -> Case:
    unit = unit or user.units.first()
    assert unit is not None
    return case_register(acting_user=user, intake=make_intake(unit, **overrides))
