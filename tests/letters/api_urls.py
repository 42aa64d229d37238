"""URLs for the letter API tests, whether or not the router is mounted on the project API yet.

Once ``api.add_router("", letters_router)`` is in motverka/api/urls.py this is just the
project's URLconf; until then the tests mount the router on an API configured the same way
(ninja routers are templates and may be mounted on more than one API).
"""

from __future__ import annotations

from django.urls import path
from ninja import NinjaAPI

from motverka.api.auth import ApiTokenAuth
from motverka.api.errors import register_exception_handlers
from motverka.api.parsing import JsonBodyParser
from motverka.api.urls import api
from motverka.config.urls import urlpatterns as project_urlpatterns
from motverka.letters.api import router

if any(mounted is router for _prefix, mounted in api._routers):
    urlpatterns = project_urlpatterns
else:
    letters_api = NinjaAPI(
        title="Letters test API", urls_namespace="api", auth=ApiTokenAuth(), parser=JsonBodyParser()
    )
    register_exception_handlers(letters_api)
    letters_api.add_router("", router)
    urlpatterns = [
        *[pattern for pattern in project_urlpatterns if str(pattern.pattern) != "api/v1/"],
        path("api/v1/", letters_api.urls),
    ]
