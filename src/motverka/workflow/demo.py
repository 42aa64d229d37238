"""Demo steps: move a freshly registered demo case along the guideline through the same
service as real work, so every status shows up in the demo data."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from motverka.cases.errors import Conflict
from motverka.cases.models import Case
from motverka.workflow.models import ConsentForm
from motverka.workflow.policy import Action, ConsentScope, ConsentStatus, Measure, Outcome
from motverka.workflow.services import case_action_perform, consent_record

_DETAILS: dict[Action, dict[str, str]] = {
    Action.RECORD_OBJECTION: {
        "contacted": "Socialtjänstens mottagning, avsändande kommun",
        "channel": "telefon",
        "summary": "Vi markerade att flytten utan samverkan inte är acceptabel.",
    },
    Action.REQUEST_JUSTIFICATION: {"contacted": "Enhetschef, avsändande kommun"},
    Action.RECORD_JUSTIFICATION_RECEIVED: {"justification": "Bostadsbrist i kommunen."},
    Action.RECORD_FINANCIAL_ASSISTANCE_ASSESSMENT: {"decision_reference": "DEMO-EB-1"},
}


def _day(case: Case, offset: int) -> date:
    return min(timezone.localdate(), case.received_on + timedelta(days=offset))


def _step(case: Case, user: Any, action: Action, offset: int, **kwargs: Any) -> Case:
    return case_action_perform(
        acting_user=user,
        case=case,
        action=action,
        performed_on=_day(case, offset),
        details=_DETAILS.get(action),
        **kwargs,
    )


def _personal_account(case: Case, user: Any, offset: int) -> None:
    """The structured account, as a case worker documents it; it completes the measure."""
    from motverka.housing.services import PersonalAccountInput, personal_account_record

    personal_account_record(
        acting_user=user,
        case=case,
        data=PersonalAccountInput(
            told_on=_day(case, offset),
            wish_to_move="no",
            knew_destination="no",
            told_what="Fick veta att det fanns en lägenhet och att hyran var betald två månader.",
            told_by="Handläggare i tidigare kommun",
            lease_found_by="Tidigare kommun",
            wishes_now="Vill få stöd att hitta ett sammanhang här.",
            free_text="Fiktiv berättelse för demo.",
        ),
    )


def _consent(case: Case, user: Any, scope: ConsentScope, offset: int) -> None:
    consent_record(
        acting_user=user,
        case=case,
        scope=scope,
        status=ConsentStatus.GIVEN,
        decided_on=_day(case, offset),
        form=ConsentForm.WRITTEN,
    )


def advance_case(*, case: Case, acting_user: Any, stage: int, rng: random.Random) -> None:
    """Stage 0 leaves the case registered; 1 dismisses it; 2 confirms it with some measures
    done; 3 also sends a transfer request (when there is an ongoing intervention); 4 closes
    it with every measure done or marked not applicable."""
    if stage <= 0:
        return
    if stage == 1:
        _step(case, acting_user, Action.ASSESS_DISMISS, 1, reason="Flytten var den enskildes val.")
        return
    case = _step(
        case, acting_user, Action.ASSESS_CONFIRM, 1, reason="Kommunen ordnade bostad och hyra."
    )
    case = _step(case, acting_user, Action.RECORD_OBJECTION, 2)
    _consent(case, acting_user, ConsentScope.CONTACT_SENDING_MUNICIPALITY, 2)
    if rng.random() < 0.7:
        _personal_account(case, acting_user, 3)
        case.refresh_from_db()
    if stage == 2:
        return
    case = _step(case, acting_user, Action.REQUEST_JUSTIFICATION, 3)
    case = _step(case, acting_user, Action.SEND_OFFICIAL_LETTER, 5)
    if stage == 3:
        _consent(case, acting_user, ConsentScope.RETURN_PROCESS, 5)
        try:
            _step(case, acting_user, Action.SEND_TRANSFER_REQUEST, 6)
        except Conflict:  # no ongoing intervention: nothing to return
            pass
        return
    case = _step(case, acting_user, Action.RECORD_JUSTIFICATION_RECEIVED, 8)
    case = _step(case, acting_user, Action.RECORD_FINANCIAL_ASSISTANCE_ASSESSMENT, 9)
    for measure in (
        Measure.PERSONAL_ACCOUNT,
        Measure.RETURN_OF_RESPONSIBILITY,
        Measure.HOME_VISIT,
    ):
        try:
            case = _step(
                case,
                acting_user,
                Action.MARK_NOT_APPLICABLE,
                10,
                measure=measure,
                reason="Den enskilde avböjde.",
            )
        except Conflict:  # already done
            pass
    _step(case, acting_user, Action.CLOSE, 12, outcome=Outcome.REMAINS_WITH_SUPPORT)
