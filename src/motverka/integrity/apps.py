from __future__ import annotations

from django.apps import AppConfig


class IntegrityConfig(AppConfig):
    name = "motverka.integrity"
    label = "integrity"
    verbose_name = "Integritet vid dubbla och felaktiga anrop"
