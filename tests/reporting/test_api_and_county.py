"""The figures API and the county file combined across municipalities."""

import json

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from motverka.audit.models import AuditEvent
from motverka.reporting.county import combine, read_county_file
from tests.factories import make_case


def test_the_api_gives_the_published_figures_and_refuses_bad_periods(world, api_as):
    for _ in range(12):
        make_case(world.worker_a)
    api = api_as(world.analyst)
    year = timezone.localdate().year
    before = AuditEvent.objects.filter(action="export").count()
    answer = api.get("/api/v1/figures", {"period": "year", "year": year})
    assert answer.status_code == 200
    body = answer.json()
    assert body["cases"] == {"value": 12, "suppressed": False}
    municipality = next(t for t in body["tables"] if t["slug"] == "municipality")
    assert municipality["rows"][0]["label"] == "Stockholm"
    assert AuditEvent.objects.filter(action="export").count() == before + 1
    bad = api.get("/api/v1/figures", {"period": "quarter", "year": year})
    assert bad.status_code == 422
    admin = api_as(world.admin)
    assert admin.get("/api/v1/figures").status_code == 403


def test_the_county_command_adds_up_several_municipalities_files(client, world, tmp_path):
    for _ in range(12):
        make_case(world.worker_a)
    client.force_login(world.analyst)
    year = timezone.localdate().year
    report = client.get(reverse("figures_county_report", args=[year, "json"])).json()
    first = tmp_path / "a.json"
    first.write_text(json.dumps(report))
    other = dict(report, municipality={"code": "1435", "name": "Tanum"})
    second = tmp_path / "b.json"
    second.write_text(json.dumps(other))
    csv_file = tmp_path / "c.csv"
    csv_file.write_text(
        client.get(reverse("figures_county_report", args=[year, "csv"]))
        .content.decode()
        .replace(",1430,", ",1427,")
    )
    combined = combine(read_county_file(path) for path in (first, second, csv_file))
    total = next(c for c in combined.cells if c.table == "status" and c.row == "total")
    assert total.known_sum == 36 and total.hidden_in == []
    out = tmp_path / "out"
    call_command("figures_county_combine", str(first), str(second), str(csv_file), out=out)
    assert (out / f"lan-{year}-tabeller.csv").read_text().count("\n") > 10
    assert "1435 Tanum: 12" in (out / f"lan-{year}-rapport.txt").read_text()
    # The county's report as PDF/A, with every combined table.
    reader = PdfReader(out / f"lan-{year}-rapport.pdf")
    assert b"pdfaid:part" in reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert f"länets sammanställning {year}" in text
    assert "1435 Tanum 12" in text and "Ärenden efter status" in text
    assert "Avsändande kommun och utfall" in text and "minst N" in text
