"""`motverka verify-restore PATH`: prove a restore complete against the backup's manifest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from motverka.operations.backup import verify_restore


class Command(BaseCommand):
    help = (
        "Jämför den återlästa databasen med säkerhetskopians manifest (rader per tabell), "
        "kontrollerar varje färdigställt brevs SHA-256 och granskningsloggens kedja."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="Säkerhetskopian (manifestet ligger bredvid).")

    def handle(self, *args: Any, **options: Any) -> None:
        result = verify_restore(options["path"])
        for problem in result.problems:
            self.stderr.write(problem)
        self.stdout.write(
            f"Tabeller kontrollerade: {result.tables_checked}; "
            f"brevdokument kontrollerade: {result.letters_checked}; fel: {len(result.problems)}."
        )
        call_command("audit", "verify", stdout=self.stdout, stderr=self.stderr)
        if not result.ok:
            raise CommandError("Återläsningen stämmer inte med säkerhetskopian.")
        self.stdout.write("Återläsningen stämmer med säkerhetskopian.")
