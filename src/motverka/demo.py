"""A clearly fictitious demo data set, created through the same services as real work.

All people are invented ("Demo" in every surname); identity numbers carry valid check
digits but serial numbers from the 980–999 range, and birth years before 1990.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from motverka.accounts.models import Role
from motverka.accounts.services import unit_create, user_create
from motverka.cases.services import CaseIntake, InterventionInput, case_register
from motverka.cases.vocabulary import Indicator, InterventionKind, TargetGroup
from motverka.people.services import HouseholdMemberInput, PersonInput

#: The law the demo's interventions were decided under; the section is the sending
#: municipality's to state, so the demo names only the law.
DEMO_LEGAL_BASIS = "socialtjänstlagen (2025:400)"

UNIT_A = "Försörjningsstöd (demo)"
UNIT_B = "Vuxen och familj (demo)"

# username, role, display name, units
DEMO_USERS: list[tuple[str, str, str, tuple[str, ...]]] = [
    ("handlaggare1", Role.CASE_WORKER, "Hanna Handläggare", (UNIT_A,)),
    ("handlaggare2", Role.CASE_WORKER, "Hugo Handläggare", (UNIT_B,)),
    ("enhetschef", Role.UNIT_MANAGER, "Eva Enhetschef", (UNIT_A, UNIT_B)),
    ("analytiker", Role.ANALYST, "Anna Analytiker", ()),
    ("admin", Role.ADMINISTRATOR, "Adam Administratör", ()),
    ("arkiv", Role.ARCHIVIST, "Arvid Arkivarie", ()),
]


def demo_logins() -> list[tuple[str, str, str]]:
    """(username, role, units) of each demo user, as ``make run`` prints them and the
    README's table lists them."""
    return [
        (username, str(Role(role).label), ", ".join(units) or "–")
        for username, role, _name, units in DEMO_USERS
    ]


FIRST_NAMES = [
    "Alva",
    "Bror",
    "Cecilia",
    "Dawit",
    "Elin",
    "Farah",
    "Göran",
    "Hiba",
    "Ivar",
    "Jasmin",
    "Kalle",
    "Leyla",
    "Mats",
    "Nour",
    "Olle",
    "Petra",
    "Rami",
    "Sanna",
]
LAST_NAMES = ["Demosson", "Exempeldotter", "Demoberg", "Provström", "Testlund", "Demokvist"]
SENDING = ["0180", "1480", "1280", "0380", "0581", "1490", "1281", "0680", "1880", "1283"]


def _luhn_digit(nine: str) -> int:
    total = 0
    for index, char in enumerate(nine):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return (10 - total % 10) % 10


def fictitious_identity_number(rng: random.Random) -> str:
    born = date(1950, 1, 1) + timedelta(days=rng.randrange(0, 365 * 39))
    serial = f"{rng.randrange(980, 1000):03d}"
    nine = born.strftime("%y%m%d") + serial
    return born.strftime("%Y%m%d") + serial + str(_luhn_digit(nine))


def create_demo_data(*, password: str, case_count: int = 40, seed: int = 1430) -> str:
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    units = {name: unit_create(acting_user=None, name=name) for name in (UNIT_A, UNIT_B)}
    users: dict[str, Any] = {}
    for username, role, name, unit_names in DEMO_USERS:
        first, last = name.split(" ", 1)
        users[username] = user_create(
            acting_user=None,
            username=username,
            password=password,
            role=role,
            first_name=first,
            last_name=last,
            title={"case_worker": "Socialsekreterare", "unit_manager": "Enhetschef"}.get(role, ""),
            units=[units[unit_name] for unit_name in unit_names],
        )

    today = timezone.localdate()
    cases = []
    for index in range(case_count):
        worker = users["handlaggare1"] if index % 3 else users["handlaggare2"]
        unit = units[UNIT_A] if worker.username == "handlaggare1" else units[UNIT_B]
        received = today - timedelta(days=rng.randrange(0, 300))
        groups = rng.sample(TargetGroup.values, k=rng.choice([1, 1, 2]))
        indicators = rng.sample(Indicator.values, k=rng.randrange(1, 5))
        decided = received - timedelta(days=rng.randrange(20, 200))
        interventions = [
            InterventionInput(
                kind=InterventionKind.FINANCIAL_ASSISTANCE,
                ongoing=True,
                decided_on=decided,
                legal_basis=DEMO_LEGAL_BASIS,
                needed_until=decided + timedelta(days=365) if rng.random() < 0.5 else None,
            )
        ]
        if rng.random() < 0.5:
            interventions.append(
                InterventionInput(
                    kind=InterventionKind.CARE,
                    description=rng.choice(
                        ["Boendestöd", "Missbruksvård", "Stöd i skyddat boende"]
                    ),
                    ongoing=rng.random() < 0.8,
                    decided_on=decided,
                    legal_basis=DEMO_LEGAL_BASIS,
                )
            )
        household = []
        if rng.random() < 0.4:
            household.append(
                HouseholdMemberInput(
                    first_name=rng.choice(FIRST_NAMES),
                    relation="child",
                    birth_date=today - timedelta(days=rng.randrange(365, 365 * 15)),
                )
            )
        case = case_register(
            acting_user=worker,
            intake=CaseIntake(
                person=PersonInput(
                    first_name=rng.choice(FIRST_NAMES),
                    last_name=rng.choice(LAST_NAMES),
                    personal_identity_number=fictitious_identity_number(rng),
                    protected_identity=index % 13 == 5,
                ),
                unit_id=unit.pk,
                sending_municipality_code=rng.choice(SENDING),
                received_on=received,
                moved_on=received - timedelta(days=rng.randrange(1, 30)),
                target_groups=tuple(groups),
                indicators=tuple(indicators),
                indicator_note="Fiktivt demoärende.",
                interventions=tuple(interventions),
                household=tuple(household),
                allow_open_case=True,
            ),
        )
        cases.append((case, worker))
    advance_demo_cases(cases, rng)
    from motverka.archive.demo import create_cases_due

    # Only with cases of its own: the volume builder (case_count=0) makes its own history.
    cases_due = (
        create_cases_due(worker=users["handlaggare1"], unit=units[UNIT_A]) if case_count else []
    )
    return (
        f"{len(units)} enheter, {len(users)} användare, {len(cases) + len(cases_due)} ärenden "
        f"(varav {len(cases_due)} aktuella för gallring)"
    )


def advance_demo_cases(cases: list[tuple[Any, Any]], rng: random.Random) -> None:
    """Move some demo cases along the workflow so every status is represented."""
    try:
        from motverka.workflow.demo import advance_case
    except ImportError:  # the workflow may not provide demo steps
        return
    for index, (case, worker) in enumerate(cases):
        advance_case(case=case, acting_user=worker, stage=index % 5, rng=rng)
