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
        parser.add_argument("--cases", type=int, default=40)

    def handle(self, *args: Any, **options: Any) -> None:
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
        summary = create_demo_data(password=password, case_count=options["cases"])
        self.stdout.write(self.style.SUCCESS(f"Demodata skapade: {summary}"))
        self._print_logins(password)

    def _print_logins(self, password: str) -> None:
        self.stdout.write(
            "Demoinloggningar (lösenord: %s):"
            % ("demo" if password == "demo" else "från MOTVERKA_DEMO_PASSWORD")  # noqa: S105
        )
        for username, role, units in demo_logins():
            self.stdout.write(f"  {username:<14} {role:<18} {units}")
