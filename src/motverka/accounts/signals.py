"""The backstop: account changes made past the services still leave an audit row.

The services (``accounts.services``) are the way to change accounts and audit their own
writes. Anything else that changes who may do what — a shell, ``createsuperuser``, an admin
inline on ``Unit.members``, another app calling the ORM — is caught here and logged with no
actor (nobody is known to have acted) and a detail saying it bypassed the services.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import m2m_changed, post_save, pre_save
from django.dispatch import receiver
from django.utils.translation import gettext as _

from motverka.accounts import tracking
from motverka.accounts.models import Unit, User
from motverka.audit.models import AuditAction
from motverka.audit.services import audit_record

WATCHED_FIELDS = ("role", *tracking.FLAG_NAMES)


def _bypassed(text: str) -> str:
    return _("%(what)s (ändrat utanför administrationens tjänster)") % {"what": text}


@receiver(pre_save, sender=User, dispatch_uid="motverka_account_before")
def _remember_account(sender: Any, instance: User, raw: bool = False, **kwargs: Any) -> None:
    instance._motverka_before = None  # type: ignore[attr-defined]
    update_fields = kwargs.get("update_fields")
    if raw or tracking.in_service() or instance._state.adding or instance.pk is None:
        return
    if update_fields is not None and not set(update_fields) & set(WATCHED_FIELDS):
        return
    instance._motverka_before = (  # type: ignore[attr-defined]
        User.objects.filter(pk=instance.pk).values(*WATCHED_FIELDS).first()
    )


@receiver(post_save, sender=User, dispatch_uid="motverka_account_after")
def _audit_account(
    sender: Any, instance: User, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    if raw or tracking.in_service():
        return
    if created:
        audit_record(
            actor=None,
            action=AuditAction.USER_CREATE,
            object_type="user",
            object_id=instance.pk,
            detail=_bypassed(tracking.creation_detail(instance, ())),
        )
        return
    before = getattr(instance, "_motverka_before", None)
    if not before:
        return
    if before["role"] != instance.role:
        audit_record(
            actor=None,
            action=AuditAction.ROLE_CHANGE,
            object_type="user",
            object_id=instance.pk,
            detail=_bypassed(tracking.role_detail(before["role"], instance.role)),
        )
    after = {field: getattr(instance, field) for field in tracking.FLAG_NAMES}
    flags = tracking.flags_detail(before, after)
    if flags:
        audit_record(
            actor=None,
            action=AuditAction.USER_CHANGE,
            object_type="user",
            object_id=instance.pk,
            detail=_bypassed("; ".join(flags)),
        )


@receiver(m2m_changed, sender=User.units.through, dispatch_uid="motverka_account_units")
def _audit_membership(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: set[int] | None, **kwargs: Any
) -> None:
    if tracking.in_service():
        return
    if action == "pre_clear":
        # The cleared rows are gone by post_clear; remember them now.
        instance._motverka_cleared = (  # type: ignore[attr-defined]
            set(instance.members.values_list("pk", flat=True))
            if reverse
            else set(instance.units.values_list("pk", flat=True))
        )
        return
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    ids = set(pk_set or ()) if action != "post_clear" else instance._motverka_cleared
    if not ids:
        return
    adding = action == "post_add"
    # Forward (user.units.add(unit)): one user, several units. Reverse
    # (unit.members.add(user)): one unit, several users. One row per user either way.
    pairs = [(user_id, [instance.pk]) for user_id in ids] if reverse else [(instance.pk, ids)]
    for user_id, unit_ids in pairs:
        units = list(Unit.objects.filter(pk__in=unit_ids))
        tracking.membership_record(
            user_id=user_id,
            added=unit_ids if adding else (),
            removed=() if adding else unit_ids,
        )
        audit_record(
            actor=None,
            action=AuditAction.MEMBERSHIP_CHANGE,
            object_type="user",
            object_id=user_id,
            detail=_bypassed(
                tracking.units_detail(units if adding else (), () if adding else units)
            ),
        )
