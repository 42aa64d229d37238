"""``motverka log_review_reminders``: remind unit managers whose unit has no signed review of
last month's log. Safe to run daily: each unit is reminded once per month."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from motverka.review.services import review_reminders_send


class Command(BaseCommand):
    help = "Påminn enhetschefer om månadens loggranskning."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = review_reminders_send()
        self.stdout.write(f"{sent} påminnelser om loggranskning skickade.")
