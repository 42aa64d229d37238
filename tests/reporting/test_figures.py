"""Figures for analysts: counts only, small counts suppressed, protected persons left out."""

import io
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from motverka.audit.models import AuditEvent
from motverka.reporting.selectors import publication_store
from tests.factories import make_case
from tests.reporting.test_export_jobs import annual_report


def _table(page: str, title: str) -> str:
    start = page.index(f"<strong>{title}</strong>")
    return page[start : page.index("</table>", start)]


def test_the_figures_page_shows_aggregates_without_names(client, world):
    for _ in range(10):
        make_case(world.worker_a, first_name="Alva", last_name="Hemligsson")
    for _ in range(6):
        make_case(world.worker_a, sending_municipality_code="1480")
    make_case(world.worker_b, sending_municipality_code="1280")
    make_case(world.worker_b, sending_municipality_code="0380", protected_identity=True)
    client.force_login(world.analyst)
    page = client.get(reverse("figures")).content.decode()
    assert "Hemligsson" not in page and "SN " not in page
    by_municipality = _table(page, "Avsändande kommun")
    assert "Stockholm</th><td>10<" in by_municipality
    # Fewer than ten cases in the year: counted together, not named.
    assert "Övriga kommuner (färre än 10 ärenden var)</th><td>7<" in by_municipality
    assert "Malmö" not in by_municipality and "Göteborg" not in by_municipality
    assert "Totalt</th><td>17<" in by_municipality
    assert "Uppsala" not in by_municipality  # the protected person's municipality
    assert "Ärenden som kom in under perioden" in page
    assert 'src="/statistik/diagram/years.svg"' in page


def test_the_period_filters_by_received_month_and_bad_periods_are_refused(client, world):
    today = timezone.localdate()
    make_case(world.worker_a, received_on=today - timedelta(days=40))
    client.force_login(world.analyst)
    month = client.get(
        reverse("figures"), {"period": "month", "year": today.year, "month": today.month}
    )
    assert month.status_code == 200
    bad = client.get(reverse("figures"), {"start": today.isoformat(), "end": "2020-01-01"})
    assert bad.status_code == 400
    assert "Startdatum måste vara före slutdatum" in bad.content.decode()


def test_charts_are_svg_images_without_script(client, world):
    for _ in range(6):
        make_case(world.worker_a)
    client.force_login(world.analyst)
    for name in ("years", "municipalities"):
        response = client.get(reverse("figures_chart", args=[name]))
        assert response["Content-Type"] == "image/svg+xml"
        svg = response.content.decode()
        assert svg.lstrip().startswith("<?xml") and "<svg" in svg and "<script" not in svg


def test_every_export_is_audited_once(client, world, django_capture_on_commit_callbacks):
    for _ in range(6):
        make_case(world.worker_a)
    client.force_login(world.analyst)
    year = timezone.localdate().year
    before = AuditEvent.objects.filter(action="export").count()
    csv_response = client.get(reverse("figures_table_export", args=["municipality", "csv"]))
    assert csv_response.status_code == 200 and "Övriga kommuner" in csv_response.content.decode()
    xlsx = client.get(reverse("figures_table_export", args=["status", "xlsx"]))
    assert xlsx.content[:2] == b"PK"
    pdf = annual_report(client, django_capture_on_commit_callbacks, year)
    assert pdf.startswith(b"%PDF")
    county = client.get(reverse("figures_county_report", args=[year, "json"]))
    assert county.json()["schema"] == "motverka-lansrapport" and county.json()["version"] == 1
    assert AuditEvent.objects.filter(action="export").count() == before + 4


def test_administrators_get_no_figures(client, world):
    client.force_login(world.admin)
    assert client.get(reverse("figures")).status_code == 403
    assert client.get(reverse("figures_chart", args=["years"])).status_code == 403


def test_the_demo_analyst_gets_the_annual_report_and_the_county_file(
    client, db, django_capture_on_commit_callbacks
):
    from motverka.accounts.models import User
    from motverka.demo import create_demo_data

    create_demo_data(password="demo-password-long")
    analyst = User.objects.get(username="analytiker")
    client.force_login(analyst)
    page = client.get(reverse("figures")).content.decode()
    year = timezone.localdate().year
    assert reverse("figures_annual_report", args=[year]) in page
    pdf = annual_report(client, django_capture_on_commit_callbacks, year)
    assert pdf.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(pdf))
    metadata = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert b"pdfaid:part" in metadata  # PDF/A
    first_page = reader.pages[0].extract_text()
    title = f"Aktiv medverkan till bosättning i annan kommun – årsrapport {year}"
    assert title in " ".join(first_page.split())
    assert "Metod" in "".join(page.extract_text() for page in reader.pages)
    county = client.get(reverse("figures_county_report", args=[year, "csv"]))
    assert county.status_code == 200
    assert county.content.decode().startswith("schema_version,year,municipality_code")


def _figures_queries(client, years: range) -> int:
    for year in years:
        publication_store(year)  # what the worker does after a change
    params = {"start": "2019-01-01", "end": timezone.localdate().isoformat()}
    client.get(reverse("figures"), params)  # reads and keeps the publications
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("figures"), params).status_code == 200
    return len(captured)


# Measured: 8 on SQLite and PostgreSQL, with one year or with five (the second factor's
# device among them); before the summary rows' last change was looked up once per page
# there was one more per year and page.
FIGURES_BUDGET = 9


def test_the_figures_page_keeps_its_query_budget_whatever_the_years(client, world):
    today = timezone.localdate()
    client.force_login(world.analyst)
    make_case(world.worker_a, received_on=today)
    one_year = _figures_queries(client, range(today.year, today.year + 1))
    for back in range(1, 5):
        make_case(world.worker_a, received_on=today.replace(year=today.year - back, day=1))
    five_years = _figures_queries(client, range(today.year - 4, today.year + 1))
    assert five_years == one_year
    assert five_years <= FIGURES_BUDGET, five_years
