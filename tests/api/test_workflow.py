"""The guideline's steps through the API: consents, actions, deadlines, refusals."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from motverka.audit.models import AuditEvent, AuditEventSubject
from motverka.cases.models import Case
from motverka.workflow.deadlines import DeadlineKind
from motverka.workflow.models import Consent, Deadline, StepRecord
from tests.factories import intervention, make_case

CASES = "/api/v1/cases"

OBJECTION_DETAILS = {
    "contacted": "Socialchef, Stockholms stad",
    "channel": "telefon",
    "summary": "Markerade att flytten inte är acceptabel; personen namngavs inte.",
}


def act(client, case_id, action, **body):
    return client.post(f"{CASES}/{case_id}/actions/{action}", body)


def consent(client, case_id, scope, status="given"):
    return client.post(
        f"{CASES}/{case_id}/consents", {"scope": scope, "status": status, "form": "written"}
    )


def step_codes(data, *, allowed=True):
    return {
        step["action"]["code"]
        for step in data["workflow"]["next_steps"]
        if step["allowed"] is allowed
    }


def test_confirming_a_case_starts_its_deadlines_and_lists_next_steps(world, api_as):
    case = make_case(world.worker_a)
    client = api_as(world.worker_a)
    before = client.get(f"{CASES}/{case.pk}").json()
    assert step_codes(before) == {"assess_confirm", "assess_dismiss"}
    # The contact deadline runs from registration (the guideline's "genast").
    assert [row["kind"]["code"] for row in before["workflow"]["deadlines"]] == [
        "contact_sending_municipality"
    ]

    response = act(client, case.pk, "assess_confirm", reason="Bostaden ordnad av Stockholm.")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["status"]["code"] == "confirmed"
    assert data["assessment_reason"] == "Bostaden ordnad av Stockholm."
    kinds = {row["kind"]["code"] for row in data["workflow"]["deadlines"]}
    assert kinds == {"contact_sending_municipality", "official_letter"}
    assert "record_objection" in step_codes(data)
    objection = next(
        step
        for step in data["workflow"]["next_steps"]
        if step["action"]["code"] == "record_objection"
    )
    assert {field["name"] for field in objection["details"] if field["required"]} == {
        "contacted",
        "channel",
        "summary",
    }
    update = AuditEvent.objects.filter(action="update", case_id=case.pk, detail__startswith="steg")
    assert update.get().channel == "api"

    deadlines = client.get(f"{CASES}/{case.pk}/deadlines")
    assert deadlines.status_code == 200
    assert {row["state"]["code"] for row in deadlines.json()} <= {"upcoming", "due"}


def test_an_assessment_without_a_reason_is_409_in_swedish(world, api_as):
    case = make_case(world.worker_a)
    response = act(api_as(world.worker_a), case.pk, "assess_confirm")
    assert response.status_code == 409
    assert response.json()["code"] == "reason_required"
    assert "skälet" in response.json()["detail"]


def test_missing_step_details_are_422_under_details(world, api_as):
    case = make_case(world.worker_a)
    client = api_as(world.worker_a)
    act(client, case.pk, "assess_confirm", reason="Bekräftad.")
    response = act(client, case.pk, "record_objection", details={"contacted": "Socialchef"})
    assert response.status_code == 422
    locs = {tuple(error["loc"]) for error in response.json()["detail"]}
    assert locs == {("body", "details", "channel"), ("body", "details", "summary")}
    assert not StepRecord.objects.filter(case=case, action="record_objection").exists()


def test_a_future_date_is_422(world, api_as):
    case = make_case(world.worker_a)
    tomorrow = timezone.localdate().toordinal() + 1

    response = act(
        api_as(world.worker_a),
        case.pk,
        "assess_confirm",
        reason="Bekräftad.",
        performed_on=date.fromordinal(tomorrow).isoformat(),
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "performed_on"]


def test_an_unknown_action_is_422_listing_the_actions(world, api_as):
    case = make_case(world.worker_a)
    response = act(api_as(world.worker_a), case.pk, "do_something")
    assert response.status_code == 422
    error = response.json()["detail"][0]
    assert error["loc"] == ["path", "action"]
    assert "assess_confirm" in error["msg"]


def test_a_step_that_needs_consent_is_refused_until_consent_is_recorded(world, api_as):
    case = make_case(world.worker_a)
    client = api_as(world.worker_a)
    act(client, case.pk, "assess_confirm", reason="Bekräftad.")
    refused = act(client, case.pk, "request_justification", details={"contacted": "Socialchef"})
    assert refused.status_code == 409
    assert refused.json()["code"] == "consent_missing"
    assert "Samtycke till kontakt med avsändande kommun saknas" in refused.json()["detail"]

    recorded = consent(client, case.pk, "contact_sending_municipality")
    assert recorded.status_code == 201, recorded.content
    assert recorded.json()["status"]["code"] == "given"
    allowed = act(client, case.pk, "request_justification", details={"contacted": "Socialchef"})
    assert allowed.status_code == 200, allowed.content

    history = client.get(f"{CASES}/{case.pk}/consents").json()
    assert [row["scope"]["code"] for row in history] == ["contact_sending_municipality"]
    current = {
        row["scope"]["code"]: row["status"] for row in allowed.json()["workflow"]["consents"]
    }
    assert current["contact_sending_municipality"]["code"] == "given"
    assert current["home_visit"] is None


def test_withdrawing_a_consent_that_was_never_given_is_422(world, api_as):
    case = make_case(world.worker_a)
    response = consent(api_as(world.worker_a), case.pk, "home_visit", status="withdrawn")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "status"]
    assert not Consent.objects.exists()


def test_an_unknown_consent_scope_is_422(world, api_as):
    case = make_case(world.worker_a)
    response = consent(api_as(world.worker_a), case.pk, "everything")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "scope"]


def test_ivo_is_refused_for_financial_assistance_alone_with_the_reason(world, api_as):
    case = make_case(
        world.worker_a,
        interventions=(intervention("financial_assistance"),),
    )
    client = api_as(world.worker_a)
    assert act(client, case.pk, "assess_confirm", reason="Bekräftad.").status_code == 200
    assert consent(client, case.pk, "return_process").status_code == 201
    sent = act(client, case.pk, "send_transfer_request", details={"recipient": "Stockholm"})
    assert sent.status_code == 200, sent.content
    assert act(client, case.pk, "record_transfer_declined").status_code == 200

    response = act(client, case.pk, "apply_to_ivo")
    assert response.status_code == 409
    data = response.json()
    assert data["code"] == "ivo_requires_care_intervention"
    assert "Ekonomiskt bistånd ensamt" in data["detail"]
    case.refresh_from_db()
    measures = {
        row["measure"]["code"]: row["state"]["code"]
        for row in client.get(f"{CASES}/{case.pk}").json()["workflow"]["measures"]
    }
    assert measures["return_of_responsibility"] == "declined"


def test_another_units_case_is_404_for_every_workflow_endpoint(world, api_as):
    case = make_case(world.worker_b)
    client = api_as(world.worker_a)
    assert act(client, case.pk, "assess_confirm", reason="x").status_code == 404
    assert consent(client, case.pk, "home_visit").status_code == 404
    assert client.get(f"{CASES}/{case.pk}/deadlines").status_code == 404
    assert client.get(f"{CASES}/{case.pk}/consents").status_code == 404
    assert Case.objects.get(pk=case.pk).status == "registered"


def test_analysts_get_403_from_workflow_endpoints(world, api_as):
    case = make_case(world.worker_a)
    client = api_as(world.analyst)
    assert act(client, case.pk, "assess_confirm", reason="x").status_code == 403
    assert consent(client, case.pk, "home_visit").status_code == 403
    assert client.get(f"{CASES}/{case.pk}/deadlines").status_code == 403
    assert client.get("/api/v1/deadlines").status_code == 403


def _due(case, days):
    today = timezone.localdate()
    return Deadline.objects.create(
        case=case,
        kind=DeadlineKind.OFFICIAL_LETTER,
        source_date=today - timedelta(days=30),
        due_on=today + timedelta(days=days),
    )


def test_my_deadlines_are_the_callers_and_with_all_units_every_cases(world, api_as):
    mine = make_case(world.worker_a)
    colleagues = make_case(world.manager, unit=world.unit_a)
    Case.objects.filter(pk=colleagues.pk).update(assigned_to=world.manager)
    other_unit = make_case(world.worker_b)  # never listed, with or without all_units
    Deadline.objects.filter(case__in=[mine, colleagues, other_unit]).delete()
    _due(mine, 1)
    _due(colleagues, -2)
    _due(other_unit, -3)
    client = api_as(world.worker_a)
    response = client.get("/api/v1/deadlines")
    assert response.status_code == 200
    assert [item["case_id"] for item in response.json()["items"]] == [mine.pk]
    everyone = client.get("/api/v1/deadlines", {"all_units": "true"}).json()["items"]
    assert [item["case_id"] for item in everyone] == [colleagues.pk, mine.pk]
    row = AuditEvent.objects.filter(action="search", channel="api").latest("sequence")
    subjects = AuditEventSubject.objects.filter(event=row).values_list("case_id", flat=True)
    assert set(subjects) == {colleagues.pk, mine.pk}


def test_my_deadlines_come_a_page_at_a_time_and_log_only_the_page(world, api_as, settings):
    settings.MOTVERKA_PAGE_SIZE = 2
    cases = [make_case(world.worker_a) for _ in range(4)]
    Deadline.objects.filter(case__in=cases).delete()
    for index, case in enumerate(cases[:3]):
        _due(case, index - 3)
    _due(cases[3], 60)  # not due yet: not on the list
    client = api_as(world.worker_a)
    first = client.get("/api/v1/deadlines").json()
    assert {key: first[key] for key in ("count", "count_is_lower_bound", "pages", "has_next")} == {
        "count": 3,
        "count_is_lower_bound": False,
        "pages": 2,
        "has_next": True,
    }
    assert [item["case_id"] for item in first["items"]] == [cases[0].pk, cases[1].pk]
    second = client.get("/api/v1/deadlines", {"page": 2}).json()
    assert [item["case_id"] for item in second["items"]] == [cases[2].pk]
    assert second["has_next"] is False
    row = AuditEvent.objects.filter(action="search", channel="api").latest("sequence")
    subjects = AuditEventSubject.objects.filter(event=row).values_list("case_id", flat=True)
    assert set(subjects) == {cases[2].pk}
    before = AuditEvent.objects.count()
    assert client.get("/api/v1/deadlines", {"page": 0}).status_code == 422
    assert AuditEvent.objects.count() == before


def test_my_deadlines_count_stops_at_the_cap(world, api_as, settings, monkeypatch):
    from motverka.workflow import selectors

    monkeypatch.setattr(selectors, "DEADLINE_COUNT_CAP", 2)
    settings.MOTVERKA_PAGE_SIZE = 1
    cases = [make_case(world.worker_a) for _ in range(4)]
    Deadline.objects.filter(case__in=cases).delete()
    for case in cases:
        _due(case, -1)
    data = api_as(world.worker_a).get("/api/v1/deadlines").json()
    assert (data["count"], data["count_is_lower_bound"], data["has_next"]) == (2, True, True)
    assert len(data["items"]) == 1


def test_a_whole_case_from_registration_to_closing(world, api_as):
    """The worked example in docs/api.md, step by step."""
    client = api_as(world.worker_a)
    registered = client.post(
        CASES,
        {
            "person": {
                "first_name": "Alva",
                "last_name": "Demosson",
                "personal_identity_number": "19121212-1212",
            },
            "sending_municipality": "0180",
            "target_groups": ["newly_arrived"],
            "indicators": ["housing_arranged", "rent_paid", "first_hand_lease"],
            "interventions": [{"kind": "care", "description": "Öppenvård", "ongoing": True}],
        },
    )
    assert registered.status_code == 201, registered.content
    case_id = registered.json()["id"]

    steps = [
        ("assess_confirm", {"reason": "Bostad och hyra ordnade av Stockholm; ingen flyttvilja."}),
        ("consent", {"scope": "contact_sending_municipality"}),
        ("consent", {"scope": "return_process"}),
        ("consent", {"scope": "home_visit"}),
        ("record_objection", {"details": OBJECTION_DETAILS}),
        ("request_justification", {"details": {"contacted": "Socialchef, Stockholm"}}),
        ("record_justification_received", {"details": {"justification": "Bostadsbrist."}}),
        ("record_personal_account", {"details": {"account": "Ville inte flytta."}}),
        ("send_official_letter", {"details": {"recipient": "Socialnämnden i Stockholm"}}),
        ("send_transfer_request", {"details": {"recipient": "Socialnämnden i Stockholm"}}),
        ("record_transfer_accepted", {"details": {"answer_summary": "Tar tillbaka ärendet."}}),
        ("record_home_visit", {"details": {"summary": "Lägenheten är för liten."}}),
        ("record_financial_assistance_assessment", {"details": {"decision_reference": "EB 12"}}),
        ("close", {"outcome": "returned", "reason": "Stockholm tog tillbaka ansvaret."}),
    ]
    for name, body in steps:
        if name == "consent":
            response = consent(client, case_id, body["scope"])
            assert response.status_code == 201, (name, response.content)
        else:
            response = act(client, case_id, name, **body)
            assert response.status_code == 200, (name, response.content)

    data = client.get(f"{CASES}/{case_id}").json()
    assert data["status"]["code"] == "closed"
    assert data["outcome"]["code"] == "returned"
    assert all(row["complete"] for row in data["workflow"]["measures"] if row["required"])
    assert all(row["met_on"] for row in data["workflow"]["deadlines"])
    assert len(data["workflow"]["steps_taken"]) == 11
    # Closed: what each measure came to, never "not required" for everything.
    assert {row["standing"]["code"] for row in data["workflow"]["measures"]} == {"done"}
    # The only step left is reopening; notes may still be written.
    assert step_codes(data) == {"reopen"}
    journal = client.post(f"{CASES}/{case_id}/journal", {"text": "Efter avslut."})
    assert journal.status_code == 201, journal.content
    no_reason = act(client, case_id, "reopen", reason="")
    assert no_reason.status_code == 409
    assert no_reason.json()["code"] == "reason_required"
    reopened = act(client, case_id, "reopen", reason="Stockholm drog tillbaka sitt besked.")
    assert reopened.status_code == 200, reopened.content
    assert reopened.json()["status"]["code"] == "confirmed"
    assert reopened.json()["outcome"] is None


def test_no_answer_is_refused_when_dated_on_or_before_the_due_date(world, api_as):
    from datetime import timedelta

    from motverka.workflow.models import Deadline

    case = make_case(
        world.worker_a,
        interventions=(intervention(),),
    )
    client = api_as(world.worker_a)
    act(client, case.pk, "assess_confirm", reason="Ja.")
    consent(client, case.pk, "return_process")
    act(client, case.pk, "send_transfer_request", details={"recipient": "Stockholm"})
    # Move the period into the past, so that only the date typed in decides.
    due = case.received_on
    Deadline.objects.filter(case=case, kind="transfer_answer").update(due_on=due)
    early = act(client, case.pk, "record_transfer_no_answer", performed_on=due.isoformat())
    assert early.status_code == 422, early.content
    assert early.json()["detail"][0]["loc"] == ["body", "performed_on"]
    assert (due + timedelta(days=1)).isoformat() in early.json()["detail"][0]["msg"]
    later = act(
        client,
        case.pk,
        "record_transfer_no_answer",
        performed_on=(due + timedelta(days=1)).isoformat(),
    )
    assert later.status_code == 200, later.content
