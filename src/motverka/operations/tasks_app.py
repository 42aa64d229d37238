"""django-tasks-db under a Swedish name (the administration's headings and breadcrumbs)."""

from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class TasksDatabaseConfig(TasksAppConfig):
    verbose_name = _("Bakgrundsjobb")  # type: ignore[assignment]  # translated lazily
