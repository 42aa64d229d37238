"""API tokens: how a program, rather than a person at a browser, signs in to the JSON API."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    """A bearer token for one user.

    Only a short public prefix (to find the row) and the SHA-256 hash of the whole token are
    stored; the token itself is shown once, when it is created, and cannot be recovered.
    A token acts with exactly the rights of its user, so deactivating the user stops it.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("användare"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("namn"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=16, unique=True)
    token_hash = models.CharField(_("kontrollsumma"), max_length=64)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("senast använd"), null=True, blank=True)
    last_used_address = models.CharField(_("senast använd från"), max_length=64, blank=True)
    expires_at = models.DateTimeField(_("giltig till"))
    read_only = models.BooleanField(
        _("endast läsning"), default=False, help_text=_("Nyckeln får bara hämta (GET).")
    )
    revoked_at = models.DateTimeField(_("återkallad"), null=True, blank=True)

    class Meta:
        verbose_name = _("API-nyckel")
        verbose_name_plural = _("API-nycklar")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
