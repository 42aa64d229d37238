"""The administration's headings are Swedish: no app is shown under its English name."""

from __future__ import annotations

import re

from django.urls import reverse

ENGLISH = {"Letters", "Tasks Database Backend", "Task Results", "Workflow", "Reporting"}


def test_the_admin_index_has_swedish_app_and_model_headings(client, world):
    client.force_login(world.admin)
    html = client.get(reverse("admin:index")).content.decode()
    captions = re.findall(r"<caption>\s*<a[^>]*>([^<]+)</a>", html)
    models = re.findall(r'<th scope="row"[^>]*><a[^>]*>([^<]+)</a>', html)
    assert "Skrivelser" in captions and "Bakgrundsjobb" in captions, captions
    assert not ENGLISH & {name.strip() for name in captions + models}, (captions, models)


def test_the_background_job_table_is_swedish_in_its_list_and_breadcrumbs(client, world):
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.create(
        task_path="motverka.workflow.reminders.reminders_deliver_task",
        args_kwargs={"args": [], "kwargs": {}},
        backend_name="default",
        run_after=timezone.now(),
        status="FAILED",
    )
    client.force_login(world.admin)
    html = client.get(reverse("admin:django_tasks_database_dbtaskresult_changelist")).content
    html = html.decode()
    title = re.search(r"<h1>([^<]+)</h1>", html).group(1)
    assert "jobbresultat" in title.lower(), title
    headers = {
        h.strip() for h in re.findall(r'<div class="text">(?:<a[^>]*>|<span>)?([^<]+)<', html)
    }
    assert {"Jobb", "Status", "Köat", "Prioritet", "Kö"} <= headers, headers
    assert "Misslyckades" in html and "Bakgrundsjobb" in html
    for english in ("Task Result", "Task name", "Enqueued at", "Queue name", "Failed", "Tasks"):
        assert english not in html, english
