"""Writes on cases: registration, assignment and the journal.

Every function is one transaction: it checks access, validates, writes, records a
timeline event and appends the audit row — all or nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motverka.accounts.models import Unit
from motverka.audit.models import AuditAction
from motverka.audit.services import audit_record
from motverka.cases.access import (
    IntakeDuplicates,
    intake_duplicates,
    log_intake_duplicates,
    require_case_role,
    require_unit_member,
)
from motverka.cases.errors import Conflict
from motverka.cases.models import (
    Case,
    CaseEvent,
    CaseIndicator,
    CaseTargetGroup,
    Intervention,
    JournalEntry,
)
from motverka.cases.numbering import format_reference, next_in_sequence
from motverka.cases.vocabulary import Indicator, InterventionKind, TargetGroup
from motverka.integrity import limits
from motverka.integrity.versioning import require_version
from motverka.people.services import (
    HouseholdMemberInput,
    PersonInput,
    household_members_add,
    person_find_or_register,
)
from motverka.reference.models import Municipality
from motverka.reporting.services import case_figures_refresh

#: What a caller reads back inside a registration's transaction.
AnswerT = TypeVar("AnswerT")


@dataclass(frozen=True)
class InterventionInput:
    kind: str
    description: str = ""
    ongoing: bool = False
    decided_on: date | None = None
    legal_basis: str = ""
    needed_until: date | None = None

    def problems(self, *, today: date) -> list[str]:
        """Swedish messages for what is wrong with this intervention; pure."""
        found = []
        if self.kind not in InterventionKind.values:
            found.append(_("Okänd typ av insats."))
        if self.decided_on is not None and self.decided_on > today:
            found.append(_("Insatsens beslutsdatum kan inte ligga i framtiden."))
        if (
            self.decided_on is not None
            and self.needed_until is not None
            and self.needed_until < self.decided_on
        ):
            found.append(
                _("Datumet då behovet beräknas upphöra kan inte ligga före beslutsdatumet.")
            )
        if len(self.legal_basis.strip()) > 200:
            found.append(_("Lagstödet får vara högst 200 tecken."))
        return found

    def build(self, case: Case) -> Intervention:
        return Intervention(
            case=case,
            kind=self.kind,
            description=self.description.strip(),
            ongoing=self.ongoing,
            decided_on=self.decided_on,
            legal_basis=" ".join(self.legal_basis.split()),
            needed_until=self.needed_until,
        )


@dataclass(frozen=True)
class CaseIntake:
    person: PersonInput
    unit_id: int
    sending_municipality_code: str
    received_on: date
    moved_on: date | None = None
    target_groups: tuple[str, ...] = ()
    indicators: tuple[str, ...] = ()
    indicator_note: str = ""
    interventions: tuple[InterventionInput, ...] = ()
    household: tuple[HouseholdMemberInput, ...] = ()
    assigned_to_id: int | None = None
    allow_open_case: bool = False
    errors: dict[str, list[str]] = field(default_factory=dict, compare=False)


class OpenCaseExists(Conflict):
    """The person already has an open case (in the user's units, or — said by unit name
    only — in another unit); registration needs an explicit go-ahead."""

    def __init__(self, duplicates: IntakeDuplicates) -> None:
        notices = self.notices_for(duplicates)
        if duplicates.own_cases:
            message = _(
                "Personen har redan ett öppet ärende. Öppna det befintliga ärendet i stället, "
                "eller bekräfta att ett nytt ärende ska registreras."
            )
        else:
            message = _("Bekräfta att ett nytt ärende ändå ska registreras.")
        super().__init__(" ".join([*notices, message]), code="open_case_exists")
        self.duplicates = duplicates
        self.cases = duplicates.own_cases
        self.other_unit_notices = notices

    @staticmethod
    def notices_for(duplicates: IntakeDuplicates) -> list[str]:
        return [
            _("Ett öppet ärende finns hos enhet %(unit)s – kontakta dem.") % {"unit": name}
            for name in duplicates.other_unit_names
        ]


def record_event(*, case: Case, actor: Any, kind: str, text: str) -> CaseEvent:
    return CaseEvent.objects.create(case=case, actor=actor, kind=kind, text=text[:500])


def _validate_intake(intake: CaseIntake, today: date) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if intake.received_on > today:
        add("received_on", _("Datum då ärendet kom in kan inte ligga i framtiden."))
    if intake.moved_on and intake.moved_on > today:
        add("moved_on", _("Flyttdatum kan inte ligga i framtiden."))
    if not intake.target_groups:
        add("target_groups", _("Välj minst en målgrupp."))
    for code in intake.target_groups:
        if code not in TargetGroup.values:
            add("target_groups", _("Okänd målgrupp: %(code)s") % {"code": code})
    for code in intake.indicators:
        if code not in Indicator.values:
            add("indicators", _("Okänt tecken: %(code)s") % {"code": code})
    for intervention in intake.interventions:
        for message in intervention.problems(today=timezone.localdate()):
            add("interventions", message)
    if intake.sending_municipality_code == settings.MOTVERKA_MUNICIPALITY:
        add(
            "sending_municipality",
            _("Avsändande kommun kan inte vara den egna kommunen."),
        )
    return errors


def case_register(*, acting_user: Any, intake: CaseIntake) -> Case:
    """Register a suspected case of active involvement with a new reference number.

    The person is found or registered in the case's unit only; the household given at intake
    is the new case's own. When the person has an open case the registration is refused with
    :class:`OpenCaseExists` (see :func:`~motverka.cases.access.intake_duplicates` for what
    it may say) until ``allow_open_case`` confirms it. The refused registration is rolled
    back whole; what its warning disclosed is then logged in a transaction of its own, so
    the trace of the disclosure outlives the refusal.
    """
    case, _answer = case_register_answered(
        acting_user=acting_user, intake=intake, answer=lambda case: None
    )
    return case


def case_register_answered(
    *, acting_user: Any, intake: CaseIntake, answer: Callable[[Case], AnswerT]
) -> tuple[Case, AnswerT]:
    """:func:`case_register`, with ``answer(case)`` read inside the registration's own
    transaction: the API builds its reply there, so nothing is left to read after the commit
    that could turn a registered case into an error."""
    try:
        with transaction.atomic():
            case = _case_register(acting_user=acting_user, intake=intake)
            return case, answer(case)
    except OpenCaseExists as conflict:
        log_intake_duplicates(user=acting_user, duplicates=conflict.duplicates)
        raise


@transaction.atomic
def _case_register(*, acting_user: Any, intake: CaseIntake) -> Case:
    require_case_role(acting_user)
    today = timezone.localdate()
    errors = _validate_intake(intake, today)
    unit = Unit.objects.filter(pk=intake.unit_id).first()
    if unit is None or not acting_user.units.filter(pk=intake.unit_id).exists():
        errors.setdefault("unit", []).append(_("Välj en av dina egna enheter."))
    sending = Municipality.objects.filter(code=intake.sending_municipality_code).first()
    if sending is None:
        errors.setdefault("sending_municipality", []).append(_("Välj en kommun i listan."))
    receiving = Municipality.objects.filter(code=settings.MOTVERKA_MUNICIPALITY).first()
    if receiving is None:
        errors.setdefault("__all__", []).append(
            _("Den mottagande kommunen (%(code)s) finns inte i kommunregistret.")
            % {"code": settings.MOTVERKA_MUNICIPALITY}
        )
    assigned_to = None
    if intake.assigned_to_id is not None and unit is not None:
        assigned_to = unit.members.filter(pk=intake.assigned_to_id, is_active=True).first()
        if assigned_to is None:
            errors.setdefault("assigned_to", []).append(
                _("Handläggaren måste tillhöra ärendets enhet.")
            )
    if errors:
        raise ValidationError(errors)
    if unit is None or sending is None or receiving is None:  # pragma: no cover - errors above
        raise ValidationError(errors)

    person, _created = person_find_or_register(
        acting_user=acting_user, unit=unit, data=intake.person
    )
    # Checked once the person row is settled, so that a registration racing another one
    # for the same new person sees the other's case (and the transaction rolls back).
    if intake.person.personal_identity_number.strip() and not intake.allow_open_case:
        duplicates = intake_duplicates(
            user=acting_user,
            identity_number=intake.person.personal_identity_number,
            protected=intake.person.protected_identity,
        )
        if duplicates:
            raise OpenCaseExists(duplicates)

    prefix = settings.MOTVERKA_REFERENCE_PREFIX
    number = next_in_sequence(prefix=prefix, year=today.year)
    case = Case.objects.create(
        reference=format_reference(prefix=prefix, year=today.year, number=number),
        person=person,
        unit=unit,
        assigned_to=assigned_to
        or (acting_user if unit.members.filter(pk=acting_user.pk).exists() else None),
        sending_municipality=sending,
        receiving_municipality=receiving,
        moved_on=intake.moved_on,
        received_on=intake.received_on,
        indicator_note=intake.indicator_note.strip(),
        created_by=acting_user,
    )
    household_members_add(acting_user=acting_user, case=case, members=list(intake.household))
    CaseTargetGroup.objects.bulk_create(
        [CaseTargetGroup(case=case, code=code) for code in dict.fromkeys(intake.target_groups)]
    )
    CaseIndicator.objects.bulk_create(
        [CaseIndicator(case=case, code=code) for code in dict.fromkeys(intake.indicators)]
    )
    Intervention.objects.bulk_create([item.build(case) for item in intake.interventions])
    # The guideline's "genast": the contact deadline runs from registration.
    from motverka.workflow.services import registration_deadlines_start

    registration_deadlines_start(case=case)
    record_event(
        case=case,
        actor=acting_user,
        kind="registered",
        text=_("Ärendet registrerades (%(reference)s).") % {"reference": case.reference},
    )
    case_figures_refresh(case_ids=[case.pk])
    audit_record(
        actor=acting_user,
        action=AuditAction.CREATE,
        object_type="case",
        object_id=case.pk,
        case_id=case.pk,
        person_id=person.pk,
    )
    return case


@transaction.atomic
def case_assign(
    *,
    acting_user: Any,
    case: Case,
    assigned_to_id: int | None,
    expected_version: int | None = None,
) -> Case:
    """Assign the case to a member of its unit (or unassign it). ``expected_version`` is the
    case's version the user saw (VersionConflict when the case was saved since)."""
    require_unit_member(acting_user, case.unit_id)
    case = Case.objects.select_for_update(of=("self",)).select_related("unit").get(pk=case.pk)
    require_version(case, expected_version)
    assignee = None
    if assigned_to_id is not None:
        assignee = case.unit.members.filter(pk=assigned_to_id, is_active=True).first()
        if assignee is None or not assignee.works_with_cases:
            raise ValidationError(
                {"assigned_to": [_("Handläggaren måste vara aktiv och tillhöra ärendets enhet.")]}
            )
    case.assigned_to = assignee
    case.save(update_fields=["assigned_to", "updated_at"])
    record_event(
        case=case,
        actor=acting_user,
        kind="assigned",
        text=(
            _("Ärendet tilldelades %(name)s.") % {"name": assignee.display_name()}
            if assignee
            else _("Ärendet har ingen tilldelad handläggare.")
        ),
    )
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        object_type="case",
        object_id=case.pk,
        case_id=case.pk,
        person_id=case.person_id,
        detail="tilldelning",
    )
    return case


