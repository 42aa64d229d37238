"""Disposal in two steps by two people, carried out on the task queue.

1. :func:`disposal_list_propose` — an archivist (the archive role) lists the cases due.
2. :func:`disposal_list_review` — an archivist reviews the list.
3. :func:`disposal_list_approve` — a unit manager of every unit on the list approves it;
   never the person who reviewed it. Approval queues :func:`disposal_list_execute_task`.
4. :func:`disposal_list_execute` — per case, in its own transaction: a case kept for the
   e-archive gets its delivery package first (validated, written), then the personal data
   is removed (``archive/disposal.py``) and a :class:`DisposalRecord` is written.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from motverka.archive.disposal import erase_case
from motverka.archive.models import DisposalItem, DisposalList, DisposalListStatus, DisposalRecord
from motverka.archive.package import build_package, write_package
from motverka.archive.retention import RULES_BY_CODE, RetentionOutcome, RetentionRule
from motverka.archive.selectors import cases_due, retention_of
from motverka.audit.models import AuditAction
from motverka.audit.services import AuditSubject, audit_record, audit_record_many
from motverka.cases.errors import AccessDenied, Conflict, NotFound
from motverka.cases.models import Case
from motverka.reference.selectors import legal_reference_valid_on

logger = logging.getLogger("motverka.archive")


def require_archivist(user: Any) -> None:
    if not (user and user.is_authenticated and user.is_archivist):
        raise AccessDenied


def require_disposal_reader(user: Any) -> None:
    """Who may see disposal lists: the archive role and unit managers."""
    if not (user and user.is_authenticated and (user.is_archivist or user.is_manager)):
        raise AccessDenied


def _locked_list(disposal_list_id: int | str) -> DisposalList:
    try:
        pk = int(disposal_list_id)
    except (TypeError, ValueError) as error:
        raise NotFound from error
    found = DisposalList.objects.select_for_update().filter(pk=pk).first()
    if found is None:
        raise NotFound
    return found


@transaction.atomic
def disposal_list_propose(*, acting_user: Any, today: Any = None) -> DisposalList:
    """Lists every closed case whose disposal date has come and that no open list holds."""
    require_archivist(acting_user)
    today = today or timezone.localdate()
    due = cases_due(today=today)
    if not due:
        raise Conflict(_("Inga ärenden är aktuella för gallring."), code="nothing_due")
    disposal_list = DisposalList.objects.create(as_of=today, proposed_by=acting_user)
    DisposalItem.objects.bulk_create(
        DisposalItem(
            disposal_list=disposal_list,
            case=item.case,
            rule=item.decision.rule,
            outcome=item.decision.outcome,
            last_entry_on=item.facts.last_entry_on,
            due_from=item.decision.due_from,
            due_by=item.decision.due_by,
        )
        for item in due
    )
    audit_record_many(
        actor=acting_user,
        action=AuditAction.CREATE,
        object_type="disposal_list",
        subjects=[
            AuditSubject("case", item.case.pk, case_id=item.case.pk, person_id=item.case.person_id)
            for item in due
        ],
        detail=f"gallringslista {disposal_list.pk}, {len(due)} ärenden",
    )
    return disposal_list


@transaction.atomic
def disposal_list_review(*, acting_user: Any, disposal_list_id: int | str) -> DisposalList:
    require_archivist(acting_user)
    disposal_list = _locked_list(disposal_list_id)
    if disposal_list.status != DisposalListStatus.PROPOSED:
        raise Conflict(_("Listan är redan granskad."), code="not_proposed")
    disposal_list.status = DisposalListStatus.REVIEWED
    disposal_list.reviewed_by = acting_user
    disposal_list.reviewed_at = timezone.now()
    disposal_list.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        object_type="disposal_list",
        object_id=disposal_list.pk,
        detail="granskad",
    )
    return disposal_list


@transaction.atomic
def disposal_list_approve(*, acting_user: Any, disposal_list_id: int | str) -> DisposalList:
    """The second person's step: a unit manager of every unit on the list, not the
    reviewer. The disposal itself runs on the task queue after this commits."""
    if not (acting_user and acting_user.is_authenticated and acting_user.is_manager):
        raise AccessDenied
    disposal_list = _locked_list(disposal_list_id)
    if disposal_list.status != DisposalListStatus.REVIEWED:
        raise Conflict(
            _("Listan måste granskas av arkivansvarig innan den godkänns."), code="not_reviewed"
        )
    if disposal_list.reviewed_by_id == acting_user.pk:
        raise Conflict(
            _("Samma person kan inte både granska och godkänna en gallring."), code="same_person"
        )
    units = set(disposal_list.items.values_list("case__unit_id", flat=True))
    if units - set(acting_user.units.values_list("pk", flat=True)):
        raise AccessDenied
    disposal_list.status = DisposalListStatus.APPROVED
    disposal_list.approved_by = acting_user
    disposal_list.approved_at = timezone.now()
    disposal_list.save(update_fields=["status", "approved_by", "approved_at"])
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        object_type="disposal_list",
        object_id=disposal_list.pk,
        detail="godkänd för gallring",
    )
    list_id = disposal_list.pk
    transaction.on_commit(lambda: disposal_list_execute_task.enqueue(list_id))
    return disposal_list


def _citation(rule: str, on: Any) -> str:
    code = RULES_BY_CODE[rule].legal_reference
    if not code:
        return ""
    reference = legal_reference_valid_on(code, on)
    if reference is None:
        return ""
    return reference.citation + ("" if reference.is_verified else " (overifierat)")


@transaction.atomic
def _dispose_item(disposal_list: DisposalList, item: DisposalItem, number: int) -> DisposalRecord:
    case = (
        Case.objects.select_for_update(of=("self",))
        .select_related("person", "unit")
        .get(pk=item.case_id)
    )
    if DisposalRecord.objects.filter(case_id=case.pk).exists():
        return DisposalRecord.objects.get(case_id=case.pk)
    (current,) = retention_of([case])
    if current.decision.rule != item.rule:
        # Something changed since the list was approved (a new entry, a process started):
        # the case stays as it is and comes up again on a later list.
        raise Conflict(f"{case.reference}: regeln är nu {current.decision.rule}")
    package_name = package_sha256 = ""
    if item.outcome == RetentionOutcome.DELIVER:
        package = build_package(case, current.decision)
        write_package(package)
        package_name, package_sha256 = package.filename, package.sha256
    if disposal_list.reviewed_by_id is None or disposal_list.approved_by_id is None:
        raise Conflict(_("Listan är inte godkänd."), code="not_approved")
    pseudonym = f"GALLRAD-{disposal_list.pk}-{number}"
    reference, unit_name = case.reference, case.unit.name
    erased = erase_case(case=case, pseudonym=pseudonym)
    record = DisposalRecord.objects.create(
        disposal_list=disposal_list,
        case=case,
        case_reference=reference,
        unit_name=unit_name,
        rule=item.rule,
        outcome=item.outcome,
        legal_citation=_citation(item.rule, disposal_list.as_of),
        last_entry_on=item.last_entry_on,
        due_by=item.due_by,
        pseudonym=pseudonym,
        proposed_by_id=disposal_list.proposed_by_id,
        reviewed_by_id=disposal_list.reviewed_by_id,
        approved_by_id=disposal_list.approved_by_id,
        disposed_at=timezone.now(),
        person_removed=erased.person_removed,
        audit_rows=erased.audit.rows,
        audit_subjects=erased.audit.subjects,
        sealed_rows=erased.audit.sealed,
        package_name=package_name,
        package_sha256=package_sha256,
    )
    audit_record(
        actor=None,
        action=AuditAction.DELETE,
        object_type="disposal_record",
        object_id=record.pk,
        detail=(
            f"gallrat {reference} ({pseudonym}), {erased.audit.rows} loggrader pseudonymiserade"
            + (f", levererat {package_name}" if package_name else "")
        ),
    )
    return record


def disposal_list_execute(*, disposal_list_id: int) -> list[DisposalRecord]:
    """Carries out an approved list, one transaction per case; a case that fails stops the
    list (marked failed, the cause kept), the cases before it stay disposed."""
    with transaction.atomic():
        disposal_list = _locked_list(disposal_list_id)
        if disposal_list.status != DisposalListStatus.APPROVED:
            raise Conflict(_("Listan är inte godkänd."), code="not_approved")
    records = []
    items = list(disposal_list.items.order_by("id"))
    try:
        for number, item in enumerate(items, start=1):
            records.append(_dispose_item(disposal_list, item, number))
    except Exception as error:
        logger.exception("Gallringslista %s avbröts", disposal_list.pk)
        DisposalList.objects.filter(pk=disposal_list.pk).update(
            status=DisposalListStatus.FAILED, failure=str(error)[:2000]
        )
        raise
    DisposalList.objects.filter(pk=disposal_list.pk).update(
        status=DisposalListStatus.DONE, done_at=timezone.now()
    )
    return records


@task()
def disposal_list_execute_task(disposal_list_id: int) -> dict[str, int]:
    records = disposal_list_execute(disposal_list_id=disposal_list_id)
    return {"disposed": len(records)}


__all__ = [
    "RetentionRule",
    "disposal_list_approve",
    "disposal_list_execute",
    "disposal_list_propose",
    "disposal_list_review",
]
