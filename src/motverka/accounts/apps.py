from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "motverka.accounts"
    verbose_name = _("Användare och enheter")

    def ready(self) -> None:
        from motverka.accounts import (  # noqa: F401 - registers them
            checks,
            receivers,
            signals,  # noqa: F401 - connects the audit backstop
        )