def _validate_entry(entry_date: date, text: str) -> None:
    errors: dict[str, list[str]] = {}
    if not text.strip():
        errors["text"] = [_("Skriv en anteckning.")]
    elif len(text) > limits.JOURNAL_TEXT_MAX:
        errors["text"] = [_("Högst %(max)d tecken.") % {"max": limits.JOURNAL_TEXT_MAX}]
    if entry_date > timezone.localdate():
        errors["entry_date"] = [_("Händelsedatum kan inte ligga i framtiden.")]
    if errors:
        raise ValidationError(errors)


def _audit_entry(acting_user: Any, entry: JournalEntry, action: AuditAction, detail: str) -> None:
    audit_record(
        actor=acting_user,
        action=action,
        object_type="journal_entry",
        object_id=entry.pk,
        case_id=entry.case_id,
        person_id=entry.case.person_id,
        detail=detail,
    )


@transaction.atomic
def journal_entry_add(
    *, acting_user: Any, case: Case, entry_date: date, text: str, sign: bool = False
) -> JournalEntry:
    """Add a journal entry; optionally sign it at once."""
    require_unit_member(acting_user, case.unit_id)
    _validate_entry(entry_date, text)
    now = timezone.now()
    entry = JournalEntry.objects.create(
        case=case,
        entry_date=entry_date,
        text=text.strip(),
        author=acting_user,
        signed_at=now if sign else None,
        signed_by=acting_user if sign else None,
    )
    _audit_entry(acting_user, entry, AuditAction.CREATE, "signerad" if sign else "utkast")
    return entry


