"""The security events page: unit managers see what was done to the accounts of their
units (also after someone has left them), newest first, with labels; the look is logged."""

from __future__ import annotations

import re

from django.urls import reverse

from motverka.accounts import services
from motverka.accounts.models import Role
from motverka.accounts.selectors import security_events
from motverka.api.services import api_token_create
from motverka.audit.models import AuditEvent
from tests.factories import make_user

URL = reverse("security_events")


def rows(page_html: str) -> list[str]:
    body = page_html[page_html.index("<tbody>") : page_html.index("</tbody>")]
    return [re.sub(r"\s+", " ", row) for row in body.split("<tr>")[1:]]


def test_a_manager_sees_grants_to_people_of_their_units_newest_first(client, world):
    newcomer = services.user_create(
        acting_user=world.admin,
        username="ny",
        password="Ett-nytt-lösenord-2026",
        role=Role.CASE_WORKER,
        units=[world.unit_a],
    )
    services.user_password_set(
        acting_user=world.admin, user=newcomer, password="Ett-annat-lösenord-2026"
    )
    # In another unit only: not the manager's business.
    services.user_change(acting_user=world.admin, user=world.worker_b, role=Role.UNIT_MANAGER)
    client.force_login(world.manager)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    listed = [row for row in rows(html) if "(ny)" in row]
    assert len(listed) == 2
    assert "Lösenord återställt" in listed[0] and "Användare skapad" in listed[1]
    assert "roll: handläggare; enheter: Enhet A" in listed[1]
    assert "(ny)" in listed[0] and world.admin.display_name() in listed[0]
    assert "password_reset" not in html and "user_create" not in html  # labels, not codes
    assert "worker_b" not in html and "roll: handläggare → enhetschef" not in html


def test_an_account_that_left_the_unit_stays_visible_to_its_managers(client, world):
    """The pattern of the incident: an account made for a unit, used, then moved away."""
    temporary = services.user_create(
        acting_user=world.admin,
        username="tillfallig",
        password="Ett-nytt-lösenord-2026",
        role=Role.CASE_WORKER,
        units=[world.unit_a],
    )
    services.user_units_set(acting_user=world.admin, user=temporary, units=[])
    services.user_change(acting_user=world.admin, user=temporary, is_active=False)
    client.force_login(world.manager)
    listed = [row for row in rows(client.get(URL).content.decode()) if "(tillfallig)" in row]
    assert [row.split("</td>")[1] for row in listed] == [
        "<td>Användare ändrad",
        "<td>Enhetstillhörighet ändrad",
        "<td>Användare skapad",
    ]
    assert "borttagen från: Enhet A" in listed[1]


def test_events_done_by_a_member_are_listed_too(client, world):
    api_token_create(acting_user=None, user=world.worker_a, name="Export")
    services.user_password_set(
        acting_user=world.worker_a, user=world.worker_a, password="Mitt-eget-lösenord-2026"
    )
    client.force_login(world.manager)
    listed = rows(client.get(URL).content.decode())
    assert "Lösenord bytt" in listed[0] and "API-nyckel utfärdad" in listed[1]
    assert "kommandorad/systemet" in listed[1]


def test_viewing_the_page_is_logged(client, world):
    client.force_login(world.manager)
    client.get(URL, {"sida": "1"})
    event = AuditEvent.objects.get(action="review", object_type="security_log")
    assert event.actor == world.manager and event.detail == "säkerhetshändelser, sida 1"


def test_the_list_is_paginated(world):
    for number in range(55):
        services.user_create(
            acting_user=world.admin,
            username=f"konto{number}",
            password=None,
            role=Role.CASE_WORKER,
            units=[world.unit_a],
        )
    first = security_events(user=world.manager, page_number=1)
    second = security_events(user=world.manager, page_number=2)
    # 55 new accounts and the two of the unit's own people made by the world fixture.
    assert (len(first.object_list), len(second.object_list)) == (50, 7)
    assert first.object_list[0].target.endswith("(konto54)")
    assert second.paginator.num_pages == 2


def test_administrators_see_every_unit_and_other_roles_are_refused(client, world):
    services.user_change(acting_user=world.admin, user=world.worker_b, role=Role.UNIT_MANAGER)
    client.force_login(world.admin)
    assert "roll: handläggare → enhetschef" in client.get(URL).content.decode()
    for role in ("worker_a", "analyst"):
        client.force_login(getattr(world, role))
        assert client.get(URL).status_code == 403
    inactive_manager = make_user(Role.UNIT_MANAGER, [world.unit_a])
    services.user_change(acting_user=world.admin, user=inactive_manager, is_active=False)
    client.force_login(inactive_manager)
    assert client.get(URL).status_code in {302, 403}


def test_the_navigation_shows_the_page_to_managers_only(client, world):
    client.force_login(world.manager)
    assert URL in client.get(reverse("start")).content.decode()
    client.force_login(world.worker_a)
    assert URL not in client.get(reverse("start")).content.decode()
