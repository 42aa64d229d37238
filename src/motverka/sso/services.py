"""Matching an identity asserted by a provider to a Motverka user, and auditing the
outcome. Nothing here creates or changes a user: accounts, roles and units are granted in
Motverka only."""

from __future__ import annotations

from django.db import transaction

from motverka.accounts.models import CASE_ROLES, Role, User
from motverka.audit.models import AuditAction
from motverka.audit.services import audit_record
from motverka.sso.policy import (
    METHOD_NAME,
    REFUSAL_DETAIL,
    Method,
    Refusal,
    UserStanding,
    refusal_for,
)

#: User fields an identity may be matched on (the setting ``…_USER_FIELD``).
MATCHABLE_FIELDS = ("sso_subject", "email", "username")

#: Session key read by the second-factor gate: the provider already asserted a strong
#: login (value: the method), so Motverka's own second factor is not asked for again.
STRONG_AUTH_SESSION_KEY = "motverka_strong_auth"


def forget_strong_auth(sender: object, request: object, user: object, **kwargs: object) -> None:
    """Every login starts without the provider's word: a later password login in the same
    session must not inherit an earlier SSO login's strength. The SSO views set the key
    again right after their own login."""
    session = getattr(request, "session", None)
    if session is not None:
        session.pop(STRONG_AUTH_SESSION_KEY, None)


class SsoRefused(Exception):
    def __init__(self, refusal: Refusal, user: User | None = None) -> None:
        super().__init__(refusal.value)
        self.refusal = refusal
        self.user = user


def sso_user_match(*, method: Method, field: str, subject: str | None) -> User:
    """The one user whose ``field`` equals ``subject`` and who may log in, or SsoRefused."""
    if field not in MATCHABLE_FIELDS:
        raise ValueError(f"cannot match single sign-on identities on {field!r}")
    if not subject:
        raise SsoRefused(Refusal.NO_IDENTITY)
    lookup = "email__iexact" if field == "email" else field
    users = list(User.objects.filter(**{lookup: subject}).prefetch_related("units")[:2])
    if not users:
        raise SsoRefused(Refusal.UNKNOWN)
    if len(users) > 1:
        raise SsoRefused(Refusal.AMBIGUOUS)
    user = users[0]
    refusal = refusal_for(
        UserStanding(is_active=user.is_active, role=user.role, unit_count=len(user.units.all())),
        known_roles=Role.values,
        case_roles=CASE_ROLES,
    )
    if refusal is not None:
        raise SsoRefused(refusal, user)
    return user


@transaction.atomic
def sso_login_record(*, user: User, method: Method, strong: bool) -> None:
    detail = f"{METHOD_NAME[method]}: " + (
        "stark autentisering hos identitetsleverantören"
        if strong
        else "utan stark autentisering hos identitetsleverantören"
    )
    audit_record(
        actor=user, action=AuditAction.LOGIN, object_type="user", object_id=user.pk, detail=detail
    )


@transaction.atomic
def sso_refusal_record(*, method: Method, refusal: Refusal, user: User | None = None) -> None:
    """One ``login_failed`` row. The detail names the method and the reason only — never
    the identity value or anything else from the provider's answer."""
    audit_record(
        actor=user,
        action=AuditAction.LOGIN_FAILED,
        object_type="user",
        object_id=user.pk if user else "",
        detail=f"{METHOD_NAME[method]}: {REFUSAL_DETAIL[refusal]}",
    )