@transaction.atomic
def journal_entry_update(
    *,
    acting_user: Any,
    entry: JournalEntry,
    entry_date: date,
    text: str,
    expected_version: int | None = None,
) -> JournalEntry:
    """Edit an unsigned entry; only its author may. ``expected_version``: the version the
    author edited (VersionConflict when it was saved since, e.g. in another window)."""
    require_unit_member(acting_user, entry.case.unit_id)
    entry = JournalEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.is_signed:
        raise Conflict(
            _("Anteckningen är signerad och kan inte ändras. Skriv en rättelse i stället."),
            "entry_signed",
        )
    if entry.author_id != acting_user.pk:
        raise Conflict(_("Bara den som skrev anteckningen kan ändra den."), "not_author")
    require_version(entry, expected_version)
    _validate_entry(entry_date, text)
    entry.entry_date = entry_date
    entry.text = text.strip()
    entry.save(update_fields=["entry_date", "text", "updated_at"])
    _audit_entry(acting_user, entry, AuditAction.UPDATE, "utkast ändrat")
    return entry


@transaction.atomic
def journal_entry_sign(*, acting_user: Any, entry: JournalEntry) -> JournalEntry:
    """Sign an entry; from then on it can never change."""
    require_unit_member(acting_user, entry.case.unit_id)
    entry = JournalEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.is_signed:
        raise Conflict(_("Anteckningen är redan signerad."), "entry_signed")
    if entry.author_id != acting_user.pk and not acting_user.is_manager:
        raise Conflict(
            _("Bara den som skrev anteckningen, eller en enhetschef, kan signera den."),
            "not_author",
        )
    entry.signed_at = timezone.now()
    entry.signed_by = acting_user
    entry.save(update_fields=["signed_at", "signed_by", "updated_at"])
    _audit_entry(acting_user, entry, AuditAction.UPDATE, "signerad")
    return entry


@transaction.atomic
def journal_entry_correct(
    *, acting_user: Any, entry: JournalEntry, entry_date: date, text: str
) -> JournalEntry:
    """Write a correction of a signed entry: a new signed entry that refers to the old one."""
    require_unit_member(acting_user, entry.case.unit_id)
    entry = (
        JournalEntry.objects.select_for_update(of=("self",)).select_related("case").get(pk=entry.pk)
    )
    if not entry.is_signed:
        raise Conflict(
            _("Anteckningen är inte signerad; ändra den direkt i stället för att rätta."),
            "entry_not_signed",
        )
    _validate_entry(entry_date, text)
    now = timezone.now()
    correction = JournalEntry.objects.create(
        case=entry.case,
        entry_date=entry_date,
        text=text.strip(),
        author=acting_user,
        signed_at=now,
        signed_by=acting_user,
        corrects=entry,
    )
    _audit_entry(acting_user, correction, AuditAction.CREATE, f"rättelse av {entry.pk}")
    return correction
