from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReceptionConfig(AppConfig):
    name = "motverka.reception"
    label = "reception"
    verbose_name = _("Mottagningens screening")
