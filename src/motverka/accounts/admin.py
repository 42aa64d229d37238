"""Administration of users and units — for the administrator role only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from motverka.accounts.lockout import lockout_clear
from motverka.accounts.mfa import mfa_reset
from motverka.accounts.models import Unit, User
from motverka.accounts.services import password_set_by_administrator

# Factors are reset through the audited action on the user, never edited or deleted raw.
for _device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_device_model):
        admin.site.unregister(_device_model)


class UserCreationWithForcedChangeForm(AdminUserCreationForm):
    """A password an administrator chooses for a new user must be changed at first login."""

    def save(self, commit: bool = True) -> Any:
        user = super().save(commit=False)
        user.must_change_password = user.has_usable_password()
        if commit:
            user.save()
            self.save_m2m()
        return user


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("name", "email")
    search_fields = ("name",)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "first_name", "last_name", "role", "is_active")
    list_filter = ("role", "is_active", "units")
    fieldsets = (
        *BaseUserAdmin.fieldsets,  # type: ignore[misc]
        (_("Motverka"), {"fields": ("role", "title", "units", "must_change_password")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("Motverka"), {"fields": ("role", "title", "units")}),
    )
    filter_horizontal = ("units", "groups", "user_permissions")
    add_form = UserCreationWithForcedChangeForm
    actions = ["reset_second_factor", "lift_lockout"]

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        # The administration's form sets the password; in the same transaction the user is
        # told to change it and their sessions end.
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and response.status_code == 302:
                user = self.get_object(request, unquote(id))
                if user is not None and user.has_usable_password():
                    password_set_by_administrator(acting_user=request.user, user=user)
        return response

    @admin.action(description=_("Återställ tvåfaktorsinloggning (ny registrering vid inloggning)"))
    def reset_second_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        done = 0
        for user in queryset:
            try:
                mfa_reset(acting_user=request.user, user=user)  # type: ignore[arg-type]
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                done += 1
        self.message_user(
            request,
            _gettext("Tvåfaktorsinloggningen återställdes för %(count)s användare.")
            % {"count": done},
            messages.SUCCESS,
        )

    @admin.action(description=_("Häv inloggningsspärr"))
    def lift_lockout(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            lockout_clear(acting_user=request.user, username=user.username)
        self.message_user(
            request,
            _gettext("Spärren hävdes för %(count)s användare.") % {"count": queryset.count()},
            messages.SUCCESS,
        )
