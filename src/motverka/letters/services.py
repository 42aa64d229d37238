"""Writes on letters: draft, edit, finalise to PDF/A, mark sent, correct.

Every function is one transaction: it checks access, validates, writes, records a timeline
event and appends the audit row — all or nothing. Marking a transfer request, an official
letter, a justification request or an IVO application sent also takes the matching step of
the case's workflow in the same transaction, so the policy can refuse it and nothing is saved.
"""

from __future__ import annotations

import hmac
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motverka.audit.models import AuditAction
from motverka.audit.services import audit_record
from motverka.cases.access import require_unit_member
from motverka.cases.errors import Conflict
from motverka.cases.models import Case, Intervention
from motverka.cases.services import record_event
from motverka.cases.vocabulary import InterventionKind
from motverka.integrity.versioning import require_version
from motverka.letters.composition import (
    Composition,
    compose,
    frozen_citations,
    letter_consents,
)
from motverka.letters.disclosure import LetterFacts, decide
from motverka.letters.guards import ivo_sent_refusal
from motverka.letters.models import (
    Letter,
    LetterDocument,
    LetterKind,
    LetterLocked,
    LetterStatus,
    SendingChannel,
)
from motverka.letters.placeholders import placeholder_problems, placeholders_for
from motverka.letters.protection import known_addresses
from motverka.letters.rendering import PDF_VARIANT, pdf_from_html, sha256_of
from motverka.letters.selectors import active_templates
from motverka.workflow.policy import Action, CaseStatus
from motverka.workflow.services import case_action_perform

#: The workflow step each kind of letter takes when it is marked sent.
SENDING_ACTIONS: dict[str, Action] = {
    LetterKind.OBJECTION_LETTER: Action.SEND_OFFICIAL_LETTER,
    LetterKind.JUSTIFICATION_REQUEST: Action.REQUEST_JUSTIFICATION,
    LetterKind.TRANSFER_REQUEST: Action.SEND_TRANSFER_REQUEST,
    LetterKind.IVO_APPLICATION: Action.APPLY_TO_IVO,
}

_TO_SENDING_MUNICIPALITY = frozenset(
    {
        LetterKind.OBJECTION_LETTER,
        LetterKind.JUSTIFICATION_REQUEST,
        LetterKind.TRANSFER_REQUEST,
    }
)
IVO_NAME = "Inspektionen för vård och omsorg (IVO)"
_SEPARATOR = "\n\n* * *\n\n"


def _require_open(case: Case) -> None:
    if case.status == CaseStatus.CLOSED:
        raise Conflict(_("Ärendet är avslutat; skrivelser kan inte längre ändras."), "case_closed")


def _require_draft(letter: Letter) -> None:
    if not letter.is_draft:
        raise LetterLocked


def _audit(acting_user: Any, letter: Letter, action: AuditAction, detail: str) -> None:
    audit_record(
        actor=acting_user,
        action=action,
        object_type="letter",
        object_id=letter.pk,
        case_id=letter.case_id,
        person_id=letter.case.person_id,
        detail=detail,
    )


def _default_recipient(case: Case, kind: str) -> tuple[str, str, str]:
    if kind in _TO_SENDING_MUNICIPALITY:
        sending = case.sending_municipality
        return (
            sending.social_services_name or f"Socialtjänsten i {sending.name}",
            sending.social_services_address,
            sending.registrator_email,
        )
    if kind == LetterKind.IVO_APPLICATION:
        return IVO_NAME, "", ""
    if kind == LetterKind.PERSON_INFORMATION:
        person = case.person
        addresses = [] if person.protected_identity else known_addresses(person)
        return person.full_name, addresses[0] if addresses else "", ""
    return "", "", ""


def _require_care_intervention(case: Case) -> None:
    # The IVO route is for interventions that include care; financial assistance alone never
    # qualifies (domain.md §2.6c). The workflow refuses it again when the letter is sent.
    has_care = Intervention.objects.filter(case=case, ongoing=True).exclude(
        kind=InterventionKind.FINANCIAL_ASSISTANCE
    )
    if not has_care.exists():
        raise Conflict(
            _(
                "En ansökan till IVO kan bara göras när den enskilde har en pågående vårdinsats "
                "i avsändande kommun. Ekonomiskt bistånd ensamt ger inte rätt att ansöka om "
                "överflyttning."
            ),
            "ivo_requires_care_intervention",
        )


