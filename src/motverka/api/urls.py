"""The JSON API (django-ninja) under /api/v1/: one NinjaAPI, one router per app.

Every endpoint needs ``Authorization: Bearer <token>`` (see ``motverka api-token``); the
schema at /api/v1/openapi.json and the docs page are public. Errors are JSON in Swedish,
see :mod:`motverka.api.errors` and docs/api.md.
"""

from __future__ import annotations

from ninja import NinjaAPI

from motverka.api import calculator, cases, workflow
from motverka.api.auth import ApiTokenAuth
from motverka.api.errors import register_exception_handlers
from motverka.api.parsing import JsonBodyParser, Utf8JsonRenderer
from motverka.history.api import router as history_router
from motverka.housing.api import router as housing_router
from motverka.letters.api import router as letters_router
from motverka.reporting.api import router as reporting_router

api = NinjaAPI(
    title="Motverka API",
    version="1",
    description=(
        "Registrering och handläggning av ärenden om aktiv medverkan. "
        "Autentisering: Authorization: Bearer <API-nyckel>. Se docs/api.md."
    ),
    urls_namespace="api",
    auth=ApiTokenAuth(),
    parser=JsonBodyParser(),
    renderer=Utf8JsonRenderer(),
)
register_exception_handlers(api)
api.add_router("", cases.router)
api.add_router("", workflow.router)
api.add_router("", calculator.router)
api.add_router("", letters_router)
api.add_router("", housing_router)
api.add_router("", history_router)
api.add_router("", reporting_router)
