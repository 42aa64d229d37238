"""Writes on users and units (administration)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from motverka.accounts.models import Role, Unit, User
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
