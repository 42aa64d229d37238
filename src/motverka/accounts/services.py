"""Writes on users and units (administration).

Every change to who may do what — a new account, a role, a flag, unit membership, a
password — goes through one of these functions: each is atomic, refuses an administrator
granting themselves access (``rules.self_grant_refusals``) and writes exactly one audit row
per kind of change (``object_type`` "user", ``object_id`` the account's id), naming what
changed from what to what and never a secret. ``acting_user`` None means a command run on
the server or the system itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from motverka.accounts import tracking
from motverka.accounts.models import Role, SessionEndReason, Unit, User
from motverka.accounts.rules import AccountChange, self_grant_refusals
from motverka.accounts.sessions import sessions_end_for_user
from motverka.audit.models import AuditAction
from motverka.audit.services import audit_record
from motverka.cases.errors import AccessDenied


def _require_administrator(acting_user: Any | None) -> None:
    if acting_user is not None and not getattr(acting_user, "is_administrator", False):
        raise AccessDenied


def _refuse_self_grant(change: AccountChange) -> None:
    refusals = self_grant_refusals(change)
    if refusals:
        raise ValidationError({field: [message] for field, message in refusals.items()})


def _locked(user: User) -> User:
    return User.objects.select_for_update().get(pk=user.pk)


@transaction.atomic
def unit_create(*, acting_user: Any | None, name: str, email: str = "") -> Unit:
    _require_administrator(acting_user)
    if not name.strip():
        raise ValidationError({"name": [_("Ange enhetens namn.")]})
    unit, created = Unit.objects.get_or_create(name=name.strip(), defaults={"email": email})
    if created:
        audit_record(
            actor=acting_user, action=AuditAction.CREATE, object_type="unit", object_id=unit.pk
        )
    return unit


@transaction.atomic
def user_create(
    *,
    acting_user: Any | None,
    username: str,
    password: str | None,
    role: str,
    first_name: str = "",
    last_name: str = "",
    title: str = "",
    email: str = "",
    units: Iterable[Unit] = (),
) -> User:
    """Create a user with a role (``password`` None: no password sign-in). Administrators
    get access to the administration site. A password an administrator chooses must be
    changed at the first login."""
    _require_administrator(acting_user)
    if role not in Role.values:
        raise ValidationError({"role": [_("Okänd roll.")]})
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": [_("Användarnamnet är upptaget.")]})
    units = list(units)
    with tracking.service_write():
        user = User.objects.create_user(
            username=username,
            password=password,
            role=role,
            first_name=first_name,
            last_name=last_name,
            title=title,
            email=email,
            is_staff=role == Role.ADMINISTRATOR,
            is_superuser=role == Role.ADMINISTRATOR,
            must_change_password=acting_user is not None and password is not None,
        )
        user.units.set(units)
    tracking.membership_record(user_id=user.pk, added=[unit.pk for unit in units], removed=())
    audit_record(
        actor=acting_user,
        action=AuditAction.USER_CREATE,
        object_type="user",
        object_id=user.pk,
        detail=tracking.creation_detail(user, units),
    )
    return user


@transaction.atomic
def user_change(
    *,
    acting_user: Any | None,
    user: User,
    role: str | None = None,
    is_active: bool | None = None,
    is_staff: bool | None = None,
    is_superuser: bool | None = None,
    details: Mapping[str, str] | None = None,
) -> User:
    """Change an account's role, flags and plain details (``None``: leave as it is).

    A new role is one ``role_change`` row; flags and details together one ``user_change``
    row (detail fields are named, their values are not repeated)."""
    _require_administrator(acting_user)
    current = _locked(user)
    if role is not None and role not in Role.values:
        raise ValidationError({"role": [_("Okänd roll.")]})
    details = dict(details or {})
    unknown = set(details) - set(tracking.DETAIL_NAMES)
    if unknown:
        raise ValueError(f"Fields not changed here: {sorted(unknown)}")
    _refuse_self_grant(
        AccountChange(
            acting_user_id=getattr(acting_user, "pk", None),
            target_id=current.pk,
            role_before=current.role,
            role_after=role,
            superuser_before=current.is_superuser,
            superuser_after=current.is_superuser if is_superuser is None else is_superuser,
        )
    )
    if "username" in details and (
        User.objects.filter(username=details["username"]).exclude(pk=current.pk).exists()
    ):
        raise ValidationError({"username": [_("Användarnamnet är upptaget.")]})

    flags_before = {field: getattr(current, field) for field in tracking.FLAG_NAMES}
    flags_after = {
        field: value
        for field, value in (
            ("is_active", is_active),
            ("is_staff", is_staff),
            ("is_superuser", is_superuser),
        )
        if value is not None
    }
    changed_details = [
        field for field, value in details.items() if getattr(current, field) != value
    ]
    role_before = current.role
    for field, value in {**flags_after, **details}.items():
        setattr(current, field, value)
    if role is not None:
        current.role = role
    with tracking.service_write():
        current.save()

    if role is not None and role != role_before:
        audit_record(
            actor=acting_user,
            action=AuditAction.ROLE_CHANGE,
            object_type="user",
            object_id=current.pk,
            detail=tracking.role_detail(role_before, role),
        )
    parts = tracking.flags_detail(flags_before, flags_after)
    if changed_details:
        names = ", ".join(tracking.DETAIL_NAMES[field] for field in changed_details)
        parts.append(_("ändrade uppgifter: %(fields)s") % {"fields": names})
    if parts:
        audit_record(
            actor=acting_user,
            action=AuditAction.USER_CHANGE,
            object_type="user",
            object_id=current.pk,
            detail="; ".join(parts),
        )
    return current


@transaction.atomic
def user_units_set(*, acting_user: Any | None, user: User, units: Iterable[Unit]) -> User:
    """Make ``units`` the account's units: one ``membership_change`` row saying which were
    added and which removed (none when nothing changes)."""
    _require_administrator(acting_user)
    current = _locked(user)
    wanted = {unit.pk: unit for unit in units}
    present = {unit.pk: unit for unit in current.units.all()}
    added = [unit for pk, unit in wanted.items() if pk not in present]
    removed = [unit for pk, unit in present.items() if pk not in wanted]
    _refuse_self_grant(
        AccountChange(
            acting_user_id=getattr(acting_user, "pk", None),
            target_id=current.pk,
            units_added=bool(added),
        )
    )
    if not added and not removed:
        return current
    with tracking.service_write():
        current.units.add(*added)
        current.units.remove(*removed)
    tracking.membership_record(
        user_id=current.pk, added=[unit.pk for unit in added], removed=[u.pk for u in removed]
    )
    audit_record(
        actor=acting_user,
        action=AuditAction.MEMBERSHIP_CHANGE,
        object_type="user",
        object_id=current.pk,
        detail=tracking.units_detail(added, removed),
    )
    return current


@transaction.atomic
def user_password_set(*, acting_user: Any | None, user: User, password: str | None) -> User:
    """Set a new password (``None``: switch password sign-in off). An administrator doing it
    for someone else is a ``password_reset``; anyone doing it for themselves a
    ``password_change``. The password is checked against the password rules."""
    is_self = acting_user is not None and getattr(acting_user, "pk", None) == user.pk
    if not is_self:
        _require_administrator(acting_user)
    current = _locked(user)
    if password is None:
        current.set_unusable_password()
        detail = _("lösenordsinloggning avstängd")
    else:
        try:
            password_validation.validate_password(password, current)
        except ValidationError as error:
            raise ValidationError({"password": error.messages}) from error
        current.set_password(password)
        detail = (
            _("nytt lösenord satt")
            if is_self
            else _("nytt lösenord satt av administratör, måste bytas vid nästa inloggning")
        )
    if not is_self:
        # A password someone else chose is known to them: the user changes it at the next
        # login, and every session the user has ends now.
        current.must_change_password = True
    with tracking.service_write():
        current.save()
    audit_record(
        actor=acting_user,
        action=AuditAction.PASSWORD_CHANGE if is_self else AuditAction.PASSWORD_RESET,
        object_type="user",
        object_id=current.pk,
        detail=detail,
    )
    if not is_self:
        sessions_end_for_user(
            acting_user=acting_user, user=current, reason=SessionEndReason.PASSWORD_CHANGE
        )
    return current


def password_change_own(
    *, acting_user: User, new_password: str, current_session_key: str | None
) -> int:
    """The user sets a new password (already validated by the form). The forced-change flag
    is cleared and every other session of the user ends. Returns how many ended."""
    acting_user.set_password(new_password)
    acting_user.must_change_password = False
    acting_user.save(update_fields=["password", "must_change_password"])
    audit_record(
        actor=acting_user,
        action=AuditAction.PASSWORD_CHANGE,
        object_type="user",
        object_id=acting_user.pk,
    )
    return sessions_end_for_user(
        acting_user=acting_user,
        user=acting_user,
        reason=SessionEndReason.PASSWORD_CHANGE,
        except_session_key=current_session_key,
    )


@transaction.atomic
def password_set_by_administrator(*, acting_user: Any, user: User) -> None:
    """An administrator has just set ``user``'s password (the administration's own form
    sets it, in the same transaction): the user must change it at the next login, and
    every session of the user ends now."""
    User.objects.filter(pk=user.pk).update(must_change_password=True)
    user.must_change_password = True
    audit_record(
        actor=acting_user,
        action=AuditAction.PASSWORD_RESET,
        object_type="user",
        object_id=user.pk,
        detail="måste bytas vid nästa inloggning",
    )
    sessions_end_for_user(
        acting_user=acting_user, user=user, reason=SessionEndReason.PASSWORD_CHANGE
    )
