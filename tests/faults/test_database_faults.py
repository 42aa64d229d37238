"""Database faults answer 503 (Swedish, Retry-After), never 500, and leave nothing
half-written: an unreachable database, connections cut between and in the middle of
requests, a hung server, a statement that waits on a lock."""

from __future__ import annotations

import json
import threading
import time
from email.message import Message

import pytest
from django.db import connection, transaction

from motverka.api.services import api_token_create
from motverka.api.tokens import token_generate
from motverka.audit.models import AuditEvent
from motverka.cases.models import Case, CaseEvent
from motverka.people.models import Person
from tests.api.test_cases import CASES, intake_body
from tests.faults.proxy import TcpProxy
from tests.processes import gunicorn, http

pytestmark = pytest.mark.django_db(transaction=True)

PORT = 8107
PROXY_PORT = 5441
BASE = f"http://127.0.0.1:{PORT}"

needs_postgres = pytest.mark.skipif(
    "connection.vendor != 'postgresql'",
    reason="cutting and hanging network connections needs a database server (PostgreSQL)",
)


def _proxied_url() -> str:
    params = connection.settings_dict
    return f"postgres://{params.get('USER') or 'postgres'}@127.0.0.1:{PROXY_PORT}/{params['NAME']}"


def _post_case(token: str) -> tuple[int, Message, bytes]:
    return http(
        "POST",
        BASE + CASES,
        body=json.dumps(intake_body()).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )


def _assert_unavailable(status: int, headers: Message, body: bytes, *, api: bool) -> None:
    assert status == 503, body[:500]
    assert int(headers["Retry-After"]) > 0
    text = body.decode()
    if api:
        assert json.loads(text)["code"] == "database_unavailable"
        assert "Databasen går inte att nå" in json.loads(text)["detail"]
    else:
        assert "Databasen går inte att nå" in text
        assert 'lang="sv"' in text


def _counts() -> tuple[int, int, int, int]:
    return (
        Case.objects.count(),
        Person.objects.count(),
        CaseEvent.objects.count(),
        AuditEvent.objects.filter(object_type="case").count(),
    )


def test_an_unreachable_database_gives_a_swedish_503_page_and_json(tmp_path):
    # SQLite: a file in a directory that does not exist; PostgreSQL: a port nobody serves.
    url = (
        f"sqlite:///{tmp_path}/saknas/motverka.sqlite3"
        if connection.vendor == "sqlite"
        else "postgres://postgres@127.0.0.1:5449/motverka"
    )
    with gunicorn(PORT, DATABASE_URL=url):
        # The session middleware reads the session before any view runs.
        for path in ("/", "/arenden/", "/logga-in/"):
            status, headers, body = http(
                "GET", BASE + path, headers={"Cookie": "sessionid=" + "a" * 32}
            )
            _assert_unavailable(status, headers, body, api=False)
        # The API looks a well-formed token up.
        bearer = {"Authorization": f"Bearer {token_generate().secret_token}"}
        status, headers, body = http("GET", BASE + CASES, headers=bearer)
        _assert_unavailable(status, headers, body, api=True)
        status, headers, body = http(
            "POST", BASE + CASES, body=b"{}", headers={**bearer, "Content-Type": "application/json"}
        )
        _assert_unavailable(status, headers, body, api=True)
        assert http("GET", BASE + "/healthz")[0] == 503
        # What needs no database still works: the login page for a visitor without session.
        assert http("GET", BASE + "/logga-in/")[0] == 200


@needs_postgres
def test_connections_cut_between_and_during_requests(world):
    _row, token = api_token_create(acting_user=None, user=world.worker_a, name="fel")
    with (
        TcpProxy(PROXY_PORT) as proxy,
        gunicorn(PORT, DATABASE_URL=_proxied_url(), CONN_MAX_AGE="600"),
    ):
        attempts = failures = 0
        assert _post_case(token)[0] == 201
        attempts += 1
        before = _counts()

        # The database drops every connection between two requests: the worker notices its
        # kept connection is dead and opens a new one; the next request just works.
        proxy.cut_all()
        status, _headers, _body = _post_case(token)
        attempts += 1
        assert status == 201
        after_cut = _counts()
        assert after_cut[0] == before[0] + 1

        # Cut in the middle of a registration, after the case row was sent and before its
        # audit row: a 503, and the transaction is gone as a whole.
        proxy.cut_on(b'INSERT INTO "audit_auditevent"')
        status, headers, body = _post_case(token)
        attempts += 1
        failures += status != 201
        assert proxy.cuts == 1
        _assert_unavailable(status, headers, body, api=True)
        assert _counts() == after_cut

        # And the next request succeeds again.
        assert _post_case(token)[0] == 201
        attempts += 1
    final = _counts()
    assert final[0] == after_cut[0] + 1
    for case in Case.objects.all():
        assert CaseEvent.objects.filter(case=case).exists()
        assert AuditEvent.objects.filter(object_type="case", object_id=str(case.pk)).exists()
    print(  # noqa: T201 - the figures of the fault test
        f"proxy cuts: {attempts} requests, {failures} answered 503, "
        f"{proxy.cuts + 1} connection drops, data lost: none, half-written: none"
    )


@needs_postgres
def test_a_hung_database_gives_a_503_within_five_seconds():
    with TcpProxy(PROXY_PORT) as proxy, gunicorn(PORT, DATABASE_URL=_proxied_url()):
        proxy.hang = True
        started = time.monotonic()
        status, headers, body = http("GET", BASE + "/", headers={"Cookie": "sessionid=" + "a" * 32})
        elapsed = time.monotonic() - started
        _assert_unavailable(status, headers, body, api=False)
        assert elapsed < 5, elapsed
        print(f"hung database answered 503 after {elapsed:.1f} s")  # noqa: T201


@needs_postgres
def test_a_statement_stuck_on_a_lock_gives_a_503_after_the_statement_timeout(world):
    _row, token = api_token_create(acting_user=None, user=world.worker_a, name="lås")
    with gunicorn(PORT, DATABASE_STATEMENT_TIMEOUT_MS="1000"):
        locked = threading.Event()
        release = threading.Event()

        def hold_the_counter_lock() -> None:
            # A registration updates the reference counter row; hold every row of it.
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("LOCK TABLE cases_referencesequence IN ACCESS EXCLUSIVE MODE")
                locked.set()
                release.wait(10)
            connection.close()

        holder = threading.Thread(target=hold_the_counter_lock)
        holder.start()
        try:
            assert locked.wait(5)
            before = _counts()
            started = time.monotonic()
            status, headers, body = _post_case(token)
            elapsed = time.monotonic() - started
        finally:
            release.set()
            holder.join()
        _assert_unavailable(status, headers, body, api=True)
        assert elapsed < 5, elapsed
        assert _counts() == before
        assert _post_case(token)[0] == 201
