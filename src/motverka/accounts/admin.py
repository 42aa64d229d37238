"""Administration of users and units — for the administrator role only.

The forms only collect input: creating a user, changing a role, a flag or unit membership
and setting a password all go through ``accounts.services``, which refuse an administrator
granting themselves access and write the audit rows. The forms check the same rule first
so that a refusal is a Swedish error on the field, not a failed save.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, AdminUserCreationForm, UserChangeForm
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from motverka.accounts import services, tracking
from motverka.accounts.lockout import lockout_clear
from motverka.accounts.mfa import mfa_reset
from motverka.accounts.models import Unit, User
from motverka.accounts.rules import AccountChange, self_grant_refusals
from motverka.audit.admin import AuditedModelAdmin

# Factors are reset through the audited action on the user, never edited or deleted raw.
for _device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_device_model):
        admin.site.unregister(_device_model)

# The password view builds its form itself (``change_password_form(user, data)``), so the
# acting administrator reaches the form's save through the request's context.
_password_form_actor: ContextVar[Any] = ContextVar("motverka_password_form_actor", default=None)


@contextmanager
def _acting_on_passwords(user: Any) -> Iterator[None]:
    token = _password_form_actor.set(user)
    try:
        yield
    finally:
        _password_form_actor.reset(token)


class AccountChangeForm(UserChangeForm):
    acting_user: Any = None  # set per request by UserAdmin.get_form

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        target = self.instance
        before = User.objects.filter(pk=target.pk).first() if target.pk else None
        units = cleaned.get("units")
        units_before = set(before.units.values_list("pk", flat=True)) if before else set()
        change = AccountChange(
            acting_user_id=getattr(self.acting_user, "pk", None),
            target_id=target.pk,
            role_before=before.role if before else None,
            role_after=cleaned.get("role"),
            superuser_before=bool(before and before.is_superuser),
            superuser_after=bool(cleaned.get("is_superuser")),
            units_added=units is not None and bool({u.pk for u in units} - units_before),
        )
        for field, message in self_grant_refusals(change).items():
            if field in self.fields:
                self.add_error(field, message)
            else:
                self.add_error(None, message)
        return cleaned


class AccountPasswordForm(AdminPasswordChangeForm):
    def save(self, commit: bool = True) -> Any:
        usable = self.cleaned_data["set_usable_password"]
        password = self.cleaned_data["password1"] if usable else None
        return services.user_password_set(
            acting_user=_password_form_actor.get(), user=self.user, password=password
        )


@admin.register(Unit)
class UnitAdmin(AuditedModelAdmin):
    list_display = ("name", "email")
    search_fields = ("name",)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = AccountChangeForm
    add_form = AdminUserCreationForm
    change_password_form = AccountPasswordForm
    list_display = ("username", "first_name", "last_name", "role", "is_active")
    list_filter = ("role", "is_active", "units")
    # Access follows the role and the units; Django's groups and per-user permissions are
    # not used (the administration site is for administrators, who are superusers).
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (
            _("Personuppgifter"),
            {"fields": ("first_name", "last_name", "email", "title", "sso_subject")},
        ),
        (
            _("Behörighet"),
            {
                "fields": (
                    "role",
                    "units",
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "must_change_password",
                )
            },
        ),
        (_("Tidpunkter"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("Motverka"), {"fields": ("role", "title", "units")}),
    )
    readonly_fields = ("last_login", "date_joined")
    filter_horizontal = ("units",)
    actions = ["reset_second_factor", "lift_lockout"]

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"acting_user": request.user})

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        data = form.cleaned_data
        if not change:
            created = services.user_create(
                acting_user=request.user,
                username=data["username"],
                password=data.get("password1") if data.get("set_usable_password", True) else None,
                role=data["role"],
                title=data.get("title", ""),
                units=data.get("units") or (),
            )
            obj.pk = created.pk
            obj._state.adding = False
            obj._state.db = created._state.db
            return
        changed = set(form.changed_data)

        def new(field: str) -> Any:
            return data[field] if field in changed else None

        services.user_change(
            acting_user=request.user,
            user=obj,
            role=new("role"),
            is_active=new("is_active"),
            is_staff=new("is_staff"),
            is_superuser=new("is_superuser"),
            details={field: data[field] for field in tracking.DETAIL_NAMES if field in changed},
        )

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # Units were set when the user was created; on a change they are the one relation.
        if change and "units" in form.changed_data:
            services.user_units_set(
                acting_user=request.user, user=form.instance, units=form.cleaned_data["units"]
            )
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        with _acting_on_passwords(request.user):
            return super().user_change_password(request, id, form_url)

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
