"""`motverka archive`: a demo database from "cases due" to a package and a record."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from motverka.archive.models import DisposalList, DisposalRecord
from motverka.demo import create_demo_data

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("archive", *args, stdout=out)
    return out.getvalue()


def test_the_command_takes_the_demo_from_cases_due_to_a_package_and_records(settings, tmp_path):
    settings.MOTVERKA_ARCHIVE_PACKAGE_DIR = str(tmp_path)
    create_demo_data(password="demo-password-1", case_count=2)
    due = run("due")
    assert "3 ärenden aktuella för gallring." in due
    assert "Bevaras för forskning" in due and "Gallras fem år" in due

    with pytest.raises(CommandError, match="behörighet"):
        run("propose", "--user", "enhetschef")
    assert "3 ärenden" in run("propose", "--user", "arkiv")
    list_id = str(DisposalList.objects.get().pk)
    with pytest.raises(CommandError, match="granskas"):
        run("approve", list_id, "--user", "enhetschef")
    run("review", list_id, "--user", "arkiv")
    assert "godkänd" in run("approve", list_id, "--user", "enhetschef")
    done = run("run", list_id)
    assert "3 ärenden gallrade." in done

    assert DisposalRecord.objects.count() == 3
    (delivered,) = DisposalRecord.objects.exclude(package_name="")
    assert (Path(tmp_path) / delivered.package_name).exists()
    records = run("records")
    assert "godkänd av Eva Enhetschef" in records and "granskad av Arvid Arkivarie" in records
    assert "0 ärenden aktuella" in run("due")

    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    assert "Loggens kedja är hel" in out.getvalue() and "pseudonymiserade vid gallring" in (
        out.getvalue()
    )
