"""The administration site is for the administrator role only — never for case data."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


class MotverkaAdminSite(admin.AdminSite):
    site_header = _("Motverka – administration")
    site_title = _("Motverka")
    index_title = _("Systemförvaltning")

    #: Swedish headings for apps whose own names are English (third-party apps).
    APP_NAMES = {"django_tasks_database": _("Bakgrundsjobb")}
    MODEL_NAMES = {("django_tasks_database", "dbtaskresult"): _("Jobbresultat")}

    def get_app_list(self, request: HttpRequest, app_label: str | None = None) -> list[Any]:
        app_list = super().get_app_list(request, app_label)
        for app in app_list:
            app["name"] = self.APP_NAMES.get(app["app_label"], app["name"])
            for model in app["models"]:
                key = (app["app_label"], model["object_name"].lower())
                model["name"] = self.MODEL_NAMES.get(key, model["name"])
        return app_list

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and getattr(user, "is_administrator", False) and user.is_staff)


class MotverkaAdminConfig(AdminConfig):
    default_site = "motverka.config.admin.MotverkaAdminSite"
