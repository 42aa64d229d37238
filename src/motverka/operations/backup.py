"""Backup, restore and verification of a restore, on PostgreSQL and SQLite.

A backup is two files: the dump (PostgreSQL: ``pg_dump --format=custom``; SQLite: a copy
made with SQLite's online backup API, safe while the application writes) and beside it
``<dump>.manifest.json`` with the row count of every table as of the dump. On PostgreSQL the
counts are taken in the very snapshot ``pg_dump`` dumps (an exported snapshot), so they
match the dump exactly even while users keep writing.

A restore goes only into an empty database. Verification compares the restored row counts
with the manifest, recomputes every finalised letter's SHA-256 from its stored bytes, and
checks the audit chain where the installation has one (``motverka audit verify``).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

MANIFEST_SUFFIX = ".manifest.json"


class RestoreRefused(Exception):
    """The target database is not empty, or the backup is not usable."""


@dataclass
class Verification:
    tables_checked: int = 0
    letters_checked: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def manifest_path(dump: Path) -> Path:
    return dump.with_name(dump.name + MANIFEST_SUFFIX)


def _tables() -> list[str]:
    with connection.cursor() as cursor:
        return sorted(connection.introspection.table_names(cursor))


def _row_counts(cursor: Any, tables: list[str]) -> dict[str, int]:
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
        counts[table] = cursor.fetchone()[0]
    return counts


def _pg_env() -> dict[str, str]:
    params = connection.settings_dict
    env = dict(os.environ)
    env.update(
        PGHOST=str(params.get("HOST") or "127.0.0.1"),
        PGPORT=str(params.get("PORT") or 5432),
        PGUSER=str(params.get("USER") or "postgres"),
        PGDATABASE=str(params["NAME"]),
    )
    if params.get("PASSWORD"):
        env["PGPASSWORD"] = str(params["PASSWORD"])
    return env


def _pg_tool(name: str) -> str:
    tool = shutil.which(name)
    if tool is None:
        raise RestoreRefused(f"{name} saknas på datorn (installera PostgreSQL-klientverktygen).")
    return tool


def backup_create(dump: Path) -> dict[str, Any]:
    """Write the dump and its manifest; returns the manifest."""
    dump = dump.resolve()
    dump.parent.mkdir(parents=True, exist_ok=True)
    tables = _tables()
    if connection.vendor == "postgresql":
        # Count in the snapshot pg_dump dumps: held open until pg_dump has taken it.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts = _row_counts(cursor, tables)
            subprocess.run(  # noqa: S603 - fixed arguments
                [
                    _pg_tool("pg_dump"),
                    "--format=custom",
                    f"--snapshot={snapshot}",
                    f"--file={dump}",
                ],
                env=_pg_env(),
                check=True,
                capture_output=True,
            )
    elif connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(dump)
        try:
            connection.connection.backup(target)
            counts = _row_counts(target.cursor(), tables)
        finally:
            target.close()
    else:
        raise RestoreRefused(f"Säkerhetskopiering stöds inte för {connection.vendor}.")
    manifest = {
        "created_at": timezone.now().isoformat(),
        "vendor": connection.vendor,
        "tables": counts,
    }
    manifest_path(dump).write_text(json.dumps(manifest, indent=2, sort_keys=True))
    return manifest


def _database_is_empty() -> bool:
    return not _tables()


def restore(dump: Path) -> None:
    """Restore ``dump`` into the configured database, which must be empty (no tables)."""
    dump = dump.resolve()
    if not dump.is_file():
        raise RestoreRefused(f"Säkerhetskopian {dump} finns inte.")
    if not _database_is_empty():
        raise RestoreRefused(
            "Databasen är inte tom. Återläsning görs bara till en tom databas, så att ingenting "
            "skrivs över; skapa en ny databas och peka DATABASE_URL på den."
        )
    if connection.vendor == "postgresql":
        result = subprocess.run(  # noqa: S603 - fixed arguments
            [
                _pg_tool("pg_restore"),
                "--exit-on-error",
                "--no-owner",
                "--single-transaction",
                f"--dbname={connection.settings_dict['NAME']}",
                str(dump),
            ],
            env=_pg_env(),
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise RestoreRefused(f"pg_restore misslyckades: {result.stderr.strip()[:500]}")
    elif connection.vendor == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(f"file:{dump}?mode=ro", uri=True)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    else:
        raise RestoreRefused(f"Återläsning stöds inte för {connection.vendor}.")
    connection.close()


def verify_restore(dump: Path) -> Verification:
    """Compare the database with the manifest of ``dump`` and check the letters' hashes."""
    from motverka.letters.models import LetterDocument

    result = Verification()
    path = manifest_path(dump.resolve())
    if not path.is_file():
        result.problems.append(f"Manifestet {path} saknas.")
        return result
    expected: dict[str, int] = json.loads(path.read_text())["tables"]
    with connection.cursor() as cursor:
        actual = _row_counts(cursor, [table for table in expected if table in _tables()])
    for table, count in sorted(expected.items()):
        result.tables_checked += 1
        if table not in actual:
            result.problems.append(f"Tabellen {table} saknas.")
        elif actual[table] != count:
            result.problems.append(f"{table}: {actual[table]} rader, säkerhetskopian har {count}.")
    for extra in sorted(set(_tables()) - set(expected)):
        result.problems.append(f"Tabellen {extra} finns inte i säkerhetskopian.")
    for pk, pdf, sha256 in LetterDocument.objects.values_list("pk", "pdf", "sha256").iterator():
        result.letters_checked += 1
        if hashlib.sha256(bytes(pdf)).hexdigest() != sha256:
            result.problems.append(f"Brevdokument {pk}: innehållet stämmer inte med SHA-256.")
    return result