@transaction.atomic
def letter_draft_create(
    *, acting_user: Any, case: Case, kind: str, corrects: Letter | None = None
) -> Letter:
    """Start a draft of ``kind`` from the active template(s), addressed from the directory.

    A person-information letter joins the Swedish and the English template.
    """
    require_unit_member(acting_user, case.unit_id)
    _require_open(case)
    if kind not in LetterKind.values:
        raise ValidationError({"kind": [_("Välj en typ av skrivelse i listan.")]})
    if kind == LetterKind.IVO_APPLICATION:
        _require_care_intervention(case)
    # A letter that names the person needs its consent already as a draft (letters.disclosure).
    decide(
        LetterFacts(
            kind=kind,
            consents=letter_consents(case),
            protected_identity=case.person.protected_identity,
        )
    )
    if corrects is not None:
        if corrects.case_id != case.pk or corrects.kind != kind:
            raise ValidationError({"corrects": [_("Rättelsen måste gälla samma ärende och typ.")]})
        if corrects.is_draft:
            raise Conflict(
                _("Ett utkast rättas inte; ändra utkastet direkt i stället."), "letter_is_draft"
            )
        subject, body = corrects.subject, corrects.body
        recipient = (corrects.recipient_name, corrects.recipient_address, corrects.recipient_email)
    else:
        templates = active_templates(kind)
        if not templates:
            raise Conflict(
                _(
                    "Det finns ingen aktiv mall för den här typen av skrivelse. Be "
                    "systemförvaltaren aktivera en mall."
                ),
                "no_template",
            )
        subject = " / ".join(template.subject for template in templates)
        body = _SEPARATOR.join(template.body.strip() for template in templates)
        recipient = _default_recipient(case, kind)
    letter = Letter.objects.create(
        case=case,
        kind=kind,
        letter_date=timezone.localdate(),
        subject=subject[:255],
        body=body,
        recipient_name=recipient[0],
        recipient_address=recipient[1],
        recipient_email=recipient[2],
        corrects=corrects,
        created_by=acting_user,
    )
    record_event(
        case=case,
        actor=acting_user,
        kind="letter_drafted",
        text=(
            _("Rättelse av skrivelse påbörjad: %(kind)s.")
            if corrects
            else _("Utkast till skrivelse skapat: %(kind)s.")
        )
        % {"kind": letter.get_kind_display()},
    )
    _audit(acting_user, letter, AuditAction.CREATE, "utkast")
    return letter


@transaction.atomic
def letter_draft_update(
    *,
    acting_user: Any,
    letter: Letter,
    letter_date: date,
    subject: str,
    body: str,
    recipient_name: str,
    recipient_address: str = "",
    recipient_email: str = "",
    expected_version: int | None = None,
) -> Letter:
    """Save the edited draft. Placeholders are checked now; they are filled in at preview and
    finalising, so the cited law follows the letter's date. ``expected_version`` is the
    version the user edited; another save since then is a VersionConflict."""
    require_unit_member(acting_user, letter.case.unit_id)
    _require_open(letter.case)
    letter = Letter.objects.select_for_update(of=("self",)).select_related("case").get(pk=letter.pk)
    _require_draft(letter)
    require_version(letter, expected_version)
    errors: dict[str, list[str]] = {}
    allowed = placeholders_for(letter.kind)
    for name, text in (("subject", subject), ("body", body)):
        problems = placeholder_problems(text, allowed)
        if problems:
            errors[name] = problems
    if not subject.strip():
        errors.setdefault("subject", []).append(_("Ange en rubrik."))
    if len(subject.strip()) > 255:
        errors.setdefault("subject", []).append(_("Rubriken får vara högst 255 tecken."))
    if not body.strip():
        errors.setdefault("body", []).append(_("Skriv en text."))
    if letter_date > timezone.localdate():
        errors["letter_date"] = [_("Skrivelsens datum kan inte ligga i framtiden.")]
    if len(recipient_name.strip()) > 200:
        errors["recipient_name"] = [_("Mottagarens namn får vara högst 200 tecken.")]
    if recipient_email.strip():
        from django.core.validators import validate_email

        try:
            validate_email(recipient_email.strip())
        except ValidationError:
            errors["recipient_email"] = [_("Ange en giltig e-postadress.")]
    if errors:
        raise ValidationError(errors)
    letter.letter_date = letter_date
    letter.subject = subject.strip()
    letter.body = body.replace("\r\n", "\n").strip()
    letter.recipient_name = recipient_name.strip()
    letter.recipient_address = recipient_address.replace("\r\n", "\n").strip()
    letter.recipient_email = recipient_email.strip()
    letter.save()
    _audit(acting_user, letter, AuditAction.UPDATE, "utkast ändrat")
    return letter


