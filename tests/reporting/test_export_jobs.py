"""The annual report is made by the task queue, with progress, for the user who asked."""

from __future__ import annotations

import hashlib
import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from motverka.audit.models import AuditEvent
from motverka.reporting import exports
from motverka.reporting.export_jobs import export_job_run
from motverka.reporting.models import ExportJob
from tests.factories import make_case


def run_worker() -> None:
    """The worker's part for every queued export, in this test's transaction (the real
    ``db_worker`` closes the connection, which a test's transaction cannot survive: the
    first test below runs it, in a transactional test)."""
    for job_id in ExportJob.objects.filter(status="queued").values_list("pk", flat=True):
        export_job_run(str(job_id))


def request_report(client, capture, year: int):
    with capture(execute=True):
        return client.post(reverse("figures_annual_report", args=[year]))


def annual_report(client, capture, year: int) -> bytes:
    """The whole way a user goes: ask, let the worker make it, download it."""
    response = request_report(client, capture, year)
    assert response.status_code == 302, response.status_code
    run_worker()
    page = client.get(response["Location"]).content.decode()
    link = re.search(r'href="([^"]+/fil)"', page)
    assert link, page
    download = client.get(link.group(1))
    assert download.status_code == 200
    return download.content


@pytest.mark.django_db(transaction=True)
def test_a_report_is_queued_made_in_the_background_and_downloaded(
    client, world, django_capture_on_commit_callbacks
):
    for _ in range(6):
        make_case(world.worker_a)
    client.force_login(world.analyst)
    year = timezone.localdate().year
    exports_before = AuditEvent.objects.filter(action="export").count()

    first = request_report(client, django_capture_on_commit_callbacks, year)
    # A double click (or a second tab) is the same job, queued once.
    second = request_report(client, django_capture_on_commit_callbacks, year)
    job = ExportJob.objects.get()
    assert first["Location"] == second["Location"] == reverse("figures_export", args=[job.pk])
    assert DBTaskResult.objects.filter(task_path__endswith="export_job_run_task").count() == 1
    waiting = client.get(first["Location"]).content.decode()
    assert "Väntar på tur" in waiting and "<progress" in waiting and "/fil" not in waiting
    fragment = client.get(first["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert 'data-hx-trigger="every 2s"' in fragment and "<html" not in fragment

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    job.refresh_from_db()
    assert (job.status, job.progress, job.step) == ("done", 100, "Klar")
    assert job.sha256 == hashlib.sha256(bytes(job.content)).hexdigest()
    done = client.get(first["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert "data-hx-trigger" not in done and job.sha256 in done
    # Nothing has left the system yet: the download is the export.
    assert AuditEvent.objects.filter(action="export").count() == exports_before

    pdf = client.get(reverse("figures_export_file", args=[job.pk]))
    assert pdf["Content-Disposition"] == f'attachment; filename="arsrapport-{year}.pdf"'
    reader = PdfReader(io.BytesIO(pdf.content))
    assert b"pdfaid:part" in reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert f"årsrapport {year}" in " ".join(reader.pages[0].extract_text().split())
    assert AuditEvent.objects.filter(action="export").count() == exports_before + 1
    # The figures page lists the user's exports.
    assert (
        reverse("figures_export", args=[job.pk]) in client.get(reverse("figures")).content.decode()
    )


def test_a_finished_report_is_reused_until_the_figures_change(
    client, world, django_capture_on_commit_callbacks
):
    make_case(world.worker_a)
    client.force_login(world.analyst)
    year = timezone.localdate().year
    first = request_report(client, django_capture_on_commit_callbacks, year)
    run_worker()
    again = request_report(client, django_capture_on_commit_callbacks, year)
    assert again["Location"] == first["Location"]
    make_case(world.worker_a)  # the year's summary rows change
    changed = request_report(client, django_capture_on_commit_callbacks, year)
    assert changed["Location"] != first["Location"]
    assert ExportJob.objects.count() == 2


def test_only_the_user_who_asked_sees_the_job_and_its_file(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.analyst)
    year = timezone.localdate().year
    location = request_report(client, django_capture_on_commit_callbacks, year)["Location"]
    run_worker()
    job = ExportJob.objects.get()
    for other in (world.worker_a, world.manager):
        client.force_login(other)
        assert client.get(location).status_code == 404
        assert client.get(reverse("figures_export_file", args=[job.pk])).status_code == 404
    client.force_login(world.admin)
    assert client.get(location).status_code == 403
    assert client.post(reverse("figures_annual_report", args=[year])).status_code == 403
    assert ExportJob.objects.count() == 1
    assert AuditEvent.objects.filter(action="export").count() == 0


def test_the_progress_is_written_step_by_step_in_swedish(world):
    make_case(world.worker_a)
    steps: list[tuple[int, str]] = []
    pdf = exports.annual_report_pdf(timezone.localdate().year, lambda p, s: steps.append((p, s)))
    assert pdf.startswith(b"%PDF")
    percents = [percent for percent, _step in steps]
    assert percents == sorted(percents) and len(percents) >= 4 and percents[-1] < 100
    assert steps[0][1] == "Räknar årets tabeller" and steps[-1][1] == "Skapar PDF/A-filen"


def test_a_failed_export_says_so_and_may_be_tried_again(
    client, world, monkeypatch, django_capture_on_commit_callbacks
):
    client.force_login(world.analyst)
    year = timezone.localdate().year

    def broken(*args, **kwargs):
        raise RuntimeError("the renderer fell over")

    monkeypatch.setattr(exports, "annual_report_pdf", broken)
    location = request_report(client, django_capture_on_commit_callbacks, year)["Location"]
    run_worker()
    page = client.get(location).content.decode()
    assert "Misslyckades" in page and "Exporten misslyckades. Försök igen" in page
    assert "fell over" not in page and "Försök igen</button>" in page
    assert (
        client.get(reverse("figures_export_file", args=[ExportJob.objects.get().pk])).status_code
        == 404
    )
    monkeypatch.undo()
    retried = request_report(client, django_capture_on_commit_callbacks, year)
    assert retried["Location"] != location
    run_worker()
    assert sorted(ExportJob.objects.values_list("status", flat=True)) == ["done", "failed"]


@pytest.mark.parametrize("bad", ["not-a-uuid", "00000000-0000-0000-0000-000000000000"])
def test_an_unknown_job_is_404(client, world, bad):
    client.force_login(world.analyst)
    response = client.get(f"/statistik/exporter/{bad}/")
    assert response.status_code == 404


def test_a_job_its_worker_never_finished_is_given_up_and_a_new_one_made(
    client, world, django_capture_on_commit_callbacks
):
    """A worker killed mid-run (or whose database connection dropped) leaves its job
    "running"; after half an hour it no longer holds the user's one unfinished place."""
    from datetime import timedelta

    from django.db import IntegrityError, transaction

    from motverka.reporting.export_jobs import GIVE_UP_AFTER

    client.force_login(world.analyst)
    year = timezone.localdate().year
    first = request_report(client, django_capture_on_commit_callbacks, year)["Location"]
    job = ExportJob.objects.get()
    ExportJob.objects.filter(pk=job.pk).update(status="running", progress=65)
    # The database itself refuses a second unfinished job, whatever route writes it.
    with pytest.raises(IntegrityError), transaction.atomic():
        ExportJob.objects.create(requested_by=world.analyst, kind="annual_report", year=year)
    # Within the half hour the page still shows the job under way.
    assert request_report(client, django_capture_on_commit_callbacks, year)["Location"] == first
    ExportJob.objects.filter(pk=job.pk).update(
        created_at=timezone.now() - GIVE_UP_AFTER - timedelta(minutes=1)
    )
    again = request_report(client, django_capture_on_commit_callbacks, year)["Location"]
    assert again != first
    job.refresh_from_db()
    assert job.status == "failed" and "avbröts" in job.step
    run_worker()
    assert sorted(ExportJob.objects.values_list("status", flat=True)) == ["done", "failed"]
    # The worker that comes back late finds its job given up and does nothing.
    assert export_job_run(str(job.pk)) == "failed"
