"""Administration of reference data: the municipality directory and legal references.

Only the administrator role reaches the admin site (MotverkaAdminSite.has_permission).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy as _

from motverka.audit.admin import AuditedModelAdmin
from motverka.reference.models import LegalReference, Municipality
from motverka.reference.services import municipality_directory_import


class AddressFilter(admin.SimpleListFilter):
    """Which municipalities letters still cannot be addressed to from the directory."""

    title = _("adress till socialtjänsten")
    parameter_name = "adress"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("saknas", _("saknas")), ("finns", _("finns"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "saknas":
            return queryset.filter(social_services_address="")
        if self.value() == "finns":
            return queryset.exclude(social_services_address="")
        return queryset


class DirectoryImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV-fil"),
        help_text=_(
            "Kolumner: kommunkod, socialtjänstens namn, postadress, registratorns e-post. "
            "Komma eller semikolon; UTF-8. En tom cell ändrar inget."
        ),
    )
    dry_run = forms.BooleanField(label=_("Kontrollera bara, spara inget"), required=False)


@admin.register(Municipality)
class MunicipalityAdmin(AuditedModelAdmin):
    """The directory letters take their recipients from; SCB codes and names are read-only
    because they are reloaded from the shipped SCB list. The social-services contacts are
    edited here one by one or imported from a CSV file (*Läs in från CSV*)."""

    change_list_template = "admin/reference/municipality/change_list.html"
    list_display = (
        "name",
        "code",
        "county",
        "social_services_name",
        "has_address",
        "registrator_email",
    )
    list_filter = (AddressFilter, "county")
    search_fields = ("name", "code", "social_services_name")
    readonly_fields = ("code", "name", "county")
    fields = (
        "code",
        "name",
        "county",
        "social_services_name",
        "social_services_address",
        "registrator_email",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.display(boolean=True, description=_("adress finns"))
    def has_address(self, obj: Municipality) -> bool:
        return bool(obj.social_services_address.strip())

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> Any:
        extra_context = dict(extra_context or {})
        extra_context["without_address"] = Municipality.objects.filter(
            social_services_address=""
        ).count()
        return super().changelist_view(request, extra_context)

    def get_urls(self) -> list[Any]:
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="reference_municipality_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """Read the directory from an uploaded CSV file through the import service."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        form = DirectoryImportForm(request.POST or None, request.FILES or None)
        status = 200
        if request.method == "POST":
            status = 400
            if form.is_valid():
                raw = form.cleaned_data["file"].read()
                try:
                    text = raw.decode("utf-8-sig")
                except UnicodeDecodeError:
                    form.add_error("file", _("Filen måste vara sparad som UTF-8."))
                else:
                    try:
                        result = municipality_directory_import(
                            acting_user=request.user,
                            text=text,
                            dry_run=form.cleaned_data["dry_run"],
                        )
                    except ValidationError as error:
                        for message in error.message_dict.get("file", error.messages):
                            form.add_error("file", message)
                    else:
                        summary = _(
                            "%(updated)d kommuner ändrade, %(unchanged)d oförändrade; "
                            "%(without)d saknar fortfarande adress till socialtjänsten."
                        ) % {
                            "updated": result.updated,
                            "unchanged": result.unchanged,
                            "without": result.without_address,
                        }
                        if result.dry_run:
                            messages.info(request, _("Kontroll utan att spara: ") + summary)
                        else:
                            messages.success(request, summary)
                            return redirect("admin:reference_municipality_changelist")
                        status = 200
        context = {
            **self.admin_site.each_context(request),
            "title": _("Läs in kommunregistret från CSV"),
            "form": form,
            "opts": self.model._meta,
        }
        return render(request, "admin/reference/municipality/import.html", context, status=status)


@admin.register(LegalReference)
class LegalReferenceAdmin(AuditedModelAdmin):
    list_display = (
        "code",
        "citation_display",
        "valid_from",
        "valid_to",
        "verified_display",
        "verified_by",
        "verified_on",
    )
    list_filter = ("code", "law_name")
    search_fields = ("code", "law_name", "sfs_number", "text")
    fieldsets = (
        (None, {"fields": ("code", "law_name", "sfs_number", "chapter", "section", "text")}),
        (_("Giltighet"), {"fields": ("valid_from", "valid_to")}),
        (
            _("Verifiering"),
            {
                "fields": ("verified_by", "verified_on"),
                "description": _(
                    "Fyll i när någon har kontrollerat kapitel och paragraf mot lagtexten. "
                    "Skrivelser som hänvisar till en overifierad hänvisning kräver en "
                    "uttrycklig bekräftelse innan de slutförs."
                ),
            },
        ),
    )

    @admin.display(description=_("hänvisning"))
    def citation_display(self, obj: LegalReference) -> str:
        return obj.citation

    @admin.display(description=_("verifierad"), boolean=True)
    def verified_display(self, obj: LegalReference) -> bool:
        return obj.is_verified

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        # Finalised letters point at the entry they cited (PROTECT); an entry is ended by
        # setting "valid to", never removed.
        if obj is not None and obj.letters.exists():  # type: ignore[attr-defined]
            return False
        return super().has_delete_permission(request, obj)
