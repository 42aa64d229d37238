"""Swedish personal identity numbers (personnummer and samordningsnummer).

Validation is delegated to the ``personnummer`` package; this module only fixes the one
canonical form we store: twelve digits, century included, no separator (YYYYMMDDNNNN).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy as _
from personnummer import personnummer as _pnr

from motverka.audit.logging import IDENTITY_NUMBER


class InvalidIdentityNumber(ValueError):
    """Raised with a Swedish message when input is not a valid identity number."""


@dataclass(frozen=True)
class IdentityNumber:
    canonical: str  # 12 digits
    is_coordination_number: bool
    birth_date: date

    def masked(self) -> str:
        """YYYYMMDD-XXXX — for places where the last four digits are not needed."""
        return f"{self.canonical[:8]}-XXXX"

    def display(self) -> str:
        return f"{self.canonical[:8]}-{self.canonical[8:]}"


def parse_identity_number(raw: str) -> IdentityNumber:
    """Accepts the usual forms (YYMMDD-NNNN, YYMMDD+NNNN, YYYYMMDDNNNN, with or without
    separator or spaces) and returns the canonical 12-digit form."""
    text = (raw or "").strip().replace(" ", "")
    if not text:
        raise InvalidIdentityNumber(_("Ange ett personnummer eller samordningsnummer."))
    try:
        parsed = _pnr.Personnummer(text)
    except _pnr.PersonnummerException as error:
        raise InvalidIdentityNumber(
            _(
                "”%(value)s” är inte ett giltigt personnummer eller samordningsnummer. "
                "Kontrollera siffrorna (ÅÅÅÅMMDD-NNNN)."
            )
            % {"value": _mask_input(text)}
        ) from error
    canonical = parsed.format(True)
    coordination = parsed.is_coordination_number()
    day = int(canonical[6:8]) - (60 if coordination else 0)
    return IdentityNumber(
        canonical=canonical,
        is_coordination_number=coordination,
        birth_date=date(int(canonical[:4]), int(canonical[4:6]), day),
    )


def contains_identity_number(text: str) -> bool:
    """Whether ``text`` holds a valid identity number anywhere in it. Organisation numbers
    have the same shape but are not valid dates, so they do not count."""
    for match in IDENTITY_NUMBER.finditer(text or ""):
        try:
            parse_identity_number(match.group())
        except InvalidIdentityNumber:
            continue
        return True
    return False


def _mask_input(text: str) -> str:
    # Never echo a full number back (error pages may be logged or shoulder-surfed).
    return text[:-4] + "XXXX" if len(text) > 4 else "XXXX"
