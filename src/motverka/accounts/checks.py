"""System checks for authentication settings (``check --deploy``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

MFA_VALUES = {"required", "off"}


@register()
def mfa_setting_check(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    if settings.MOTVERKA_MFA not in MFA_VALUES:
        return [
            Error(
                f"MOTVERKA_MFA={settings.MOTVERKA_MFA!r} is not one of 'required', 'off'.",
                id="motverka.E101",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def mfa_off_check(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    if settings.MOTVERKA_MFA == "off":
        return [
            Warning(
                "MOTVERKA_MFA is 'off': personal data is reachable with a password alone.",
                hint="Remove MOTVERKA_MFA (or set it to 'required') outside the demo.",
                id="motverka.W101",
            )
        ]
    return []
