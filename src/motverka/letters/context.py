"""What a letter can say: the placeholder values drawn from the case, the sender and the law.

:func:`letter_context` is the single place that turns a case into placeholder values, and the
single place that leaves out where a protected person lives. Everything else (sender,
signer, legal references) is added by :func:`letter_values` for one letter on one date.
"""

from __future__ import annotations

import base64
import mimetypes
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.utils.translation import gettext

from motverka.letters.disclosure import Disclosure
from motverka.letters.models import Letter, Letterhead, LetterKind, LetterStatus
from motverka.letters.placeholders import LOCATION_PLACEHOLDERS, placeholder_names
from motverka.letters.protection import known_addresses
from motverka.people.models import age_on
from motverka.reference.models import LegalReference, Municipality
from motverka.reference.selectors import legal_reference_valid_on

#: The legal references each kind of letter cites, the first being ``{{ legal_reference }}``.
LEGAL_REFERENCE_CODES: dict[str, tuple[str, ...]] = {
    LetterKind.TRANSFER_REQUEST: ("transfer_request",),
    LetterKind.IVO_APPLICATION: ("ivo_application", "transfer_request"),
}
#: Codes that may be cited by name, ``{{ legal_reference.<code> }}``.
CITABLE_CODES = ("transfer_request", "ivo_application")

MISSING_REFERENCE = "[lagrum saknas]"


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def letter_context(case: Any, *, on: date) -> dict[str, str]:
    """Placeholder values about the case and the person, as of the day ``on``.

    For a person with protected identity the placeholders that reveal where they live
    (:data:`LOCATION_PLACEHOLDERS`) are left out, so they render as withheld whatever the
    template or the case worker wrote.
    """
    person = case.person
    sending = case.sending_municipality
    household = list(case.household.all())
    interventions = list(case.interventions.all())
    ongoing = [item for item in interventions if item.ongoing]
    addresses = known_addresses(person)
    values = {
        "case.reference": case.reference,
        "case.received_on": _iso(case.received_on),
        "case.moved_on": _iso(case.moved_on),
        "sending_municipality.name": sending.name,
        "sending_municipality.social_services": sending.social_services_name
        or f"Socialtjänsten i {sending.name}",
        "sending_municipality.address": sending.social_services_address,
        "sending_municipality.email": sending.registrator_email,
        "case_worker.name": case.assigned_to.display_name() if case.assigned_to else "",
        "person.name": person.full_name,
        "person.identity_number": person.identity_display,
        "person.birth_date": _iso(person.birth_date),
        "person.address": addresses[0] if addresses else "",
        "person.municipality": case.receiving_municipality.name,
        "household.members": "\n".join(
            f"{member} ({member.get_relation_display().lower()})" for member in household
        ),
        "household.children": "\n".join(
            _child_line(member, on) for member in household if member.is_child_on(on)
        ),
        "interventions": "\n".join(item.summary() for item in interventions),
        "interventions.ongoing": "\n".join(item.summary() for item in ongoing),
        "interventions.ongoing.decisions": _decisions(ongoing),
        "interventions.ongoing.duration": "\n".join(
            f"{item.label()}, "
            + gettext("till och med %(date)s") % {"date": _iso(item.needed_until)}
            for item in ongoing
            if item.needed_until is not None
        ),
        "person.wishes": _wishes(case),
        "children.views": "\n".join(_child_view_lines(case, on)),
    }
    if person.protected_identity:
        for name in LOCATION_PLACEHOLDERS:
            values.pop(name, None)
    return values


def _wishes(case: Any) -> str:
    """What the person said in the latest version of their own account."""
    account = case.personal_accounts.order_by("-version").first()
    if account is None:
        return ""
    lines = [
        f"Uttryckte en vilja att flytta: {account.get_wish_to_move_display().lower()} "
        f"(samtal {account.told_on.isoformat()})."
    ]
    if account.wishes_now.strip():
        lines.append(f"Önskemål nu: {account.wishes_now.strip()}")
    return "\n".join(lines)


