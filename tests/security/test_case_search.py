"""Case search without script: an identity number in the address finds nothing and says
where to search instead; the POST search still works."""

from __future__ import annotations

import pytest
from django.urls import reverse

from motverka.audit.models import AuditEvent
from tests.factories import identity_number, make_case


@pytest.mark.parametrize(
    "shape", [lambda n: n, lambda n: f"{n[:8]}-{n[8:]}", lambda n: f"Anna {n[2:8]}-{n[8:]}"]
)
def test_an_identity_number_in_the_address_is_refused(client, world, shape):
    number = identity_number()
    make_case(world.worker_a, personal_identity_number=number)
    client.force_login(world.worker_a)
    searches = AuditEvent.objects.filter(action="search").count()
    response = client.get(reverse("case_list"), {"q": shape(number)})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Personnummer får inte stå i adressen" in page
    assert "0 ärenden" in page
    assert AuditEvent.objects.filter(action="search").count() == searches


def test_the_post_search_finds_the_case(client, world):
    number = identity_number()
    case = make_case(world.worker_a, personal_identity_number=number)
    client.force_login(world.worker_a)
    response = client.post(reverse("case_list"), {"identity_number": number})
    page = response.content.decode()
    assert case.reference in page and "sökning på personnummer" in page


def test_the_search_form_is_marked_for_the_script(client, world):
    client.force_login(world.worker_a)
    page = client.get(reverse("case_list")).content.decode()
    assert 'data-identity-number-form="identity-search"' in page
    assert 'id="identity-search"' in page and 'method="post"' in page
    assert "motverka/motverka.js" in page
