"""Housing services: the account, children's views, the dwelling, home visits, landlords."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from motverka.audit.models import AuditEvent
from motverka.cases.errors import AccessDenied, Conflict
from motverka.cases.models import CaseEvent
from motverka.housing import selectors, services
from motverka.housing.models import ChildView, HomeVisit, Housing, Landlord, PersonalAccount
from motverka.workflow.deadlines import DeadlineKind
from motverka.workflow.models import Deadline, StepRecord
from motverka.workflow.policy import Action, ConsentStatus, Measure, MeasureState
from motverka.workflow.services import deadline_rules
from tests.factories import identity_number
from tests.housing.helpers import (
    ADDRESS,
    account,
    confirmed,
    home_visit_consent,
    housing,
    landlord,
    new_case,
    private_landlord,
    report,
    step,
    today,
)

pytestmark = pytest.mark.django_db


def _state(case, measure):
    return selectors.measure_state(case, measure)


def _writes():
    return {
        "audit": AuditEvent.objects.exclude(action__in=["read", "search", "denied"]).count(),
        "events": CaseEvent.objects.count(),
        "steps": StepRecord.objects.count(),
        "accounts": PersonalAccount.objects.count(),
        "visits": HomeVisit.objects.count(),
        "housings": Housing.objects.count(),
        "deadlines": Deadline.objects.count(),
        "landlords": Landlord.objects.count(),
    }


# --- The person's account -----------------------------------------------------------------------


def test_the_first_account_completes_the_measure_in_the_same_step(world):
    case = confirmed(world.worker_a)
    first = services.personal_account_record(acting_user=world.worker_a, case=case, data=account())
    assert first.version == 1
    assert _state(case, Measure.PERSONAL_ACCOUNT) == MeasureState.DONE
    record = StepRecord.objects.get(case=case, action=Action.RECORD_PERSONAL_ACCOUNT)
    assert "version 1" in record.details["account"]
    assert "Jag ville inte flytta" not in record.details["account"]  # the text stays here


def test_a_later_account_is_a_new_version_without_a_second_step(world):
    case = confirmed(world.worker_a)
    services.personal_account_record(acting_user=world.worker_a, case=case, data=account())
    second = services.personal_account_record(
        acting_user=world.worker_a, case=case, data=account(wish_to_move="unclear")
    )
    assert second.version == 2
    assert StepRecord.objects.filter(action=Action.RECORD_PERSONAL_ACCOUNT).count() == 1
    assert [row.version for row in selectors.personal_accounts_of(case)] == [2, 1]
    assert PersonalAccount.objects.get(version=1).wish_to_move == "no"  # history unchanged


def test_an_account_before_the_assessment_is_refused_by_the_policy_and_saves_nothing(world):
    case = new_case(world.worker_a)
    before = _writes()
    with pytest.raises(Conflict) as refusal:
        services.personal_account_record(acting_user=world.worker_a, case=case, data=account())
    assert refusal.value.code == "wrong_status"
    assert "inte bedömt" in refusal.value.message
    assert _writes() == before


def test_an_account_needs_answers_and_some_text(world):
    case = confirmed(world.worker_a)
    before = _writes()
    with pytest.raises(ValidationError) as error:
        services.personal_account_record(
            acting_user=world.worker_a,
            case=case,
            data=account(
                wish_to_move="kanske",
                told_on=today() + timedelta(days=1),
                told_what="",
                told_by="",
                lease_found_by="",
                lease_signed_by="",
                free_text="",
            ),
        )
    assert set(error.value.message_dict) == {"wish_to_move", "told_on", "free_text"}
    assert _writes() == before


def test_another_units_worker_cannot_record_an_account(world):
    case = confirmed(world.worker_a)
    with pytest.raises(AccessDenied):
        services.personal_account_record(acting_user=world.worker_b, case=case, data=account())


def test_each_child_is_heard_separately(world):
    case = confirmed(world.worker_a)
    child = selectors.children_of(case, today())[0]
    view = services.child_view_record(
        acting_user=world.worker_a,
        case=case,
        member_id=child.pk,
        heard_on=today(),
        heard_by="child",
        view="Saknar sina kompisar.",
    )
    assert view.member == child
    assert ChildView.objects.filter(case=case).count() == 1


def test_only_a_child_of_the_household_can_be_heard(world):
    case = confirmed(world.worker_a)
    other = confirmed(world.worker_a)
    others_child = selectors.children_of(other, today())[0]
    with pytest.raises(ValidationError) as error:
        services.child_view_record(
            acting_user=world.worker_a,
            case=case,
            member_id=others_child.pk,
            heard_on=today(),
            heard_by="child",
            view="x",
        )
    assert "member" in error.value.message_dict


# --- The dwelling and the rent-end follow-up ---------------------------------------------------


def test_housing_is_saved_without_the_address_reaching_the_log_or_timeline(world):
    case = new_case(world.worker_a)
    saved = housing(case, world.worker_a)
    assert saved.address == ADDRESS
    assert all("Storgatan" not in event.text for event in CaseEvent.objects.all())
    assert all("Storgatan" not in row.detail for row in AuditEvent.objects.all())
    assert AuditEvent.objects.filter(object_type="housing", action="create").exists()


def _follow_up_due(source: date) -> date:
    # The rule is "0 days", moved off weekends and holidays (nyårsafton too).
    return deadline_rules()[DeadlineKind.RENT_END_FOLLOW_UP].due_date(source)


def test_setting_the_rent_end_date_creates_the_follow_up_and_a_change_moves_it(world):
    case = new_case(world.worker_a)
    first_end = today() + timedelta(days=30)
    housing(case, world.worker_a, rent_paid_months=2, rent_paid_until=first_end)
    deadline = Deadline.objects.get(case=case, kind=DeadlineKind.RENT_END_FOLLOW_UP)
    assert deadline.source_date == first_end and deadline.due_on == _follow_up_due(first_end)

    later_end = first_end + timedelta(days=31)
    housing(case, world.worker_a, rent_paid_months=3, rent_paid_until=later_end)
    deadlines = Deadline.objects.filter(case=case, kind=DeadlineKind.RENT_END_FOLLOW_UP)
    assert deadlines.count() == 1
    assert deadlines.get().source_date == later_end
    assert deadlines.get().due_on == _follow_up_due(later_end)

    housing(case, world.worker_a, rent_paid_until=None)
    assert not Deadline.objects.filter(case=case, kind=DeadlineKind.RENT_END_FOLLOW_UP).exists()


def test_an_unchanged_rent_end_date_does_not_touch_the_deadline(world):
    case = new_case(world.worker_a)
    end = today() + timedelta(days=30)
    housing(case, world.worker_a, rent_paid_until=end)
    events = CaseEvent.objects.filter(case=case, kind="deadline").count()
    housing(case, world.worker_a, rent_paid_until=end, monthly_rent=Decimal("8000"))
    assert CaseEvent.objects.filter(case=case, kind="deadline").count() == events


def test_bad_housing_figures_are_refused_in_swedish_and_nothing_is_saved(world):
    case = new_case(world.worker_a)
    before = _writes()
    with pytest.raises(ValidationError) as error:
        housing(
            case,
            world.worker_a,
            lease_type="villa",
            monthly_rent=Decimal("-1"),
            rooms=0,
            area_m2=Decimal("0"),
            deposit_paid=Decimal("1.005"),
            landlord_id=999_999,
            rent_paid_until=case.moved_on - timedelta(days=1),
        )
    assert set(error.value.message_dict) == {
        "lease_type",
        "monthly_rent",
        "rooms",
        "area_m2",
        "deposit_paid",
        "landlord",
        "rent_paid_until",
    }
    assert _writes() == before


def test_keep_leaves_the_stored_address(world):
    case = new_case(world.worker_a, protected_identity=True)
    housing(case, world.worker_a)
    housing(case, world.worker_a, address=services.KEEP, rooms=3)
    saved = Housing.objects.get(case=case)
    assert saved.address == ADDRESS and saved.rooms == 3


def test_known_addresses_feed_the_letters_check(world):
    case = new_case(world.worker_a, protected_identity=True)
    housing(case, world.worker_a)
    assert selectors.known_addresses(case.person) == [ADDRESS]
    assert selectors.address_for_display(Housing.objects.get(), case.person) == "Skyddad adress"


# --- Home visits and consent ------------------------------------------------------------------


def test_home_visit_is_refused_without_consent_allowed_after_and_refused_after_withdrawal(world):
    case = confirmed(world.worker_a)
    before = _writes()
    with pytest.raises(Conflict) as planning:
        services.home_visit_plan(acting_user=world.worker_a, case=case, planned_on=today())
    assert planning.value.code == "consent_missing"
    assert "samtycke" in planning.value.message.lower()
    with pytest.raises(Conflict) as recording:
        services.home_visit_record(acting_user=world.worker_a, case=case, report=report())
    assert recording.value.code == "consent_missing"
    assert _writes() == before

    home_visit_consent(case, world.worker_a)
    planned = services.home_visit_plan(acting_user=world.worker_a, case=case, planned_on=today())
    assert planned.status == "planned"

    home_visit_consent(case, world.worker_a, ConsentStatus.WITHDRAWN)
    with pytest.raises(Conflict):
        services.home_visit_plan(acting_user=world.worker_a, case=case, planned_on=today())
    with pytest.raises(Conflict) as after_withdrawal:
        services.home_visit_record(
            acting_user=world.worker_a, case=case, report=report(), visit_id=planned.pk
        )
    assert after_withdrawal.value.code == "consent_missing"
    assert "återkallat" in after_withdrawal.value.message
    assert _state(case, Measure.HOME_VISIT) == MeasureState.PENDING


def test_a_refused_consent_blocks_the_home_visit(world):
    case = confirmed(world.worker_a)
    home_visit_consent(case, world.worker_a, ConsentStatus.REFUSED)
    with pytest.raises(Conflict):
        services.home_visit_plan(acting_user=world.worker_a, case=case, planned_on=today())


def test_recording_the_visit_completes_the_measure_and_snapshots_the_household(world):
    case = confirmed(world.worker_a)
    housing(case, world.worker_a, rooms=2, area_m2=Decimal("48.5"))
    home_visit_consent(case, world.worker_a)
    planned = services.home_visit_plan(acting_user=world.worker_a, case=case, planned_on=today())
    visit = services.home_visit_record(
        acting_user=world.worker_a, case=case, report=report(), visit_id=planned.pk
    )
    assert visit.pk == planned.pk and visit.status == "performed"
    assert _state(case, Measure.HOME_VISIT) == MeasureState.DONE
    # The person and the child of the factory's household.
    assert (visit.persons_in_household, visit.children_in_household) == (2, 1)
    assert (visit.rooms, visit.area_m2) == (2, Decimal("48.5"))


def test_a_second_visit_needs_consent_too_but_takes_no_second_step(world):
    case = confirmed(world.worker_a)
    home_visit_consent(case, world.worker_a)
    services.home_visit_record(acting_user=world.worker_a, case=case, report=report())
    services.home_visit_record(acting_user=world.worker_a, case=case, report=report())
    assert StepRecord.objects.filter(action=Action.RECORD_HOME_VISIT).count() == 1
    home_visit_consent(case, world.worker_a, ConsentStatus.WITHDRAWN)
    with pytest.raises(Conflict):
        services.home_visit_record(acting_user=world.worker_a, case=case, report=report())


@pytest.mark.parametrize("assessment", ["unsuitable", "harmful"])
def test_an_unsuitable_or_harmful_home_requires_recorded_advice(world, assessment):
    case = confirmed(world.worker_a)
    home_visit_consent(case, world.worker_a)
    before = _writes()
    with pytest.raises(ValidationError) as error:
        services.home_visit_record(
            acting_user=world.worker_a, case=case, report=report(assessment=assessment)
        )
    assert "advised_to_seek_housing" in error.value.message_dict
    assert "söka ny bostad" in error.value.message_dict["advised_to_seek_housing"][0]
    assert _writes() == before
    visit = services.home_visit_record(
        acting_user=world.worker_a,
        case=case,
        report=report(assessment=assessment, advised_to_seek_housing=True, advised_on=today()),
    )
    assert visit.advised_to_seek_housing and visit.advised_on == today()


def test_advice_needs_a_date_not_before_the_visit(world):
    case = confirmed(world.worker_a)
    home_visit_consent(case, world.worker_a)
    with pytest.raises(ValidationError) as error:
        services.home_visit_record(
            acting_user=world.worker_a,
            case=case,
            report=report(
                assessment="harmful",
                advised_to_seek_housing=True,
                advised_on=today() - timedelta(days=2),
            ),
        )
    assert "advised_on" in error.value.message_dict


def test_a_planned_visit_can_be_cancelled_with_a_reason(world):
    case = confirmed(world.worker_a)
    home_visit_consent(case, world.worker_a)
    planned = services.home_visit_plan(acting_user=world.worker_a, case=case, planned_on=today())
    with pytest.raises(ValidationError):
        services.home_visit_cancel(
            acting_user=world.worker_a, case=case, visit_id=planned.pk, reason=""
        )
    cancelled = services.home_visit_cancel(
        acting_user=world.worker_a, case=case, visit_id=planned.pk, reason="Samtycket återkallat."
    )
    assert cancelled.status == "cancelled"


def test_a_home_visit_in_an_unconfirmed_case_is_refused(world):
    case = new_case(world.worker_a)
    home_visit_consent(case, world.worker_a)
    with pytest.raises(Conflict) as refusal:
        services.home_visit_plan(acting_user=world.worker_a, case=case, planned_on=today())
    assert refusal.value.code == "wrong_status"


# --- Landlords ---------------------------------------------------------------------------------


@pytest.mark.parametrize("number", ["556016-0680", "5560160680", "16556016-0680", " 556016 0680 "])
def test_valid_organisation_numbers_are_stored_as_ten_digits(world, number):
    saved = landlord(world.worker_a, number=number)
    assert saved.organisation_number == "5560160680"
    assert saved.number_display == "556016-0680"


@pytest.mark.parametrize("number", ["556016-0681", "123", "abcdefghij", ""])
def test_an_invalid_organisation_number_is_refused_in_swedish(world, number):
    with pytest.raises(ValidationError) as error:
        landlord(world.worker_a, number=number)
    message = error.value.message_dict["organisation_number"][0]
    assert "organisationsnumret" in message.lower()
    assert not Landlord.objects.exists()


def test_a_personal_identity_number_is_not_accepted_as_organisation_number(world):
    with pytest.raises(ValidationError) as error:
        landlord(world.worker_a, number=identity_number()[2:])
    assert "privatperson" in error.value.message_dict["organisation_number"][0]


def test_a_landlord_is_registered_once(world):
    first = landlord(world.worker_a)
    with pytest.raises(services.LandlordExists) as conflict:
        landlord(world.worker_b, number="5560160680")
    assert conflict.value.landlord == first and conflict.value.code == "landlord_exists"


def test_a_private_landlord_has_a_valid_identity_number_that_never_reaches_the_log(world):
    number = identity_number()
    saved = private_landlord(world.worker_a, number)
    assert saved.personal_identity_number == number
    assert saved.number_masked.endswith("-XXXX")
    assert all(number not in row.detail for row in AuditEvent.objects.all())
    with pytest.raises(ValidationError) as error:
        private_landlord(world.worker_a, "19900101-0000")
    assert "personal_identity_number" in error.value.message_dict


def test_analysts_cannot_register_landlords(world):
    with pytest.raises(AccessDenied):
        landlord(world.analyst)


def test_reading_a_private_landlord_is_logged(world):
    saved = private_landlord(world.worker_a, identity_number())
    selectors.landlord_get_for_user(user=world.worker_b, landlord_id=saved.pk)
    assert AuditEvent.objects.filter(
        action="read", object_type="landlord", object_id=str(saved.pk), actor=world.worker_b
    ).exists()
    selectors.landlord_page(user=world.worker_b)
    assert AuditEvent.objects.filter(
        action="search", object_type="landlord_list", subjects__object_type="landlord"
    ).exists()


def _case_with_landlord(user, owner, received_on, **overrides):
    case = new_case(user, received_on=received_on, moved_on=received_on, **overrides)
    housing(case, user, landlord_id=owner.pk)
    return case


def test_the_signal_counts_cases_of_every_unit_by_received_date(world):
    owner = landlord(world.worker_a)
    start = today() - timedelta(days=300)
    _case_with_landlord(world.worker_a, owner, start)
    _case_with_landlord(world.worker_b, owner, start + timedelta(days=10))
    assert not selectors.landlord_signal(owner).flagged
    _case_with_landlord(world.worker_a, owner, today())
    signal = selectors.landlord_signal(owner)
    assert signal.flagged and signal.cases_in_window == 3
    assert selectors.landlord_signals([owner.pk])[owner.pk] == signal


def test_a_case_dismissed_as_not_active_involvement_does_not_count(world):
    owner = landlord(world.worker_a)
    for offset in (0, 1):
        _case_with_landlord(world.worker_a, owner, today() - timedelta(days=offset))
    dismissed = _case_with_landlord(world.worker_a, owner, today())
    step(dismissed, world.worker_a, Action.ASSESS_DISMISS, reason="Flyttade av egen vilja.")
    assert not selectors.landlord_signal(owner).flagged


def test_statistics_are_for_unit_managers_and_count_every_unit(world):
    owner = landlord(world.worker_a)
    _case_with_landlord(world.worker_a, owner, today() - timedelta(days=5))
    _case_with_landlord(world.worker_b, owner, today(), sending_municipality_code="1480")
    assert selectors.landlord_statistics(user=world.worker_a, landlord=owner) is None
    stats = selectors.landlord_statistics(user=world.manager, landlord=owner)
    assert stats.cases == 2
    assert {row.code for row in stats.by_sending_municipality} == {"0180", "1480"}
    assert stats.first_received == today() - timedelta(days=5)
    # The manager of unit A sees only unit A's case in the list.
    assert len(selectors.landlord_cases_for_user(user=world.manager, landlord=owner)) == 1


def test_the_landlord_letter_is_addressed_to_the_landlord(world):
    case = confirmed(world.worker_a)
    owner = landlord(world.worker_a)
    with pytest.raises(Conflict):
        services.landlord_letter_draft_create(acting_user=world.worker_a, case=case)
    housing(case, world.worker_a, landlord_id=owner.pk)
    letter = services.landlord_letter_draft_create(acting_user=world.worker_a, case=case)
    assert letter.kind == "landlord_letter" and letter.recipient_name == owner.name
    assert date.fromisoformat(letter.letter_date.isoformat()) == today()


def test_a_closed_case_takes_no_more_housing_records(world):
    from motverka.cases.models import Case

    case = confirmed(world.worker_a)
    Case.objects.filter(pk=case.pk).update(status="closed")
    case.refresh_from_db()
    before = _writes()
    for call in (
        lambda: housing(case, world.worker_a),
        lambda: services.personal_account_record(
            acting_user=world.worker_a, case=case, data=account()
        ),
    ):
        with pytest.raises(Conflict) as refusal:
            call()
        assert refusal.value.code == "case_closed"
    assert _writes() == before
