"""Demo steps reach every status; the calculator explains why a date moved."""

from __future__ import annotations

import random
from datetime import date

import pytest

from motverka.workflow.calculator import calculate
from motverka.workflow.demo import advance_case
from motverka.workflow.models import CaseMeasure, Deadline
from motverka.workflow.policy import CaseStatus, Measure, MeasureState
from tests.workflow_services.helpers import FINANCIAL_ONLY, new_case


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("stage", "status"),
    [
        (0, CaseStatus.REGISTERED),
        (1, CaseStatus.DISMISSED),
        (2, CaseStatus.CONFIRMED),
        (3, CaseStatus.CONFIRMED),
        (4, CaseStatus.CLOSED),
    ],
)
def test_demo_stages_reach_their_status(world, stage, status):
    case = new_case(world.worker_a, interventions=FINANCIAL_ONLY)
    advance_case(case=case, acting_user=world.worker_a, stage=stage, rng=random.Random(1))
    case.refresh_from_db()
    assert case.status == status
    if stage == 3:
        assert (
            CaseMeasure.objects.get(case=case, measure=Measure.RETURN_OF_RESPONSIBILITY).state
            == MeasureState.REQUEST_SENT
        )
        assert Deadline.objects.filter(case=case, kind="transfer_answer").exists()
    if stage == 4:
        assert not Deadline.objects.filter(case=case, met_on__isnull=True).exists()


def test_a_month_that_ends_on_a_working_day_is_not_moved():
    result = calculate(date(2026, 11, 30), 1, "months")
    assert result.due == date(2026, 12, 30)
    assert not result.moved


def test_nyarsafton_moves_the_end_past_the_new_year_weekend():
    result = calculate(date(2026, 10, 31), 2, "months")
    assert result.unmoved == date(2026, 12, 31)
    assert result.due == date(2027, 1, 4)
    assert [(item.day.isoformat(), item.reason) for item in result.skipped] == [
        ("2026-12-31", "nyårsafton"),
        ("2027-01-01", "nyårsdagen"),
        ("2027-01-02", "lördag"),
        ("2027-01-03", "söndag"),
    ]


def test_working_days_list_the_days_that_do_not_count():
    result = calculate(date(2026, 6, 18), 2, "working_days")  # Thursday before midsommar
    assert result.due == date(2026, 6, 23)
    assert [item.reason for item in result.skipped] == [
        "midsommarafton",
        "midsommardagen",
        "söndag",
    ]


def test_steps_done_in_another_panel_point_there(client, world):
    from django.urls import reverse

    from motverka.workflow.policy import Action
    from motverka.workflow.services import case_action_perform
    from tests.factories import make_case

    case = make_case(world.worker_a)
    case_action_perform(
        acting_user=world.worker_a,
        case=case,
        action=Action.ASSESS_CONFIRM,
        performed_on=case.received_on,
        reason="Bekräftad.",
    )
    client.force_login(world.worker_a)
    page = client.get(reverse("case_measures", args=[case.pk])).content.decode()
    panel = page[page.index('id="nasta-steg"') :]
    account = reverse("case_account", args=[case.pk])
    letters = reverse("case_letters", args=[case.pk])
    assert f'href="{account}"' in panel and f'href="{letters}"' in panel
    assert client.get(account).status_code == client.get(letters).status_code == 200
