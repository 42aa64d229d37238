from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArchiveConfig(AppConfig):
    name = "motverka.archive"
    verbose_name = _("Gallring och arkiv")
