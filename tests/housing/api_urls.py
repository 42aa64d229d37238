"""URLs for the housing API tests, whether or not the router is mounted on the project API.

Once ``api.add_router("", housing_router)`` is in motverka/api/urls.py this is the project's
URLconf; until then the router is mounted on an API configured the same way.
"""

from __future__ import annotations

from django.urls import path
from ninja import NinjaAPI

from motverka.api.auth import ApiTokenAuth
from motverka.api.errors import register_exception_handlers
from motverka.api.parsing import JsonBodyParser
from motverka.api.urls import api
from motverka.config.urls import urlpatterns as project_urlpatterns
from motverka.housing.api import router

if any(mounted is router for _prefix, mounted in api._routers):
    urlpatterns = project_urlpatterns
else:
    housing_api = NinjaAPI(
        title="Housing test API", urls_namespace="api", auth=ApiTokenAuth(), parser=JsonBodyParser()
    )
    register_exception_handlers(housing_api)
    housing_api.add_router("", router)
    urlpatterns = [
        *[pattern for pattern in project_urlpatterns if str(pattern.pattern) != "api/v1/"],
        path("api/v1/", housing_api.urls),
    ]
