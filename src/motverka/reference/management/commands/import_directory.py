"""`motverka import_directory FILE.csv`: the social services' names, postal addresses and
registrar e-mails of the municipality directory, from a CSV file (see reference.directory).
`--dry-run` checks the file and counts without writing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from motverka.reference.services import municipality_directory_import


class Command(BaseCommand):
    help = "Läser in socialtjänstens namn, postadress och registratorns e-post per kommun (CSV)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file", help="CSV-fil med kolumnerna kommunkod, namn, postadress, e-post"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Kontrollera filen utan att spara något."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Filen {path} kunde inte läsas som UTF-8: {error}") from error
        try:
            result = municipality_directory_import(
                acting_user=None, text=text, dry_run=options["dry_run"]
            )
        except ValidationError as error:
            raise CommandError("\n".join(error.message_dict.get("file", error.messages))) from None
        prefix = "Kontroll utan att spara: " if result.dry_run else ""
        self.stdout.write(
            f"{prefix}{result.updated} kommuner ändrade, {result.unchanged} oförändrade; "
            f"{result.without_address} kommuner saknar fortfarande adress till socialtjänsten."
        )
