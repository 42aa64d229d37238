"""Reads of the anonymous screening counts (figures)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Sum

from motverka.reception.models import ScreeningCount
from motverka.reporting.suppression import SUPPRESSION_THRESHOLD


def _shown(count: int) -> str:
    return f"<{SUPPRESSION_THRESHOLD}" if 0 < count < SUPPRESSION_THRESHOLD else str(count)


@dataclass(frozen=True)
class ScreeningMonth:
    month: date
    screened: int
    suspected: int

    @property
    def screened_shown(self) -> str:
        """As published: a count under the suppression threshold is masked."""
        return _shown(self.screened)

    @property
    def suspected_shown(self) -> str:
        return _shown(self.suspected)


def screening_counts(
    *, period_start: date, period_end: date, unit_ids: list[int] | None = None
) -> list[ScreeningMonth]:
    """Screenings and suspicions per month over the months that touch the period, summed
    over all units (or ``unit_ids``). No personal data: the rows are counts only."""
    rows = ScreeningCount.objects.filter(
        month__gte=period_start.replace(day=1), month__lte=period_end
    )
    if unit_ids is not None:
        rows = rows.filter(unit_id__in=unit_ids)
    return [
        ScreeningMonth(month=row["month"], screened=row["screened"], suspected=row["suspected"])
        for row in rows.values("month")
        .annotate(screened=Sum("screened"), suspected=Sum("suspected"))
        .order_by("month")
    ]