def _child_view_lines(case: Any, on: date) -> list[str]:
    """Each child's latest recorded view, one line per child."""
    latest: dict[int, Any] = {}
    for view in case.child_views.select_related("member").order_by("-heard_on", "-id"):
        latest.setdefault(view.member_id, view)
    lines = []
    for view in latest.values():
        age = age_on(view.member.birth_date, on)
        who = f"{view.member} ({age} år)" if age is not None else str(view.member)
        lines.append(
            f"{who}, {view.get_heard_by_display().lower()} {view.heard_on.isoformat()}: "
            f"{view.view.strip()}"
        )
    return lines


def _child_line(member: Any, on: date) -> str:
    age = age_on(member.birth_date, on)
    if member.birth_date is None:
        return f"{member} (födelsedatum okänt)"
    return f"{member}, född {member.birth_date.isoformat()} ({age} år)"


def _decisions(ongoing: list[Any]) -> str:
    """Each ongoing intervention with its decision and legal basis; empty while any lacks one.

    An application to IVO must state the decision behind every current intervention, so a
    partial list would read as complete: the field stays empty (and the letter refuses to
    finalise) until each one has both.
    """
    if not ongoing or any(item.decided_on is None or not item.legal_basis for item in ongoing):
        return ""
    return "\n".join(f"{item.label()}, {item.decision()}" for item in ongoing)


@dataclass(frozen=True)
class Sender:
    """The letterhead and signatory as printed on one letter."""

    municipality: str
    department: str
    unit: str
    address: str
    phone: str
    email: str
    logo_data_uri: str
    signer_name: str
    signer_title: str


def _logo_data_uri(letterhead: Letterhead) -> str:
    # Embedded rather than fetched, so rendering never reads a URL or a path from the web.
    if not letterhead.logo:
        return ""
    try:
        with letterhead.logo.open("rb") as handle:
            data = handle.read()
    except OSError:
        return ""
    mime = mimetypes.guess_type(letterhead.logo.name)[0] or "image/png"
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def _municipality_title(name: str) -> str:
    """ "Munkedals kommun", "Borås kommun": the genitive s is not doubled."""
    return f"{name} kommun" if name[-1:].lower() in "sxz" else f"{name}s kommun"


def sender_for(case: Any, signer: Any) -> Sender:
    """The unit's letterhead, else the default one, else what the unit record knows."""
    letterhead = (
        Letterhead.objects.filter(unit_id=case.unit_id).first()
        or Letterhead.objects.filter(unit__isnull=True).first()
    )
    unit = case.unit
    signer_name = signer.display_name() if signer else ""
    signer_title = getattr(signer, "title", "") if signer else ""
    if letterhead is None:
        own = Municipality.objects.filter(code=settings.MOTVERKA_MUNICIPALITY).first()
        return Sender(
            municipality=_municipality_title(own.name) if own else "",
            department="",
            unit=unit.name,
            address=unit.postal_address,
            phone=unit.phone,
            email=unit.email,
            logo_data_uri="",
            signer_name=signer_name,
            signer_title=signer_title,
        )
    return Sender(
        municipality=letterhead.municipality_name,
        department=letterhead.department,
        unit=unit.name,
        address=letterhead.address or unit.postal_address,
        phone=letterhead.phone or unit.phone,
        email=letterhead.email or unit.email,
        logo_data_uri=_logo_data_uri(letterhead),
        signer_name=letterhead.signer_name or signer_name,
        signer_title=letterhead.signer_title if letterhead.signer_name else signer_title,
    )


def cited_codes(letter: Letter) -> tuple[str, ...]:
    """The legal references the letter cites: its kind's own, and any named in its text."""
    codes = list(LEGAL_REFERENCE_CODES.get(letter.kind, ()))
    for name in placeholder_names(f"{letter.subject}\n{letter.body}"):
        if name.startswith("legal_reference.") and name.split(".", 1)[1] in CITABLE_CODES:
            codes.append(name.split(".", 1)[1])
    return tuple(dict.fromkeys(codes))


