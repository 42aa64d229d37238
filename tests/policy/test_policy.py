"""The policy as a pure state model: every status × action, every measure state, the guards.

The expectation tables below are written out by hand from domain.md §2 and the task brief;
they are deliberately not derived from ``motverka.workflow.policy`` so that a mistake in the
implementation's tables shows up as a failing test rather than being copied into the test.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from motverka.workflow.deadlines import DeadlineKind
from motverka.workflow.policy import (
    Action,
    CaseFacts,
    CaseStatus,
    ConsentScope,
    ConsentStatus,
    Measure,
    MeasureStanding,
    MeasureState,
    Outcome,
    PolicyError,
    Transition,
    available_actions,
    consent_needed,
    decide,
    is_complete,
    measure_standing,
    open_measures,
    required_measures,
)

A = Action
M = Measure
S = MeasureState
D = DeadlineKind

TODAY = date(2026, 3, 10)
A_REASON = "Bedömning gjord enligt riktlinjen."

# --- Expectations, written out -----------------------------------------------------------------

# Every state each measure can be in.
STATES_OF: dict[Measure, tuple[MeasureState, ...]] = {
    M.OBJECTION: (S.PENDING, S.DONE, S.NOT_APPLICABLE),
    M.JUSTIFICATION: (
        S.PENDING,
        S.REQUESTED,
        S.JUSTIFICATION_RECEIVED,
        S.JUSTIFICATION_NOT_RECEIVED,
        S.NOT_APPLICABLE,
    ),
    M.PERSONAL_ACCOUNT: (S.PENDING, S.DONE, S.NOT_APPLICABLE),
    M.OFFICIAL_LETTER: (S.PENDING, S.DONE, S.NOT_APPLICABLE),
    M.RETURN_OF_RESPONSIBILITY: (
        S.PENDING,
        S.REQUEST_SENT,
        S.ACCEPTED,
        S.DECLINED,
        S.NO_ANSWER,
        S.IVO_APPLIED,
        S.IVO_GRANTED,
        S.IVO_REJECTED,
        S.NOT_APPLICABLE,
    ),
    M.HOME_VISIT: (S.PENDING, S.DONE, S.NOT_APPLICABLE),
    M.FINANCIAL_ASSISTANCE_ASSESSMENT: (S.PENDING, S.DONE, S.NOT_APPLICABLE),
}

COMPLETE = {
    S.DONE,
    S.NOT_APPLICABLE,
    S.JUSTIFICATION_RECEIVED,
    S.JUSTIFICATION_NOT_RECEIVED,
    S.ACCEPTED,
    S.IVO_GRANTED,
    S.IVO_REJECTED,
}


@dataclass(frozen=True)
class Step:
    """One measure step as the policy describes it."""

    measure: Measure
    moves: dict[MeasureState, MeasureState]
    starts: tuple[DeadlineKind, ...] = ()
    meets: tuple[DeadlineKind, ...] = ()
    consent: ConsentScope | None = None


MEASURE_STEPS: dict[Action, Step] = {
    A.RECORD_OBJECTION: Step(
        M.OBJECTION, {S.PENDING: S.DONE}, meets=(D.CONTACT_SENDING_MUNICIPALITY,)
    ),
    A.REQUEST_JUSTIFICATION: Step(
        M.JUSTIFICATION,
        {S.PENDING: S.REQUESTED},
        consent=ConsentScope.CONTACT_SENDING_MUNICIPALITY,
    ),
    A.RECORD_JUSTIFICATION_RECEIVED: Step(M.JUSTIFICATION, {S.REQUESTED: S.JUSTIFICATION_RECEIVED}),
    A.RECORD_JUSTIFICATION_NOT_RECEIVED: Step(
        M.JUSTIFICATION, {S.REQUESTED: S.JUSTIFICATION_NOT_RECEIVED}
    ),
    A.RECORD_PERSONAL_ACCOUNT: Step(M.PERSONAL_ACCOUNT, {S.PENDING: S.DONE}),
    A.SEND_OFFICIAL_LETTER: Step(
        M.OFFICIAL_LETTER, {S.PENDING: S.DONE}, meets=(D.OFFICIAL_LETTER,)
    ),
    A.SEND_TRANSFER_REQUEST: Step(
        M.RETURN_OF_RESPONSIBILITY,
        {S.PENDING: S.REQUEST_SENT},
        starts=(D.TRANSFER_ANSWER,),
        consent=ConsentScope.RETURN_PROCESS,
    ),
    A.RECORD_TRANSFER_ACCEPTED: Step(
        M.RETURN_OF_RESPONSIBILITY, {S.REQUEST_SENT: S.ACCEPTED}, meets=(D.TRANSFER_ANSWER,)
    ),
    A.RECORD_TRANSFER_DECLINED: Step(
        M.RETURN_OF_RESPONSIBILITY, {S.REQUEST_SENT: S.DECLINED}, meets=(D.TRANSFER_ANSWER,)
    ),
    A.RECORD_TRANSFER_NO_ANSWER: Step(
        M.RETURN_OF_RESPONSIBILITY, {S.REQUEST_SENT: S.NO_ANSWER}, meets=(D.TRANSFER_ANSWER,)
    ),
    A.APPLY_TO_IVO: Step(
        M.RETURN_OF_RESPONSIBILITY,
        {S.DECLINED: S.IVO_APPLIED, S.NO_ANSWER: S.IVO_APPLIED},
        starts=(D.IVO_DECISION_EXPECTED,),
        consent=ConsentScope.RETURN_PROCESS,
    ),
    A.RECORD_IVO_GRANTED: Step(
        M.RETURN_OF_RESPONSIBILITY,
        {S.IVO_APPLIED: S.IVO_GRANTED},
        meets=(D.IVO_DECISION_EXPECTED,),
    ),
    A.RECORD_IVO_REJECTED: Step(
        M.RETURN_OF_RESPONSIBILITY,
        {S.IVO_APPLIED: S.IVO_REJECTED},
        meets=(D.IVO_DECISION_EXPECTED,),
    ),
    A.RECORD_HOME_VISIT: Step(M.HOME_VISIT, {S.PENDING: S.DONE}, consent=ConsentScope.HOME_VISIT),
    A.RECORD_FINANCIAL_ASSISTANCE_ASSESSMENT: Step(
        M.FINANCIAL_ASSISTANCE_ASSESSMENT, {S.PENDING: S.DONE}
    ),
}

# Where "ej aktuell" may be set (with a reason), and which deadlines it meets.
NOT_APPLICABLE_FROM = {S.PENDING, S.REQUESTED, S.DECLINED, S.NO_ANSWER}
NOT_APPLICABLE_MEETS: dict[Measure, tuple[DeadlineKind, ...]] = {
    M.OBJECTION: (D.CONTACT_SENDING_MUNICIPALITY,),
    M.JUSTIFICATION: (),
    M.PERSONAL_ACCOUNT: (),
    M.OFFICIAL_LETTER: (D.OFFICIAL_LETTER,),
    M.RETURN_OF_RESPONSIBILITY: (D.TRANSFER_ANSWER, D.IVO_DECISION_EXPECTED),
    M.HOME_VISIT: (),
    M.FINANCIAL_ASSISTANCE_ASSESSMENT: (),
}

# Outside the confirmed status only these actions are possible, with this status after.
ALLOWED_OUTSIDE_CONFIRMED: dict[CaseStatus, dict[Action, CaseStatus]] = {
    CaseStatus.REGISTERED: {
        A.ASSESS_CONFIRM: CaseStatus.CONFIRMED,
        A.ASSESS_DISMISS: CaseStatus.DISMISSED,
    },
    CaseStatus.DISMISSED: {A.CLOSE: CaseStatus.CLOSED},
    # Reopening returns to the latest assessment; facts() below makes that "confirmed".
    CaseStatus.CLOSED: {A.REOPEN: CaseStatus.CONFIRMED},
}

KNOWN_CODES = {
    "consent_missing",
    "ivo_requires_care_intervention",
    "no_ongoing_intervention",
    "wrong_status",
    "wrong_measure_state",
    "measures_open",
    "deadline_not_passed",
    "reason_required",
    "outcome_required",
    "outcome_inconsistent",
    "not_applicable_not_allowed",
    "measure_required",
    "measure_mismatch",
    "assessment_unknown",
    "date_before_closing",
}

ALL_GIVEN = {scope: ConsentStatus.GIVEN for scope in ConsentScope}
ALL_COMPLETE = {
    M.OBJECTION: S.DONE,
    M.JUSTIFICATION: S.JUSTIFICATION_RECEIVED,
    M.PERSONAL_ACCOUNT: S.DONE,
    M.OFFICIAL_LETTER: S.DONE,
    M.RETURN_OF_RESPONSIBILITY: S.ACCEPTED,
    M.HOME_VISIT: S.DONE,
    M.FINANCIAL_ASSISTANCE_ASSESSMENT: S.NOT_APPLICABLE,
}


def facts(
    status: CaseStatus = CaseStatus.CONFIRMED,
    measures: dict[Measure, MeasureState] | None = None,
    consents: dict[ConsentScope, ConsentStatus] | None = None,
    *,
    ongoing: bool = True,
    care: bool = True,
    transfer_answer_due: date | None = TODAY - timedelta(days=1),
    today: date = TODAY,
    assessed_as: CaseStatus | None | str = "auto",
    closed_on: date | None = None,
) -> CaseFacts:
    """Facts in which every guard passes unless the test says otherwise.

    ``assessed_as`` defaults to the status itself once assessed, and to "confirmed" for a
    closed case.
    """
    if assessed_as == "auto":
        assessed_as = {
            CaseStatus.CONFIRMED: CaseStatus.CONFIRMED,
            CaseStatus.DISMISSED: CaseStatus.DISMISSED,
            CaseStatus.CLOSED: CaseStatus.CONFIRMED,
        }.get(status)
    return CaseFacts(
        assessed_as=assessed_as,  # type: ignore[arg-type]
        closed_on=closed_on,
        status=status,
        measures=measures or {},
        consents=ALL_GIVEN if consents is None else consents,
        has_ongoing_intervention=ongoing,
        has_ongoing_care_intervention=care,
        transfer_answer_due=transfer_answer_due,
        today=today,
    )


def inputs_for(action: Action, measure: Measure | None = None) -> dict[str, object]:
    """The user input a valid request for ``action`` would carry."""
    if action in (A.ASSESS_CONFIRM, A.ASSESS_DISMISS, A.REOPEN):
        return {"reason": A_REASON}
    if action == A.MARK_NOT_APPLICABLE:
        return {"measure": measure or M.HOME_VISIT, "reason": "Den enskilde har flyttat."}
    if action == A.CLOSE:
        return {"outcome": Outcome.OTHER}
    return {}


def refusal(case: CaseFacts, action: Action, **kwargs: object) -> PolicyError:
    with pytest.raises(PolicyError) as caught:
        decide(case, action, **kwargs)  # type: ignore[arg-type]
    assert_swedish(caught.value.message)
    return caught.value


def assert_swedish(message: str) -> None:
    # A real sentence for the case worker, not a code: long enough and in Swedish.
    assert len(message) > 20
    assert re.search(r"[åäöÅÄÖ]", message), message


# --- The full table: every status × action (× measure state when confirmed) --------------------


@dataclass(frozen=True)
class Row:
    status: CaseStatus
    action: Action
    state: MeasureState | None  # the state of the action's measure, when it has one
    measure: Measure | None  # the measure acted on
    expected_code: str | None  # None: allowed
    next_status: CaseStatus | None = None
    next_state: MeasureState | None = None

    @property
    def id(self) -> str:
        parts = [self.status.value, self.action.value]
        if self.action == A.MARK_NOT_APPLICABLE and self.measure:
            parts.append(self.measure.value)
        if self.state:
            parts.append(self.state.value)
        return "-".join(parts)


def _rows() -> list[Row]:
    rows: list[Row] = []
    for status, allowed in ALLOWED_OUTSIDE_CONFIRMED.items():
        for action in Action:
            if action in allowed:
                rows.append(Row(status, action, None, None, None, next_status=allowed[action]))
            else:
                rows.append(Row(status, action, None, None, "wrong_status"))
    for action in (A.ASSESS_CONFIRM, A.ASSESS_DISMISS, A.REOPEN):
        rows.append(Row(CaseStatus.CONFIRMED, action, None, None, "wrong_status"))
    for action, step in MEASURE_STEPS.items():
        for state in STATES_OF[step.measure]:
            if state in step.moves:
                rows.append(
                    Row(
                        CaseStatus.CONFIRMED,
                        action,
                        state,
                        step.measure,
                        None,
                        CaseStatus.CONFIRMED,
                        step.moves[state],
                    )
                )
            else:
                rows.append(
                    Row(CaseStatus.CONFIRMED, action, state, step.measure, "wrong_measure_state")
                )
    for measure, states in STATES_OF.items():
        for state in states:
            if state in NOT_APPLICABLE_FROM:
                row = Row(
                    CaseStatus.CONFIRMED,
                    A.MARK_NOT_APPLICABLE,
                    state,
                    measure,
                    None,
                    CaseStatus.CONFIRMED,
                    S.NOT_APPLICABLE,
                )
            else:
                row = Row(
                    CaseStatus.CONFIRMED,
                    A.MARK_NOT_APPLICABLE,
                    state,
                    measure,
                    "not_applicable_not_allowed",
                )
            rows.append(row)
    return rows


ROWS = _rows()


def test_the_table_covers_every_status_and_action() -> None:
    pairs = {(row.status, row.action) for row in ROWS}
    missing = {(status, action) for status in CaseStatus for action in Action} - pairs
    # Closing a confirmed case depends on every measure at once; it has its own tests below.
    assert missing == {(CaseStatus.CONFIRMED, A.CLOSE)}


@pytest.mark.parametrize("row", ROWS, ids=lambda row: row.id)
def test_every_status_action_and_measure_state(row: Row) -> None:
    measures = {row.measure: row.state} if row.measure and row.state else {}
    case = facts(row.status, measures)
    kwargs = inputs_for(row.action, row.measure)
    if row.expected_code is not None:
        assert refusal(case, row.action, **kwargs).code == row.expected_code
        return
    transition = decide(case, row.action, **kwargs)  # type: ignore[arg-type]
    assert transition.action == row.action
    assert transition.status == row.next_status
    assert transition.measure_state == row.next_state
    if row.next_state is not None:
        assert transition.measure == row.measure


@pytest.mark.parametrize("action", list(MEASURE_STEPS), ids=str)
def test_each_measure_step_starts_and_meets_its_deadlines(action: Action) -> None:
    step = MEASURE_STEPS[action]
    start = next(iter(step.moves))
    transition = decide(facts(measures={step.measure: start}), action)
    assert transition.deadlines_started == step.starts
    assert transition.deadlines_met == step.meets
    assert transition.outcome is None


@pytest.mark.parametrize("measure", list(Measure), ids=str)
def test_marking_not_applicable_meets_the_measures_deadlines(measure: Measure) -> None:
    transition = decide(
        facts(), A.MARK_NOT_APPLICABLE, measure=measure, reason="Den enskilde har flyttat."
    )
    assert set(transition.deadlines_met) == set(NOT_APPLICABLE_MEETS[measure])
    assert transition.deadlines_started == ()


# --- Guards: consent, interventions, deadlines --------------------------------------------------

CONSENT_ACTIONS = {
    action: (step.consent, next(iter(step.moves)))
    for action, step in MEASURE_STEPS.items()
    if step.consent is not None
}


def test_consent_needed_names_the_scope_of_each_action() -> None:
    expected = {
        A.REQUEST_JUSTIFICATION: ConsentScope.CONTACT_SENDING_MUNICIPALITY,
        A.SEND_TRANSFER_REQUEST: ConsentScope.RETURN_PROCESS,
        A.APPLY_TO_IVO: ConsentScope.RETURN_PROCESS,
        A.RECORD_HOME_VISIT: ConsentScope.HOME_VISIT,
    }
    assert {action: consent_needed(action) for action in Action} == {
        action: expected.get(action) for action in Action
    }


@pytest.mark.parametrize("consent", [None, ConsentStatus.REFUSED, ConsentStatus.WITHDRAWN])
@pytest.mark.parametrize("action", list(CONSENT_ACTIONS), ids=str)
def test_an_action_needing_consent_is_refused_without_given_consent(
    action: Action, consent: ConsentStatus | None
) -> None:
    scope, state = CONSENT_ACTIONS[action]
    consents = dict(ALL_GIVEN)
    if consent is None:
        del consents[scope]
    else:
        consents[scope] = consent
    step = MEASURE_STEPS[action]
    error = refusal(facts(measures={step.measure: state}, consents=consents), action)
    assert error.code == "consent_missing"


def test_a_missing_consent_says_what_to_do_instead() -> None:
    error = refusal(facts(consents={}), A.REQUEST_JUSTIFICATION)
    assert error.message == (
        "Samtycke till kontakt med avsändande kommun saknas. Registrera den enskildes samtycke "
        "först, eller markera åtgärden som ej aktuell med skäl."
    )


@pytest.mark.parametrize(
    "action",
    [a for a in MEASURE_STEPS if MEASURE_STEPS[a].consent is None],
    ids=str,
)
def test_actions_without_a_consent_scope_go_ahead_without_any_consent(action: Action) -> None:
    step = MEASURE_STEPS[action]
    transition = decide(facts(measures={step.measure: next(iter(step.moves))}, consents={}), action)
    assert transition.measure == step.measure


def test_withdrawing_consent_blocks_the_next_step_at_once() -> None:
    declined = {M.RETURN_OF_RESPONSIBILITY: S.DECLINED}
    given = {ConsentScope.RETURN_PROCESS: ConsentStatus.GIVEN}
    assert decide(facts(measures=declined, consents=given), A.APPLY_TO_IVO).measure_state == (
        S.IVO_APPLIED
    )

    withdrawn = {ConsentScope.RETURN_PROCESS: ConsentStatus.WITHDRAWN}
    error = refusal(facts(measures=declined, consents=withdrawn), A.APPLY_TO_IVO)
    assert error.code == "consent_missing"
    assert "återkallat" in error.message
    # The panel shows the same refusal straight away.
    (step,) = [
        s
        for s in available_actions(facts(measures=declined, consents=withdrawn))
        if s.action == A.APPLY_TO_IVO
    ]
    assert not step.allowed
    assert step.reason == error.message


def test_an_ivo_application_is_refused_for_a_financial_assistance_only_case() -> None:
    for answer in (S.DECLINED, S.NO_ANSWER):
        case = facts(measures={M.RETURN_OF_RESPONSIBILITY: answer}, ongoing=True, care=False)
        error = refusal(case, A.APPLY_TO_IVO)
        assert error.code == "ivo_requires_care_intervention"
        assert "Ekonomiskt bistånd ensamt" in error.message
        assert "vårdinsats" in error.message


def test_an_ivo_application_is_refused_before_a_decline_or_a_passed_deadline() -> None:
    for state in (S.PENDING, S.REQUEST_SENT):
        error = refusal(facts(measures={M.RETURN_OF_RESPONSIBILITY: state}), A.APPLY_TO_IVO)
        assert error.code == "wrong_measure_state"
        assert "avböjt" in error.message
        assert "en månad" in error.message


def test_an_ivo_application_is_allowed_after_a_decline_or_no_answer_with_care_and_consent() -> None:
    for answer in (S.DECLINED, S.NO_ANSWER):
        transition = decide(facts(measures={M.RETURN_OF_RESPONSIBILITY: answer}), A.APPLY_TO_IVO)
        assert transition.measure_state == S.IVO_APPLIED
        assert transition.deadlines_started == (D.IVO_DECISION_EXPECTED,)


def test_a_transfer_request_needs_an_ongoing_intervention() -> None:
    error = refusal(facts(ongoing=False, care=False), A.SEND_TRANSFER_REQUEST)
    assert error.code == "no_ongoing_intervention"
    # Financial assistance is an ongoing intervention: the request itself is allowed.
    transition = decide(facts(ongoing=True, care=False), A.SEND_TRANSFER_REQUEST)
    assert transition.measure_state == S.REQUEST_SENT


def test_no_answer_is_allowed_only_the_day_after_the_deadline() -> None:
    due = date(2026, 4, 7)
    sent = {M.RETURN_OF_RESPONSIBILITY: S.REQUEST_SENT}

    on_due_date = refusal(
        facts(measures=sent, transfer_answer_due=due, today=due), A.RECORD_TRANSFER_NO_ANSWER
    )
    assert on_due_date.code == "deadline_not_passed"
    assert "2026-04-07" in on_due_date.message

    before = refusal(
        facts(measures=sent, transfer_answer_due=due, today=due - timedelta(days=20)),
        A.RECORD_TRANSFER_NO_ANSWER,
    )
    assert before.code == "deadline_not_passed"

    day_after = decide(
        facts(measures=sent, transfer_answer_due=due, today=due + timedelta(days=1)),
        A.RECORD_TRANSFER_NO_ANSWER,
    )
    assert day_after.measure_state == S.NO_ANSWER
    assert day_after.deadlines_met == (D.TRANSFER_ANSWER,)


def test_no_answer_is_refused_when_no_deadline_is_recorded() -> None:
    sent = {M.RETURN_OF_RESPONSIBILITY: S.REQUEST_SENT}
    error = refusal(facts(measures=sent, transfer_answer_due=None), A.RECORD_TRANSFER_NO_ANSWER)
    assert error.code == "deadline_not_passed"


def test_an_answer_from_the_sending_municipality_can_be_recorded_before_the_deadline() -> None:
    sent = {M.RETURN_OF_RESPONSIBILITY: S.REQUEST_SENT}
    case = facts(measures=sent, transfer_answer_due=TODAY + timedelta(days=10))
    assert decide(case, A.RECORD_TRANSFER_DECLINED).measure_state == S.DECLINED
    assert decide(case, A.RECORD_TRANSFER_ACCEPTED).measure_state == S.ACCEPTED


# --- Assessment ---------------------------------------------------------------------------------


def test_confirming_starts_the_contact_and_letter_deadlines() -> None:
    transition = decide(facts(CaseStatus.REGISTERED), A.ASSESS_CONFIRM, reason=A_REASON)
    assert transition == Transition(
        action=A.ASSESS_CONFIRM,
        status=CaseStatus.CONFIRMED,
        measure=None,
        measure_state=None,
        outcome=None,
        deadlines_started=(D.CONTACT_SENDING_MUNICIPALITY, D.OFFICIAL_LETTER),
        deadlines_met=(),
    )


def test_dismissing_starts_no_deadline() -> None:
    transition = decide(facts(CaseStatus.REGISTERED), A.ASSESS_DISMISS, reason=A_REASON)
    assert transition.status == CaseStatus.DISMISSED
    assert transition.deadlines_started == ()


@pytest.mark.parametrize("action", [A.ASSESS_CONFIRM, A.ASSESS_DISMISS], ids=str)
@pytest.mark.parametrize("reason", ["", "   ", "\n\t"])
def test_an_assessment_needs_a_reason(action: Action, reason: str) -> None:
    error = refusal(facts(CaseStatus.REGISTERED), action, reason=reason)
    assert error.code == "reason_required"


def test_a_measure_action_before_confirmation_says_to_confirm_first() -> None:
    error = refusal(facts(CaseStatus.REGISTERED), A.RECORD_OBJECTION)
    assert error.code == "wrong_status"
    assert "Bekräfta" in error.message


def test_a_closed_case_cannot_be_changed() -> None:
    error = refusal(facts(CaseStatus.CLOSED), A.SEND_OFFICIAL_LETTER)
    assert error.code == "wrong_status"
    assert "avslutat" in error.message


# --- Marking a measure not applicable -----------------------------------------------------------


def test_marking_not_applicable_needs_a_measure() -> None:
    error = refusal(facts(), A.MARK_NOT_APPLICABLE, reason="Skäl")
    assert error.code == "measure_required"


@pytest.mark.parametrize("reason", ["", "  "])
def test_marking_not_applicable_needs_a_reason(reason: str) -> None:
    error = refusal(facts(), A.MARK_NOT_APPLICABLE, measure=M.HOME_VISIT, reason=reason)
    assert error.code == "reason_required"


def test_the_municipality_may_choose_not_to_go_to_ivo() -> None:
    for answer in (S.DECLINED, S.NO_ANSWER):
        transition = decide(
            facts(measures={M.RETURN_OF_RESPONSIBILITY: answer}),
            A.MARK_NOT_APPLICABLE,
            measure=M.RETURN_OF_RESPONSIBILITY,
            reason="Nämnden avstår från ansökan till IVO.",
        )
        assert transition.measure_state == S.NOT_APPLICABLE


def test_a_measure_action_rejects_a_different_measure() -> None:
    error = refusal(facts(), A.RECORD_OBJECTION, measure=M.HOME_VISIT)
    assert error.code == "measure_mismatch"
    # Handing back the action's own measure, as the panel does, is fine.
    assert decide(facts(), A.RECORD_OBJECTION, measure=M.OBJECTION).measure == M.OBJECTION


# --- Required measures and closing --------------------------------------------------------------


def test_all_seven_measures_are_required_with_an_ongoing_intervention() -> None:
    assert required_measures(facts(ongoing=True)) == tuple(STATES_OF)


def test_return_is_not_required_without_an_ongoing_intervention() -> None:
    case = facts(ongoing=False, care=False)
    assert M.RETURN_OF_RESPONSIBILITY not in required_measures(case)
    assert len(required_measures(case)) == 6
    everything_else = {m: s for m, s in ALL_COMPLETE.items() if m != M.RETURN_OF_RESPONSIBILITY}
    closable = facts(measures=everything_else, ongoing=False, care=False)
    assert open_measures(closable) == ()
    transition = decide(closable, A.CLOSE, outcome=Outcome.REMAINS_WITH_SUPPORT)
    assert transition.status == CaseStatus.CLOSED


@pytest.mark.parametrize("status", [s for s in CaseStatus if s != CaseStatus.CONFIRMED], ids=str)
def test_only_a_confirmed_case_has_required_measures(status: CaseStatus) -> None:
    assert required_measures(facts(status)) == ()
    assert open_measures(facts(status)) == ()


@pytest.mark.parametrize(
    ("measure", "state"),
    [(m, s) for m, states in STATES_OF.items() for s in states],
    ids=lambda value: str(value),
)
def test_is_complete(measure: Measure, state: MeasureState) -> None:
    assert is_complete(measure, state) is (state in COMPLETE)


def test_a_state_a_measure_cannot_reach_is_a_bug_in_the_facts() -> None:
    with pytest.raises(ValueError, match="cannot be in state"):
        facts(measures={M.OBJECTION: S.IVO_GRANTED})
    with pytest.raises(ValueError, match="cannot be in state"):
        is_complete(M.HOME_VISIT, S.ACCEPTED)
    with pytest.raises(ValueError, match="care intervention"):
        facts(ongoing=False, care=True)


def test_closing_lists_the_open_measures() -> None:
    measures = dict(ALL_COMPLETE)
    measures[M.HOME_VISIT] = S.PENDING
    measures[M.JUSTIFICATION] = S.REQUESTED
    error = refusal(facts(measures=measures), A.CLOSE, outcome=Outcome.REMAINS_WITH_SUPPORT)
    assert error.code == "measures_open"
    assert "Begäran om skälig motivering" in error.message
    assert "Hembesök" in error.message
    assert "Officiell skrivelse" not in error.message
    assert "ej aktuella med skäl" in error.message


@pytest.mark.parametrize(
    "outcome",
    [o for o in Outcome if o not in (Outcome.NOT_ACTIVE_INVOLVEMENT, Outcome.TRANSFERRED_BY_IVO)],
    ids=str,
)
def test_a_finished_confirmed_case_closes_with_its_outcome(outcome: Outcome) -> None:
    transition = decide(facts(measures=ALL_COMPLETE), A.CLOSE, outcome=outcome)
    assert transition.status == CaseStatus.CLOSED
    assert transition.outcome == outcome


def test_closing_needs_an_outcome() -> None:
    assert refusal(facts(measures=ALL_COMPLETE), A.CLOSE).code == "outcome_required"
    assert refusal(facts(CaseStatus.DISMISSED), A.CLOSE).code == "outcome_required"


def test_a_confirmed_case_cannot_close_as_not_active_involvement() -> None:
    error = refusal(facts(measures=ALL_COMPLETE), A.CLOSE, outcome=Outcome.NOT_ACTIVE_INVOLVEMENT)
    assert error.code == "outcome_inconsistent"


@pytest.mark.parametrize(
    ("outcome", "proof"),
    [(Outcome.RETURNED, S.ACCEPTED), (Outcome.TRANSFERRED_BY_IVO, S.IVO_GRANTED)],
    ids=str,
)
def test_a_return_outcome_must_match_the_return_measure(
    outcome: Outcome, proof: MeasureState
) -> None:
    for state in STATES_OF[M.RETURN_OF_RESPONSIBILITY]:
        if state not in COMPLETE:
            continue
        case = facts(measures={**ALL_COMPLETE, M.RETURN_OF_RESPONSIBILITY: state})
        if state == proof:
            assert decide(case, A.CLOSE, outcome=outcome).outcome == outcome
        else:
            assert refusal(case, A.CLOSE, outcome=outcome).code == "outcome_inconsistent"


@pytest.mark.parametrize("outcome", list(Outcome), ids=str)
def test_a_dismissed_case_closes_only_as_not_active_involvement_or_other(
    outcome: Outcome,
) -> None:
    case = facts(CaseStatus.DISMISSED)
    if outcome in (Outcome.NOT_ACTIVE_INVOLVEMENT, Outcome.OTHER):
        assert decide(case, A.CLOSE, outcome=outcome).status == CaseStatus.CLOSED
    else:
        assert refusal(case, A.CLOSE, outcome=outcome).code == "outcome_inconsistent"


# --- The "Nästa steg" panel ---------------------------------------------------------------------


def test_a_registered_case_offers_only_the_assessment() -> None:
    steps = available_actions(facts(CaseStatus.REGISTERED))
    assert [(s.action, s.allowed) for s in steps] == [
        (A.ASSESS_CONFIRM, True),
        (A.ASSESS_DISMISS, True),
    ]


def test_a_closed_case_offers_only_reopening_and_a_dismissed_case_only_closing() -> None:
    assert [(s.action, s.allowed) for s in available_actions(facts(CaseStatus.CLOSED))] == [
        (A.REOPEN, True)
    ]
    assert [s.action for s in available_actions(facts(CaseStatus.DISMISSED))] == [A.CLOSE]


def test_a_new_confirmed_case_offers_first_steps_not_later_ones() -> None:
    steps = available_actions(facts())
    actions = {s.action for s in steps}
    assert A.RECORD_OBJECTION in actions
    assert A.SEND_TRANSFER_REQUEST in actions
    # Answers are recorded once there is something to answer.
    assert A.RECORD_TRANSFER_ACCEPTED not in actions
    assert A.RECORD_IVO_GRANTED not in actions
    close = [s for s in steps if s.action == A.CLOSE]
    assert len(close) == 1
    assert not close[0].allowed
    assert close[0].reason


def test_mark_not_applicable_appears_once_per_open_measure() -> None:
    measures = {**ALL_COMPLETE, M.HOME_VISIT: S.PENDING, M.RETURN_OF_RESPONSIBILITY: S.IVO_APPLIED}
    steps = available_actions(facts(measures=measures))
    marks = [s for s in steps if s.action == A.MARK_NOT_APPLICABLE]
    assert [(s.measure, s.allowed) for s in marks] == [
        (M.RETURN_OF_RESPONSIBILITY, False),
        (M.HOME_VISIT, True),
    ]
    assert marks[0].reason and "IVO" in marks[0].reason


def test_a_blocked_step_carries_the_swedish_reason() -> None:
    case = facts(measures={M.RETURN_OF_RESPONSIBILITY: S.DECLINED}, care=False)
    (ivo,) = [s for s in available_actions(case) if s.action == A.APPLY_TO_IVO]
    assert not ivo.allowed
    assert ivo.reason is not None
    assert "Ekonomiskt bistånd ensamt" in ivo.reason


# --- Properties ---------------------------------------------------------------------------------


def test_decide_never_mutates_the_facts() -> None:
    measures = {M.RETURN_OF_RESPONSIBILITY: S.DECLINED, M.OBJECTION: S.PENDING}
    consents = dict(ALL_GIVEN)
    case = facts(measures=measures, consents=consents)
    before = copy.deepcopy(case)
    for action in Action:
        try:
            decide(case, action, **inputs_for(action, M.OBJECTION))  # type: ignore[arg-type]
        except PolicyError:
            pass
        available_actions(case)
    assert case == before
    assert measures == {M.RETURN_OF_RESPONSIBILITY: S.DECLINED, M.OBJECTION: S.PENDING}
    assert consents == ALL_GIVEN


def _legal_successors() -> dict[Measure, set[tuple[MeasureState, MeasureState]]]:
    moves: dict[Measure, set[tuple[MeasureState, MeasureState]]] = {m: set() for m in Measure}
    for step in MEASURE_STEPS.values():
        moves[step.measure] |= set(step.moves.items())
    for measure, states in STATES_OF.items():
        moves[measure] |= {(s, S.NOT_APPLICABLE) for s in states if s in NOT_APPLICABLE_FROM}
    return moves


LEGAL_SUCCESSORS = _legal_successors()
STATUS_SUCCESSORS = {
    (CaseStatus.REGISTERED, CaseStatus.CONFIRMED),
    (CaseStatus.REGISTERED, CaseStatus.DISMISSED),
    (CaseStatus.CONFIRMED, CaseStatus.CONFIRMED),
    (CaseStatus.CONFIRMED, CaseStatus.CLOSED),
    (CaseStatus.DISMISSED, CaseStatus.CLOSED),
    (CaseStatus.CLOSED, CaseStatus.CONFIRMED),
    (CaseStatus.CLOSED, CaseStatus.DISMISSED),
}


@st.composite
def case_facts(draw: st.DrawFn) -> CaseFacts:
    measures = {
        measure: draw(st.sampled_from(states))
        for measure, states in STATES_OF.items()
        if draw(st.booleans())
    }
    consents = {
        scope: draw(st.sampled_from(list(ConsentStatus)))
        for scope in ConsentScope
        if draw(st.booleans())
    }
    ongoing = draw(st.booleans())
    today = draw(st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 31)))
    status = draw(st.sampled_from(list(CaseStatus)))
    if status in (CaseStatus.CONFIRMED, CaseStatus.DISMISSED):
        assessed_as: CaseStatus | None = status
    elif status == CaseStatus.CLOSED:
        assessed_as = draw(st.sampled_from([None, CaseStatus.CONFIRMED, CaseStatus.DISMISSED]))
    else:
        assessed_as = None
    return CaseFacts(
        status=status,
        assessed_as=assessed_as,
        closed_on=draw(st.none() | st.dates(min_value=date(2025, 1, 1), max_value=today))
        if status == CaseStatus.CLOSED
        else None,
        measures=measures,
        consents=consents,
        has_ongoing_intervention=ongoing,
        has_ongoing_care_intervention=ongoing and draw(st.booleans()),
        transfer_answer_due=draw(
            st.none() | st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 31))
        ),
        today=today,
    )


@settings(max_examples=500, deadline=None)
@given(
    case=case_facts(),
    action=st.sampled_from(list(Action)),
    measure=st.none() | st.sampled_from(list(Measure)),
    outcome=st.none() | st.sampled_from(list(Outcome)),
    reason=st.sampled_from(["", "  ", "Skäl enligt riktlinjen."]),
    performed_on=st.none() | st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 31)),
)
def test_decide_refuses_or_moves_to_a_legal_successor(
    case: CaseFacts,
    action: Action,
    measure: Measure | None,
    outcome: Outcome | None,
    reason: str,
    performed_on: date | None,
) -> None:
    before = copy.deepcopy(case)
    try:
        transition = decide(
            case, action, measure=measure, outcome=outcome, reason=reason, performed_on=performed_on
        )
    except PolicyError as error:
        assert error.code in KNOWN_CODES
        assert_swedish(error.message)
        assert case == before
        return
    assert case == before
    assert transition.action == action
    assert (case.status, transition.status) in STATUS_SUCCESSORS
    if transition.measure_state is None:
        assert transition.measure is None
    else:
        assert transition.measure is not None
        old = case.measures.get(transition.measure, S.PENDING)
        assert (old, transition.measure_state) in LEGAL_SUCCESSORS[transition.measure]
    if transition.status == CaseStatus.CLOSED:
        assert transition.outcome is not None
        assert not open_measures(case)
    else:
        assert transition.outcome is None
    if action == A.RECORD_TRANSFER_NO_ANSWER and performed_on is not None:
        assert case.transfer_answer_due is not None and performed_on > case.transfer_answer_due
    if case.status == CaseStatus.CLOSED:
        # Only reopening leaves a closed case, back to how it was assessed, with a reason.
        assert transition.action == A.REOPEN
        assert transition.status == case.assessed_as
        assert reason.strip()


@settings(max_examples=300, deadline=None)
@given(case=case_facts())
def test_the_panel_agrees_with_decide(case: CaseFacts) -> None:
    for step in available_actions(case):
        kwargs = inputs_for(step.action, step.measure)
        if step.action == A.CLOSE:
            # The panel does not know the outcome; pick one the case can use.
            kwargs["outcome"] = (
                Outcome.OTHER if case.status == CaseStatus.DISMISSED else Outcome.MOVED_ON
            )
        try:
            decide(case, step.action, **kwargs)  # type: ignore[arg-type]
        except PolicyError as error:
            assert not step.allowed
            assert step.reason == error.message
        else:
            assert step.allowed
            assert step.reason is None


# --- Dates the case worker gives ----------------------------------------------------------------

DUE = date(2026, 3, 2)


@pytest.mark.parametrize("offset", range(-40, 41))
def test_no_answer_is_dated_from_the_day_after_the_due_date_only(offset: int) -> None:
    performed_on = DUE + timedelta(days=offset)
    case = facts(
        measures={M.RETURN_OF_RESPONSIBILITY: S.REQUEST_SENT},
        transfer_answer_due=DUE,
        today=DUE + timedelta(days=60),
    )
    if offset >= 1:
        transition = decide(case, A.RECORD_TRANSFER_NO_ANSWER, performed_on=performed_on)
        assert transition.measure_state == S.NO_ANSWER
    else:
        error = refusal(case, A.RECORD_TRANSFER_NO_ANSWER, performed_on=performed_on)
        assert error.code == "deadline_not_passed"
        assert "2026-03-03" in error.message  # the earliest date it can be recorded as of


@settings(max_examples=300, deadline=None)
@given(
    due=st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 31)),
    today_after=st.integers(min_value=1, max_value=400),
    performed_on=st.dates(min_value=date(2024, 12, 1), max_value=date(2029, 2, 1)),
)
def test_no_answer_date_rule_property(due: date, today_after: int, performed_on: date) -> None:
    case = facts(
        measures={M.RETURN_OF_RESPONSIBILITY: S.REQUEST_SENT},
        transfer_answer_due=due,
        today=due + timedelta(days=today_after),
    )
    try:
        decide(case, A.RECORD_TRANSFER_NO_ANSWER, performed_on=performed_on)
    except PolicyError as error:
        assert error.code == "deadline_not_passed"
        assert performed_on <= due
    else:
        assert performed_on > due


def test_the_other_actions_take_any_date() -> None:
    # Only the date rules judge the date; an answer may come before the due date.
    case = facts(measures={M.RETURN_OF_RESPONSIBILITY: S.REQUEST_SENT}, transfer_answer_due=DUE)
    early = DUE - timedelta(days=20)
    assert decide(case, A.RECORD_TRANSFER_DECLINED, performed_on=early).measure_state == S.DECLINED


# --- Reopening ----------------------------------------------------------------------------------


@pytest.mark.parametrize("assessed", [CaseStatus.CONFIRMED, CaseStatus.DISMISSED], ids=str)
def test_a_closed_case_reopens_to_its_assessment(assessed: CaseStatus) -> None:
    case = facts(CaseStatus.CLOSED, assessed_as=assessed, closed_on=DUE)
    transition = decide(case, A.REOPEN, reason="Nya uppgifter om flytten.", performed_on=DUE)
    assert transition.status == assessed
    assert transition.outcome is None and transition.measure is None


@pytest.mark.parametrize("reason", ["", "   "])
def test_reopening_needs_a_reason(reason: str) -> None:
    assert refusal(facts(CaseStatus.CLOSED), A.REOPEN, reason=reason).code == "reason_required"


def test_reopening_cannot_be_dated_before_the_closing() -> None:
    case = facts(CaseStatus.CLOSED, closed_on=DUE)
    error = refusal(case, A.REOPEN, reason="Skäl.", performed_on=DUE - timedelta(days=1))
    assert error.code == "date_before_closing"


def test_a_closed_case_with_unknown_assessment_cannot_reopen() -> None:
    case = facts(CaseStatus.CLOSED, assessed_as=None)
    assert refusal(case, A.REOPEN, reason="Skäl.").code == "assessment_unknown"


@pytest.mark.parametrize("status", [s for s in CaseStatus if s != CaseStatus.CLOSED], ids=str)
def test_only_a_closed_case_reopens(status: CaseStatus) -> None:
    assert refusal(facts(status), A.REOPEN, reason="Skäl.").code == "wrong_status"


def test_facts_refuse_an_assessment_that_is_not_one() -> None:
    with pytest.raises(ValueError, match="assessed"):
        facts(CaseStatus.CLOSED, assessed_as=CaseStatus.CLOSED)


# --- Deadlines of the assessment ----------------------------------------------------------------


def test_the_contact_deadline_starts_at_registration() -> None:
    from motverka.workflow.policy import REGISTRATION_DEADLINES

    assert REGISTRATION_DEADLINES == (D.CONTACT_SENDING_MUNICIPALITY,)


def test_confirming_starts_the_official_letter_and_dismissing_meets_the_contact() -> None:
    confirm = decide(facts(CaseStatus.REGISTERED), A.ASSESS_CONFIRM, reason=A_REASON)
    assert D.OFFICIAL_LETTER in confirm.deadlines_started
    dismiss = decide(facts(CaseStatus.REGISTERED), A.ASSESS_DISMISS, reason=A_REASON)
    assert dismiss.deadlines_met == (D.CONTACT_SENDING_MUNICIPALITY,)
    assert dismiss.deadlines_started == ()


# --- How a measure stands ("Krävs") -------------------------------------------------------------

ST = MeasureStanding


def _expected_standing(
    status: CaseStatus, assessed: CaseStatus | None, measure: Measure, state: MeasureState
) -> MeasureStanding:
    required = measure != M.RETURN_OF_RESPONSIBILITY  # facts below have no intervention
    if status != CaseStatus.CLOSED:
        if status != CaseStatus.CONFIRMED or not required:
            return ST.NOT_REQUIRED
        return ST.COMPLETE if state in COMPLETE else ST.REQUIRED
    if state == S.NOT_APPLICABLE:
        return ST.NOT_APPLICABLE
    if state != S.PENDING:
        return ST.DONE
    if assessed == CaseStatus.CONFIRMED and required:
        return ST.NOT_DONE
    return ST.NEVER_REQUIRED


@pytest.mark.parametrize(
    ("status", "assessed"),
    [
        (CaseStatus.REGISTERED, None),
        (CaseStatus.CONFIRMED, CaseStatus.CONFIRMED),
        (CaseStatus.DISMISSED, CaseStatus.DISMISSED),
        (CaseStatus.CLOSED, CaseStatus.CONFIRMED),
        (CaseStatus.CLOSED, CaseStatus.DISMISSED),
        (CaseStatus.CLOSED, None),
    ],
    ids=str,
)
@pytest.mark.parametrize(
    ("measure", "state"),
    [(m, s) for m, states in STATES_OF.items() for s in states],
    ids=lambda value: str(value),
)
def test_measure_standing_every_status_measure_and_state(
    status: CaseStatus, assessed: CaseStatus | None, measure: Measure, state: MeasureState
) -> None:
    case = facts(status, {measure: state}, ongoing=False, care=False, assessed_as=assessed)
    assert measure_standing(case, measure) == _expected_standing(status, assessed, measure, state)


def test_a_closed_case_never_says_no_for_everything() -> None:
    measures = {**ALL_COMPLETE, M.FINANCIAL_ASSISTANCE_ASSESSMENT: S.NOT_APPLICABLE}
    case = facts(CaseStatus.CLOSED, measures)
    standings = {measure: measure_standing(case, measure) for measure in Measure}
    assert ST.NOT_REQUIRED not in standings.values()
    assert standings[M.OBJECTION] == ST.DONE
    assert standings[M.FINANCIAL_ASSISTANCE_ASSESSMENT] == ST.NOT_APPLICABLE
    assert str(ST.NOT_DONE.label) == "inte genomförd"
