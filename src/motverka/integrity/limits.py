"""Every limit on input, in one place, for the web forms and the API alike.

Plain Python (no database): the settings read the body limits from here, the input guard
(:mod:`motverka.integrity.guard`) applies the character, number and date rules to every
request, and services and forms take their field limits from here.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

#: The largest request body (forms and JSON); larger is a 413. A letter of
#: :data:`LETTER_BODY_MAX` characters, all of them multi-byte, still fits.
MAX_BODY_BYTES = 1024 * 1024
#: The most fields one form may send (the intake form with many household rows ~ 100).
MAX_FIELDS = 500

#: Texts of these names may hold line breaks and tabs; every other text is one line. Every
#: multi-line form field and every model TextField (the admin edits them) is listed.
LONG_TEXT_FIELDS = frozenset(
    {
        "account",
        "address",
        "advice_note",
        "answer_summary",
        "assessment_reason",
        "body",
        "cancelled_reason",
        "closing_note",
        "condition",
        "dampness_or_damage",
        "description",
        "final_text",
        "findings",
        "free_text",
        "indicator_note",
        "justification",
        "not_applicable_reason",
        "note",
        "participants",
        "postal_address",
        "reason",
        "recipient_address",
        "safety",
        "social_services_address",
        "space_note",
        "summary",
        "support_before",
        "support_lost",
        "text",
        "told_what",
        "view",
        "wishes_now",
    }
)
LONG_TEXT_WHITESPACE = frozenset("\t\n\r")

#: Lengths shared by forms, API schemas and services.
JOURNAL_TEXT_MAX = 20_000
LETTER_BODY_MAX = 100_000

#: No date in Motverka lies outside these (a birth date, a date of receipt, a deadline).
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2100, 12, 31)
#: "Rent paid until" lies at most this many years ahead.
RENT_PAID_UNTIL_MAX_YEARS = 5

#: Whole numbers in JSON fit a signed 64-bit database column; decimals stay below this.
MAX_INTEGER = 2**63 - 1
MAX_DECIMAL = Decimal("1e15")

_ISO_DATE = re.compile(r"\s*(\d{4,})-(\d{1,2})-(\d{1,2})\s*")


def text_problem(value: str, *, long_text: bool) -> str | None:
    """A Swedish message if the text holds a character no field may hold: control
    characters (a line break or tab only in a long text) or a lone surrogate."""
    for character in value:
        if long_text and character in LONG_TEXT_WHITESPACE:
            continue
        if unicodedata.category(character) in {"Cc", "Cs"}:
            if character in LONG_TEXT_WHITESPACE:
                return _("Fältet får bara innehålla en rad (inga radbrytningar eller tabbar).")
            return _("Texten innehåller otillåtna tecken (styrtecken).")
    return None


def date_problem(value: str) -> str | None:
    """A Swedish message if a value written as a date (ÅÅÅÅ-MM-DD) lies outside
    :data:`EARLIEST_DATE` – :data:`LATEST_DATE`. Other values are not judged here."""
    match = _ISO_DATE.fullmatch(value)
    if match is None:
        return None
    if EARLIEST_DATE.year <= int(match.group(1)) <= LATEST_DATE.year:
        return None
    return _("Datumet måste ligga mellan %(earliest)s och %(latest)s.") % {
        "earliest": EARLIEST_DATE.isoformat(),
        "latest": LATEST_DATE.isoformat(),
    }


def number_problem(value: int | Decimal) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return None if -MAX_INTEGER <= value <= MAX_INTEGER else _("Talet är för stort.")
    if not value.is_finite() or abs(value) >= MAX_DECIMAL:
        return _("Talet är för stort.")
    return None


def value_problem(name: str, value: str) -> str | None:
    """The text and date rules for one submitted value of the field ``name``."""
    return text_problem(value, long_text=name in LONG_TEXT_FIELDS) or date_problem(value)
