from typing import Any

from django.apps import AppConfig
from django.core import checks
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "motverka.audit"
    verbose_name = _("Logg")

    def ready(self) -> None:
        from motverka.audit import protection

        protection.register_pg_triggers()
        post_migrate.connect(protection.install_after_migrate, sender=self)
        checks.register(check_chain_serialised)


def check_chain_serialised(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """On SQLite the chain relies on write transactions taking the write lock at BEGIN."""
    from django.conf import settings

    return unserialised_sqlite_databases(settings.DATABASES)


def unserialised_sqlite_databases(databases: dict[str, Any]) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    for alias, config in databases.items():
        if config["ENGINE"] == "django.db.backends.sqlite3" and (
            config.get("OPTIONS", {}).get("transaction_mode") != "IMMEDIATE"
        ):
            errors.append(
                checks.Error(
                    f"Database {alias!r}: the audit chain needs transaction_mode=IMMEDIATE "
                    "on SQLite so that appends are serialised.",
                    id="audit.E001",
                )
            )
    return errors
