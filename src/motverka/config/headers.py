"""Response headers that keep personal data out of caches and lock down the browser.

``NoStoreMiddleware`` marks every response as not to be stored — pages, API answers and
PDFs alike — except static files and the health check, which carry no personal data. It
also sends the ``Permissions-Policy``. Deciding by exception rather than by listing views
means a new page cannot forget it. The Content-Security-Policy comes from django-csp
(``CONTENT_SECURITY_POLICY`` in settings) and ``Referrer-Policy`` from Django's
``SecurityMiddleware`` (``SECURE_REFERRER_POLICY``).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

#: Browser features Motverka never uses, switched off for every page and anything it embeds.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)

#: Paths whose answers carry no personal data and may be cached.
CACHEABLE_PATHS = ("/healthz",)


def may_be_cached(path: str) -> bool:
    static_prefix = "/" + settings.STATIC_URL.lstrip("/")
    return path.startswith(static_prefix) or path in CACHEABLE_PATHS


class NoStoreMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if not may_be_cached(request.path):
            # Overrides whatever a view said: nothing with personal data may be stored by a
            # browser or a proxy, and old HTTP/1.0 caches only understand Pragma.
            if "Cache-Control" in response:
                del response["Cache-Control"]
            add_never_cache_headers(response)
            response["Pragma"] = "no-cache"
        return response
