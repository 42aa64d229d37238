"""What an administrator may not do to their own account (plain Python, no database).

An administrator manages other people's access. Changing their own role, joining a unit
(which would open that unit's cases once they held a case role) or making themselves
superuser would let them grant themselves access without anyone else taking part, so each
is refused — in the administration forms and again in the services. See decision 0011.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class AccountChange:
    """A change to one account, as far as the rules care."""

    acting_user_id: int | None  # None: a command run on the server, or the system
    target_id: int | None  # None: an account being created
    role_before: str | None = None
    role_after: str | None = None
    superuser_before: bool = False
    superuser_after: bool = False
    units_added: bool = False


def self_grant_refusals(change: AccountChange) -> dict[str, str]:
    """Field name -> Swedish reason, for each part of ``change`` an administrator may not
    make to their own account. Empty when the change is allowed."""
    if change.acting_user_id is None or change.acting_user_id != change.target_id:
        return {}
    refusals: dict[str, str] = {}
    if change.role_after is not None and change.role_after != change.role_before:
        refusals["role"] = _(
            "Du kan inte ändra din egen roll. Be en annan systemförvaltare att göra det."
        )
    if change.superuser_after and not change.superuser_before:
        refusals["is_superuser"] = _(
            "Du kan inte göra dig själv till superanvändare. Be en annan systemförvaltare."
        )
    if change.units_added:
        refusals["units"] = _(
            "Du kan inte ge dig själv tillhörighet till en enhet. Be en annan systemförvaltare."
        )
    return refusals
