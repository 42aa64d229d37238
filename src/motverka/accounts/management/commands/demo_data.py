"""Creates a clearly fictitious demo data set. Refuses a database that already has users
unless --force is given, so production never gets demo data by accident."""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from motverka.accounts.models import User
from motverka.demo import DEMO_USERS, create_demo_data, demo_logins


class Command(BaseCommand):
    help = "Skapar fiktiva demodata: enheter, användare i alla roller och cirka 40 ärenden."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--if-empty", action="store_true", help="Gör ingenting om det finns användare."
        )
        parser.add_argument(
            "--cases",
            type=int,
            default=None,
            help=(
                "Antal ärenden. Under 30: det vanliga demot med så många ärenden, genom "
                "tjänsterna; från 30: en historik i bulk (till exempel 100000)."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from motverka.demo_volume import MODEL_CASES

        cases = options["cases"]
        if cases is not None and cases < 1:
            raise CommandError("Ange ett positivt antal ärenden med --cases.")
        if cases is not None and cases >= MODEL_CASES:
            self._volume(cases)
            return
        if User.objects.exists():
            if options["if_empty"]:
                self.stdout.write("Databasen har redan användare; inga demodata laddas.")
                demo_names = [username for username, *_ in DEMO_USERS]
                if User.objects.filter(username__in=demo_names).exists():
                    self._print_logins(os.environ.get("MOTVERKA_DEMO_PASSWORD", "demo"))
                return
            raise CommandError(
                "Databasen har redan användare. Demodata laddas bara i en tom databas."
            )
        password = os.environ.get("MOTVERKA_DEMO_PASSWORD", "demo")
        summary = (
            create_demo_data(password=password)
            if cases is None
            else create_demo_data(password=password, case_count=cases)
        )
        self.stdout.write(self.style.SUCCESS(f"Demodata skapade: {summary}"))
        self._print_logins(password)

    def _volume(self, count: int) -> None:
        from motverka.demo_volume import create_case_volume, foreign_data

        found = foreign_data()
        if found:
            raise CommandError(
                f"Databasen innehåller annat än demodata ({found}). Demodata i volym byggs bara "
                "i en tom databas eller en databas med enbart demodata."
            )
        password = os.environ.get("MOTVERKA_DEMO_PASSWORD", "demo")
        summary = create_case_volume(password=password, case_count=count, out=self.stdout.write)
        self.stdout.write(self.style.SUCCESS(f"Demodata skapade: {summary}"))
        self._print_logins(password)

    def _print_logins(self, password: str) -> None:
        self.stdout.write(
            "Demoinloggningar (lösenord: %s):"
            % ("demo" if password == "demo" else "från MOTVERKA_DEMO_PASSWORD")  # noqa: S105
        )
        for username, role, units in demo_logins():
            self.stdout.write(f"  {username:<14} {role:<18} {units}")
