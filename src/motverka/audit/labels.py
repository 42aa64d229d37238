"""Swedish labels for the codes in audit rows (object types and channels), so that log
pages and extracts never show codes to people."""

from __future__ import annotations

import re
from functools import cache

from django.utils.translation import gettext_lazy as _

OBJECT_LABELS = {
    "case": _("ärendet"),
    "person": _("personuppgifter"),
    "letter": _("skrivelse"),
    "journal_entry": _("journalanteckning"),
    "household": _("hushållet"),
    "consent": _("samtycke"),
    "deadline": _("bevakning"),
    "audit_log": _("loggen"),
    "log_extract": _("loggutdrag"),
    "log_review": _("loggranskning"),
    "landlord": _("hyresvärd"),
    "housing": _("boende"),
    "home_visit": _("hembesök"),
    "personal_account": _("den enskildes berättelse"),
    "child_view": _("barnets synpunkter"),
    "step": _("åtgärd"),
    "unit": _("enhet"),
    "user": _("användare"),
    "api_token": _("API-nyckel"),
    "case_list": _("ärendelistan"),
    "case_lookup": _("kontroll mot andra enheter"),
    "landlord_list": _("hyresvärdslistan"),
}
CHANNEL_LABELS = {
    "ui": _("webbgränssnittet"),
    "api": _("API"),
    "command": _("systemkommando"),
}


def object_label(object_type: str) -> str:
    return str(OBJECT_LABELS.get(object_type, object_type.replace("_", " ")))


def channel_label(channel: str) -> str:
    return str(CHANNEL_LABELS.get(channel, channel))


_CODE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)*\b")


@cache
def _code_labels() -> dict[str, str]:
    """Swedish labels of the codes that stand in audit details ("steg: assess_confirm",
    "contact_sending_municipality: given", "skickad 2026-11-30 secure_digital"): the
    choices of the workflow, deadline, letter and housing vocabularies, and the names of
    the housing and landlord fields a change lists."""
    from motverka.housing import vocabulary as housing
    from motverka.housing.models import Housing, Landlord
    from motverka.letters.models import LetterKind, LetterStatus, SendingChannel
    from motverka.workflow import policy
    from motverka.workflow.deadlines import DeadlineKind
    from motverka.workflow.models import ConsentForm

    choices = [
        policy.Action,
        policy.CaseStatus,
        policy.Outcome,
        policy.ConsentScope,
        policy.ConsentStatus,
        policy.Measure,
        policy.MeasureState,
        DeadlineKind,
        ConsentForm,
        LetterKind,
        LetterStatus,
        SendingChannel,
        housing.LeaseType,
        housing.ArrangedBy,
        housing.LandlordKind,
        housing.HomeVisitStatus,
        housing.HousingAssessment,
    ]
    found: dict[str, str] = {}
    for model in (Housing, Landlord):
        for model_field in model._meta.concrete_fields:
            if "_" in model_field.name:
                found[model_field.name] = str(model_field.verbose_name)
    for enum in choices:
        for value, label in enum.choices:
            found[str(value)] = str(label).lower() if enum is SendingChannel else str(label)
    return found


def detail_label(detail: str) -> str:
    """An audit row's detail with the codes in it replaced by their Swedish labels. The row
    itself keeps the codes (it is chained and append-only); only the page shows labels."""
    labels = _code_labels()
    return _CODE.sub(lambda match: labels.get(match[0], match[0]), detail)
