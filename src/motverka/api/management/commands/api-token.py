"""``motverka api-token USERNAME [--name NAME] [--days N] [--read-only]``: issue an API
token and print it once.

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
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Giltighetstid i dagar (standard MOTVERKA_API_TOKEN_DAYS, 90)",
        )
        parser.add_argument("--read-only", action="store_true", help="Nyckeln får bara hämta (GET)")

    def handle(self, *args: Any, **options: Any) -> None:
        # Nobody is signed in on the command line: the audit row says who ran it instead.
        note = f"kommandorad, systemanvändare {getpass.getuser()}"
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"Det finns ingen användare med namnet {options['username']!r}.")
        if options["list"]:
            for row in ApiToken.objects.filter(user=user):
                state = f"återkallad {row.revoked_at:%Y-%m-%d}" if row.revoked_at else "aktiv"
                if not row.revoked_at and row.is_expired:
                    state = f"utgången {row.expires_at:%Y-%m-%d}"
                used = (
                    f"{row.last_used_at:%Y-%m-%d %H:%M} från {row.last_used_address or '–'}"
                    if row.last_used_at
                    else "aldrig"
                )
                scope = "endast läsning" if row.read_only else "läsa och skriva"
                self.stdout.write(
                    f"{row.prefix}  {row.name}  {state}  {scope}  "
                    f"giltig till {row.expires_at:%Y-%m-%d}  senast använd: {used}"
                )
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
                acting_user=None,
                user=user,
                name=options["name"],
                note=note,
                valid_days=options["days"],
                read_only=options["read_only"],
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stderr.write(
            f"API-nyckel {row.prefix} ({row.name}) skapad för {user.username}, "
            f"giltig till {row.expires_at:%Y-%m-%d}"
            f"{', endast läsning' if row.read_only else ''}. "
            "Den visas bara nu; spara den på ett säkert ställe."
        )
        self.stdout.write(secret_token)
