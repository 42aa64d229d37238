"""API tokens in the administration: see who has one, when it was last used, revoke it.

Tokens are issued with ``motverka api-token`` (the secret is printed once, on the server);
the admin never shows or stores more than the public prefix.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motverka.api.models import ApiToken
from motverka.api.services import api_token_revoke


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = (
        "prefix",
        "name",
        "user",
        "read_only",
        "created_at",
        "expires_at",
        "last_used_at",
        "last_used_address",
        "revoked_at",
    )
    list_filter = ("revoked_at", "read_only")
    search_fields = ("prefix", "name", "user__username")
    fields = (
        "prefix",
        "name",
        "user",
        "read_only",
        "created_at",
        "expires_at",
        "last_used_at",
        "last_used_address",
        "revoked_at",
    )
    readonly_fields = fields
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Revoked rows stay: they tell who had access, and when.
        return False

    @admin.action(description=gettext_lazy("Återkalla valda API-nycklar"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        revoked = 0
        for token in queryset.filter(revoked_at__isnull=True):
            api_token_revoke(acting_user=request.user, token=token)
            revoked += 1
        self.message_user(
            request, _("%(count)s API-nycklar återkallades.") % {"count": revoked}, messages.SUCCESS
        )
