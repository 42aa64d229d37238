"""Protected identity in letters: the person's address must never leave in a letter.

There is no address in the system yet; housing (``motverka.housing``) will add leases and
home visits. So that the check at finalising keeps working when it does, addresses are
looked up through :func:`known_addresses`, which asks every provider listed in the setting
``MOTVERKA_KNOWN_ADDRESS_PROVIDERS`` (dotted paths to ``f(person) -> list[str]``). With no
provider configured it returns no addresses and the check passes trivially.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from motverka.cases.errors import Conflict


def known_addresses(person: Any) -> list[str]:
    """Every address the system knows for ``person`` (current and earlier), as text."""
    addresses: list[str] = []
    for path in getattr(settings, "MOTVERKA_KNOWN_ADDRESS_PROVIDERS", ()):
        addresses.extend(str(item) for item in import_string(path)(person) if str(item).strip())
    return addresses


def _normalised(text: str) -> str:
    return re.sub(r"[\s,]+", " ", text).strip().casefold()


def _address_lines(address: str) -> list[str]:
    """The address as a whole and each line of it; a line alone (the street) is a leak too."""
    parts = [address, *re.split(r"[\n,]", address)]
    return [part for part in (_normalised(item) for item in parts) if len(part) >= 4]


def leaked_addresses(person: Any, texts: list[str]) -> list[str]:
    """The known addresses of a protected ``person`` that occur in any of ``texts``."""
    if not person.protected_identity:
        return []
    haystack = _normalised("\n".join(texts))
    return [
        address
        for address in known_addresses(person)
        if any(line in haystack for line in _address_lines(address))
    ]


class ProtectedAddressLeak(Conflict):
    def __init__(self) -> None:
        super().__init__(
            _(
                "Skrivelsen innehåller en adress till en person med skyddade personuppgifter. "
                "Ta bort adressen ur texten och mottagaruppgifterna; skrivelsen kan inte "
                "slutföras med den."
            ),
            "protected_address",
        )
