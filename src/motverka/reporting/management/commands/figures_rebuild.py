"""``motverka figures_rebuild``: rebuild every summary row from the base tables."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from motverka.reporting.services import case_figures_rebuild


class Command(BaseCommand):
    help = (
        "Bygger om statistikens sammanfattningsrader från ärendena "
        "(efter import eller återläsning)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{case_figures_rebuild()} ärenden")
