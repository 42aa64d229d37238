"""Shared helpers for the letter tests."""

from __future__ import annotations

import io
import re
from datetime import date
from typing import Any

from pypdf import PdfReader

from motverka.letters import services
from motverka.letters.models import Letter

FILLED_IN = "Uppgifterna är ifyllda av handläggaren."


def fill_in(text: str) -> str:
    """Replace every [FYLL I: …] marker, as a case worker would."""
    return re.sub(r"\[FYLL I[^\]]*\]", FILLED_IN, text)


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
    return services.letter_finalise(
        acting_user=user, letter=letter, confirm_unverified_reference=confirm
    )


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def pdf_xmp(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")


def day(text: str) -> date:
    return date.fromisoformat(text)
