"""How administration of accounts is described in the audit log, and the membership
history. Shared by the services (the normal path) and the ORM backstop in ``signals``.

Details are Swedish, name what changed from what to what, and never hold a secret.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.utils import timezone
from django.utils.translation import gettext as _

from motverka.accounts.models import MembershipPeriod, Role, Unit, User

_in_service: ContextVar[bool] = ContextVar("motverka_account_service", default=False)

#: Flags whose changes are logged as ``user_change``, with their Swedish names.
FLAG_NAMES = {
    "is_active": "aktiv",
    "is_staff": "administrationsbehörighet",
    "is_superuser": "superanvändare",
}
#: Other account fields, named (not their values) when they change.
DETAIL_NAMES = {
    "username": "användarnamn",
    "first_name": "förnamn",
    "last_name": "efternamn",
    "email": "e-post",
    "title": "titel",
}


@contextmanager
def service_write() -> Iterator[None]:
    """Marks writes that a service audits itself, so the ORM backstop stays quiet."""
    token = _in_service.set(True)
    try:
        yield
    finally:
        _in_service.reset(token)


def in_service() -> bool:
    return _in_service.get()


def role_name(role: str) -> str:
    try:
        return str(Role(role).label).lower()
    except ValueError:
        return role


def yes_no(value: bool) -> str:
    return _("ja") if value else _("nej")


def role_detail(before: str, after: str) -> str:
    return _("roll: %(before)s → %(after)s") % {
        "before": role_name(before),
        "after": role_name(after),
    }


def flags_detail(before: dict[str, bool], after: dict[str, bool]) -> list[str]:
    return [
        f"{name}: {yes_no(before[field])} → {yes_no(after[field])}"
        for field, name in FLAG_NAMES.items()
        if field in after and before[field] != after[field]
    ]


def units_detail(added: Iterable[Unit], removed: Iterable[Unit]) -> str:
    parts = []
    added_names = sorted(unit.name for unit in added)
    removed_names = sorted(unit.name for unit in removed)
    if added_names:
        parts.append(_("tillagd i: %(units)s") % {"units": ", ".join(added_names)})
    if removed_names:
        parts.append(_("borttagen från: %(units)s") % {"units": ", ".join(removed_names)})
    return "; ".join(parts)


def creation_detail(user: User, units: Iterable[Unit]) -> str:
    names = sorted(unit.name for unit in units)
    parts = [_("roll: %(role)s") % {"role": role_name(user.role)}]
    parts.append(_("enheter: %(units)s") % {"units": ", ".join(names) if names else "–"})
    if user.is_superuser:
        parts.append(_("superanvändare"))
    if not user.is_active:
        parts.append(_("inaktiv"))
    return "; ".join(parts)


def membership_record(*, user_id: int, added: Iterable[int], removed: Iterable[int]) -> None:
    """Open a period for each unit joined, close the open one for each unit left."""
    now = timezone.now()
    MembershipPeriod.objects.bulk_create(
        [MembershipPeriod(user_id=user_id, unit_id=unit_id) for unit_id in added]
    )
    removed = list(removed)
    if removed:
        MembershipPeriod.objects.filter(
            user_id=user_id, unit_id__in=removed, left_at__isnull=True
        ).update(left_at=now)
