"""Reading the security events of accounts: who created, changed, granted or revoked what.

Unit managers review these events for the people of their units — anyone who is or has
been a member (``MembershipPeriod``), as the target or as the one who acted. Administrators
see them for every unit (decision 0011). Every look at the page is itself logged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Q
from django.utils.translation import gettext as _

from motverka.accounts.models import MembershipPeriod, User
from motverka.audit.models import AuditAction, AuditEvent
from motverka.audit.services import audit_record
from motverka.cases.errors import AccessDenied

#: What counts as a security event of an account (all with object_type "user").
SECURITY_ACTIONS = (
    AuditAction.USER_CREATE,
    AuditAction.USER_CHANGE,
    AuditAction.ROLE_CHANGE,
    AuditAction.MEMBERSHIP_CHANGE,
    AuditAction.PASSWORD_RESET,
    AuditAction.PASSWORD_CHANGE,
    AuditAction.TOKEN_ISSUE,
    AuditAction.TOKEN_REVOKE,
    AuditAction.LOCKOUT,
    AuditAction.UNLOCK,
    AuditAction.MFA_ENROL,
    AuditAction.MFA_RESET,
    AuditAction.ADMIN_CHANGE,
)

CHANNEL_LABELS = {"ui": "webb", "api": "API", "command": "kommandorad"}


@dataclass(frozen=True)
class SecurityEventRow:
    event: AuditEvent
    target: str  # the account the event is about
    actor: str
    channel: str


def _people_of_units(user: Any) -> list[int]:
    return list(
        MembershipPeriod.objects.filter(unit__in=user.units.all())
        .values_list("user_id", flat=True)
        .distinct()
    )


def security_events(*, user: Any, page_number: int | str = 1, page_size: int = 50) -> Page:
    """One page of security events, newest first, as ``SecurityEventRow``s."""
    if not (user.is_manager or user.is_administrator):
        raise AccessDenied
    events = AuditEvent.objects.filter(action__in=SECURITY_ACTIONS, object_type="user")
    if not user.is_administrator:
        people = _people_of_units(user)
        events = events.filter(
            Q(object_id__in=[str(person) for person in people]) | Q(actor_id__in=people)
        )
    page = Paginator(events.select_related("actor").order_by("-at", "-id"), page_size).get_page(
        page_number
    )
    targets = User.objects.in_bulk(
        [int(event.object_id) for event in page.object_list if event.object_id.isdigit()]
    )
    rows = []
    for event in page.object_list:
        target = targets.get(int(event.object_id)) if event.object_id.isdigit() else None
        rows.append(
            SecurityEventRow(
                event=event,
                target=f"{target.display_name()} ({target.username})" if target else "–",
                actor=event.actor.display_name() if event.actor else _("kommandorad/systemet"),
                channel=CHANNEL_LABELS.get(event.channel, event.channel),
            )
        )
    page.object_list = rows  # type: ignore[assignment]  # the rows the template shows
    audit_record(
        actor=user,
        action=AuditAction.REVIEW,
        object_type="security_log",
        object_id="all" if user.is_administrator else "units",
        detail=f"säkerhetshändelser, sida {page.number}",
    )
    return page
