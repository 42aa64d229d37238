"""Large exports on the task queue, with their progress: the committee's annual report.

A PDF/A with charts and every table takes seconds to render, longer at scale; a web worker
never waits for it. :func:`export_job_request` records the job and queues
:func:`export_job_run_task` when its transaction commits; the worker writes the progress as
it goes (each step in its own short transaction, so the page sees it), then the file.
:func:`export_job_download` hands the file to the user who asked for it, and that is the
audited export (the figures' ``export`` row), as for every other export.

A second request for the same report while one is unfinished returns that job (a double
click makes one job, enforced by a unique constraint); a finished report is reused while
the year's summary rows are unchanged.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from motverka.cases.errors import AccessDenied, NotFound
from motverka.reporting.models import ExportJob, ExportStatus
from motverka.reporting.selectors import year_stamp
from motverka.reporting.services import figures_export_audit, require_figures_role

logger = logging.getLogger(__name__)

ANNUAL_REPORT = "annual_report"
#: Finished files are kept this long, then removed when the next job runs.
KEEP_FOR = timedelta(days=7)
#: A report takes seconds; a job still unfinished this long after it was asked for lost its
#: worker (killed, or its database connection dropped) and is given up, so that it does not
#: hold the one unfinished place of its user, report and year for ever.
GIVE_UP_AFTER = timedelta(minutes=30)


def export_job_request(*, acting_user: Any, kind: str, year: int) -> ExportJob:
    """The user's job for ``kind`` and ``year``: the unfinished one, a finished one made
    from the current figures, or a new one queued on the task queue."""
    require_figures_role(acting_user)
    if kind != ANNUAL_REPORT or not 2000 <= year <= 2100:
        raise NotFound
    stamp = year_stamp(year)
    mine = ExportJob.objects.filter(requested_by=acting_user, kind=kind, year=year)
    unfinished = [ExportStatus.QUEUED, ExportStatus.RUNNING]
    mine.filter(status__in=unfinished, created_at__lt=timezone.now() - GIVE_UP_AFTER).update(
        status=ExportStatus.FAILED,
        step=_("Exporten avbröts innan den blev klar. Försök igen."),
        finished_at=timezone.now(),
    )
    existing = (
        mine.filter(status__in=unfinished).first()
        or mine.filter(status=ExportStatus.DONE, stamp=stamp).order_by("-created_at").first()
    )
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            job = ExportJob.objects.create(
                requested_by=acting_user,
                kind=kind,
                year=year,
                stamp=stamp,
                step=_("Väntar på tur i kön"),
            )
            transaction.on_commit(lambda: export_job_run_task.enqueue(str(job.pk)))
    except IntegrityError:
        # The other click of a double click made it a moment ago.
        return mine.filter(status__in=unfinished).get()
    return job


def export_job_get(*, acting_user: Any, job_id: str | uuid.UUID) -> ExportJob:
    """The job if the user asked for it; another user's job is not found."""
    require_figures_role(acting_user)
    try:
        pk = uuid.UUID(str(job_id))
    except ValueError as error:
        raise NotFound from error
    job = ExportJob.objects.defer("content").filter(pk=pk, requested_by=acting_user).first()
    if job is None:
        raise NotFound
    return job


def export_jobs_recent(*, acting_user: Any, limit: int = 5) -> list[ExportJob]:
    try:
        require_figures_role(acting_user)
    except AccessDenied:
        return []
    return list(
        ExportJob.objects.defer("content")
        .filter(requested_by=acting_user)
        .order_by("-created_at")[:limit]
    )


def export_job_download(*, acting_user: Any, job_id: str | uuid.UUID) -> tuple[ExportJob, bytes]:
    """The finished file, with the export's audit row in the same transaction."""
    job = export_job_get(acting_user=acting_user, job_id=job_id)
    if job.status != ExportStatus.DONE:
        raise NotFound
    content = ExportJob.objects.values_list("content", flat=True).get(pk=job.pk)
    with transaction.atomic():
        figures_export_audit(
            acting_user=acting_user,
            kind=job.kind,
            detail=f"årsrapport {job.year}, pdf (köad export)",
        )
    return job, bytes(content or b"")


def _progress(job_id: uuid.UUID, percent: int, step: str) -> None:
    ExportJob.objects.filter(pk=job_id).update(progress=percent, step=step[:100])


def export_job_run(job_id: str) -> str:
    """Make the job's file (the worker's part). Returns the job's final status."""
    from motverka.reporting.exports import annual_report_pdf

    pk = uuid.UUID(job_id)
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().filter(pk=pk).first()
        if job is None or job.status != ExportStatus.QUEUED:
            return job.status if job else "missing"  # already taken, or done
        job.status = ExportStatus.RUNNING
        job.progress = 5
        job.step = _("Startar")
        job.save(update_fields=["status", "progress", "step"])
    try:
        pdf = annual_report_pdf(job.year, lambda percent, step: _progress(pk, percent, step))
    except Exception:
        logger.exception("export %s failed", pk)
        ExportJob.objects.filter(pk=pk).update(
            status=ExportStatus.FAILED,
            step=_(
                "Exporten misslyckades. Försök igen; kvarstår felet, kontakta systemförvaltaren."
            ),
            finished_at=timezone.now(),
        )
        return ExportStatus.FAILED
    ExportJob.objects.filter(pk=pk).update(
        status=ExportStatus.DONE,
        progress=100,
        step=_("Klar"),
        content=pdf,
        sha256=hashlib.sha256(pdf).hexdigest(),
        finished_at=timezone.now(),
    )
    ExportJob.objects.filter(
        created_at__lt=timezone.now() - KEEP_FOR,
        status__in=[ExportStatus.DONE, ExportStatus.FAILED],
    ).delete()
    return ExportStatus.DONE


@task()
def export_job_run_task(job_id: str) -> str:
    return export_job_run(job_id)
