"""The pages of the application, found from the URL configuration, with the objects their
URL parameters need: the browser accessibility walk (test_accessibility.py) opens them.

A page added to ``urls.py`` is walked the day it is added; a URL parameter the walk does
not know fails the walk with its name, so the data set below gets an object for it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from motverka.accounts.models import Role, User, UserSession
from motverka.cases.models import Case
from motverka.cases.services import journal_entry_add
from motverka.demo import create_demo_data
from tests.factories import PASSWORD
from tests.letters.helpers import draft, finalise, with_consents

#: The admin site (Django's own pages, tested in tests/foundation) and the JSON API.
SKIPPED_NAMESPACES = {"admin", "api"}
#: Not a page: logging out is a POST; single sign-on endpoints redirect to a provider.
NOT_PAGES = {"logout", "session_keep_alive", "healthz"}
#: One user of each role from the demo data set.
ROLE_USERS = {
    Role.CASE_WORKER: "handlaggare1",
    Role.UNIT_MANAGER: "enhetschef",
    Role.ANALYST: "analytiker",
    Role.ADMINISTRATOR: "admin",
    Role.ARCHIVIST: "arkiv",
}
#: Query strings that show a page in another state: filled filters, a result, an error.
STATES: dict[str, list[str]] = {
    "case_list": ["?q=Demo", "?status=confirmed"],
    "deadline_calculator": [
        "?start=2026-11-30&amount=1&unit=months",
        "?start=2026-02-30&amount=1&unit=months",
    ],
    "my_deadlines": ["?due_before=2026-13-01"],
}


def named_urls(resolver: URLResolver | None = None) -> list[tuple[str, list[str]]]:
    """Every named URL outside the admin site and the API, with its parameter names."""
    found: dict[str, list[str]] = {}

    def walk(current: URLResolver) -> None:
        for pattern in current.url_patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace not in SKIPPED_NAMESPACES:
                    walk(pattern)
            elif isinstance(pattern, URLPattern) and pattern.name:
                found.setdefault(pattern.name, list(pattern.pattern.regex.groupindex))

    walk(resolver or get_resolver())
    return sorted(found.items())


@dataclass
class WalkData:
    """Objects for the URL parameters: a case in each state of the demo data, plus a case
    with a journal entry, a draft letter and a finalised letter."""

    cases: list[Case]
    worked_case: Case
    registered_case: Case
    entry_id: int
    letter_ids: list[int]
    landlord_id: int
    disposal_list_id: int
    users: dict[str, User] = field(default_factory=dict)


def build_walk_data() -> WalkData:
    create_demo_data(password=PASSWORD, case_count=10)
    from motverka.housing.services import (
        HousingInput,
        LandlordInput,
        housing_save,
        landlord_register,
    )

    worker = User.objects.get(username=ROLE_USERS[Role.CASE_WORKER])
    own = Case.objects.filter(unit__in=worker.units.all()).order_by("pk")
    registered = own.filter(status="registered").first()
    worked = own.filter(status="confirmed").first()
    assert registered is not None and worked is not None, "demo data changed"
    landlord = landlord_register(
        acting_user=worker,
        data=LandlordInput(
            kind="organisation", name="Bostads AB Demo", organisation_number="556016-0680"
        ),
    )
    housing_save(
        acting_user=worker,
        case=worked,
        data=HousingInput(address="Demogatan 1, 455 30 Munkedal", rooms=2, landlord_id=landlord.pk),
    )
    entry = journal_entry_add(
        acting_user=worker,
        case=worked,
        entry_date=timezone.localdate() - timedelta(days=1),
        # A pasted word without spaces must wrap, not widen the page (WCAG 1.4.10).
        text="Samtal med den enskilde om flytten. " + "Långtord" * 500,
    )
    with_consents(worker, worked)
    draft_letter = draft(worker, worked, "person_information")
    final_letter = finalise(
        acting_user=worker,
        letter=draft(worker, worked, "objection_letter"),
        confirm_unverified_reference=True,
    )
    from motverka.archive.services import disposal_list_propose

    # The demo's cases due for disposal, proposed by the archivist (the disposal pages).
    disposal_list = disposal_list_propose(acting_user=User.objects.get(username="arkiv"))
    statuses = {}
    for case in own:
        statuses.setdefault(case.status, case)
    return WalkData(
        cases=list(statuses.values()),
        worked_case=worked,
        registered_case=registered,
        entry_id=entry.pk,
        letter_ids=[draft_letter.pk, final_letter.pk],
        landlord_id=landlord.pk,
        disposal_list_id=disposal_list.pk,
        users={role: User.objects.get(username=name) for role, name in ROLE_USERS.items()},
    )


def own_objects(user: User) -> dict[str, int]:
    """The user's own authenticator and another of the user's sessions (for the account
    pages that take their ids)."""
    from tests.second_factor import confirmed_authenticator

    session, _created = UserSession.objects.get_or_create(
        user=user,
        session_key=f"walk-{user.pk}".ljust(32, "x"),
        defaults={
            "role": user.role,
            "started_at": timezone.now(),
            "last_seen_at": timezone.now(),
        },
    )
    from motverka.reporting.models import ExportJob

    # An annual report under way, as the task queue leaves it between two steps (the page
    # with its progress bar; its file is not there yet, a 404 page).
    export, _created = ExportJob.objects.get_or_create(
        requested_by=user,
        kind="annual_report",
        year=timezone.localdate().year,
        defaults={"status": "running", "progress": 40, "step": "Ritar diagrammen"},
    )
    return {
        "device_id": confirmed_authenticator(user).pk,
        "session_id": session.pk,
        "job_id": export.pk,
    }


def page_urls(data: WalkData, user: User) -> list[tuple[str, str]]:
    """(URL name, path) of every page for ``user``, with the states in STATES."""
    own = own_objects(user)
    urls: list[tuple[str, str]] = []
    for name, params in named_urls():
        if name in NOT_PAGES:
            continue
        if not params:
            urls += [(name, reverse(name) + query) for query in ["", *STATES.get(name, [])]]
            continue
        sets: list[dict[str, Any]] = []
        if "action" in params:
            sets = [{"case_id": data.registered_case.pk, "action": "assess_confirm"}]
        elif params == ["case_id"] and name == "case_detail":
            sets = [{"case_id": case.pk} for case in data.cases]
        elif "letter_id" in params:
            sets = [{"letter_id": pk} for pk in data.letter_ids]
        else:
            sets = [
                {
                    "case_id": data.worked_case.pk,
                    "entry_id": data.entry_id,
                    "landlord_id": data.landlord_id,
                    "list_id": data.disposal_list_id,
                    # The figures' charts and exports (bound to no case).
                    "year": timezone.localdate().year,
                    "name": "municipalities",
                    "slug": "municipality",
                    "fmt": "csv",
                    **own,
                }
            ]
        for objects in sets:
            unknown = [param for param in params if param not in objects]
            assert not unknown, f"Sidvandringen saknar testobjekt för {unknown} ({name})"
            urls.append((name, reverse(name, kwargs={key: objects[key] for key in params})))
    return urls
