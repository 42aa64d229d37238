"""Composing a letter: its text with placeholders filled in, the law it cites, and what stands
in the way of finalising it. Used by the preview (without writing anything) and by
finalising (which stores exactly what the preview showed).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from motverka.letters.context import Sender, legal_references_for, letter_values, sender_for
from motverka.letters.models import Letter, LetterKind
from motverka.letters.placeholders import (
    fill_placeholders,
    placeholder_problems,
    placeholders_for,
)
from motverka.letters.protection import leaked_addresses
from motverka.letters.rendering import body_blocks, letter_html
from motverka.reference.models import LegalReference

#: Text the default templates use to mark what the case worker must still write.
FILL_IN_MARKER = "[FYLL I"


@dataclass
class Composition:
    subject: str
    text: str
    html: str
    sender: Sender
    references: dict[str, LegalReference | None]
    #: Swedish messages per form field that block finalising (placeholders, missing parts).
    problems: dict[str, list[str]] = field(default_factory=dict)
    #: Swedish warnings about the cited law: missing or not verified.
    reference_warnings: list[str] = field(default_factory=list)
    leaks: list[str] = field(default_factory=list)

    @property
    def primary_reference(self) -> LegalReference | None:
        return next(iter(self.references.values()), None)

    @property
    def needs_reference_confirmation(self) -> bool:
        return bool(self.reference_warnings)


def _reference_warnings(references: dict[str, LegalReference | None], letter: Letter) -> list[str]:
    warnings = []
    for code, reference in references.items():
        if reference is None:
            warnings.append(
                _(
                    "Det finns inget lagrum med koden ”%(code)s” som gäller %(date)s. "
                    "Skrivelsen hänvisar då till ”[lagrum saknas]”. Be systemförvaltaren "
                    "lägga in lagrummet."
                )
                % {"code": code, "date": letter.letter_date.isoformat()}
            )
        elif not reference.is_verified:
            warnings.append(
                _(
                    "Lagrummet %(citation)s är inte verifierat. Kontrollera hänvisningen "
                    "innan skrivelsen slutförs."
                )
                % {"citation": reference.citation}
            )
    return warnings


def compose(letter: Letter, *, signer: Any, draft: bool) -> Composition:
    """Fill in ``letter`` as ``signer`` would finalise it today, and check it."""
    case = letter.case
    sender = sender_for(case, signer)
    references = legal_references_for(letter)
    values = letter_values(letter, sender=sender, references=references)
    allowed = placeholders_for(letter.kind)
    problems: dict[str, list[str]] = {}
    for name, text in (("subject", letter.subject), ("body", letter.body)):
        found = placeholder_problems(text, allowed)
        if found:
            problems[name] = found
    subject = fill_placeholders(letter.subject, values).strip()
    text = fill_placeholders(letter.body, values).strip()
    if FILL_IN_MARKER in letter.body.upper() or FILL_IN_MARKER in letter.subject.upper():
        problems.setdefault("body", []).append(
            _(
                "Texten innehåller fortfarande ”[FYLL I …]”. Skriv in uppgifterna eller "
                "ta bort raden."
            )
        )
    if not text:
        problems.setdefault("body", []).append(_("Skrivelsen saknar text."))
    if not subject:
        problems.setdefault("subject", []).append(_("Skrivelsen saknar rubrik."))
    if not letter.recipient_name.strip():
        problems.setdefault("recipient_name", []).append(_("Ange mottagare."))
    # A letter to the person may carry their own address; every other letter leaves the
    # office for another municipality, IVO or a landlord.
    leaks = (
        []
        if letter.kind == LetterKind.PERSON_INFORMATION
        else leaked_addresses(
            case.person,
            [
                subject,
                text,
                letter.recipient_name,
                letter.recipient_address,
                letter.recipient_email,
            ],
        )
    )
    html = letter_html(
        {
            "letter": letter,
            "case": case,
            "subject": subject,
            "blocks": body_blocks(text),
            "sender": sender,
            "sender_address_line": ", ".join(
                line.strip() for line in sender.address.splitlines() if line.strip()
            ),
            "citations": [
                reference.citation for reference in references.values() if reference is not None
            ],
            "recipient_name": letter.recipient_name,
            "recipient_address": letter.recipient_address,
            "recipient_email": letter.recipient_email,
            "corrects": letter.corrects,
            "draft": draft,
        }
    )
    return Composition(
        subject=subject,
        text=text,
        html=html,
        sender=sender,
        references=references,
        problems=problems,
        reference_warnings=_reference_warnings(references, letter),
        leaks=leaks,
    )
