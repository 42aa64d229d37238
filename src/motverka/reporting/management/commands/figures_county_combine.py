"""``motverka figures_county_combine FILE... --out DIR``: the county's combined tables."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from motverka.reporting.county import (
    CountyFileError,
    combine,
    county_report_pdf,
    county_report_text,
    county_tables_csv,
    read_county_file,
)


class Command(BaseCommand):
    help = (
        "Läser flera kommuners länsrapporter (JSON eller CSV) och skriver länets tabeller "
        "(CSV) och rapport (PDF/A och text)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument("--out", type=Path, required=True, help="katalog för resultatet")

    def handle(self, *args: Any, files: list[Path], out: Path, **options: Any) -> None:
        try:
            tables = combine(read_county_file(path) for path in files)
        except (OSError, ValueError, KeyError) as error:
            raise CommandError(str(error)) from error
        except CountyFileError as error:  # pragma: no cover - a ValueError, kept for clarity
            raise CommandError(str(error)) from error
        out.mkdir(parents=True, exist_ok=True)
        (out / f"lan-{tables.year}-tabeller.csv").write_text(
            county_tables_csv(tables), encoding="utf-8"
        )
        (out / f"lan-{tables.year}-rapport.txt").write_text(
            county_report_text(tables), encoding="utf-8"
        )
        (out / f"lan-{tables.year}-rapport.pdf").write_bytes(county_report_pdf(tables))
        self.stdout.write(
            f"{len(tables.municipalities)} kommuner, {len(tables.cells)} celler → {out}"
        )
