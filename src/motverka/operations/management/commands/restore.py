"""`motverka restore PATH`: restore a backup into an empty database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motverka.operations.backup import RestoreRefused, restore


class Command(BaseCommand):
    help = "Läser tillbaka en säkerhetskopia till en tom databas (aldrig över befintliga data)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            restore(options["path"])
        except RestoreRefused as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            "Återläst. Kör nu `motverka verify-restore PATH` för att kontrollera resultatet."
        )
