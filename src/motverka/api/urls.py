"""The JSON API (django-ninja) under /api/v1/: one NinjaAPI, one router per app."""

from __future__ import annotations

from ninja import NinjaAPI

api = NinjaAPI(
    title="Motverka API",
    version="1",
    description="Registrering och handläggning av ärenden om aktiv medverkan.",
    urls_namespace="api",
)
