"""Marking letters sent: once, with a date and a channel, and as a step of the workflow."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from motverka.cases.errors import Conflict
from motverka.letters import services
from motverka.letters.models import Letter
from motverka.workflow import services as workflow
from motverka.workflow.models import CaseMeasure, Deadline
from motverka.workflow.policy import Action
from tests.factories import intervention, make_case
from tests.letters.helpers import (
    consent,
    declined_transfer,
    draft,
    finalise,
    finalised,
    ivo_ready,
    record_wishes,
    with_consents,
)


def confirmed_case(user, **overrides):
    case = make_case(user, **overrides)
    return workflow.case_action_perform(
        acting_user=user,
        case=case,
        action=Action.ASSESS_CONFIRM,
        performed_on=case.received_on,
        reason="Bostaden ordnades av avsändande kommun.",
    )


def give_consent(user, case, scope):
    workflow.consent_record(
        acting_user=user,
        case=case,
        scope=scope,
        status="given",
        decided_on=case.received_on,
        form="written",
    )


def test_a_sent_transfer_request_starts_the_one_month_deadline(world):
    case = confirmed_case(world.worker_a)
    give_consent(world.worker_a, case, "return_process")
    letter = finalised(world.worker_a, case, "transfer_request")
    sent_on = timezone.localdate()
    letter = services.letter_mark_sent(
        acting_user=world.worker_a, letter=letter, sent_on=sent_on, channel="post"
    )
    assert letter.is_sent
    assert letter.sent_on == sent_on
    assert letter.sent_channel == "post"
    deadline = Deadline.objects.get(case=case, kind="transfer_answer", met_on__isnull=True)
    assert deadline.source_date == sent_on
    assert deadline.due_on > sent_on + timedelta(days=27)
    measure = CaseMeasure.objects.get(case=case, measure="return_of_responsibility")
    assert measure.state == "request_sent"
    step = case.step_records.get(action="send_transfer_request")
    assert step.details["letter_reference"] == case.reference
    assert case.events.filter(kind="letter_sent").exists()


def test_a_transfer_request_refused_by_the_policy_is_not_marked_sent(world):
    case = with_consents(world.worker_a, confirmed_case(world.worker_a))
    letter = finalised(world.worker_a, case, "transfer_request")
    # The person withdraws the consent after the letter was finalised, before it is sent.
    consent(world.worker_a, case, "return_process", "withdrawn")
    with pytest.raises(Conflict) as refusal:
        services.letter_mark_sent(
            acting_user=world.worker_a,
            letter=letter,
            sent_on=timezone.localdate(),
            channel="email",
        )
    assert refusal.value.code == "consent_missing"
    assert "återkallat" in refusal.value.message
    letter = Letter.objects.get(pk=letter.pk)
    assert not letter.is_sent
    assert letter.sent_on is None
    assert not Deadline.objects.filter(case=case, kind="transfer_answer").exists()
    assert not case.events.filter(kind="letter_sent").exists()


def test_a_sent_objection_letter_completes_the_official_letter_measure(world):
    case = confirmed_case(world.worker_a)
    letter = finalised(world.worker_a, case, "objection_letter")
    services.letter_mark_sent(
        acting_user=world.worker_a,
        letter=letter,
        sent_on=timezone.localdate(),
        channel="secure_digital",
    )
    measure = CaseMeasure.objects.get(case=case, measure="official_letter")
    assert measure.state == "done"
    assert Deadline.objects.get(case=case, kind="official_letter").met_on == timezone.localdate()


def test_an_objection_letter_on_an_unassessed_case_stays_unsent(world):
    case = make_case(world.worker_a)
    letter = finalised(world.worker_a, case, "objection_letter")
    with pytest.raises(Conflict) as refusal:
        services.letter_mark_sent(
            acting_user=world.worker_a, letter=letter, sent_on=timezone.localdate(), channel="post"
        )
    assert "inte bedömt" in refusal.value.message
    assert not Letter.objects.get(pk=letter.pk).is_sent


def test_an_ivo_application_is_finalised_only_once_applying_is_allowed(world):
    case = confirmed_case(
        world.worker_a,
        interventions=(intervention(),),
    )
    with_consents(world.worker_a, case)
    record_wishes(world.worker_a, case)
    letter = draft(world.worker_a, case, "ivo_application")
    preview = services.letter_preview(acting_user=world.worker_a, letter=letter)
    assert preview.workflow_refusal is not None
    with pytest.raises(Conflict) as refusal:
        finalise(acting_user=world.worker_a, letter=letter, confirm_unverified_reference=True)
    assert refusal.value.code == "ivo_application_not_allowed"
    assert "avböjt begäran" in refusal.value.message
    assert Letter.objects.get(pk=letter.pk).is_draft

    # Once the sending municipality has declined, the same draft finalises and is sent.
    declined_transfer(world.worker_a, case)
    letter = finalise(acting_user=world.worker_a, letter=letter, confirm_unverified_reference=True)
    letter = services.letter_mark_sent(
        acting_user=world.worker_a, letter=letter, sent_on=timezone.localdate(), channel="post"
    )
    assert letter.is_sent
    assert CaseMeasure.objects.get(case=case, measure="return_of_responsibility").state == (
        "ivo_applied"
    )


def test_an_ivo_application_written_before_the_answer_never_counts_as_sent(world):
    case = confirmed_case(
        world.worker_a,
        interventions=(intervention(),),
    )
    with_consents(world.worker_a, case)
    case = ivo_ready(world.worker_a, case)
    # Dated before the decline it relies on (as a letter finalised early would be).
    letter = finalised(
        world.worker_a, case, "ivo_application", letter_date=case.received_on - timedelta(days=1)
    )
    with pytest.raises(Conflict) as refusal:
        services.letter_mark_sent(
            acting_user=world.worker_a, letter=letter, sent_on=timezone.localdate(), channel="post"
        )
    assert refusal.value.code == "ivo_application_before_answer"
    assert not Letter.objects.get(pk=letter.pk).is_sent
    assert CaseMeasure.objects.get(case=case, measure="return_of_responsibility").state == (
        "declined"
    )


def test_letters_without_a_workflow_step_are_simply_marked_sent(world):
    case = make_case(world.worker_a)
    letter = finalised(world.worker_a, case, "landlord_letter")
    letter = services.letter_mark_sent(
        acting_user=world.worker_a, letter=letter, sent_on=timezone.localdate(), channel="post"
    )
    assert letter.is_sent


def test_a_letter_is_marked_sent_once_and_only_after_finalising(world):
    case = make_case(world.worker_a)
    draft = services.letter_draft_create(
        acting_user=world.worker_a, case=case, kind="landlord_letter"
    )
    with pytest.raises(Conflict):
        services.letter_mark_sent(
            acting_user=world.worker_a, letter=draft, sent_on=timezone.localdate(), channel="post"
        )
    letter = finalised(world.worker_a, case, "landlord_letter")
    services.letter_mark_sent(
        acting_user=world.worker_a, letter=letter, sent_on=timezone.localdate(), channel="post"
    )
    with pytest.raises(Conflict) as refusal:
        services.letter_mark_sent(
            acting_user=world.worker_a,
            letter=letter,
            sent_on=timezone.localdate(),
            channel="email",
        )
    assert refusal.value.code == "letter_already_sent"
    assert Letter.objects.get(pk=letter.pk).sent_channel == "post"


@pytest.mark.parametrize(
    ("days", "channel", "field"),
    [(1, "post", "sent_on"), (-400, "post", "sent_on"), (0, "pigeon", "channel")],
)
def test_bad_sending_details_are_refused(world, days, channel, field):
    case = make_case(world.worker_a)
    letter = finalised(world.worker_a, case, "landlord_letter")
    with pytest.raises(ValidationError) as error:
        services.letter_mark_sent(
            acting_user=world.worker_a,
            letter=letter,
            sent_on=timezone.localdate() + timedelta(days=days),
            channel=channel,
        )
    assert field in error.value.message_dict
    assert not Letter.objects.get(pk=letter.pk).is_sent