def letter_preview(*, acting_user: Any, letter: Letter) -> Composition:
    """The letter as it would be finalised by ``acting_user`` now; writes nothing."""
    require_unit_member(acting_user, letter.case.unit_id)
    return compose(letter, signer=acting_user, draft=letter.is_draft)


class LetterChangedSincePreview(Conflict):
    def __init__(self) -> None:
        super().__init__(
            _(
                "Skrivelsen har ändrats sedan du förhandsgranskade den: texten, mottagaren, "
                "datumet, brevhuvudet eller lagrummet är inte längre detsamma. Förhandsgranska "
                "skrivelsen igen och kontrollera den innan du slutför."
            ),
            "letter_changed_since_preview",
        )


@transaction.atomic
def letter_finalise(
    *,
    acting_user: Any,
    letter: Letter,
    preview_sha256: str,
    confirm_unverified_reference: bool = False,
    expected_version: int | None = None,
) -> Letter:
    """Lock the letter and store it as PDF/A with its SHA-256 and its frozen citations.

    ``preview_sha256`` is the :attr:`Composition.digest` of the preview the user saw:
    finalising stores exactly that letter or nothing. Refused when a placeholder is wrong or
    something is left to fill in (ValidationError); when the letter may not be disclosed as it
    stands — the consent its kind needs is not (or no longer) given, it names a person it may
    not name, it claims a consent not recorded, it reveals a protected person's address or
    sending municipality (DisclosureRefused, a Conflict); when the letter would differ from
    the preview (LetterChangedSincePreview) or the draft was saved since the version the user
    previewed (``expected_version``, a VersionConflict); and when the cited law is missing or
    unverified and that was not confirmed (ValidationError on ``confirm_unverified_reference``).
    """
    require_unit_member(acting_user, letter.case.unit_id)
    _require_open(letter.case)
    letter = (
        Letter.objects.select_for_update(of=("self",))
        .select_related("case", "corrects")
        .get(pk=letter.pk)
    )
    _require_draft(letter)
    require_version(letter, expected_version)
    composition = compose(letter, signer=acting_user, draft=False)
    # The guideline first: an IVO application before applying is allowed waits, whatever
    # else it lacks (the facts it is written from come with the answer). A consent that is
    # missing is the disclosure's refusal, which says more.
    if composition.workflow_refusal is not None and composition.refusal is None:
        raise composition.workflow_refusal
    if composition.problems:
        raise ValidationError(composition.problems)
    if composition.refusal is not None:
        raise composition.refusal
    if not hmac.compare_digest(composition.digest, str(preview_sha256)):
        raise LetterChangedSincePreview
    if composition.needs_reference_confirmation and not confirm_unverified_reference:
        raise ValidationError(
            {
                "confirm_unverified_reference": [
                    *composition.reference_warnings,
                    _("Bekräfta att skrivelsen ska slutföras med denna hänvisning."),
                ]
            }
        )
    pdf = pdf_from_html(composition.html)
    digest = sha256_of(pdf)
    now = timezone.now()
    letter.status = LetterStatus.FINALISED
    letter.subject = composition.subject[:255]
    letter.final_text = composition.text
    letter.finalised_at = now
    letter.finalised_by = acting_user
    letter.legal_reference = composition.primary_reference
    letter.legal_reference_confirmed = composition.needs_reference_confirmation
    letter.cited_references = frozen_citations(composition.references)
    letter.sha256 = digest
    letter.save()
    LetterDocument(
        letter=letter, pdf=pdf, sha256=digest, size=len(pdf), pdf_variant=PDF_VARIANT
    ).save()
    record_event(
        case=letter.case,
        actor=acting_user,
        kind="letter_finalised",
        text=_("Skrivelse slutförd: %(kind)s, daterad %(date)s (SHA-256 %(hash)s…).")
        % {
            "kind": letter.get_kind_display(),
            "date": letter.letter_date.isoformat(),
            "hash": digest[:12],
        },
    )
    detail = "slutförd"
    if letter.legal_reference_confirmed:
        detail += "; overifierat eller saknat lagrum bekräftat"
    _audit(acting_user, letter, AuditAction.UPDATE, detail)
    return letter


