"""Shared steps for the housing tests; every record is made through the services."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from motverka.cases.models import Case
from motverka.housing.models import Landlord
from motverka.housing.services import (
    HomeVisitReport,
    HousingInput,
    LandlordInput,
    PersonalAccountInput,
    housing_save,
    landlord_register,
)
from motverka.workflow.policy import Action, ConsentScope, ConsentStatus
from tests.workflow_services.helpers import confirmed, consent, new_case, step  # noqa: F401

ADDRESS = "Storgatan 12 B, 455 30 Munkedal"
ORGANISATION_NUMBER = "556016-0680"  # a well-known valid number (check digit correct)
ORGANISATION_NUMBERS = ["5560160680", "5565475489", "5566778899"]


def today() -> date:
    return timezone.localdate()


def landlord(user: Any, number: str = ORGANISATION_NUMBER, name: str = "Bostads AB Exempel"):
    return landlord_register(
        acting_user=user,
        data=LandlordInput(kind="organisation", name=name, organisation_number=number),
    )


def organisation_number(index: int) -> str:
    """A valid organisation number (Luhn check digit) of its own for each ``index``."""
    nine = f"5569{index:05d}"
    total = 0
    for position, digit in enumerate(int(char) for char in nine):
        doubled = digit * 2 if position % 2 == 0 else digit
        total += doubled - 9 if doubled > 9 else doubled
    return nine + str((10 - total % 10) % 10)


def organisations(user: Any, count: int) -> list[Landlord]:
    """``count`` organisation landlords named "Bolag 01", "Bolag 02" …, in name order."""
    return [
        landlord(user, number=organisation_number(index), name=f"Bolag {index:02d}")
        for index in range(1, count + 1)
    ]


def private_landlord(user: Any, identity_number: str, name: str = "Per Privatvärd") -> Landlord:
    return landlord_register(
        acting_user=user,
        data=LandlordInput(
            kind="private_person", name=name, personal_identity_number=identity_number
        ),
    )


def housing(case: Case, user: Any, **overrides: Any):
    data: dict[str, Any] = {
        "address": ADDRESS,
        "lease_type": "first_hand",
        "arranged_by": "sending_municipality",
        "monthly_rent": Decimal("7800"),
        "rooms": 2,
        "area_m2": Decimal("48.5"),
    }
    data.update(overrides)
    return housing_save(acting_user=user, case=case, data=HousingInput(**data))


def account(**overrides: Any) -> PersonalAccountInput:
    data: dict[str, Any] = {
        "told_on": today() - timedelta(days=1),
        "wish_to_move": "no",
        "knew_destination": "unclear",
        "told_what": "Att det fanns en lägenhet och att hyran var betald.",
        "told_by": "Handläggare i Stockholm",
        "lease_found_by": "Socialtjänsten i Stockholm",
        "lease_signed_by": "Den enskilde, på socialkontoret",
        "free_text": "Jag ville inte flytta hit.",
    }
    data.update(overrides)
    return PersonalAccountInput(**data)


def report(**overrides: Any) -> HomeVisitReport:
    data: dict[str, Any] = {
        "performed_on": today() - timedelta(days=1),
        "assessment": "suitable",
        "participants": "Handläggare, den enskilde",
        "condition": "Gott skick.",
    }
    data.update(overrides)
    return HomeVisitReport(**data)


def home_visit_consent(case: Case, user: Any, status: str = ConsentStatus.GIVEN):
    return consent(case, user, ConsentScope.HOME_VISIT, status)


__all__ = ["Action", "confirmed", "new_case", "step"]
