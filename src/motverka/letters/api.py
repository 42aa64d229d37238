"""Letter endpoints: draft, edit, finalise to PDF/A, mark sent, download.

Mounted on the project's NinjaAPI with ``api.add_router("", letters_router)``; the API's
bearer-token auth sets ``request.auth`` to the user, and its exception handlers turn
ValidationError into 422, NotFound into 404, AccessDenied into 403 and Conflict into 409.
Every letter is reached through its case, so another unit's letter is a 404.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Router, Status

from motverka.api.answers import committed_answer
from motverka.api.concurrency import expected_version, with_etag
from motverka.api.schemas import (
    PRECONDITION_ERRORS,
    Choice,
    ConflictOut,
    ErrorOut,
    Out,
    RequestBody,
    ValidationErrorOut,
)
from motverka.api.serializers import choice
from motverka.cases.access import case_get_for_user
from motverka.integrity import limits
from motverka.letters import services
from motverka.letters.composition import Composition
from motverka.letters.models import Letter, LetterKind, LetterStatus, SendingChannel
from motverka.letters.selectors import letter_get_for_user, letters_of_case
from motverka.reference.models import LegalReference

router = Router(tags=["Skrivelser"])

READ_ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
WRITE_ERRORS: dict[int, Any] = {**READ_ERRORS, 409: ConflictOut, 422: ValidationErrorOut}


class LetterCreateIn(RequestBody):
    kind: LetterKind = Field(description="Typ av skrivelse")


class LetterUpdateIn(RequestBody):
    """Fields left out keep their current value."""

    letter_date: date | None = None
    subject: str | None = Field(default=None, max_length=255)
    body: str | None = Field(default=None, max_length=limits.LETTER_BODY_MAX)
    recipient_name: str | None = Field(default=None, max_length=200)
    recipient_address: str | None = Field(default=None, max_length=2_000)
    recipient_email: str | None = Field(default=None, max_length=254)


class LetterFinaliseIn(RequestBody):
    preview_sha256: str | None = Field(
        default=None,
        pattern=r"^[0-9a-f]{64}$",
        description=(
            "preview_sha256 ur den senast lästa skrivelsen (GET /letters/{id}): skrivelsen "
            "slutförs bara om den fortfarande är exakt den klienten har sett. Saknas: 428; "
            "inaktuell: 409 letter_changed_since_preview"
        ),
    )
    confirm_unverified_reference: bool = Field(
        default=False,
        description="Krävs när lagrummet som skrivelsen hänvisar till saknas eller är overifierat",
    )


class LetterSentIn(RequestBody):
    sent_on: date
    channel: SendingChannel


class LegalReferenceOut(Out):
    id: int | None = Field(description="Lagrummets id; tomt när inget lagrum gällde")
    code: str
    citation: str
    text: str
    verified: bool


class LetterOut(Out):
    id: int
    version: int = Field(
        description='Skrivelsens version; ETag-huvudet är "letter-<id>-v<version>"'
    )
    case_id: int
    case_reference: str
    kind: Choice
    status: Choice
    letter_date: date
    subject: str
    body: str = Field(description="Utkastets text med platshållare")
    final_text: str = Field(description="Den slutförda texten (tom för utkast)")
    recipient_name: str
    recipient_address: str
    recipient_email: str
    corrects_id: int | None
    finalised_at: datetime | None
    sha256: str
    legal_reference: LegalReferenceOut | None = Field(
        description="Skrivelsens eget lagrum; för en slutförd skrivelse som det löd då"
    )
    cited_references: list[LegalReferenceOut] = Field(
        description="Alla lagrum skrivelsen hänvisar till (slutförd: frysta vid slutförandet)"
    )
    legal_reference_confirmed: bool
    sent_on: date | None
    sent_channel: Choice | None
    pdf_url: str | None
    problems: dict[str, list[str]] = Field(
        description="Det som hindrar att utkastet slutförs, per fält"
    )
    reference_warnings: list[str] = Field(
        description="Varningar om lagrummet; kräver confirm_unverified_reference vid slutförande"
    )
    refusal: ConflictOut | None = Field(
        description=(
            "Varför utkastet inte får slutföras som det står (samtycke, den enskilde namngiven, "
            "skyddade personuppgifter) och vad som kan göras i stället"
        )
    )
    empty_value_warnings: list[str] = Field(
        default_factory=list,
        description="Fält som skrivelsen använder men som är tomma och därför lämnas ute",
    )
    preview_subject: str | None = Field(description="Utkastets rubrik så som den slutförs nu")
    preview_text: str | None = Field(description="Utkastets text så som den slutförs nu")
    preview_sha256: str | None = Field(
        description="Kontrollsumma över det som förhandsgranskas; skickas med vid slutförande"
    )


def _reference_data(reference: LegalReference) -> dict[str, Any]:
    return {
        "id": reference.pk,
        "code": reference.code,
        "citation": reference.citation,
        "text": reference.text,
        "verified": reference.is_verified,
    }


def _frozen_data(frozen: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": frozen.get("id"),
        "code": frozen["code"],
        "citation": frozen["citation"],
        "text": frozen.get("text", ""),
        "verified": bool(frozen.get("verified")),
    }


def _letter_data(letter: Letter, composition: Composition | None = None) -> dict[str, Any]:
    if letter.is_draft:
        references = composition.references if composition else {}
        primary = composition.primary_reference if composition else None
        legal_reference = _reference_data(primary) if primary else None
        cited = [_reference_data(item) for item in references.values() if item is not None]
    else:
        # What the letter cited as it stood when finalised, whatever was edited since.
        frozen = letter.frozen_reference
        legal_reference = _frozen_data(frozen) if frozen and frozen.get("id") else None
        cited = [_frozen_data(item) for item in letter.cited_references if item.get("id")]
    refusal: Any = None
    if composition is not None:
        refusal = composition.refusal or composition.workflow_refusal
    return {
        "id": letter.pk,
        "version": letter.version,
        "case_id": letter.case_id,
        "case_reference": letter.case.reference,
        "kind": choice(LetterKind, letter.kind),
        "status": choice(LetterStatus, letter.status),
        "letter_date": letter.letter_date,
        "subject": letter.subject,
        "body": letter.body,
        "final_text": letter.final_text,
        "recipient_name": letter.recipient_name,
        "recipient_address": letter.recipient_address,
        "recipient_email": letter.recipient_email,
        "corrects_id": letter.corrects_id,
        "finalised_at": letter.finalised_at,
        "sha256": letter.sha256,
        "legal_reference": legal_reference,
        "cited_references": cited,
        "legal_reference_confirmed": letter.legal_reference_confirmed,
        "sent_on": letter.sent_on,
        "sent_channel": choice(SendingChannel, letter.sent_channel)
        if letter.sent_channel
        else None,
        "pdf_url": (
            None if letter.is_draft else reverse("api:letter_pdf", kwargs={"letter_id": letter.pk})
        ),
        "problems": composition.problems if composition else {},
        "reference_warnings": composition.reference_warnings if composition else [],
        "empty_value_warnings": composition.empty_value_warnings if composition else [],
        "refusal": {"detail": refusal.message, "code": refusal.code} if refusal else None,
        "preview_subject": composition.subject if composition else None,
        "preview_text": composition.text if composition else None,
        "preview_sha256": composition.digest if composition else None,
    }


def _out(user: Any, letter: Letter) -> dict[str, Any]:
    """A draft is shown with what stands in the way of finalising it."""
    composition = (
        services.letter_preview(acting_user=user, letter=letter) if letter.is_draft else None
    )
    return _letter_data(letter, composition)


def _answer(user: Any, letter: Letter, response: HttpResponse) -> dict[str, Any]:
    """The answer to a committed write, from the letter the service returned (its case is
    loaded with it); a failing preview read leaves the preview fields out rather than
    turning the committed write into a 500."""
    with_etag(response, "letter", letter.pk, letter.version)
    return committed_answer(lambda: _out(user, letter), lambda: _letter_data(letter))


@router.get(
    "/cases/{int:case_id}/letters",
    response={200: list[LetterOut], **READ_ERRORS},
    summary="Ärendets skrivelser",
    url_name="case_letters",
)
def case_letters(request: HttpRequest, case_id: int) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    case = case_get_for_user(user=user, case_id=case_id)
    letters = list(letters_of_case(case))
    for letter in letters:
        letter.case = case
    return [_letter_data(letter) for letter in letters]


@router.post(
    "/cases/{int:case_id}/letters",
    response={201: LetterOut, **WRITE_ERRORS},
    summary="Skapa ett utkast till skrivelse",
    url_name="letter_create",
)
def letter_create(
    request: HttpRequest, case_id: int, body: LetterCreateIn, response: HttpResponse
) -> Any:
    """Creates a draft of ``kind`` from the active template, addressed from the municipality
    directory. An IVO application for a case without an ongoing care intervention is a 409."""
    user = request.auth  # type: ignore[attr-defined]
    case = case_get_for_user(user=user, case_id=case_id)
    letter = services.letter_draft_create(acting_user=user, case=case, kind=body.kind)
    return Status(201, _answer(user, letter, response))


@router.get(
    "/letters/{int:letter_id}",
    response={200: LetterOut, **READ_ERRORS},
    summary="En skrivelse",
    url_name="letter_detail",
)
def letter_detail(request: HttpRequest, letter_id: int, response: HttpResponse) -> Any:
    """The letter; the ``ETag`` header names its version (send it in ``If-Match`` when
    changing the draft)."""
    user = request.auth  # type: ignore[attr-defined]
    letter = letter_get_for_user(user=user, letter_id=letter_id)
    with_etag(response, "letter", letter.pk, letter.version)
    return _out(user, letter)


@router.patch(
    "/letters/{int:letter_id}",
    response={200: LetterOut, **WRITE_ERRORS, **PRECONDITION_ERRORS},
    summary="Ändra ett utkast",
    url_name="letter_update",
)
def letter_update(
    request: HttpRequest, letter_id: int, body: LetterUpdateIn, response: HttpResponse
) -> Any:
    """Changes the draft's date, text or recipient. ``If-Match`` with the letter's ETag is
    required (428 without it; 412 with the current ETag when the draft was saved since). A
    finalised letter is a 409: corrections are new letters."""
    user = request.auth  # type: ignore[attr-defined]
    letter = letter_get_for_user(user=user, letter_id=letter_id)
    version = expected_version(request, "letter", letter_id)
    given = body.model_dump(exclude_unset=True)

    def value(name: str) -> Any:
        current = getattr(letter, name)
        return current if given.get(name) is None else given[name]

    letter = services.letter_draft_update(
        acting_user=user,
        letter=letter,
        letter_date=value("letter_date"),
        subject=value("subject"),
        body=value("body"),
        recipient_name=value("recipient_name"),
        recipient_address=value("recipient_address"),
        recipient_email=value("recipient_email"),
        expected_version=version,
    )
    return _answer(user, letter, response)


@router.post(
    "/letters/{int:letter_id}/finalise",
    response={200: LetterOut, **WRITE_ERRORS, **PRECONDITION_ERRORS},
    summary="Slutför skrivelsen (PDF/A)",
    url_name="letter_finalise",
)
def letter_finalise(
    request: HttpRequest, letter_id: int, body: LetterFinaliseIn, response: HttpResponse
) -> Any:
    """Locks the letter and stores it as PDF/A with its SHA-256 and frozen citations.

    ``preview_sha256`` from the last read of the draft is required (428 ``preview_required``
    without it): if the letter would now differ from what the client read — another edit, the
    directory, the letterhead or the law changed — it is a 409 ``letter_changed_since_preview``
    and nothing is saved; read it again. A missing or unverified legal reference needs
    ``confirm_unverified_reference: true`` (otherwise 422). A letter whose kind needs a consent
    that is not given (latest answer), or that would disclose what it may not, is a 409 with
    the reason (``consent_missing``, ``letter_identifies_person``, ``consent_not_recorded``,
    ``protected_address``, ``protected_sending_municipality``). ``If-Match`` with the ETag
    of the read is optional; when sent, a draft saved since is a 412."""
    user = request.auth  # type: ignore[attr-defined]
    letter = letter_get_for_user(user=user, letter_id=letter_id)
    version = expected_version(request, "letter", letter_id, required=False)
    if body.preview_sha256 is None:
        return Status(
            428,
            {
                "detail": _(
                    "Ange preview_sha256 från den senast lästa skrivelsen (GET /letters/{id}), "
                    "så att exakt den text du har sett slutförs."
                ),
                "code": "preview_required",
            },
        )
    letter = services.letter_finalise(
        acting_user=user,
        letter=letter,
        preview_sha256=body.preview_sha256,
        confirm_unverified_reference=body.confirm_unverified_reference,
        expected_version=version,
    )
    return _answer(user, letter, response)


@router.post(
    "/letters/{int:letter_id}/sent",
    response={200: LetterOut, **WRITE_ERRORS},
    summary="Markera skrivelsen som skickad",
    url_name="letter_mark_sent",
)
def letter_mark_sent(
    request: HttpRequest, letter_id: int, body: LetterSentIn, response: HttpResponse
) -> Any:
    """Records the sending date and channel, once. A transfer request, official letter,
    justification request or IVO application also takes its step in the case's workflow;
    if the guideline refuses that step (409, Swedish reason), the letter stays unsent."""
    user = request.auth  # type: ignore[attr-defined]
    letter = letter_get_for_user(user=user, letter_id=letter_id)
    letter = services.letter_mark_sent(
        acting_user=user, letter=letter, sent_on=body.sent_on, channel=body.channel
    )
    return _answer(user, letter, response)


@router.get(
    "/letters/{int:letter_id}/pdf",
    response={200: None, **READ_ERRORS, 409: ConflictOut},
    summary="Hämta den slutförda skrivelsen som PDF/A",
    url_name="letter_pdf",
)
def letter_pdf(request: HttpRequest, letter_id: int) -> HttpResponse:
    user = request.auth  # type: ignore[attr-defined]
    letter = letter_get_for_user(user=user, letter_id=letter_id)
    document = services.letter_pdf_read(acting_user=user, letter=letter)
    response = HttpResponse(bytes(document.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="skrivelse-{letter.pk}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    response["X-Content-SHA256"] = document.sha256
    return response
