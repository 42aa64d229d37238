"""``motverka api-token USERNAME [--name NAME]``: issue an API token and print it once.

Also ``--list`` (the user's tokens, without secrets) and ``--revoke PREFIX``.
"""

from __future__ import annotations

import getpass
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from motverka.api.models import ApiToken
from motverka.api.services import api_token_create, api_token_revoke


class Command(BaseCommand):
    help = "Skapar en API-nyckel för en användare och skriver ut den en gång."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="Användarnamn")
        parser.add_argument("--name", default="", help="Vad nyckeln används till")
        parser.add_argument(
            "--list", action="store_true", help="Visa användarens nycklar (utan hemligheter)"
        )
        parser.add_argument("--revoke", metavar="PREFIX", help="Återkalla nyckeln med prefixet")

    def handle(self, *args: Any, **options: Any) -> None:
        # Nobody is signed in on the command line: the audit row says who ran it instead.
        note = f"kommandorad, systemanvändare {getpass.getuser()}"
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"Det finns ingen användare med namnet {options['username']!r}.")
        if options["list"]:
            for row in ApiToken.objects.filter(user=user):
                state = f"återkallad {row.revoked_at:%Y-%m-%d}" if row.revoked_at else "aktiv"
                used = f"{row.last_used_at:%Y-%m-%d %H:%M}" if row.last_used_at else "aldrig"
                self.stdout.write(f"{row.prefix}  {row.name}  {state}  senast använd: {used}")
            return
        if options["revoke"]:
            revoked = ApiToken.objects.filter(user=user, prefix=options["revoke"]).first()
            if revoked is None:
                raise CommandError("Användaren har ingen nyckel med det prefixet.")
            api_token_revoke(acting_user=None, token=revoked, note=note)
            self.stdout.write(f"Nyckeln {revoked.prefix} är återkallad.")
            return
        try:
            row, secret_token = api_token_create(
                acting_user=None, user=user, name=options["name"], note=note
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stderr.write(
            f"API-nyckel {row.prefix} ({row.name}) skapad för {user.username}. "
            "Den visas bara nu; spara den på ett säkert ställe."
        )
        self.stdout.write(secret_token)
