"""Writes of personal data: registering a person in a unit and a case's household."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motverka.audit.models import AuditAction
from motverka.audit.services import audit_record
from motverka.cases.access import require_unit_member
from motverka.cases.numbering import next_in_sequence
from motverka.people.identity import InvalidIdentityNumber, parse_identity_number
from motverka.people.models import HouseholdMember, Person, Relation
from motverka.reporting.services import case_figures_refresh_for_identity


@dataclass(frozen=True)
class PersonInput:
    first_name: str
    last_name: str
    personal_identity_number: str = ""
    reserve_reason: str = ""
    protected_identity: bool = False
    phone: str = ""
    birth_date: date | None = None


@dataclass(frozen=True)
class HouseholdMemberInput:
    first_name: str
    relation: str
    last_name: str = ""
    birth_date: date | None = None


def _next_reserve_identity() -> str:
    year = timezone.localdate().year
    return f"RES-{year}-{next_in_sequence(prefix='RES', year=year):04d}"


def person_find_or_register(
    *, acting_user: Any, unit: Any, data: PersonInput
) -> tuple[Person, bool]:
    """Find the person by identity number among the unit's own persons, or register them in
    the unit (with a reserve identity when no number is known). Returns (person, created).

    Another unit's row with the same number is never looked at: a unit that meets the
    person for the first time starts from the identity alone. Must run inside the caller's
    transaction; the audit row joins it."""
    errors: dict[str, list[str]] = {}
    if not data.first_name.strip():
        errors.setdefault("first_name", []).append(_("Ange förnamn."))
    if not data.last_name.strip():
        errors.setdefault("last_name", []).append(_("Ange efternamn."))
    identity = None
    if data.personal_identity_number.strip():
        try:
            identity = parse_identity_number(data.personal_identity_number)
        except InvalidIdentityNumber as error:
            errors.setdefault("personal_identity_number", []).append(str(error))
    elif not data.reserve_reason.strip():
        errors.setdefault("reserve_reason", []).append(
            _("Ange personnummer, eller ange skälet till att en reservidentitet används.")
        )
    if errors:
        raise ValidationError(errors)

    created = False
    if identity is not None:
        person = Person.objects.filter(
            unit=unit, personal_identity_number=identity.canonical
        ).first()
        if person is None:
            try:
                # A savepoint: a concurrent registration of the same number makes this
                # insert wait for it and then fail; the person it registered is used.
                with transaction.atomic():
                    person = Person.objects.create(
                        unit=unit,
                        personal_identity_number=identity.canonical,
                        is_coordination_number=identity.is_coordination_number,
                        birth_date=identity.birth_date,
                        first_name=data.first_name.strip(),
                        last_name=data.last_name.strip(),
                        protected_identity=data.protected_identity,
                        phone=data.phone.strip(),
                    )
            except IntegrityError:
                person = Person.objects.get(unit=unit, personal_identity_number=identity.canonical)
            else:
                created = True
        if not created:
            if data.protected_identity and not person.protected_identity:
                person.protected_identity = True
                person.save(update_fields=["protected_identity"])
                case_figures_refresh_for_identity(
                    personal_identity_number=person.personal_identity_number or ""
                )
            return person, False
    else:
        person = Person.objects.create(
            unit=unit,
            reserve_identity=_next_reserve_identity(),
            reserve_reason=data.reserve_reason.strip(),
            birth_date=data.birth_date,
            first_name=data.first_name.strip(),
            last_name=data.last_name.strip(),
            protected_identity=data.protected_identity,
            phone=data.phone.strip(),
        )
    audit_record(
        actor=acting_user,
        action=AuditAction.CREATE,
        object_type="person",
        object_id=person.pk,
        person_id=person.pk,
    )
    return person, True


def household_members_add(
    *, acting_user: Any, case: Any, members: list[HouseholdMemberInput]
) -> list[HouseholdMember]:
    """Adds members to the household recorded in ``case`` (inside the caller's transaction;
    the caller has checked that the acting user belongs to the case's unit)."""
    created = []
    for index, member in enumerate(members):
        if not member.first_name.strip():
            raise ValidationError(
                {"household": [_("Hushållsmedlem %(n)s saknar förnamn.") % {"n": index + 1}]}
            )
        if member.relation not in Relation.values:
            raise ValidationError({"household": [_("Okänd relation för hushållsmedlem.")]})
        if member.birth_date and member.birth_date > timezone.localdate():
            raise ValidationError({"household": [_("Födelsedatum kan inte ligga i framtiden.")]})
        created.append(
            HouseholdMember.objects.create(
                case=case,
                relation=member.relation,
                first_name=member.first_name.strip(),
                last_name=member.last_name.strip(),
                birth_date=member.birth_date,
            )
        )
    if created:
        audit_record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            object_type="household",
            object_id=case.pk,
            case_id=case.pk,
            person_id=case.person_id,
            detail=f"{len(created)} hushållsmedlemmar",
        )
    return created


@transaction.atomic
def person_set_protected_identity(*, acting_user: Any, person: Person, protected: bool) -> Person:
    """Mark the unit's own record of the person as protected (or not); other units' records
    of the same identity number are theirs and stay as they are."""
    require_unit_member(acting_user, person.unit_id)
    person.protected_identity = protected
    person.save(update_fields=["protected_identity"])
    case_figures_refresh_for_identity(
        personal_identity_number=person.personal_identity_number or ""
    )
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        object_type="person",
        object_id=person.pk,
        person_id=person.pk,
        detail="skyddade personuppgifter " + ("på" if protected else "av"),
    )
    return person
