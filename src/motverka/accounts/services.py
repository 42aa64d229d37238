"""Writes on users and units (administration)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from motverka.accounts.models import Role, SessionEndReason, Unit, User
from motverka.accounts.sessions import sessions_end_for_user
from motverka.audit.models import AuditAction
from motverka.audit.services import audit_record


@transaction.atomic
def unit_create(*, acting_user: Any | None, name: str, email: str = "") -> Unit:
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
    password: str,
    role: str,
    first_name: str = "",
    last_name: str = "",
    title: str = "",
    email: str = "",
    units: Sequence[Unit] = (),
) -> User:
    """Create a user with a role. Administrators get access to the administration site."""
    if role not in Role.values:
        raise ValidationError({"role": [_("Okänd roll.")]})
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": [_("Användarnamnet är upptaget.")]})
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
    )
    user.units.set(units)
    audit_record(
        actor=acting_user, action=AuditAction.CREATE, object_type="user", object_id=user.pk
    )
    return user


@transaction.atomic
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