def _perform_case_action(acting_user: Any, letter: Letter, action: Action, sent_on: date) -> None:
    channel = str(letter.get_sent_channel_display())
    details: dict[str, str] = {}
    if action == Action.REQUEST_JUSTIFICATION:
        details = {
            "contacted": letter.recipient_name,
            "channel": channel,
            "summary": _("Skrivelse: %(subject)s") % {"subject": letter.subject},
        }
    elif action in (Action.SEND_OFFICIAL_LETTER, Action.SEND_TRANSFER_REQUEST):
        details = {"recipient": letter.recipient_name, "letter_reference": letter.case.reference}
    try:
        case_action_perform(
            acting_user=acting_user,
            case=letter.case,
            action=action,
            performed_on=sent_on,
            reason="",
            details=details,
        )
    except ValidationError as error:
        # The step's date is the sending date; name the field the case worker filled in.
        if hasattr(error, "error_dict") and "performed_on" in error.error_dict:
            messages = error.message_dict
            messages["sent_on"] = messages.pop("performed_on")
            raise ValidationError(messages) from None
        raise


@transaction.atomic
def letter_mark_sent(*, acting_user: Any, letter: Letter, sent_on: date, channel: str) -> Letter:
    """Record that the finalised letter was sent; once only.

    For a kind listed in :data:`SENDING_ACTIONS` the workflow step is taken in the same
    transaction (a transfer request starts the one-month answer deadline); if the policy
    refuses, its error propagates and the letter stays unsent.
    """
    require_unit_member(acting_user, letter.case.unit_id)
    _require_open(letter.case)
    letter = Letter.objects.select_for_update(of=("self",)).select_related("case").get(pk=letter.pk)
    if letter.is_draft:
        raise Conflict(_("Slutför skrivelsen innan den markeras som skickad."), "letter_is_draft")
    if letter.is_sent:
        raise Conflict(
            _("Skrivelsen är redan markerad som skickad %(date)s.")
            % {"date": letter.sent_on.isoformat() if letter.sent_on else ""},
            "letter_already_sent",
        )
    errors: dict[str, list[str]] = {}
    if channel not in SendingChannel.values:
        errors["channel"] = [_("Välj hur skrivelsen skickades.")]
    if sent_on > timezone.localdate():
        errors["sent_on"] = [_("Datum då skrivelsen skickades kan inte ligga i framtiden.")]
    elif sent_on < letter.letter_date:
        errors["sent_on"] = [
            _("Skrivelsen kan inte ha skickats före sitt datum (%(date)s).")
            % {"date": letter.letter_date.isoformat()}
        ]
    if errors:
        raise ValidationError(errors)
    if letter.kind == LetterKind.IVO_APPLICATION:
        too_early = ivo_sent_refusal(letter)
        if too_early is not None:
            raise too_early
    letter.status = LetterStatus.SENT
    letter.sent_on = sent_on
    letter.sent_channel = channel
    letter.sent_at = timezone.now()
    letter.sent_by = acting_user
    action = SENDING_ACTIONS.get(letter.kind)
    if action is not None:
        _perform_case_action(acting_user, letter, action, sent_on)
    letter.save(update_fields=["status", "sent_on", "sent_channel", "sent_at", "sent_by_id"])
    record_event(
        case=letter.case,
        actor=acting_user,
        kind="letter_sent",
        text=_("Skrivelse skickad %(date)s (%(channel)s): %(kind)s.")
        % {
            "date": sent_on.isoformat(),
            "channel": letter.get_sent_channel_display().lower(),
            "kind": letter.get_kind_display(),
        },
    )
    _audit(acting_user, letter, AuditAction.UPDATE, f"skickad {sent_on.isoformat()} {channel}")
    return letter


def letter_correct(*, acting_user: Any, letter: Letter) -> Letter:
    """Start a correction: a new draft of the same kind that refers to the finalised letter."""
    return letter_draft_create(
        acting_user=acting_user, case=letter.case, kind=letter.kind, corrects=letter
    )


def letter_pdf_read(*, acting_user: Any, letter: Letter) -> LetterDocument:
    """The stored PDF/A; the read is logged."""
    require_unit_member(acting_user, letter.case.unit_id)
    document = LetterDocument.objects.filter(letter=letter).first()
    if document is None:
        raise Conflict(_("Skrivelsen är inte slutförd och har ingen PDF ännu."), "letter_is_draft")
    _audit(acting_user, letter, AuditAction.DOWNLOAD, "pdf")
    return document
