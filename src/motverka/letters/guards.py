"""What must be in place before a letter is finalised, beyond its text and its disclosure.

* :func:`recipient_problems` — a letter needs somebody to go to: the recipient's name, and a
  postal address or an e-mail address. Pure.
* :func:`empty_value_warnings` — the placeholders the letter uses whose value is empty, named
  by their labels, so nothing leaves with a hole the case worker did not see. Pure.
* :func:`ivo_application_refusal` — the guideline allows an application to IVO only after the
  sending municipality declined the transfer request or let the month pass without an answer,
  with a care intervention and the person's consent; asks ``workflow.policy`` on the facts
  of the case as they are now.
* :func:`ivo_sent_refusal` — an application written before that answer came does not count:
  it cannot be marked sent once the request is declined.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from types import MappingProxyType
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from motverka.cases.errors import Conflict
from motverka.letters.placeholders import field_label

#: Every kind needs the recipient's name and one of these ways to reach them.
RECIPIENT_NAME_FIELD = "recipient_name"
RECIPIENT_CONTACT_FIELDS = ("recipient_address", "recipient_email")


def recipient_problems(
    *, name: str, address: str, email: str, directory_gap: str = ""
) -> dict[str, list[str]]:
    """Swedish messages, per form field, for recipient data that is missing.

    ``directory_gap`` names the sending municipality whose social-services address is not in
    the directory, so the message can say where the address should have come from.
    """
    problems: dict[str, list[str]] = {}
    if not name.strip():
        problems[RECIPIENT_NAME_FIELD] = [_("Fältet ”Mottagare” är tomt. Ange mottagarens namn.")]
    if not address.strip() and not email.strip():
        message = _(
            "Fälten ”Mottagarens adress” och ”Mottagarens e-post” är tomma. Ange minst det ena, "
            "så att skrivelsen kan skickas."
        )
        if directory_gap:
            message += " " + _(
                "Kommunregistret saknar adress till socialtjänsten i %(municipality)s; be "
                "systemförvaltaren fylla i den under Kommuner."
            ) % {"municipality": directory_gap}
        problems[RECIPIENT_CONTACT_FIELDS[0]] = [message]
    return problems


#: Facts a kind of letter cannot go without: when the text uses one of these fields and it
#: is empty, the letter is not finalised (the case must record the fact first, or the case
#: worker writes it into the text instead of the field). Other empty fields only warn.
REQUIRED_VALUES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "ivo_application": (
            "person.identity_number",
            "transfer_request.sent_on",
            "transfer_request.answer",
            "person.wishes",
            "interventions.ongoing",
            "interventions.ongoing.decisions",
        ),
        "transfer_request": ("person.identity_number", "interventions.ongoing"),
        "justification_request": ("person.identity_number",),
    }
)


def required_value_problems(kind: str, empty: Iterable[str]) -> list[str]:
    """Swedish messages for the required fields of ``kind`` among the ``empty`` ones."""
    missing = [name for name in REQUIRED_VALUES.get(kind, ()) if name in set(empty)]
    return [
        _(
            "Fältet «%(label)s» är tomt, men skrivelsen kan inte skickas utan den uppgiften. "
            "Registrera den i ärendet, eller skriv in den i texten i stället för fältet."
        )
        % {"label": field_label(name)}
        for name in missing
    ]


def empty_value_warnings(names: Iterable[str]) -> list[str]:
    """One Swedish warning naming every empty field the letter uses, or none."""
    labels = [f"«{field_label(name)}»" for name in dict.fromkeys(names)]
    if not labels:
        return []
    return [
        _(
            "Dessa fält är tomma och lämnas därför ute ur skrivelsen: %(fields)s. Fyll i "
            "uppgifterna i ärendet (eller i brevhuvudet) om de ska stå med."
        )
        % {"fields": ", ".join(labels)}
    ]


def ivo_application_refusal(case: Any, *, today: date | None = None) -> Conflict | None:
    """Why the guideline does not (yet) allow applying to IVO in ``case``, or None."""
    from motverka.workflow import policy
    from motverka.workflow.selectors import case_facts

    facts = case_facts(case=case, today=today or timezone.localdate())
    try:
        policy.decide(facts, policy.Action.APPLY_TO_IVO)
    except policy.PolicyError as refusal:
        return Conflict(
            _("Ansökan till IVO kan inte slutföras ännu. %(reason)s") % {"reason": refusal.message},
            "ivo_application_not_allowed",
        )
    return None


def transfer_answer_date(case: Any) -> date | None:
    """The day the sending municipality's answer (or its silence) was registered."""
    from motverka.workflow.models import StepRecord

    return (
        StepRecord.objects.filter(
            case=case, action__in=("record_transfer_declined", "record_transfer_no_answer")
        )
        .order_by("-performed_on", "-id")
        .values_list("performed_on", flat=True)
        .first()
    )


def ivo_sent_refusal(letter: Any) -> Conflict | None:
    """An IVO application dated before the answer it relies on never counts as sent."""
    answered = transfer_answer_date(letter.case)
    if answered is None or letter.letter_date >= answered:
        return None
    return Conflict(
        _(
            "Ansökan är daterad %(letter)s, före avsändande kommuns svar (%(answer)s), och kan "
            "inte räknas som skickad. Skriv en ny ansökan som bygger på svaret."
        )
        % {"letter": letter.letter_date.isoformat(), "answer": answered.isoformat()},
        "ivo_application_before_answer",
    )


def sending_municipality_gap(case: Any, kind: str, to_sending: Iterable[str]) -> str:
    """The sending municipality's name when a letter to it finds no address in the directory."""
    sending = case.sending_municipality
    if kind in set(to_sending) and not sending.social_services_address.strip():
        return str(sending.name)
    return ""
