"""What each step of the guideline asks the case worker to write down.

The policy decides *whether* a step may be taken; this table says which facts the step
record must hold (who was contacted, how, what was said, the justification received, the
decision reference). The service validates against it and the "Nästa steg" panel builds its
forms from it, so the two cannot drift apart. Pure data: no database, no clock.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from motverka.workflow.policy import Action

__all__ = [
    "DETAIL_MAX_LENGTH",
    "REASON_REQUIRED",
    "STEP_DETAILS",
    "DetailField",
    "details_for",
    "labelled_details",
]

DETAIL_MAX_LENGTH = 5000


@dataclass(frozen=True)
class DetailField:
    """One fact a step records. ``multiline`` fields get a text area in the panel."""

    name: str
    label: Promise
    required: bool = False
    multiline: bool = False
    help_text: Promise | str = ""


_CONTACTED = DetailField("contacted", _("Vem kontaktades (namn, funktion, kommun)"), True)
_CHANNEL = DetailField(
    "channel", _("Hur (telefon, e-post, brev, möte)"), True, help_text=_("Till exempel telefon.")
)
_LETTER_REFERENCE = DetailField("letter_reference", _("Skrivelsens diarienummer"))
_RECIPIENT = DetailField("recipient", _("Mottagare"))
_ANSWER = DetailField("answer_summary", _("Vad svarade kommunen"), multiline=True)
_DECISION_REFERENCE = DetailField("decision_reference", _("Beslutets diarienummer"))

STEP_DETAILS: Mapping[Action, tuple[DetailField, ...]] = MappingProxyType(
    {
        Action.RECORD_OBJECTION: (
            _CONTACTED,
            _CHANNEL,
            DetailField(
                "summary",
                _("Vad sades"),
                True,
                multiline=True,
                help_text=_(
                    "Utan samtycke får kontakten inte avslöja vem den enskilde är (OSL 26 kap.)."
                ),
            ),
        ),
        Action.REQUEST_JUSTIFICATION: (
            _CONTACTED,
            DetailField("channel", _("Hur (telefon, e-post, brev, möte)")),
            DetailField("summary", _("Vad sades"), multiline=True),
        ),
        Action.RECORD_JUSTIFICATION_RECEIVED: (
            DetailField("justification", _("Motiveringen som lämnades"), True, multiline=True),
            DetailField("received_from", _("Från vem")),
        ),
        Action.RECORD_PERSONAL_ACCOUNT: (
            DetailField(
                "account",
                _("Den enskildes berättelse"),
                True,
                multiline=True,
                help_text=_(
                    "Vad hände, ville personen flytta, vad fick personen veta, vem ordnade "
                    "bostaden."
                ),
            ),
        ),
        Action.SEND_OFFICIAL_LETTER: (_RECIPIENT, _LETTER_REFERENCE),
        Action.SEND_TRANSFER_REQUEST: (_RECIPIENT, _LETTER_REFERENCE),
        Action.RECORD_TRANSFER_ACCEPTED: (_ANSWER,),
        Action.RECORD_TRANSFER_DECLINED: (_ANSWER,),
        Action.APPLY_TO_IVO: (DetailField("ivo_reference", _("IVO:s diarienummer")),),
        Action.RECORD_IVO_GRANTED: (_DECISION_REFERENCE,),
        Action.RECORD_IVO_REJECTED: (_DECISION_REFERENCE,),
        Action.RECORD_HOME_VISIT: (
            DetailField("summary", _("Iakttagelser vid hembesöket"), multiline=True),
        ),
        Action.RECORD_FINANCIAL_ASSISTANCE_ASSESSMENT: (
            DetailField(
                "decision_reference",
                _("Beslutets diarienummer"),
                True,
                help_text=_("Prövningen görs i den ordinarie handläggningen; ange beslutet."),
            ),
        ),
    }
)

# Steps whose reason is a required part of the record (the policy refuses them without one).
REASON_REQUIRED = frozenset(
    {Action.ASSESS_CONFIRM, Action.ASSESS_DISMISS, Action.MARK_NOT_APPLICABLE, Action.REOPEN}
)


def details_for(action: Action) -> tuple[DetailField, ...]:
    """Return the facts ``action`` records, in the order the panel asks for them."""
    return STEP_DETAILS.get(Action(action), ())


def labelled_details(action: Action | str, details: Mapping[str, str]) -> list[tuple[str, str]]:
    """Return ``details`` as (Swedish label, value) pairs, known fields first in form order."""
    try:
        fields = details_for(Action(action))
    except ValueError:
        fields = ()
    labels = {field.name: str(field.label) for field in fields}
    known = [(labels[name], details[name]) for name in labels if details.get(name)]
    other = [(name, value) for name, value in details.items() if name not in labels and value]
    return known + other
