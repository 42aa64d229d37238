"""`motverka deadlines`: the daily reminder run (from cron), and recomputing after a rules
change (`motverka deadlines --recompute`). The run queues the reminders; a worker
(`motverka db_worker`) sends them, or `--deliver` sends them from this process after the
sweep (an installation without a worker)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from motverka.workflow.reminders import reminders_deliver
from motverka.workflow.services import deadlines_recompute, deadlines_sweep


class Command(BaseCommand):
    help = "Skickar påminnelser om bevakningar som förfaller eller är försenade."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--today", help="Kör som om det vore detta datum (ÅÅÅÅ-MM-DD); för test."
        )
        parser.add_argument(
            "--lead-days",
            type=int,
            default=None,
            help="Antal dagar före förfallodagen (standard: MOTVERKA_DEADLINE_LEAD_DAYS).",
        )
        parser.add_argument(
            "--recompute",
            action="store_true",
            help="Räkna om förfallodagen för alla öppna bevakningar efter ändrade regler.",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=2_000,
            help="Antal bevakningar per transaktion (standard: 2000).",
        )
        parser.add_argument(
            "--deliver",
            action="store_true",
            help="Skicka köade påminnelser direkt från denna process efter körningen.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["recompute"]:
            moved = deadlines_recompute()
            self.stdout.write(f"Omräknade bevakningar: {moved}")
        try:
            today = date.fromisoformat(options["today"]) if options["today"] else None
        except ValueError as error:
            raise CommandError("--today måste vara ett datum ÅÅÅÅ-MM-DD.") from error
        lead_days = options["lead_days"]
        if lead_days is None:
            lead_days = settings.MOTVERKA_DEADLINE_LEAD_DAYS
        if lead_days < 0:
            raise CommandError("--lead-days kan inte vara negativt.")
        if options["batch_size"] < 1:
            raise CommandError("--batch-size måste vara minst 1.")
        result = deadlines_sweep(
            today=today or timezone.localdate(),
            lead_days=lead_days,
            batch_size=options["batch_size"],
        )
        self.stdout.write(
            f"Påminnelser: {result.due_reminders} snart förfallna, "
            f"{result.overdue_reminders} försenade köade för utskick; "
            f"{result.skipped_without_recipient} utan mottagare (e-postadress saknas)."
        )
        if options["deliver"]:
            delivered = reminders_deliver()
            self.stdout.write(
                f"Skickade: {delivered.sent}; misslyckade (försöks igen senare): "
                f"{delivered.failed}."
            )
