"""The retention facts of cases, read in a fixed number of queries, and the decision."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Max, QuerySet

from motverka.archive.models import DisposalItem, DisposalList, DisposalListStatus
from motverka.archive.retention import (
    ArchivePlanKeep,
    RetentionDecision,
    RetentionFacts,
    archive_plan_keeps,
    birth_day_of,
    decide,
)
from motverka.cases.models import Case, CaseTargetGroup, JournalEntry
from motverka.letters.models import Letter
from motverka.workflow.models import CaseMeasure, StepRecord
from motverka.workflow.policy import CaseStatus, Measure, MeasureState


def archive_plan() -> tuple[ArchivePlanKeep, ...]:
    return tuple(
        ArchivePlanKeep(
            code=str(entry["code"]),
            label=str(entry["label"]),
            outcomes=frozenset(entry.get("outcomes", ())),  # type: ignore[call-overload]
            target_groups=frozenset(entry.get("target_groups", ())),  # type: ignore[call-overload]
        )
        for entry in settings.MOTVERKA_ARCHIVE_PLAN
    )


@dataclass(frozen=True)
class CaseRetention:
    case: Case
    facts: RetentionFacts
    decision: RetentionDecision


def _latest(*days: date | None) -> date:
    return max(day for day in days if day is not None)


def _max_by_case(queryset: QuerySet, field: str, case_ids: list[int]) -> dict[int, date]:
    return dict(
        queryset.filter(case_id__in=case_ids)
        .values_list("case_id")
        .annotate(latest=Max(field))
        .order_by()
    )


def retention_of(cases: Iterable[Case]) -> list[CaseRetention]:
    """Facts and decision for each case (with ``person`` loaded): six queries in all."""
    cases = list(cases)
    ids = [case.pk for case in cases]
    journal = _max_by_case(JournalEntry.objects.all(), "entry_date", ids)
    steps = _max_by_case(StepRecord.objects.all(), "performed_on", ids)
    letters = _max_by_case(Letter.objects.exclude(status="draft"), "letter_date", ids)
    groups: dict[int, set[str]] = defaultdict(set)
    for case_id, code in CaseTargetGroup.objects.filter(case_id__in=ids).values_list(
        "case_id", "code"
    ):
        groups[case_id].add(code)
    states = {
        case_id: state
        for case_id, state in CaseMeasure.objects.filter(
            case_id__in=ids, measure=Measure.RETURN_OF_RESPONSIBILITY
        ).values_list("case_id", "state")
    }
    plan = archive_plan()
    result = []
    for case in cases:
        person = case.person
        facts = RetentionFacts(
            case_open=case.status != CaseStatus.CLOSED,
            last_entry_on=_latest(
                case.received_on,
                case.assessed_on,
                case.closed_on,
                journal.get(case.pk),
                steps.get(case.pk),
                letters.get(case.pk),
            ),
            birth_day=birth_day_of(
                birth_date=person.birth_date,
                personal_identity_number=person.personal_identity_number,
                coordination=person.is_coordination_number,
            ),
            ivo_decision_pending=states.get(case.pk) == MeasureState.IVO_APPLIED,
            transfer_request_open=states.get(case.pk) == MeasureState.REQUEST_SENT,
            archive_plan_keeps=archive_plan_keeps(
                plan, outcome=case.outcome, target_groups=frozenset(groups[case.pk])
            ),
        )
        result.append(CaseRetention(case=case, facts=facts, decision=decide(facts)))
    return result


def undisposed_cases() -> QuerySet[Case]:
    return Case.objects.filter(disposal_record__isnull=True).select_related("person", "unit")


def cases_due(*, today: date) -> list[CaseRetention]:
    """Closed cases whose disposal date has come and that no open list already holds."""
    held = DisposalItem.objects.exclude(
        disposal_list__status__in=[DisposalListStatus.DONE, DisposalListStatus.FAILED]
    ).values("case_id")
    candidates = undisposed_cases().filter(status=CaseStatus.CLOSED).exclude(pk__in=held)
    return [item for item in retention_of(candidates) if item.decision.is_due(today)]


def disposal_lists() -> QuerySet[DisposalList]:
    return DisposalList.objects.select_related("proposed_by", "reviewed_by", "approved_by")
