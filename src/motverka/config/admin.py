"""The administration site is for the administrator role only — never for case data."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


class MotverkaAdminSite(admin.AdminSite):
    site_header = _("Motverka – administration")
    site_title = _("Motverka")
    index_title = _("Systemförvaltning")

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and getattr(user, "is_administrator", False) and user.is_staff)


class MotverkaAdminConfig(AdminConfig):
    default_site = "motverka.config.admin.MotverkaAdminSite"
