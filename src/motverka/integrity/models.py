"""What the server remembers so that a repeated submission creates nothing new.

* :class:`FormSubmission` – the one-time token a UI form carries; claimed by the first
  submit, it then points at the page that submit led to.
* :class:`IdempotentRequest` – an API ``Idempotency-Key`` with the fingerprint of the
  request it came with and the answer that was given.

Both are claimed inside the same transaction as the write they guard, and both have a
unique constraint, so two concurrent submissions cannot both win: the second one waits for
the first to commit and then sees its result. Rows older than :data:`KEEP_FOR` are
removed when a new one is claimed.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models

KEEP_FOR = timedelta(hours=24)


class FormSubmission(models.Model):
    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    result_url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "formulärinskickning"
        verbose_name_plural = "formulärinskickningar"

    def __str__(self) -> str:
        return f"{self.pk} → {self.result_url}"


class IdempotentRequest(models.Model):
    #: SHA-256 of the caller's Authorization header: a key counts per bearer token.
    scope = models.CharField(max_length=64)
    key = models.CharField(max_length=255)
    #: SHA-256 of the path and the body; the same key with another request is refused.
    fingerprint = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField(default=0)
    content_type = models.CharField(max_length=100, blank=True)
    location = models.CharField(max_length=500, blank=True)
    body = models.BinaryField(default=b"")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "idempotent begäran"
        verbose_name_plural = "idempotenta begäranden"
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="idempotent_request_once")
        ]

    def __str__(self) -> str:
        return f"{self.pk} ({self.status})"
