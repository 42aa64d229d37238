"""`motverka backup PATH`: a consistent backup of the database and its manifest."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motverka.operations.backup import RestoreRefused, backup_create, manifest_path


class Command(BaseCommand):
    help = "Säkerhetskopierar databasen till PATH och skriver ett manifest bredvid."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        try:
            manifest = backup_create(path)
        except RestoreRefused as error:
            raise CommandError(str(error)) from error
        except subprocess.CalledProcessError as error:
            raise CommandError(f"pg_dump misslyckades: {error.stderr!r:.500}") from error
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            f"Säkerhetskopia: {path} ({len(manifest['tables'])} tabeller, {rows} rader); "
            f"manifest: {manifest_path(path)}"
        )
