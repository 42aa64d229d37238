from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SsoConfig(AppConfig):
    name = "motverka.sso"
    verbose_name = _("Inloggning via identitetsleverantör")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from motverka.sso import checks  # noqa: F401  (registers the system checks)
        from motverka.sso.services import forget_strong_auth

        user_logged_in.connect(forget_strong_auth, dispatch_uid="motverka_sso_forget_strong")
