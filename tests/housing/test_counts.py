"""Counts on the housing panel in correct Swedish: "1 person", "3 personer, varav 1 barn"."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.housing.helpers import housing, new_case

pytestmark = pytest.mark.django_db


def _household_text(client, case) -> str:
    html = client.get(reverse("case_housing", kwargs={"case_id": case.pk})).content.decode()
    return re.search(r"<dt>Hushållet</dt><dd>(.*?)</dd>", html, re.S)[1]


def test_one_person_without_children_is_one_person(client, world):
    case = new_case(world.worker_a, household=())
    housing(case, world.worker_a)
    client.force_login(world.worker_a)
    text = _household_text(client, case)
    assert re.match(r"1 person(;|$)", text), text
    assert "varav" not in text
