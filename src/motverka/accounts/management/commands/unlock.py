"""``motverka unlock [--username NAME] [--address IP]``: lift a login lockout now."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from motverka.accounts.lockout import lockout_clear


class Command(BaseCommand):
    help = "Häver en inloggningsspärr för ett användarnamn och/eller en klientadress."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", default="", help="Användarnamnet som är spärrat")
        parser.add_argument("--address", default="", help="Klientadressen som är spärrad")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            removed = lockout_clear(
                acting_user=None, username=options["username"], address=options["address"]
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(f"Spärren är hävd ({removed} misslyckade försök borttagna).")
