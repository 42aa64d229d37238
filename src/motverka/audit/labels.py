"""Swedish labels for the codes in audit rows (object types and channels), so that log
pages and extracts never show codes to people."""

from __future__ import annotations

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
