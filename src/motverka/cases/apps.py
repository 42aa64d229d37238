from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "motverka.cases"
    verbose_name = _("Ärenden")

    def ready(self) -> None:
        from motverka.cases import search  # noqa: F401 - registers the SQLite function
