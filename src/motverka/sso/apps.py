from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SsoConfig(AppConfig):
    name = "motverka.sso"
    verbose_name = _("Inloggning via identitetsleverantör")

    def ready(self) -> None:
        from motverka.sso import checks  # noqa: F401  (registers the system checks)
