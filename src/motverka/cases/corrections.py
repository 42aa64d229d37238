"""Correcting a case's intake data after registration, always with a reason.

Names and contact details of the person (as the unit records them), the sending
municipality, the dates, target groups, indicators and their note, interventions and the
household can be corrected. The database triggers of the change history record every
changed row with its old and new values; this service opens the change context so those
rows carry who corrected what and why, and appends the audit row and a timeline event.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motverka.audit.models import AuditAction
from motverka.audit.services import audit_record
from motverka.cases.access import require_unit_member
from motverka.cases.models import Case, CaseIndicator, CaseTargetGroup, Intervention
from motverka.cases.services import InterventionInput, record_event
from motverka.cases.vocabulary import Indicator, TargetGroup
from motverka.history.services import change_context
from motverka.integrity.versioning import require_version
from motverka.people.models import HouseholdMember, Person
from motverka.people.services import HouseholdMemberInput, household_members_add
from motverka.reference.models import Municipality
from motverka.reporting.services import case_figures_refresh

REASON_MAX = 1000
EARLIEST_DATE = date(1900, 1, 1)


@dataclass(frozen=True)
class CaseCorrection:
    """The wanted values; ``None`` leaves a field as it is."""

    first_name: str | None = None
    last_name: str | None = None
    phone: str | None = None
    sending_municipality_code: str | None = None
    moved_on: date | None = None
    clear_moved_on: bool = False
    received_on: date | None = None
    target_groups: tuple[str, ...] | None = None
    indicators: tuple[str, ...] | None = None
    indicator_note: str | None = None
    household_add: tuple[HouseholdMemberInput, ...] = ()
    household_remove: tuple[int, ...] = ()
    interventions_add: tuple[InterventionInput, ...] = ()
    interventions_remove: tuple[int, ...] = ()
    errors: dict[str, list[str]] = field(default_factory=dict, compare=False)


def _validate(
    correction: CaseCorrection, case: Case, reason: str, today: date
) -> tuple[dict[str, list[str]], Municipality | None]:
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if not reason.strip():
        add("reason", _("Ange varför uppgifterna ändras."))
    elif len(reason) > REASON_MAX:
        add("reason", _("Skälet får vara högst %(n)s tecken.") % {"n": REASON_MAX})
    for name in ("first_name", "last_name"):
        value = getattr(correction, name)
        if value is not None and not value.strip():
            add(name, _("Namnet kan inte vara tomt."))
        if value is not None and len(value) > 100:
            add(name, _("Högst 100 tecken."))
    if correction.phone is not None and len(correction.phone) > 40:
        add("phone", _("Högst 40 tecken."))
    for name in ("moved_on", "received_on"):
        value = getattr(correction, name)
        if value is not None and value > today:
            add(name, _("Datumet kan inte ligga i framtiden."))
        if value is not None and value < EARLIEST_DATE:
            add(name, _("Datumet kan inte ligga före 1900."))
    municipality = None
    if correction.sending_municipality_code is not None:
        if correction.sending_municipality_code == settings.MOTVERKA_MUNICIPALITY:
            add("sending_municipality", _("Avsändande kommun kan inte vara den egna kommunen."))
        municipality = Municipality.objects.filter(
            code=correction.sending_municipality_code
        ).first()
        if municipality is None:
            add("sending_municipality", _("Välj en kommun i listan."))
    if correction.target_groups is not None:
        if not correction.target_groups:
            add("target_groups", _("Välj minst en målgrupp."))
        for code in correction.target_groups:
            if code not in TargetGroup.values:
                add("target_groups", _("Okänd målgrupp: %(code)s") % {"code": code})
    for code in correction.indicators or ():
        if code not in Indicator.values:
            add("indicators", _("Okänt tecken: %(code)s") % {"code": code})
    for item in correction.interventions_add:
        for message in item.problems(today=timezone.localdate()):
            add("interventions", message)
    known_members = set(case.household.values_list("pk", flat=True))
    if set(correction.household_remove) - known_members:
        add("household", _("Hushållsmedlemmen finns inte i ärendet."))
    known_interventions = set(case.interventions.values_list("pk", flat=True))
    if set(correction.interventions_remove) - known_interventions:
        add("interventions", _("Insatsen finns inte i ärendet."))
    return errors, municipality


def _set_codes(model: Any, case: Case, wanted: tuple[str, ...]) -> bool:
    current = set(model.objects.filter(case=case).values_list("code", flat=True))
    target = set(wanted)
    if current == target:
        return False
    model.objects.filter(case=case, code__in=current - target).delete()
    model.objects.bulk_create([model(case=case, code=code) for code in sorted(target - current)])
    return True


@transaction.atomic
def case_data_correct(
    *,
    acting_user: Any,
    case: Case,
    correction: CaseCorrection,
    reason: str,
    expected_version: int | None = None,
) -> list[str]:
    """Apply the correction; returns the Swedish names of what changed. Refused with a
    Swedish message per field when something is wrong, and when nothing would change.

    The case's version covers all of its intake data, the person's names and contact details
    included: every correction saves the case row (version + 1), and ``expected_version`` is
    the version the user corrected (VersionConflict when it was saved since)."""
    require_unit_member(acting_user, case.unit_id)
    case = Case.objects.select_for_update(of=("self",)).select_related("person").get(pk=case.pk)
    require_version(case, expected_version)
    person = Person.objects.select_for_update().get(pk=case.person_id)
    today = timezone.localdate()
    errors, municipality = _validate(correction, case, reason, today)
    if errors:
        raise ValidationError(errors)

    changed: list[str] = []
    with change_context(actor=acting_user, case_id=case.pk, reason=reason.strip()):
        person_fields = []
        for name, label in (
            ("first_name", _("förnamn")),
            ("last_name", _("efternamn")),
            ("phone", _("telefon")),
        ):
            value = getattr(correction, name)
            if value is not None and value.strip() != getattr(person, name):
                setattr(person, name, value.strip())
                person_fields.append(name)
                changed.append(label)
        if person_fields:
            person.save(update_fields=person_fields)

        case_fields = []
        if municipality is not None and municipality.pk != case.sending_municipality_id:
            case.sending_municipality = municipality
            case_fields.append("sending_municipality")
            changed.append(_("avsändande kommun"))
        if correction.clear_moved_on and case.moved_on is not None:
            case.moved_on = None
            case_fields.append("moved_on")
            changed.append(_("flyttdatum"))
        elif correction.moved_on is not None and correction.moved_on != case.moved_on:
            case.moved_on = correction.moved_on
            case_fields.append("moved_on")
            changed.append(_("flyttdatum"))
        if correction.received_on is not None and correction.received_on != case.received_on:
            case.received_on = correction.received_on
            case_fields.append("received_on")
            changed.append(_("datum då ärendet kom in"))
        if (
            correction.indicator_note is not None
            and correction.indicator_note.strip() != case.indicator_note
        ):
            case.indicator_note = correction.indicator_note.strip()
            case_fields.append("indicator_note")
            changed.append(_("anteckning om tecken"))
        if case_fields:
            case.save(update_fields=[*case_fields, "updated_at"])
            case_saved = True
        else:
            case_saved = False

        if correction.target_groups is not None and _set_codes(
            CaseTargetGroup, case, correction.target_groups
        ):
            changed.append(_("målgrupper"))
        if correction.indicators is not None and _set_codes(
            CaseIndicator, case, correction.indicators
        ):
            changed.append(_("tecken"))
        if correction.household_remove:
            HouseholdMember.objects.filter(case=case, pk__in=correction.household_remove).delete()
            changed.append(_("hushåll"))
        if correction.household_add:
            household_members_add(
                acting_user=acting_user, case=case, members=list(correction.household_add)
            )
            if _("hushåll") not in changed:
                changed.append(_("hushåll"))
        if correction.interventions_remove:
            Intervention.objects.filter(case=case, pk__in=correction.interventions_remove).delete()
            changed.append(_("insatser"))
        if correction.interventions_add:
            Intervention.objects.bulk_create(
                [item.build(case) for item in correction.interventions_add]
            )
            if _("insatser") not in changed:
                changed.append(_("insatser"))
    if not changed:
        raise ValidationError({"__all__": [_("Inget ändrades: uppgifterna är redan desamma.")]})
    if not case_saved:
        # Only the person or the case's lists changed: the case's version still moves on.
        case.save(update_fields=["updated_at"])
    record_event(
        case=case,
        actor=acting_user,
        kind="corrected",
        text=_("Uppgifter ändrades (%(what)s): %(reason)s")
        % {"what": ", ".join(changed), "reason": reason.strip()},
    )
    case_figures_refresh(case_ids=[case.pk])
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        object_type="case",
        object_id=case.pk,
        case_id=case.pk,
        person_id=case.person_id,
        detail="rättade uppgifter: " + ", ".join(changed),
    )
    return changed
