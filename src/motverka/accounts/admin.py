"""Administration of users and units — for the administrator role only."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from motverka.accounts.models import Unit, User
from motverka.audit.admin import AuditedModelAdmin


@admin.register(Unit)
class UnitAdmin(AuditedModelAdmin):
    list_display = ("name", "email")
    search_fields = ("name",)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "first_name", "last_name", "role", "is_active")
    list_filter = ("role", "is_active", "units")
    fieldsets = (
        *BaseUserAdmin.fieldsets,  # type: ignore[misc]
        (_("Motverka"), {"fields": ("role", "title", "units")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("Motverka"), {"fields": ("role", "title", "units")}),
    )
    filter_horizontal = ("units", "groups", "user_permissions")
