"""On PostgreSQL queries are bound on the server and prepared once a connection has run
them often enough (decision 0027); the statements that must go to the server two at a
time, and the lists narrowed by a search, bind on the client and are never prepared."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection

from motverka.audit.models import AuditAction
from motverka.audit.protection import protection_suspended
from motverka.audit.services import audit_record
from motverka.audit.verification import verify_chain
from motverka.cases import selectors
from motverka.config.database import postgresql_options
from tests.factories import make_case

on_postgresql = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="prepared statements are PostgreSQL's"
)


def test_the_threshold_comes_from_the_environment():
    assert postgresql_options({})["server_side_binding"] is True
    assert postgresql_options({})["prepare_threshold"] == 5
    assert postgresql_options({"DATABASE_PREPARE_THRESHOLD": "12"})["prepare_threshold"] == 12
    # Empty: never prepare (a pooler that cannot keep prepared statements).
    assert postgresql_options({"DATABASE_PREPARE_THRESHOLD": ""})["prepare_threshold"] is None
    # A superscript two is a digit to str.isdigit, but not a number to set.
    for wrong in ("0", "-1", "fem", "\u00b2", "1.5"):
        with pytest.raises(ValueError, match="DATABASE_PREPARE_THRESHOLD"):
            postgresql_options({"DATABASE_PREPARE_THRESHOLD": wrong})


def test_each_connection_starts_with_a_timeout_no_parallel_workers_and_a_page_cost():
    """Decision 0028: a query's parallel workers take their time from the other requests.
    Decision 0030: reading a page out of order costs the planner 1.1, not 4."""
    assert postgresql_options({})["options"] == (
        "-c statement_timeout=5000 -c max_parallel_workers_per_gather=0 -c random_page_cost=1.1"
    )
    assert postgresql_options({}, testing=True)["options"] == (
        "-c statement_timeout=0 -c max_parallel_workers_per_gather=0 -c random_page_cost=1.1"
    )
    chosen = {
        "DATABASE_PARALLEL_WORKERS": "2",
        "DATABASE_STATEMENT_TIMEOUT_MS": "800",
        "DATABASE_RANDOM_PAGE_COST": "4",
    }
    assert postgresql_options(chosen)["options"] == (
        "-c statement_timeout=800 -c max_parallel_workers_per_gather=2 -c random_page_cost=4"
    )
    # Empty leaves the server's own setting; all empty send no options at all (a pooler
    # that refuses startup options).
    assert postgresql_options({"DATABASE_PARALLEL_WORKERS": ""})["options"] == (
        "-c statement_timeout=5000 -c random_page_cost=1.1"
    )
    all_empty = {
        "DATABASE_PARALLEL_WORKERS": "",
        "DATABASE_STATEMENT_TIMEOUT_MS": "",
        "DATABASE_RANDOM_PAGE_COST": "",
    }
    assert "options" not in postgresql_options(all_empty)
    for name in ("DATABASE_PARALLEL_WORKERS", "DATABASE_STATEMENT_TIMEOUT_MS"):
        for wrong in ("-1", "två", "2; DROP TABLE x", "-c work_mem=1GB"):
            with pytest.raises(ValueError, match=name):
                postgresql_options({name: wrong})
    assert postgresql_options({"DATABASE_RANDOM_PAGE_COST": "1.25"})["options"].endswith(
        "-c random_page_cost=1.25"
    )
    for wrong in ("-1", "1,1", "1.", ".5", "1.1.1", "\u00b2", "1 -c work_mem=1GB", "ett"):
        with pytest.raises(ValueError, match="DATABASE_RANDOM_PAGE_COST"):
            postgresql_options({"DATABASE_RANDOM_PAGE_COST": wrong})


@on_postgresql
@pytest.mark.django_db
def test_the_connection_runs_without_parallel_workers_and_with_the_page_cost():
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone()[0] == "0"
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone()[0] == "1.1"


def _prepared() -> set[str]:
    """The statements this connection has prepared (earlier tests' among them)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return {row[0] for row in cursor.fetchall()}


@on_postgresql
def test_the_connection_binds_on_the_server():
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["server_side_binding"] is True
    assert options["prepare_threshold"] >= 1


@on_postgresql
def test_a_list_run_often_is_prepared_but_a_search_never_is(world):
    make_case(world.worker_a, first_name="Leyla", last_name="Provström")
    threshold = settings.DATABASES["default"]["OPTIONS"]["prepare_threshold"]
    for _ in range(threshold + 2):
        page = selectors.case_list(user=world.worker_a, filters=selectors.CaseFilters())
        assert len(page.object_list) == 1
    assert any('FROM "cases_case"' in statement for statement in _prepared())
    before = _prepared()
    for _ in range(threshold + 2):
        page = selectors.case_list(
            user=world.worker_a, filters=selectors.CaseFilters(text="Leyla Provström")
        )
        assert len(page.object_list) == 1
        page = selectors.case_list(
            user=world.worker_a, filters=selectors.CaseFilters(status="registered")
        )
        assert len(page.object_list) == 1
    assert not [s for s in _prepared() - before if "LIKE" in s or '"status" =' in s]


@on_postgresql
def test_the_audit_chain_grows_and_verifies_past_the_threshold(world):
    # The lock and the head read go to the server as two statements in one: a prepared
    # statement cannot hold two, so this failed from the threshold's run on.
    threshold = settings.DATABASES["default"]["OPTIONS"]["prepare_threshold"]
    before = verify_chain().rows
    for number in range(threshold * 3):
        audit_record(
            actor=world.worker_a, action=AuditAction.READ, object_type="case", object_id=number
        )
    result = verify_chain()
    assert result.intact
    assert result.rows == before + threshold * 3


@on_postgresql
def test_the_protection_can_be_lifted_past_the_threshold(world):
    threshold = settings.DATABASES["default"]["OPTIONS"]["prepare_threshold"]
    for _ in range(threshold * 2):
        with protection_suspended(), connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM audit_auditevent WHERE id < %s", [0])
            assert cursor.fetchone()[0] == 0
    # Afterwards the connection binds on the server again.
    assert connection.connection.cursor_factory.__name__ == "ServerBindingCursor"
