"""Identity numbers stay out of URLs and logs; unexpected errors are JSON, not pages."""

from __future__ import annotations

import logging

import pytest

from motverka.cases import selectors
from tests.factories import identity_number, make_case

CASES = "/api/v1/cases"


@pytest.fixture
def all_logs(caplog):
    caplog.set_level(logging.DEBUG)
    return caplog


def _logged(caplog) -> str:
    return "\n".join(f"{record.getMessage()} {record.exc_text or ''}" for record in caplog.records)


def test_identity_numbers_sent_to_the_api_never_reach_the_log(world, api_as, all_logs):
    number = identity_number()
    client = api_as(world.worker_a)
    make_case(world.worker_a, personal_identity_number=number)
    client.post(f"{CASES}/search", {"identity_number": number})
    client.post(f"{CASES}/search", {"identity_number": number[:-1] + "9"})
    client.post(CASES, {"person": {"personal_identity_number": number}})
    logged = _logged(all_logs)
    assert number not in logged


def test_an_unexpected_error_is_a_json_500_and_the_log_is_redacted(
    world, api_as, monkeypatch, caplog
):
    number = "19121212-1212"

    def broken(**kwargs):
        raise RuntimeError(f"something failed for {number}")

    monkeypatch.setattr(selectors, "case_list", broken)
    response = api_as(world.worker_a).get(CASES)
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert "oväntat fel" in response.json()["detail"]
    assert number not in response.content.decode()
    errors = [record for record in caplog.records if record.name == "motverka.api"]
    assert errors and "RuntimeError" in errors[0].getMessage()
    assert number not in _logged(caplog)
