"""``motverka mfa-reset USERNAME``: remove a user's second factors (a lost phone).

For the administrator who has lost their own phone; others use the action in the
administration. The user enrols anew at the next login.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motverka.accounts.mfa import mfa_reset
from motverka.accounts.models import User


class Command(BaseCommand):
    help = "Återställer en användares tvåfaktorsinloggning; ny registrering vid inloggning."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="Användarnamn")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"Det finns ingen användare med namnet {options['username']!r}.")
        mfa_reset(acting_user=None, user=user)
        self.stdout.write(f"Tvåfaktorsinloggningen för {user.username} är återställd.")
