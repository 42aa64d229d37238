"""Protected identity in letters: where a protected person lives must never leave in a letter.

Addresses are looked up through :func:`known_addresses`, which asks every provider listed in
the setting ``MOTVERKA_KNOWN_ADDRESS_PROVIDERS`` (dotted paths to ``f(person) -> list[str]``;
housing provides the recorded addresses). They are compared with the letter's text in the
canonical form of :mod:`motverka.letters.textmatch`, so a soft hyphen, a zero-width space,
capitals or an abbreviation ("Hemligv. 7") does not hide an address.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string

from motverka.letters.textmatch import Haystack, address_keys


def known_addresses(person: Any) -> list[str]:
    """Every address the system knows for ``person`` (current and earlier), as text."""
    addresses: list[str] = []
    for path in getattr(settings, "MOTVERKA_KNOWN_ADDRESS_PROVIDERS", ()):
        addresses.extend(str(item) for item in import_string(path)(person) if str(item).strip())
    return addresses


def leaked_addresses(person: Any, haystack: Haystack) -> list[str]:
    """The known addresses of a protected ``person`` that occur in ``haystack``."""
    if not person.protected_identity:
        return []
    return [
        address for address in known_addresses(person) if address_keys(address).found_in(haystack)
    ]
