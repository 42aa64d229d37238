"""Figures for analysts: counts only, small counts suppressed, protected persons hidden."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from motverka.reporting.figures import Figure
from tests.factories import make_case


def test_counts_between_one_and_four_are_suppressed():
    assert [Figure("x", n).shown for n in (0, 1, 4, 5, 12)] == ["0", "<5", "<5", "5", "12"]


def _table(page: str, title: str) -> str:
    start = page.index(f"<strong>{title}</strong>")
    return page[start : page.index("</table>", start)]


def test_the_figures_page_shows_aggregates_without_names(client, world):
    for _ in range(5):
        make_case(world.worker_a, first_name="Alva", last_name="Hemligsson")
    make_case(world.worker_b, sending_municipality_code="1280")
    make_case(world.worker_b, sending_municipality_code="1480", protected_identity=True)
    client.force_login(world.analyst)
    page = client.get(reverse("figures")).content.decode()
    assert "Hemligsson" not in page and "SN " not in page
    by_municipality = _table(page, "Avsändande kommun")
    assert "Stockholm" in by_municipality and ">5<" in by_municipality
    assert "Malmö" in by_municipality and "&lt;5" in by_municipality
    assert "Göteborg" not in by_municipality  # the protected person's municipality
    assert "Ärenden som kom in under perioden" in page


def test_the_period_filters_by_received_date_and_bad_periods_are_refused(client, world):
    make_case(world.worker_a, received_on=timezone.localdate() - timedelta(days=3))
    client.force_login(world.analyst)
    today = timezone.localdate()
    empty = client.get(
        reverse("figures"),
        {"start": (today - timedelta(days=2)).isoformat(), "end": today.isoformat()},
    )
    assert "perioden:</strong> 0" in empty.content.decode()
    bad = client.get(reverse("figures"), {"start": today.isoformat(), "end": "2020-01-01"})
    assert bad.status_code == 400
    assert "Startdatum måste vara före slutdatum" in bad.content.decode()


def test_administrators_get_no_figures(client, world):
    client.force_login(world.admin)
    assert client.get(reverse("figures")).status_code == 403
