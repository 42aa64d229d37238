"""Query budgets for every page a case role opens and every API list and detail: each stays
under a ceiling, and each makes exactly as many queries when the database holds more of
everything — more cases, journal entries, letters, deadlines and landlords — so that no
page reads once per row it shows and every page stays as fast at 100,000 cases
(docs/performance.md)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from motverka.accounts.models import Role
from motverka.api.services import api_token_create
from motverka.cases.services import journal_entry_add
from motverka.reporting.models import FigurePublication
from motverka.reporting.selectors import publication_store
from motverka.workflow.deadlines import DeadlineKind
from motverka.workflow.models import Deadline
from tests.api_client import ApiClient
from tests.e2e.page_walk import WalkData, build_walk_data, page_urls
from tests.factories import make_case
from tests.housing.helpers import housing, organisations
from tests.letters.helpers import draft

pytestmark = pytest.mark.django_db

#: The most queries a page or an API answer may make, measured on both databases (the
#: busiest are the case's sections, 16 on PostgreSQL) with a little room.
CEILING = 18
#: Pages above the ceiling, by URL name: a draft letter and its preview compose the letter
#: from the case, the person, the household, the consents and the directory (25 and 24
#: queries on PostgreSQL), however many rows there are.
BUDGETS = {"letter_detail": 26, "letter_preview": 25}
#: The case page itself has its own budget (decision 0019; tests/foundation/test_case_page.py).
CASE_PAGE_BUDGET = 15

API = "/api/v1"


def _count(call) -> tuple[int, int]:
    call()  # one-off work (the token's first use of the day, a session's update) not counted
    with CaptureQueriesContext(connection) as queries:
        response = call()
    return response.status_code, len(queries.captured_queries)


def _page_counts(client, data: WalkData, role: str) -> dict[str, int]:
    user = data.users[role]
    client.force_login(user)
    counts = {}
    for name, path in page_urls(data, user):
        status, queries = _count(lambda path=path: client.get(path))
        if status in (200, 400):  # a page (400: a form sent back); not a POST-only URL
            counts[(name, path)] = queries
    return counts


def _api_paths(data: WalkData) -> list[str]:
    case, letter = data.worked_case.pk, data.letter_ids[-1]
    return [
        f"{API}/cases",
        f"{API}/cases?q=Demo",
        f"{API}/cases/{case}",
        *(
            f"{API}/cases/{case}/{part}"
            for part in (
                "journal",
                "consents",
                "deadlines",
                "history",
                "housing",
                "personal-accounts",
                "child-views",
                "home-visits",
                "letters",
            )
        ),
        f"{API}/letters/{letter}",
        f"{API}/letters/{letter}/pdf",
        f"{API}/deadlines",
        f"{API}/deadlines?all_units=true",
        f"{API}/landlords",
        f"{API}/landlords/{data.landlord_id}",
    ]


def _api_counts(api: ApiClient, data: WalkData) -> dict[str, int]:
    counts = {}
    for path in _api_paths(data):
        status, queries = _count(lambda path=path: api.get(path))
        assert status == 200, path
        counts[path] = queries
    return counts


def _more_of_everything(data: WalkData) -> None:
    """More rows of every kind the pages list, on the walked case and around it."""
    worker = data.users[Role.CASE_WORKER]
    case = data.worked_case
    today = timezone.localdate()
    for index in range(3):
        journal_entry_add(
            acting_user=worker,
            case=case,
            entry_date=today - timedelta(days=index),
            text=f"Ännu en anteckning {index}.",
        )
    draft(worker, case, "person_information")
    landlords = organisations(worker, 3)
    for index in range(4):
        other = make_case(worker, assigned_to_id=worker.pk)
        Deadline.objects.create(
            case=other,
            kind=DeadlineKind.OFFICIAL_LETTER,
            source_date=today - timedelta(days=30),
            due_on=today + timedelta(days=index - 2),
        )
        housing(other, worker, landlord_id=landlords[index % len(landlords)].pk)
    # The task queue computes the figures' publications anew after a change; until it has,
    # the figures pages serve the stale one and look for the new one on every view.
    for year in FigurePublication.objects.values_list("year", flat=True):
        publication_store(year)


def test_no_page_or_api_answer_makes_more_queries_as_the_data_grows(client):
    data = build_walk_data()
    _row, token = api_token_create(acting_user=None, user=data.users[Role.CASE_WORKER], name="t")
    api = ApiClient(token)
    roles = (Role.CASE_WORKER, Role.UNIT_MANAGER)
    few = {role: _page_counts(client, data, role) for role in roles}
    few_api = _api_counts(api, data)
    _more_of_everything(data)
    many = {role: _page_counts(client, data, role) for role in roles}
    many_api = _api_counts(api, data)

    assert len(few[Role.CASE_WORKER]) >= 40  # the walk found the pages
    for role in roles:
        assert many[role] == few[role], role
        over = {
            page: count
            for page, count in many[role].items()
            if count > BUDGETS.get(page[0], CEILING)
        }
        assert not over, (role, over)
    assert many_api == few_api
    assert not {path: count for path, count in many_api.items() if count > CEILING}
    case_page = ("case_detail", f"/arenden/{data.worked_case.pk}/")
    assert many[Role.CASE_WORKER][case_page] <= CASE_PAGE_BUDGET
