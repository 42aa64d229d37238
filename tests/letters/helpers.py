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
        "recipient_address": letter.recipient_address,
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
