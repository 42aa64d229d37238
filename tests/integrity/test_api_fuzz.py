"""The whole API schema, fuzzed with schemathesis in-process through WSGI, as a case
worker with a real case, letter and landlord: no request may get a 5xx."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, settings

from motverka.accounts.models import Role
from motverka.api.services import api_token_create
from motverka.config.wsgi import application
from tests.factories import make_case, make_unit, make_user

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)

#: Examples per operation: enough to try every field with odd values, bounded so that the
#: whole run stays well under two minutes.
EXAMPLES = 8


@pytest.fixture
def fuzz_world(db):
    # The WSGI app closes the database connection at the end of each request, which would
    # end the test's transaction; Django's own test client switches that off the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)

    unit = make_unit("Fuzz")
    user = make_user(Role.CASE_WORKER, [unit], username="fuzz")
    case = make_case(user, unit)
    _row, token = api_token_create(acting_user=None, user=user, name="fuzz")
    yield {"token": token, "case": case, "user": user}
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_no_request_gets_a_server_error(case, fuzz_world):
    if case.path_parameters and "case_id" in case.path_parameters:
        case.path_parameters["case_id"] = fuzz_world["case"].pk
    headers = {"Authorization": f"Bearer {fuzz_world['token']}"}
    if case.method.upper() in {"PATCH", "PUT"}:
        # If-Match is required there: send the record's current ETag, so that the body is
        # what gets fuzzed (a 428 would stop every request before it).
        read = Client().get(case.formatted_path, HTTP_AUTHORIZATION=headers["Authorization"])
        # The test client reconnects what the fixture disconnected; keep the transaction.
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        headers["If-Match"] = read.get("ETag", '"none-0-v0"')
    response = case.call(headers=headers)
    assert response.status_code < 500, (case.method, case.path, case.body, response.text[:500])
