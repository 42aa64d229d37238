"""Shared helpers for the letter tests."""

from __future__ import annotations

import io
import re
from datetime import date
from typing import Any

from django.utils import timezone
from pypdf import PdfReader

from motverka.letters import services
from motverka.letters.models import Letter
from motverka.workflow.policy import ConsentScope
from motverka.workflow.services import consent_record

FILLED_IN = "Uppgifterna är ifyllda av handläggaren."


def fill_in(text: str) -> str:
    """Replace every [FYLL I: …] marker, as a case worker would."""
    return re.sub(r"\[FYLL I[^\]]*\]", FILLED_IN, text)


def consent(user: Any, case: Any, scope: str, status: str = "given") -> None:
    """Record the person's answer for ``scope``, as the case worker would."""
    consent_record(
        acting_user=user,
        case=case,
        scope=scope,
        status=status,
        decided_on=timezone.localdate(),
        form="written",
    )


def with_consents(user: Any, case: Any) -> Any:
    """The case with the person's consent given to contact and to the return process."""
    for scope in (ConsentScope.CONTACT_SENDING_MUNICIPALITY, ConsentScope.RETURN_PROCESS):
        consent(user, case, scope)
    return case


def finalise(
    *, acting_user: Any, letter: Letter, confirm_unverified_reference: bool = False
) -> Letter:
    """Preview the letter, then finalise exactly what the preview showed."""
    preview = services.letter_preview(acting_user=acting_user, letter=letter)
    return services.letter_finalise(
        acting_user=acting_user,
        letter=letter,
        preview_sha256=preview.digest,
        confirm_unverified_reference=confirm_unverified_reference,
    )


def draft(user: Any, case: Any, kind: str, **changes: Any) -> Letter:
    letter = services.letter_draft_create(acting_user=user, case=case, kind=kind)
    values = {
        "letter_date": letter.letter_date,
        "subject": letter.subject,
        "body": fill_in(letter.body),
        "recipient_name": letter.recipient_name or "Mottagare Exempel",
        # Somewhere to send it: the directory's address, else one typed in.
        "recipient_address": letter.recipient_address or "Box 100\n111 11 Exempelstad",
        "recipient_email": letter.recipient_email,
    }
    values.update(changes)
    return services.letter_draft_update(acting_user=user, letter=letter, **values)


def finalised(user: Any, case: Any, kind: str, *, confirm: bool = True, **changes: Any) -> Letter:
    letter = draft(user, case, kind, **changes)
    return finalise(acting_user=user, letter=letter, confirm_unverified_reference=confirm)


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def pdf_xmp(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")


def day(text: str) -> date:
    return date.fromisoformat(text)


def declined_transfer(user: Any, case: Any, *, on: date | None = None) -> Any:
    """Carry the case to where the guideline allows applying to IVO: assessed, the return
    consent given, the transfer request sent and declined (on ``on``, default today)."""
    from motverka.workflow.policy import Action, CaseStatus
    from motverka.workflow.services import case_action_perform

    day = on or timezone.localdate()
    if case.status == CaseStatus.REGISTERED:
        case = case_action_perform(
            acting_user=user,
            case=case,
            action=Action.ASSESS_CONFIRM,
            performed_on=case.received_on,
            reason="Bostaden ordnades av avsändande kommun.",
        )
    consent(user, case, ConsentScope.RETURN_PROCESS)
    case_action_perform(
        acting_user=user,
        case=case,
        action=Action.SEND_TRANSFER_REQUEST,
        performed_on=case.received_on,
        details={"recipient": "Socialtjänsten"},
    )
    return case_action_perform(
        acting_user=user,
        case=case,
        action=Action.RECORD_TRANSFER_DECLINED,
        performed_on=day,
        details={"answer_summary": "Kommunen tar inte över ärendet."},
    )


def ivo_ready(user: Any, case: Any) -> Any:
    """The case with everything an IVO application is written from: the transfer request
    declined and the person's own account (their wishes) recorded."""
    case = declined_transfer(user, case)
    record_wishes(user, case)
    return case


def record_wishes(user: Any, case: Any) -> None:
    """The person's own account, with their wishes (the case must be confirmed)."""
    from motverka.housing.services import PersonalAccountInput, personal_account_record

    personal_account_record(
        acting_user=user,
        case=case,
        data=PersonalAccountInput(
            told_on=case.received_on,
            wish_to_move="no",
            knew_destination="no",
            wishes_now="Vill bo kvar nära sin familj i Stockholm.",
        ),
    )
