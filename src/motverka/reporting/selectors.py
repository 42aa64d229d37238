"""Aggregated figures for analysts and the social committee: counts only, never personal
data. Counts below the suppression threshold are masked in the view; the breakdown by
sending municipality leaves out protected persons entirely (protected in any unit's record),
since even the municipality must not leak for them (docs/privacy.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, QuerySet

from motverka.cases.models import Case, CaseTargetGroup
from motverka.cases.selectors import without_protected_persons
from motverka.cases.vocabulary import TargetGroup
from motverka.reporting.figures import Figure
from motverka.workflow.policy import CaseStatus, Outcome


@dataclass(frozen=True)
class CaseFigures:
    period_start: date
    period_end: date
    total: Figure
    by_status: list[Figure]
    by_target_group: list[Figure]
    by_outcome: list[Figure]
    by_sending_municipality: list[Figure]


def _cases(period_start: date, period_end: date) -> QuerySet[Case]:
    return Case.objects.filter(received_on__gte=period_start, received_on__lte=period_end)


def case_figures(*, period_start: date, period_end: date) -> CaseFigures:
    cases = _cases(period_start, period_end)
    statuses = dict(cases.values_list("status").annotate(n=Count("id")).order_by())
    outcomes = dict(
        cases.exclude(outcome="").values_list("outcome").annotate(n=Count("id")).order_by()
    )
    groups = dict(
        CaseTargetGroup.objects.filter(case__in=cases)
        .values_list("code")
        .annotate(n=Count("case", distinct=True))
        .order_by()
    )
    municipalities = (
        without_protected_persons(cases)
        .values_list("sending_municipality__name")
        .annotate(n=Count("id"))
        .order_by("-n", "sending_municipality__name")
    )
    return CaseFigures(
        period_start=period_start,
        period_end=period_end,
        total=Figure(label="", count=cases.count()),
        by_status=[
            Figure(str(label), statuses.get(value, 0)) for value, label in CaseStatus.choices
        ],
        by_target_group=[
            Figure(str(label), groups.get(value, 0)) for value, label in TargetGroup.choices
        ],
        by_outcome=[Figure(str(label), outcomes.get(value, 0)) for value, label in Outcome.choices],
        by_sending_municipality=[Figure(name, count) for name, count in municipalities],
    )
