"""Backup a populated database, restore it into a new empty one and verify the restore:
row counts per table, letter hashes; a restore over existing data is refused."""

from __future__ import annotations

import json
import os
import subprocess

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from motverka.cases.models import Case
from motverka.letters.models import LetterDocument
from motverka.operations.backup import manifest_path
from tests.factories import make_case
from tests.letters.helpers import finalised
from tests.processes import MOTVERKA, database_url, subprocess_env

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def empty_database(tmp_path):
    """The URL of a new, empty database of the same kind; dropped afterwards."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    params = connection.settings_dict
    name = f"{params['NAME']}_restore"
    admin = psycopg.connect(
        host=params.get("HOST") or "127.0.0.1",
        port=params.get("PORT") or 5432,
        user=params.get("USER") or "postgres",
        dbname="postgres",
        autocommit=True,
    )
    admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield database_url().rsplit("/", 1)[0] + f"/{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def _motverka(*args: str, database_url: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own program
        [MOTVERKA, *args],
        env=subprocess_env(DATABASE_URL=database_url),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_backup_restore_into_an_empty_database_and_verify(world, tmp_path, empty_database):
    case = make_case(world.worker_a)
    make_case(world.worker_a)
    letter = finalised(world.worker_a, case, "objection_letter")
    dump = tmp_path / "motverka.backup"

    call_command("backup", str(dump))
    manifest = json.loads(manifest_path(dump).read_text())
    assert manifest["tables"]["cases_case"] == 2
    assert manifest["tables"]["letters_letterdocument"] == 1

    # Never over existing data: the populated test database refuses, and stays as it was.
    with pytest.raises(CommandError, match="Databasen är inte tom"):
        call_command("restore", str(dump))
    assert Case.objects.count() == 2

    restored = _motverka("restore", str(dump), database_url=empty_database)
    assert restored.returncode == 0, restored.stderr
    verified = _motverka("verify-restore", str(dump), database_url=empty_database)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "brevdokument kontrollerade: 1; fel: 0" in verified.stdout
    assert "stämmer med säkerhetskopian" in verified.stdout
    assert "Loggens kedja är hel" in verified.stdout

    # The restored database has the letter byte for byte.
    document = LetterDocument.objects.get(letter=letter)
    reread = _motverka(
        "shell",
        "-c",
        "from motverka.letters.models import LetterDocument as D; import hashlib; "
        f"print(hashlib.sha256(bytes(D.objects.get(pk={document.pk}).pdf)).hexdigest())",
        database_url=empty_database,
    )
    assert reread.stdout.strip().splitlines()[-1] == document.sha256

    # A second restore into the now populated database is refused.
    again = _motverka("restore", str(dump), database_url=empty_database)
    assert again.returncode != 0
    assert "Databasen är inte tom" in again.stderr

    # Verification notices a restore that does not match the backup.
    tampered = json.loads(manifest_path(dump).read_text())
    tampered["tables"]["cases_case"] = 3
    manifest_path(dump).write_text(json.dumps(tampered))
    mismatch = _motverka("verify-restore", str(dump), database_url=empty_database)
    assert mismatch.returncode != 0
    assert "cases_case: 2 rader, säkerhetskopian har 3" in mismatch.stderr


def test_restore_refuses_a_missing_backup(tmp_path, empty_database):
    result = _motverka("restore", str(tmp_path / "saknas.backup"), database_url=empty_database)
    assert result.returncode != 0
    assert "finns inte" in result.stderr
    assert os.path.exists(tmp_path)
