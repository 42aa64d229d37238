"""``Idempotency-Key`` for the API's POSTs.

The first POST with a key claims it (a unique row per bearer token and key) in the same
transaction as the endpoint's write. A successful answer (2xx) is kept with the key for
:data:`~motverka.integrity.models.KEEP_FOR`; the same key with the same path and body
gets that answer again (status, body, ``Location``) and creates nothing, with the header
``Idempotent-Replayed: true``. The same key with another request is a 422. A concurrent
duplicate waits for the first to commit and then gets its answer. A failed answer (4xx or
5xx) releases the key, so the corrected request can be sent with it again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from motverka.integrity.models import KEEP_FOR, IdempotentRequest

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _error(message: str, status: int, code: str) -> JsonResponse:
    return JsonResponse(
        {"detail": message, "code": code}, status=status, json_dumps_params={"ensure_ascii": False}
    )


def handle_idempotent_request(
    request: HttpRequest, key: str, get_response: Callable[[HttpRequest], HttpResponse]
) -> HttpResponse:
    if not key or len(key) > MAX_KEY_LENGTH or not key.isascii() or not key.isprintable():
        return _error(
            _("Idempotency-Key måste vara 1–255 synliga ASCII-tecken."), 422, "idempotency_key"
        )
    scope = _sha256(request.headers.get("Authorization", "").encode())
    fingerprint = _sha256(request.path.encode() + b"\n" + request.body)
    with transaction.atomic():
        try:
            with transaction.atomic():
                IdempotentRequest.objects.filter(created_at__lt=timezone.now() - KEEP_FOR).delete()
                claim = IdempotentRequest.objects.create(
                    scope=scope, key=key, fingerprint=fingerprint
                )
        except IntegrityError:
            return _answer_again(scope, key, fingerprint)
        response = get_response(request)
        if response.status_code >= 500:
            transaction.set_rollback(True)
            return response
        if 200 <= response.status_code < 300 and not response.streaming:
            claim.status = response.status_code
            claim.content_type = response.get("Content-Type", "")[:100]
            claim.location = response.get("Location", "")[:500]
            claim.body = response.content
            claim.save(update_fields=["status", "content_type", "location", "body"])
        else:
            claim.delete()
        return response


def _answer_again(scope: str, key: str, fingerprint: str) -> HttpResponse:
    previous = IdempotentRequest.objects.filter(scope=scope, key=key).first()
    if previous is None or not previous.status:
        return _error(
            _("En begäran med samma Idempotency-Key behandlas redan. Försök igen om en stund."),
            409,
            "idempotency_in_progress",
        )
    if previous.fingerprint != fingerprint:
        return _error(
            _(
                "Idempotency-Key har redan använts för en annan begäran. Använd en ny nyckel "
                "för en ny begäran."
            ),
            422,
            "idempotency_key_reused",
        )
    response = HttpResponse(
        bytes(previous.body), status=previous.status, content_type=previous.content_type
    )
    if previous.location:
        response["Location"] = previous.location
    response["Idempotent-Replayed"] = "true"
    return response
