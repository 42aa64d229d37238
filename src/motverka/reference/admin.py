"""Administration of reference data: the municipality directory and legal references.

Only the administrator role reaches the admin site (MotverkaAdminSite.has_permission).
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from motverka.audit.admin import AuditedModelAdmin
from motverka.reference.models import LegalReference, Municipality


@admin.register(Municipality)
class MunicipalityAdmin(AuditedModelAdmin):
    """The directory letters take their recipients from; SCB codes and names are read-only
    because they are reloaded from the shipped SCB list."""

    list_display = ("name", "code", "county", "social_services_name", "registrator_email")
    list_filter = ("county",)
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
