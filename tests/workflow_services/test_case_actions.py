"""case_action_perform: each step of the guideline, through the service, with the database."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from motverka.audit.models import AuditEvent
from motverka.cases.errors import AccessDenied, Conflict
from motverka.cases.models import Case, CaseEvent
from motverka.workflow.calendar import add_working_days, statutory_due_date
from motverka.workflow.deadlines import DeadlineKind
from motverka.workflow.models import CaseMeasure, Deadline, StepRecord
from motverka.workflow.policy import (
    Action,
    CaseStatus,
    ConsentScope,
    ConsentStatus,
    Measure,
    MeasureStanding,
    MeasureState,
    Outcome,
)
from motverka.workflow.selectors import case_facts, case_workflow_summary
from tests.workflow_services.helpers import (
    FINANCIAL_ONLY,
    confirmed,
    consent,
    counts,
    new_case,
    step,
)

pytestmark = pytest.mark.django_db


def _state(case, measure: Measure) -> str:
    return CaseMeasure.objects.get(case=case, measure=measure).state


def _open(case, kind: DeadlineKind) -> Deadline:
    return Deadline.objects.get(case=case, kind=kind, met_on__isnull=True)


def test_confirming_sets_status_reason_and_starts_the_two_urgent_deadlines(world):
    case = new_case(world.worker_a)
    registered_on = timezone.localdate()
    # The guideline's "genast": the contact deadline runs from registration.
    contact = _open(case, DeadlineKind.CONTACT_SENDING_MUNICIPALITY)
    assert contact.source_date == registered_on
    assert contact.due_on == add_working_days(registered_on, 2)
    case = step(case, world.worker_a, Action.ASSESS_CONFIRM, reason="Hyran betald av Stockholm.")
    case.refresh_from_db()
    assert case.status == CaseStatus.CONFIRMED
    assert case.assessment_reason == "Hyran betald av Stockholm."
    assert case.assessed_on == case.received_on
    # Confirming never moves it; it starts the official letter's deadline.
    after = _open(case, DeadlineKind.CONTACT_SENDING_MUNICIPALITY)
    assert (after.pk, after.source_date, after.due_on) == (
        contact.pk,
        contact.source_date,
        contact.due_on,
    )
    letter = _open(case, DeadlineKind.OFFICIAL_LETTER)
    assert letter.due_on == add_working_days(case.received_on, 10)
    record = StepRecord.objects.get(case=case)
    assert record.action == Action.ASSESS_CONFIRM and record.actor == world.worker_a
    assert CaseEvent.objects.filter(case=case, kind="workflow_step").exists()


def test_assessing_needs_a_reason_and_writes_nothing_without_one(world):
    case = new_case(world.worker_a)
    before = counts()
    with pytest.raises(Conflict) as refusal:
        step(case, world.worker_a, Action.ASSESS_CONFIRM, reason="  ")
    assert refusal.value.code == "reason_required"
    assert "skälet" in refusal.value.message
    assert counts() == before
    case.refresh_from_db()
    assert case.status == CaseStatus.REGISTERED


def test_dismissed_case_closes_only_as_not_active_involvement(world):
    case = new_case(world.worker_a)
    case = step(case, world.worker_a, Action.ASSESS_DISMISS, reason="Eget val att flytta.")
    with pytest.raises(Conflict) as refusal:
        step(case, world.worker_a, Action.CLOSE, outcome=Outcome.RETURNED)
    assert refusal.value.code == "outcome_inconsistent"
    case = step(case, world.worker_a, Action.CLOSE, outcome=Outcome.NOT_ACTIVE_INVOLVEMENT)
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert case.outcome == Outcome.NOT_ACTIVE_INVOLVEMENT
    assert case.closed_on == case.received_on


def test_objection_records_who_how_and_what_and_meets_the_contact_deadline(world):
    case = confirmed(world.worker_a)
    later = case.received_on + timedelta(days=1)
    step(case, world.worker_a, Action.RECORD_OBJECTION, on=later)
    assert _state(case, Measure.OBJECTION) == MeasureState.DONE
    contact = Deadline.objects.get(case=case, kind=DeadlineKind.CONTACT_SENDING_MUNICIPALITY)
    assert contact.met_on == later
    record = StepRecord.objects.get(case=case, action=Action.RECORD_OBJECTION)
    assert record.details == {
        "contacted": "Mottagningen, Stockholms stad",
        "channel": "telefon",
        "summary": "Markerade att flytten inte är acceptabel.",
    }
    assert record.measure == Measure.OBJECTION


def test_objection_without_details_is_refused_field_by_field_and_writes_nothing(world):
    case = confirmed(world.worker_a)
    before = counts()
    with pytest.raises(ValidationError) as error:
        step(case, world.worker_a, Action.RECORD_OBJECTION, details={"contacted": " "})
    assert set(error.value.message_dict) == {"contacted", "channel", "summary"}
    assert "Fyll i" in error.value.message_dict["summary"][0]
    assert counts() == before


@pytest.mark.parametrize(
    ("action", "field"),
    [
        (Action.REQUEST_JUSTIFICATION, "contacted"),
        (Action.RECORD_PERSONAL_ACCOUNT, "account"),
        (Action.RECORD_FINANCIAL_ASSISTANCE_ASSESSMENT, "decision_reference"),
    ],
)
def test_steps_require_their_own_details(world, action, field):
    case = confirmed(world.worker_a)
    consent(case, world.worker_a, ConsentScope.CONTACT_SENDING_MUNICIPALITY)
    with pytest.raises(ValidationError) as error:
        step(case, world.worker_a, action, details={})
    assert field in error.value.message_dict


def test_justification_received_needs_the_justification(world):
    case = confirmed(world.worker_a)
    consent(case, world.worker_a, ConsentScope.CONTACT_SENDING_MUNICIPALITY)
    step(case, world.worker_a, Action.REQUEST_JUSTIFICATION)
    with pytest.raises(ValidationError) as error:
        step(case, world.worker_a, Action.RECORD_JUSTIFICATION_RECEIVED, details={})
    assert "justification" in error.value.message_dict
    step(case, world.worker_a, Action.RECORD_JUSTIFICATION_RECEIVED)
    assert _state(case, Measure.JUSTIFICATION) == MeasureState.JUSTIFICATION_RECEIVED


def test_performed_on_may_not_be_in_the_future_or_before_the_case_came_in(world):
    case = confirmed(world.worker_a)
    before = counts()
    for bad in (timezone.localdate() + timedelta(days=1), case.received_on - timedelta(days=1)):
        with pytest.raises(ValidationError) as error:
            step(case, world.worker_a, Action.RECORD_OBJECTION, on=bad)
        assert "performed_on" in error.value.message_dict
    assert counts() == before


def test_justification_needs_consent_and_the_refusal_writes_nothing(world):
    case = confirmed(world.worker_a)
    before = counts()
    with pytest.raises(Conflict) as refusal:
        step(case, world.worker_a, Action.REQUEST_JUSTIFICATION)
    assert refusal.value.code == "consent_missing"
    assert "Samtycke till kontakt med avsändande kommun saknas" in refusal.value.message
    assert counts() == before


def test_a_withdrawn_consent_blocks_at_once(world):
    case = confirmed(world.worker_a)
    consent(case, world.worker_a, ConsentScope.CONTACT_SENDING_MUNICIPALITY)
    assert case_facts(case=case, today=timezone.localdate()).consents == {
        ConsentScope.CONTACT_SENDING_MUNICIPALITY: ConsentStatus.GIVEN
    }
    consent(
        case, world.worker_a, ConsentScope.CONTACT_SENDING_MUNICIPALITY, ConsentStatus.WITHDRAWN
    )
    with pytest.raises(Conflict) as refusal:
        step(case, world.worker_a, Action.REQUEST_JUSTIFICATION)
    assert "återkallat" in refusal.value.message
    summary = case_workflow_summary(case=case, today=timezone.localdate())
    blocked = {item.action: item.reason for item in summary.blocked_steps}
    assert "återkallat" in blocked[Action.REQUEST_JUSTIFICATION]
    # A new consent lets the step go ahead again.
    consent(case, world.worker_a, ConsentScope.CONTACT_SENDING_MUNICIPALITY)
    step(case, world.worker_a, Action.REQUEST_JUSTIFICATION)
    assert _state(case, Measure.JUSTIFICATION) == MeasureState.REQUESTED


def test_transfer_request_starts_a_one_month_answer_deadline(world):
    case = confirmed(world.worker_a)
    consent(case, world.worker_a, ConsentScope.RETURN_PROCESS)
    step(case, world.worker_a, Action.SEND_TRANSFER_REQUEST)
    answer = _open(case, DeadlineKind.TRANSFER_ANSWER)
    assert answer.due_on == statutory_due_date(case.received_on, 1)
    assert _state(case, Measure.RETURN_OF_RESPONSIBILITY) == MeasureState.REQUEST_SENT


def test_no_answer_can_be_recorded_only_after_the_due_date(world):
    case = confirmed(world.worker_a)
    consent(case, world.worker_a, ConsentScope.RETURN_PROCESS)
    step(case, world.worker_a, Action.SEND_TRANSFER_REQUEST)
    due = _open(case, DeadlineKind.TRANSFER_ANSWER).due_on
    before = counts()
    with pytest.raises(Conflict) as refusal:
        step(case, world.worker_a, Action.RECORD_TRANSFER_NO_ANSWER, on=due, today=due)
    assert refusal.value.code == "deadline_not_passed"
    assert due.isoformat() in refusal.value.message
    assert counts() == before
    after = due + timedelta(days=1)
    step(case, world.worker_a, Action.RECORD_TRANSFER_NO_ANSWER, on=after, today=after)
    assert _state(case, Measure.RETURN_OF_RESPONSIBILITY) == MeasureState.NO_ANSWER
    answer = Deadline.objects.get(case=case, kind=DeadlineKind.TRANSFER_ANSWER)
    assert answer.met_on == after


def test_ivo_is_refused_for_a_financial_assistance_only_case(world):
    case = confirmed(world.worker_a, interventions=FINANCIAL_ONLY)
    consent(case, world.worker_a, ConsentScope.RETURN_PROCESS)
    step(case, world.worker_a, Action.SEND_TRANSFER_REQUEST)
    step(case, world.worker_a, Action.RECORD_TRANSFER_DECLINED)
    before = counts()
    with pytest.raises(Conflict) as refusal:
        step(case, world.worker_a, Action.APPLY_TO_IVO)
    assert refusal.value.code == "ivo_requires_care_intervention"
    assert "Ekonomiskt bistånd ensamt" in refusal.value.message
    assert counts() == before
    assert _state(case, Measure.RETURN_OF_RESPONSIBILITY) == MeasureState.DECLINED
    # The way on is to mark the return not applicable, with a reason.
    step(
        case,
        world.worker_a,
        Action.MARK_NOT_APPLICABLE,
        measure=Measure.RETURN_OF_RESPONSIBILITY,
        reason="Endast ekonomiskt bistånd; IVO-vägen gäller inte.",
    )
    row = CaseMeasure.objects.get(case=case, measure=Measure.RETURN_OF_RESPONSIBILITY)
    assert row.state == MeasureState.NOT_APPLICABLE
    assert row.not_applicable_reason.startswith("Endast ekonomiskt bistånd")


def test_transfer_request_needs_an_ongoing_intervention(world):
    case = confirmed(world.worker_a, interventions=())
    consent(case, world.worker_a, ConsentScope.RETURN_PROCESS)
    with pytest.raises(Conflict) as refusal:
        step(case, world.worker_a, Action.SEND_TRANSFER_REQUEST)
    assert refusal.value.code == "no_ongoing_intervention"


def test_the_whole_ivo_path_closes_as_transferred_by_ivo(world):
    user = world.worker_a
    case = confirmed(user)
    consent(case, user, ConsentScope.CONTACT_SENDING_MUNICIPALITY)
    consent(case, user, ConsentScope.RETURN_PROCESS)
    consent(case, user, ConsentScope.HOME_VISIT)
    for action in (
        Action.RECORD_OBJECTION,
        Action.REQUEST_JUSTIFICATION,
        Action.RECORD_JUSTIFICATION_NOT_RECEIVED,
        Action.RECORD_PERSONAL_ACCOUNT,
        Action.SEND_OFFICIAL_LETTER,
        Action.SEND_TRANSFER_REQUEST,
        Action.RECORD_TRANSFER_DECLINED,
        Action.APPLY_TO_IVO,
    ):
        step(case, user, action)
    ivo = _open(case, DeadlineKind.IVO_DECISION_EXPECTED)
    assert ivo.informational
    assert ivo.due_on == statutory_due_date(case.received_on, 3)
    with pytest.raises(Conflict) as refusal:
        step(case, user, Action.CLOSE, outcome=Outcome.TRANSFERRED_BY_IVO)
    assert refusal.value.code == "measures_open"
    step(case, user, Action.RECORD_IVO_GRANTED, details={"decision_reference": "IVO 3.5-1/2026"})
    assert Deadline.objects.get(case=case, kind=DeadlineKind.IVO_DECISION_EXPECTED).met_on
    step(case, user, Action.RECORD_HOME_VISIT)
    step(case, user, Action.RECORD_FINANCIAL_ASSISTANCE_ASSESSMENT)
    case = step(case, user, Action.CLOSE, outcome=Outcome.TRANSFERRED_BY_IVO, reason="Klart.")
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert case.outcome == Outcome.TRANSFERRED_BY_IVO
    assert case.closing_note == "Klart."
    assert not Deadline.objects.filter(case=case, met_on__isnull=True).exists()
    with pytest.raises(Conflict) as refusal:
        step(case, user, Action.RECORD_HOME_VISIT)
    assert refusal.value.code == "wrong_status"


def test_closing_closes_every_open_deadline(world):
    case = new_case(world.worker_a)
    case = step(case, world.worker_a, Action.ASSESS_CONFIRM, reason="Ja.")
    for measure in Measure:
        step(
            case,
            world.worker_a,
            Action.MARK_NOT_APPLICABLE,
            measure=measure,
            reason="Den enskilde avböjde allt.",
        )
    assert not Deadline.objects.filter(case=case, met_on__isnull=True).exists()
    step(case, world.worker_a, Action.CLOSE, outcome=Outcome.DECLINED_BY_PERSON)
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED


def test_mark_not_applicable_needs_a_reason_and_meets_the_measures_deadline(world):
    case = confirmed(world.worker_a)
    with pytest.raises(Conflict) as refusal:
        step(case, world.worker_a, Action.MARK_NOT_APPLICABLE, measure=Measure.OFFICIAL_LETTER)
    assert refusal.value.code == "reason_required"
    step(
        case,
        world.worker_a,
        Action.MARK_NOT_APPLICABLE,
        measure=Measure.OFFICIAL_LETTER,
        reason="Kommunen har redan fått en skrivelse i ett tidigare ärende.",
    )
    letter = Deadline.objects.get(case=case, kind=DeadlineKind.OFFICIAL_LETTER)
    assert letter.met_on == case.received_on


def test_unknown_values_are_validation_errors(world):
    case = confirmed(world.worker_a)
    with pytest.raises(ValidationError):
        step(case, world.worker_a, "fly_to_the_moon")
    with pytest.raises(ValidationError):
        step(case, world.worker_a, Action.MARK_NOT_APPLICABLE, measure="x", reason="r")
    with pytest.raises(ValidationError):
        step(case, world.worker_a, Action.CLOSE, outcome="x")


def test_a_worker_of_another_unit_may_not_take_steps(world):
    case = new_case(world.worker_a)
    before = counts()
    with pytest.raises(AccessDenied):
        step(case, world.worker_b, Action.ASSESS_CONFIRM, reason="Ja.")
    with pytest.raises(AccessDenied):
        consent(case, world.worker_b, ConsentScope.HOME_VISIT)
    assert counts() == before


def test_summary_lists_measures_deadlines_and_next_steps(world):
    case = confirmed(world.worker_a, interventions=FINANCIAL_ONLY)
    summary = case_workflow_summary(case=case, today=timezone.localdate())
    assert summary.status == CaseStatus.CONFIRMED
    assert [row.measure for row in summary.measures] == list(Measure)
    required = {row.measure for row in summary.measures if row.required}
    assert Measure.RETURN_OF_RESPONSIBILITY in required  # an ongoing financial assistance
    assert {row.deadline.kind for row in summary.deadlines} == {
        DeadlineKind.CONTACT_SENDING_MUNICIPALITY,
        DeadlineKind.OFFICIAL_LETTER,
    }
    allowed = {item.action for item in summary.allowed_steps}
    assert Action.RECORD_OBJECTION in allowed
    assert Action.REQUEST_JUSTIFICATION not in allowed
    assert len(summary.step_records) == 1


def test_no_answer_dated_on_or_before_the_due_date_is_refused_even_when_typed_in_later(world):
    # Typed in long after the period, but dated inside it: the date is what is recorded.
    case = confirmed(world.worker_a)
    consent(case, world.worker_a, ConsentScope.RETURN_PROCESS)
    step(case, world.worker_a, Action.SEND_TRANSFER_REQUEST)
    due = _open(case, DeadlineKind.TRANSFER_ANSWER).due_on
    later = due + timedelta(days=30)
    before = counts()
    for dated in (case.received_on, due - timedelta(days=1), due):
        with pytest.raises(ValidationError) as error:
            step(case, world.worker_a, Action.RECORD_TRANSFER_NO_ANSWER, on=dated, today=later)
        message = " ".join(error.value.message_dict["performed_on"])
        assert (due + timedelta(days=1)).isoformat() in message
    assert counts() == before
    assert _open(case, DeadlineKind.TRANSFER_ANSWER).met_on is None


def test_dismissing_meets_the_contact_deadline(world):
    case = new_case(world.worker_a)
    step(case, world.worker_a, Action.ASSESS_DISMISS, reason="Eget val att flytta.")
    contact = Deadline.objects.get(case=case, kind=DeadlineKind.CONTACT_SENDING_MUNICIPALITY)
    assert contact.met_on == case.received_on


def _closed_dismissed(world):
    case = new_case(world.worker_a)
    case = step(case, world.worker_a, Action.ASSESS_DISMISS, reason="Eget val att flytta.")
    return step(case, world.worker_a, Action.CLOSE, outcome=Outcome.NOT_ACTIVE_INVOLVEMENT)


def test_a_closed_case_reopens_with_a_reason_audited(world):
    case = _closed_dismissed(world)
    before = counts()
    with pytest.raises(Conflict) as refusal:
        step(case, world.worker_a, Action.REOPEN, reason="  ")
    assert refusal.value.code == "reason_required"
    assert counts() == before
    case = step(case, world.worker_a, Action.REOPEN, reason="Nya uppgifter om flytten.")
    case.refresh_from_db()
    assert case.status == CaseStatus.DISMISSED
    assert (case.outcome, case.closed_on, case.closing_note) == ("", None, "")
    record = StepRecord.objects.filter(case=case).order_by("-id").first()
    assert record.action == Action.REOPEN and record.note == "Nya uppgifter om flytten."
    assert AuditEvent.objects.filter(case_id=case.pk, detail="steg: reopen").exists()
    assert CaseEvent.objects.filter(case=case, text__contains="Återöppna ärendet").exists()
    # Open again: it can be closed once more.
    step(case, world.worker_a, Action.CLOSE, outcome=Outcome.OTHER)


def test_reopening_cannot_be_dated_before_the_closing(world):
    case = _closed_dismissed(world)
    Case.objects.filter(pk=case.pk).update(closed_on=timezone.localdate())
    with pytest.raises(ValidationError) as error:
        step(case, world.worker_a, Action.REOPEN, reason="Skäl.", on=case.received_on)
    assert "performed_on" in error.value.message_dict


def test_a_closed_confirmed_case_shows_what_was_done_and_what_was_not(world):
    case = confirmed(world.worker_a, interventions=())
    step(case, world.worker_a, Action.RECORD_OBJECTION)
    for measure in Measure:
        if measure != Measure.OBJECTION and measure != Measure.RETURN_OF_RESPONSIBILITY:
            step(
                case, world.worker_a, Action.MARK_NOT_APPLICABLE, measure=measure, reason="Avböjt."
            )
    case = step(case, world.worker_a, Action.CLOSE, outcome=Outcome.DECLINED_BY_PERSON)
    summary = case_workflow_summary(case=case, today=timezone.localdate())
    standing = {row.measure: row.standing for row in summary.measures}
    assert standing[Measure.OBJECTION] == MeasureStanding.DONE
    assert standing[Measure.HOME_VISIT] == MeasureStanding.NOT_APPLICABLE
    assert standing[Measure.RETURN_OF_RESPONSIBILITY] == MeasureStanding.NEVER_REQUIRED
    assert MeasureStanding.NOT_REQUIRED not in standing.values()
