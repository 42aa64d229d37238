"""The "Nästa steg" panel, the consent form, "Mina bevakningar" and the calculator over HTTP."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from motverka.cases.models import Case
from motverka.workflow.deadlines import DeadlineKind
from motverka.workflow.models import Consent, Deadline, StepRecord
from motverka.workflow.policy import Action, CaseStatus, ConsentScope, ConsentStatus, Measure
from tests.workflow_services.helpers import confirmed, counts, new_case

pytestmark = pytest.mark.django_db


def _step_url(case: Case, action: Action) -> str:
    return reverse("workflow_step", kwargs={"case_id": case.pk, "action": action.value})


def test_case_page_shows_the_panel_with_allowed_and_blocked_steps(client, world):
    case = confirmed(world.worker_a)
    client.force_login(world.worker_a)
    response = client.get(reverse("case_measures", kwargs={"case_id": case.pk}))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Nästa steg" in html
    # The step is a link that opens its form; the form itself is fetched when opened.
    assert 'id="steg-record_objection"' in html
    assert f'data-hx-get="{_step_url(case, Action.RECORD_OBJECTION)}"' in html
    assert 'data-step="record_objection"' not in html
    assert "Samtycke till kontakt med avsändande kommun saknas" in html  # blocked, with reason
    assert "Kontakt med avsändande kommun" in html  # a deadline
    consent_url = reverse("consent_record", kwargs={"case_id": case.pk})
    assert f'action="{consent_url}"' in html


def test_confirming_through_the_panel_redirects_to_the_case(client, world):
    case = new_case(world.worker_a)
    client.force_login(world.worker_a)
    response = client.post(
        _step_url(case, Action.ASSESS_CONFIRM),
        {"performed_on": case.received_on.isoformat(), "reason": "Hyran betald i två månader."},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("case_measures", kwargs={"case_id": case.pk})
    case.refresh_from_db()
    assert case.status == CaseStatus.CONFIRMED
    assert Deadline.objects.filter(case=case).count() == 2


def test_missing_details_give_400_with_swedish_errors_and_save_nothing(client, world):
    case = confirmed(world.worker_a)
    client.force_login(world.worker_a)
    before = counts()
    response = client.post(
        _step_url(case, Action.RECORD_OBJECTION),
        {"performed_on": case.received_on.isoformat(), "contacted": "Mottagningen"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "Detta fält måste fyllas i" in html or "Fyll i" in html
    assert counts()["steps"] == before["steps"]


def test_a_policy_refusal_gives_400_with_the_reason(client, world):
    case = confirmed(world.worker_a)
    client.force_login(world.worker_a)
    before = counts()
    response = client.post(
        _step_url(case, Action.REQUEST_JUSTIFICATION),
        {"performed_on": case.received_on.isoformat(), "contacted": "Enhetschefen"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Samtycke till kontakt med avsändande kommun saknas" in html
    assert 'role="alert"' in html
    after = counts()
    assert (after["steps"], after["measures"]) == (before["steps"], before["measures"])


def test_a_future_date_gives_400(client, world):
    case = confirmed(world.worker_a)
    client.force_login(world.worker_a)
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(
        _step_url(case, Action.RECORD_OBJECTION),
        {"performed_on": tomorrow.isoformat(), "contacted": "A", "channel": "B", "summary": "C"},
    )
    assert response.status_code == 400
    assert "Datumet kan inte ligga i framtiden" in response.content.decode()
    assert not StepRecord.objects.filter(action=Action.RECORD_OBJECTION).exists()


def test_mark_not_applicable_posts_its_measure(client, world):
    case = confirmed(world.worker_a)
    client.force_login(world.worker_a)
    response = client.post(
        _step_url(case, Action.MARK_NOT_APPLICABLE),
        {
            "performed_on": case.received_on.isoformat(),
            "measure": Measure.HOME_VISIT.value,
            "reason": "Personen bor hos släkt.",
        },
    )
    assert response.status_code == 302
    assert case.measures.get(measure=Measure.HOME_VISIT).not_applicable_reason


def test_unknown_step_is_404(client, world):
    case = confirmed(world.worker_a)
    client.force_login(world.worker_a)
    response = client.post(
        reverse("workflow_step", kwargs={"case_id": case.pk, "action": "nope"}), {}
    )
    assert response.status_code == 404


def test_recording_a_consent_through_the_panel(client, world):
    case = confirmed(world.worker_a)
    client.force_login(world.worker_a)
    url = reverse("consent_record", kwargs={"case_id": case.pk})
    response = client.post(
        url,
        {
            "scope": ConsentScope.HOME_VISIT.value,
            "status": ConsentStatus.GIVEN.value,
            "decided_on": timezone.localdate().isoformat(),
            "form": "oral",
        },
    )
    assert response.status_code == 302
    assert Consent.objects.get(case=case).status == ConsentStatus.GIVEN
    bad = client.post(
        url,
        {
            "scope": ConsentScope.RETURN_PROCESS.value,
            "status": ConsentStatus.WITHDRAWN.value,
            "decided_on": timezone.localdate().isoformat(),
            "form": "oral",
        },
    )
    assert bad.status_code == 400
    assert "Det finns inget lämnat samtycke att återkalla" in bad.content.decode()
    assert Consent.objects.filter(case=case).count() == 1


def test_a_worker_of_another_unit_gets_404_and_nothing_changes(client, world):
    case = new_case(world.worker_a)
    client.force_login(world.worker_b)
    before = counts()
    response = client.post(
        _step_url(case, Action.ASSESS_CONFIRM),
        {"performed_on": case.received_on.isoformat(), "reason": "Ja."},
    )
    assert response.status_code == 404
    response = client.post(
        reverse("consent_record", kwargs={"case_id": case.pk}),
        {"scope": "home_visit", "status": "given", "decided_on": "2026-01-01", "form": "oral"},
    )
    assert response.status_code == 404
    case.refresh_from_db()
    assert case.status == CaseStatus.REGISTERED
    assert counts()["steps"] == before["steps"]


@pytest.mark.parametrize("name", ["analyst", "admin"])
def test_roles_without_cases_are_refused(client, world, name):
    case = new_case(world.worker_a)
    client.force_login(getattr(world, name))
    assert client.get(reverse("my_deadlines")).status_code == 403
    response = client.post(
        _step_url(case, Action.ASSESS_CONFIRM),
        {"performed_on": case.received_on.isoformat(), "reason": "Ja."},
    )
    assert response.status_code == 403


def test_my_deadlines_lists_mine_and_unassigned_flags_overdue_within_budget(
    client, world, django_assert_max_num_queries
):
    today = timezone.localdate()
    mine = [new_case(world.worker_a) for _ in range(6)]
    unassigned = new_case(world.manager, unit=world.unit_a)
    Case.objects.filter(pk=unassigned.pk).update(assigned_to=None)
    colleague = new_case(world.manager, unit=world.unit_a)  # assigned to the manager
    other_unit = new_case(world.worker_b)
    for index, case in enumerate([*mine, unassigned, colleague, other_unit]):
        Deadline.objects.create(
            case=case,
            kind=DeadlineKind.OFFICIAL_LETTER,
            source_date=today - timedelta(days=20),
            due_on=today - timedelta(days=index % 3),
        )
    Deadline.objects.create(
        case=mine[0],
        kind=DeadlineKind.TRANSFER_ANSWER,
        source_date=today,
        due_on=today + timedelta(days=40),  # far away, but open: listed as upcoming
    )
    client.force_login(world.worker_a)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("my_deadlines"))
    html = response.content.decode()
    assert response.status_code == 200
    for case in [*mine, unassigned]:
        assert case.reference in html
    assert colleague.reference not in html
    assert other_unit.reference not in html
    assert 'class="deadline overdue"' in html
    assert "Försenad" in html
    assert "Svar på begäran om överflyttning" in html
    assert 'class="deadline upcoming"' in html
    # The nav links the page.
    assert reverse("my_deadlines") in client.get(reverse("start")).content.decode()


def test_start_page_counts_overdue_deadlines(client, world):
    case = new_case(world.worker_a)
    Deadline.objects.create(
        case=case,
        kind=DeadlineKind.OFFICIAL_LETTER,
        source_date=date(2026, 1, 1),
        due_on=timezone.localdate() - timedelta(days=1),
    )
    client.force_login(world.worker_a)
    html = client.get(reverse("start")).content.decode()
    assert "Du har 1 försenad bevakning." in html
    assert 'class="overdue badge"' in html


def test_calculator_explains_why_the_date_moved(client, world):
    client.force_login(world.worker_a)
    url = reverse("deadline_calculator")
    response = client.get(url, {"start": "2026-11-30", "amount": 1, "unit": "months"})
    html = response.content.decode()
    assert "Skickad 2026-11-30 → svar senast 2026-12-30" in html
    response = client.get(url, {"start": "2026-10-31", "amount": 2, "unit": "months"})
    html = response.content.decode()
    assert "svar senast 2027-01-04" in html
    assert "flyttad från 2026-12-31 (nyårsafton)" in html
    assert "2027-01-01 (nyårsdagen)" in html
    response = client.get(url, {"start": "2026-13-01", "amount": 1, "unit": "months"})
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert client.get(url).status_code == 200


def test_every_workflow_url_by_role(client, world):
    case = new_case(world.worker_a)
    urls = [
        ("get", reverse("my_deadlines")),
        ("get", reverse("deadline_calculator")),
        ("post", reverse("consent_record", kwargs={"case_id": case.pk})),
        ("post", _step_url(case, Action.ASSESS_CONFIRM)),
    ]
    expected = {
        "worker_a": {200, 400},
        "manager": {200, 400},
        "worker_b": {200, 404},
        "analyst": {200, 403},
        "admin": {200, 403},
    }
    for name, allowed in expected.items():
        client.force_login(getattr(world, name))
        for method, url in urls:
            status = getattr(client, method)(url, {}).status_code
            assert status in allowed, (name, url, status)
    client.logout()
    for method, url in urls:
        assert getattr(client, method)(url, {}).status_code == 302  # to the login page


def test_a_closed_case_takes_notes_and_reopens_through_the_page(client, world):
    from motverka.cases.models import JournalEntry
    from motverka.workflow.policy import Outcome
    from tests.workflow_services.helpers import step

    case = new_case(world.worker_a)
    case = step(case, world.worker_a, Action.ASSESS_DISMISS, reason="Eget val att flytta.")
    case = step(case, world.worker_a, Action.CLOSE, outcome=Outcome.NOT_ACTIVE_INVOLVEMENT)
    client.force_login(world.worker_a)
    journal = client.get(reverse("case_journal", args=[case.pk])).content.decode()
    assert f'action="{reverse("case_journal", args=[case.pk])}"' in journal
    html = client.get(reverse("case_measures", args=[case.pk])).content.decode()
    assert "Återöppna ärendet" in html
    # Dismissed, then closed: no measure was ever required, and the page says so.
    assert html.count('data-standing="never_required"') == 7
    assert "krävdes inte" in html

    noted = client.post(
        reverse("case_journal", args=[case.pk]),
        {"entry_date": timezone.localdate().isoformat(), "text": "Uppföljande samtal."},
    )
    assert noted.status_code == 302
    assert JournalEntry.objects.filter(case=case, text="Uppföljande samtal.").exists()

    refused = client.post(
        _step_url(case, Action.REOPEN), {"performed_on": timezone.localdate().isoformat()}
    )
    assert refused.status_code in (400, 409)
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    reopened = client.post(
        _step_url(case, Action.REOPEN),
        {"performed_on": timezone.localdate().isoformat(), "reason": "Nya uppgifter kom in."},
    )
    assert reopened.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.DISMISSED
    assert StepRecord.objects.filter(case=case, action="reopen").exists()


def test_a_closed_confirmed_case_says_what_each_measure_came_to(client, world):
    from motverka.workflow.policy import Outcome
    from tests.workflow_services.helpers import step

    case = confirmed(world.worker_a, interventions=())
    for measure in Measure:
        if measure != Measure.RETURN_OF_RESPONSIBILITY:
            step(
                case, world.worker_a, Action.MARK_NOT_APPLICABLE, measure=measure, reason="Avböjt."
            )
    case = step(case, world.worker_a, Action.CLOSE, outcome=Outcome.DECLINED_BY_PERSON)
    client.force_login(world.worker_a)
    html = client.get(reverse("case_measures", args=[case.pk])).content.decode()
    assert html.count('data-standing="not_applicable"') == 6
    assert html.count('data-standing="never_required"') == 1
    assert 'data-standing="not_required"' not in html
    assert "Utfört" in html