def legal_references_for(letter: Letter) -> dict[str, LegalReference | None]:
    return {
        code: legal_reference_valid_on(code, letter.letter_date) for code in cited_codes(letter)
    }


def _transfer_request_sent_on(case: Any) -> str:
    """The day the transfer request went: its letter marked sent, else the workflow step
    (registered by hand for a request sent outside Motverka); empty when neither exists."""
    sent = (
        Letter.objects.filter(case=case, kind=LetterKind.TRANSFER_REQUEST, status=LetterStatus.SENT)
        .order_by("-sent_on")
        .values_list("sent_on", flat=True)
        .first()
    )
    if sent is None:
        sent = _step_date(case, "send_transfer_request")
    return _iso(sent)


def _step_date(case: Any, *actions: str) -> date | None:
    from motverka.workflow.models import StepRecord

    return (
        StepRecord.objects.filter(case=case, action__in=actions)
        .order_by("-performed_on", "-id")
        .values_list("performed_on", flat=True)
        .first()
    )


def _transfer_answer(case: Any) -> tuple[str, str]:
    """(date, sentence) of the sending municipality's answer to the transfer request."""
    from motverka.workflow.models import StepRecord

    record = (
        StepRecord.objects.filter(
            case=case,
            action__in=(
                "record_transfer_accepted",
                "record_transfer_declined",
                "record_transfer_no_answer",
            ),
        )
        .order_by("-performed_on", "-id")
        .first()
    )
    if record is None:
        return "", ""
    name = case.sending_municipality.name
    day = record.performed_on.isoformat()
    if record.action == "record_transfer_declined":
        return day, f"{name} avböjde begäran {day}."
    if record.action == "record_transfer_accepted":
        return day, f"{name} medgav begäran {day}."
    return day, f"{name} har inte svarat inom en månad (registrerat {day})."


#: Placeholders that name the sending municipality (withheld where a protected person's
#: sending municipality may not stand, see letters.disclosure).
SENDING_MUNICIPALITY_PLACEHOLDERS = (
    "sending_municipality.name",
    "sending_municipality.social_services",
    "sending_municipality.address",
    "sending_municipality.email",
)


def letter_values(
    letter: Letter,
    *,
    sender: Sender,
    references: dict[str, LegalReference | None],
    disclosure: Disclosure,
) -> dict[str, str]:
    """Every placeholder value for ``letter``: the case context plus sender and law.

    ``disclosure`` (letters.disclosure) decides what the letter may say: a protected person's
    sending municipality is withheld where it may not stand, and ``{{ consent.statement }}``
    says that the person consented only when that consent is recorded as given.
    """
    values = letter_context(letter.case, on=letter.letter_date)
    if not disclosure.may_name_sending_municipality:
        for name in SENDING_MUNICIPALITY_PLACEHOLDERS:
            values.pop(name, None)
    statement = disclosure.rule.consent_statement
    values["consent.statement"] = str(statement) if statement and disclosure.consent_given else ""
    values.update(
        {
            "letter.date": letter.letter_date.isoformat(),
            "recipient.name": letter.recipient_name,
            "sender.municipality": sender.municipality,
            "sender.department": sender.department,
            "sender.unit": sender.unit,
            "sender.address": sender.address,
            "sender.phone": sender.phone,
            "sender.email": sender.email,
            "signer.name": sender.signer_name,
            "signer.title": sender.signer_title,
            "transfer_request.sent_on": _transfer_request_sent_on(letter.case),
        }
    )
    answered_on, answer = _transfer_answer(letter.case)
    values["transfer_request.answered_on"] = answered_on
    values["transfer_request.answer"] = answer
    for code in CITABLE_CODES:
        reference = references.get(code) or legal_reference_valid_on(code, letter.letter_date)
        values[f"legal_reference.{code}"] = reference.citation if reference else MISSING_REFERENCE
    primary = LEGAL_REFERENCE_CODES.get(letter.kind, ())
    values["legal_reference"] = (
        values[f"legal_reference.{primary[0]}"] if primary else MISSING_REFERENCE
    )
    return values
