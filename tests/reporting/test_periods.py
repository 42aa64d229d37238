"""Periods (pure) and the stored publication that the task queue keeps current."""

from datetime import date

from django.utils import timezone

from motverka.reporting.models import FigurePublication
from motverka.reporting.periods import Period, month_period, quarter_period, range_period
from motverka.reporting.selectors import period_figures, publication_store, year_publication
from tests.factories import make_case


def test_a_range_of_months_is_made_of_whole_years_quarters_and_months():
    period = range_period(date(2023, 11, 14), date(2025, 5, 2))
    assert (period.start, period.end) == (date(2023, 11, 1), date(2025, 5, 31))
    assert period.pieces() == [
        (2023, "M11"),
        (2023, "M12"),
        (2024, "Y"),
        (2025, "Q1"),
        (2025, "M04"),
        (2025, "M05"),
    ]
    assert range_period(date(2024, 1, 5), date(2024, 12, 1)).kind == "year"
    assert quarter_period(2025, 2).pieces() == [(2025, "Q2")]
    assert month_period(2025, 2).label == "2025-02"
    assert Period("quarter", date(2025, 4, 1), date(2025, 6, 30)).slug == "2025-K2"


def test_a_change_shows_the_stored_figures_until_the_queue_has_recomputed_them(world):
    year = timezone.localdate().year
    for _ in range(12):
        make_case(world.worker_a)
    assert year_publication(year).current
    make_case(world.worker_a)
    stale = period_figures(range_period(date(year, 1, 1), date(year, 12, 31)))
    assert not stale.current and stale.total.value == 12
    publication_store(year)  # what the worker does
    fresh = period_figures(range_period(date(year, 1, 1), date(year, 12, 31)))
    assert fresh.current and fresh.total.value == 13
    assert FigurePublication.objects.filter(year=year).count() == 1


def test_a_month_shows_only_the_tables_published_by_month(world):
    for _ in range(12):
        make_case(world.worker_a)
    today = timezone.localdate()
    figures = period_figures(month_period(today.year, today.month))
    assert [table.slug for table in figures.tables] == ["status", "landlords"]
    assert all(n.shown == "–" for _label, n, _m, _p in figures.durations)


def test_a_stale_year_is_asked_for_once_and_computed_once(world, monkeypatch):
    from django_tasks_db.models import DBTaskResult

    from motverka.reporting import selectors

    year = timezone.localdate().year
    for _ in range(12):
        make_case(world.worker_a)
    assert year_publication(year).current
    make_case(world.worker_a)

    def asked() -> int:
        return DBTaskResult.objects.filter(task_path__endswith="publication_compute_task").count()

    before = asked()
    whole_year = range_period(date(year, 1, 1), date(year, 12, 31))
    for _ in range(3):
        assert not period_figures(whole_year).current
    assert asked() == before + 1  # not one per page view
    computed = []
    monkeypatch.setattr(
        selectors, "_compute", lambda y, real=selectors._compute: computed.append(y) or real(y)
    )
    selectors.publication_compute_task.call(year)
    selectors.publication_compute_task.call(year)  # a second task of the same change
    assert computed == [year]
    assert period_figures(whole_year).current
