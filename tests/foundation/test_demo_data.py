"""The demo data command: fictitious data, only into an empty database."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from motverka.accounts.models import Role, User
from motverka.cases.models import Case
from motverka.workflow.policy import CaseStatus


def test_demo_data_fills_an_empty_database_and_prints_the_logins(db, monkeypatch):
    monkeypatch.setenv("MOTVERKA_DEMO_PASSWORD", "hemligt-demo")
    out = StringIO()
    call_command("demo_data", "--if-empty", "--cases", "10", stdout=out)
    assert "handlaggare1" in out.getvalue() and "från MOTVERKA_DEMO_PASSWORD" in out.getvalue()
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    first, second = (User.objects.get(username=name) for name in ("handlaggare1", "handlaggare2"))
    assert not set(first.units.all()) & set(second.units.all())
    assert first.check_password("hemligt-demo")
    # The ten asked for, and three closed cases of years ago due for disposal (docs/archive.md).
    assert Case.objects.count() == 13
    assert {CaseStatus.REGISTERED, CaseStatus.CLOSED} <= set(
        Case.objects.values_list("status", flat=True)
    )

    again = StringIO()
    call_command("demo_data", "--if-empty", stdout=again)
    assert "inga demodata laddas" in again.getvalue() and "handlaggare1" in again.getvalue()
    assert Case.objects.count() == 13


def test_demo_data_refuses_a_database_with_users(world):
    with pytest.raises(CommandError):
        call_command("demo_data", stdout=StringIO())
    assert not Case.objects.exists()
