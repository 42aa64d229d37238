"""Composing a letter: its text with placeholders filled in, the law it cites, and what stands
in the way of finalising it. Used by the preview (without writing anything) and by
finalising (which stores exactly what the preview showed).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from motverka.cases.errors import Conflict
from motverka.letters.context import (
    MISSING_REFERENCE,
    Sender,
    legal_references_for,
    letter_values,
    sender_for,
)
from motverka.letters.disclosure import (
    DisclosureRefused,
    LetterFacts,
    claims_consent,
    decide,
    disclosure_for,
)
from motverka.letters.guards import (
    REQUIRED_VALUES,
    empty_value_warnings,
    ivo_application_refusal,
    recipient_problems,
    required_value_problems,
    sending_municipality_gap,
)
from motverka.letters.models import Letter, LetterKind
from motverka.letters.placeholders import (
    drop_empty_lines,
    empty_placeholders,
    fill_placeholders,
    placeholder_problems,
    placeholders_for,
)
from motverka.letters.protection import leaked_addresses
from motverka.letters.rendering import body_blocks, letter_html
from motverka.letters.textmatch import (
    ORDINARY_WORD_NAMES,
    Haystack,
    canonical,
    digits_in,
    name_in,
    phrase_tokens,
)
from motverka.reference.models import LegalReference
from motverka.workflow.policy import ConsentScope, ConsentStatus
from motverka.workflow.selectors import current_consents

#: Text the default templates use to mark what the case worker must still write.
FILL_IN_MARKER = "[FYLL I"

_TO_SENDING_MUNICIPALITY = (
    LetterKind.OBJECTION_LETTER,
    LetterKind.JUSTIFICATION_REQUEST,
    LetterKind.TRANSFER_REQUEST,
)


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
    #: Why the letter may not go as it stands (consent, the person named, protected identity).
    refusal: DisclosureRefused | None = None
    #: SHA-256 of what the preview shows; finalising is refused when it no longer matches.
    digest: str = ""
    #: Swedish warnings naming the fields the letter uses that are empty (left out of it).
    empty_value_warnings: list[str] = field(default_factory=list)
    #: Why the guideline does not allow this letter yet (an IVO application too early).
    workflow_refusal: Conflict | None = None
    #: The placeholder values as they stand now, for the editor's list of fields.
    values: dict[str, str] = field(default_factory=dict)

    @property
    def primary_reference(self) -> LegalReference | None:
        return next(iter(self.references.values()), None)

    @property
    def needs_reference_confirmation(self) -> bool:
        return bool(self.reference_warnings)


def frozen_citations(references: dict[str, LegalReference | None]) -> list[dict[str, Any]]:
    """The cited legal references as they stand now, to be stored with the finalised letter.

    One entry per cited code, the kind's own first; a code with no valid entry is kept with
    ``id`` None so the order (and which one is the primary) is preserved.
    """
    frozen: list[dict[str, Any]] = []
    for code, reference in references.items():
        if reference is None:
            frozen.append({"code": code, "id": None, "citation": MISSING_REFERENCE})
            continue
        frozen.append(
            {
                "code": code,
                "id": reference.pk,
                "citation": reference.citation,
                "law_name": reference.law_name,
                "sfs_number": reference.sfs_number,
                "chapter": reference.chapter,
                "section": reference.section,
                "text": reference.text,
                "valid_from": reference.valid_from.isoformat(),
                "valid_to": reference.valid_to.isoformat() if reference.valid_to else None,
                "verified_by": reference.verified_by,
                "verified_on": reference.verified_on.isoformat() if reference.verified_on else None,
                "verified": reference.is_verified,
            }
        )
    return frozen


def _digest(letter: Letter, subject: str, text: str, sender: Sender, citations: list[str]) -> str:
    shown = {
        "kind": letter.kind,
        "letter_date": letter.letter_date.isoformat(),
        "subject": subject,
        "text": text,
        "recipient": [letter.recipient_name, letter.recipient_address, letter.recipient_email],
        "sender": asdict(sender),
        "citations": citations,
        "corrects": letter.corrects_id,
    }
    return hashlib.sha256(
        json.dumps(shown, ensure_ascii=False, sort_keys=True).encode("utf-8")
    ).hexdigest()


def _identity_numbers(values: dict[str, str]) -> list[str]:
    digits = "".join(char for char in values.get("person.identity_number", "") if char.isdigit())
    if len(digits) < 10:
        return []
    return [digits, digits[2:]] if len(digits) == 12 else [digits]


def _names_person(values: dict[str, str], haystack: Haystack) -> bool:
    name = values.get("person.name", "")
    if len("".join(phrase_tokens(name))) >= 4 and name_in(name, haystack):
        return True
    return any(digits_in(number, haystack) for number in _identity_numbers(values))


def _names_municipality(municipality: Any, haystack: Haystack) -> bool:
    name = municipality.name
    return name_in(name, haystack, ordinary_word=canonical(name) in ORDINARY_WORD_NAMES)


def letter_consents(case: Any) -> dict[ConsentScope, ConsentStatus]:
    """The person's latest answer per consent scope (a withdrawal counts at once)."""
    return {
        scope: ConsentStatus(consent.status)
        for scope, consent in current_consents(case=case).items()
    }


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
    protected = case.person.protected_identity
    consents = letter_consents(case)
    disclosure = disclosure_for(letter.kind, consents=consents, protected_identity=protected)
    values = letter_values(letter, sender=sender, references=references, disclosure=disclosure)
    allowed = placeholders_for(letter.kind)
    problems: dict[str, list[str]] = {}
    for name, text in (("subject", letter.subject), ("body", letter.body)):
        found = placeholder_problems(text, allowed)
        if found:
            problems[name] = found
    empty = empty_placeholders(f"{letter.subject}\n{letter.body}", values)
    subject = fill_placeholders(letter.subject, values).strip()
    text = fill_placeholders(drop_empty_lines(letter.body, values), values).strip()
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
    required = required_value_problems(letter.kind, empty)
    if required:
        problems.setdefault("body", []).extend(required)
    for name, messages in recipient_problems(
        name=letter.recipient_name,
        address=letter.recipient_address,
        email=letter.recipient_email,
        directory_gap=sending_municipality_gap(case, letter.kind, _TO_SENDING_MUNICIPALITY),
    ).items():
        problems.setdefault(name, []).extend(messages)
    # Everything that leaves with the letter: subject, text and every recipient field.
    outgoing = [
        subject,
        text,
        letter.recipient_name,
        letter.recipient_address,
        letter.recipient_email,
    ]
    haystack = Haystack.of(outgoing)
    facts = LetterFacts(
        kind=letter.kind,
        consents=consents,
        protected_identity=protected,
        names_person=_names_person(values, haystack),
        claims_consent=claims_consent(canonical("\n".join(outgoing))),
        reveals_protected_address=bool(leaked_addresses(case.person, haystack)),
        names_sending_municipality=protected
        and _names_municipality(case.sending_municipality, haystack),
    )
    refusal = None
    try:
        decide(facts)
    except DisclosureRefused as refused:
        refusal = refused
    citations = [reference.citation for reference in references.values() if reference is not None]
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
            "citations": citations,
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
        refusal=refusal,
        digest=_digest(letter, subject, text, sender, citations),
        empty_value_warnings=empty_value_warnings(
            name for name in empty if name not in REQUIRED_VALUES.get(letter.kind, ())
        ),
        workflow_refusal=(
            ivo_application_refusal(case) if letter.kind == LetterKind.IVO_APPLICATION else None
        ),
        values=values,
    )
