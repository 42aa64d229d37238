"""The background-job table in Swedish: django-tasks-db's own admin, with Swedish columns.

The model's and the fields' names come from the Swedish catalogue (``locale/sv``); the
columns the package's admin names with plain strings are renamed here.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult


class SwedishTaskResultAdmin(DBTaskResultAdmin):
    list_display = (
        "id",
        "job",
        "status",
        "enqueued_at",
        "started_at",
        "finished_at",
        "priority",
        "queue_name",
    )

    @admin.display(description=_("jobb"))
    def job(self, obj: DBTaskResult) -> str:
        return str(obj.task_name)

    @admin.display(description=_("felspårning"))
    def formatted_traceback(self, obj: DBTaskResult) -> str:
        return super().formatted_traceback(obj)

    @admin.display(description=_("körs tidigast"))
    def display_run_after(self, obj: DBTaskResult) -> datetime | str:
        return super().display_run_after(obj)


if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)
admin.site.register(DBTaskResult, SwedishTaskResultAdmin)
