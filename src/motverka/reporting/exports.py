"""Exports of the published figures: CSV and XLSX tables, the committee's annual report as
PDF/A, and the county board's file (JSON and CSV, schema in docs/figures.md).

Everything here starts from :func:`motverka.reporting.selectors.period_figures`, so an
export never holds a value the page would hide.
"""

from __future__ import annotations

import base64
import csv
import io
import json
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from motverka.letters.rendering import pdf_from_html
from motverka.reference.models import Municipality
from motverka.reporting import charts
from motverka.reporting.periods import Period, year_period
from motverka.reporting.selectors import (
    Cell,
    PeriodFigures,
    Table,
    TableRow,
    figure_years,
    period_figures,
    years_trend,
)
from motverka.reporting.suppression import SUPPRESSION_THRESHOLD

COUNTY_SCHEMA = "motverka-lansrapport"
COUNTY_SCHEMA_VERSION = 1
ANNUAL_REPORT_TITLE = "Aktiv medverkan till bosättning i annan kommun – årsrapport {year}"


def durations_table(result: PeriodFigures) -> Table:
    return Table(
        "durations",
        _("Handläggningstider (dagar)"),
        [_("Antal ärenden"), _("Median"), _("90:e percentilen")],
        [
            TableRow(label, [n, Cell(None, median), Cell(None, p90)])
            for label, n, median, p90 in result.durations
        ],
    )


def money_table(result: PeriodFigures) -> Table:
    return Table(
        "costs",
        _("Kostnader"),
        [_("Antal ärenden"), _("Summa")],
        [TableRow(label, [n, Cell(None, total)]) for label, n, total in result.money],
    )


def table_csv(table: Table, period: Period) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([table.title, period.label])
    writer.writerow(["", *table.columns])
    for row in table.rows:
        writer.writerow([row.label, *(cell.shown for cell in row.cells)])
    writer.writerow([])
    writer.writerow(
        [
            _(
                "Antal under %(n)s visas som <%(n)s; fler celler döljs så att de inte kan "
                "räknas fram."
            )
            % {"n": SUPPRESSION_THRESHOLD}
        ]
    )
    return out.getvalue()


def tables_xlsx(tables: list[Table], period: Period) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for table in tables:
        sheet = book.create_sheet(table.slug[:31])
        sheet.append([table.title, period.label])
        sheet.append(["", *table.columns])
        for row in table.rows:
            sheet.append(
                [
                    row.label,
                    *(cell.value if cell.value is not None else cell.shown for cell in row.cells),
                ]
            )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _svg_data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def _own_municipality() -> Municipality | None:
    return (
        Municipality.objects.filter(code=settings.MOTVERKA_MUNICIPALITY)
        .select_related("county")
        .first()
    )


#: Reports a step of a long export: (percent done, what is being done, in Swedish).
Progress = Callable[[int, str], None]


def _no_progress(percent: int, step: str) -> None:
    return None


def annual_report_pdf(year: int, progress: Progress = _no_progress) -> bytes:
    """The committee's annual report as PDF/A-2b: charts, every table and the method."""
    progress(10, _("Räknar årets tabeller"))
    result = period_figures(year_period(year))
    progress(35, _("Räknar utvecklingen över åren"))
    years = [y for y in figure_years() if y <= year][-5:] or [year]
    trend = years_trend(years)
    municipality = _own_municipality()
    progress(50, _("Ritar diagrammen"))
    years_chart = _svg_data_uri(charts.years_chart(trend))
    municipalities_chart = _svg_data_uri(charts.municipalities_chart(result.table("municipality")))
    html = render_to_string(
        "reporting/annual_report.html",
        {
            "title": ANNUAL_REPORT_TITLE.format(year=year),
            "year": year,
            "municipality": municipality,
            "figures": result,
            "durations": durations_table(result),
            "money": money_table(result),
            "trend": trend,
            "years_chart": years_chart,
            "municipalities_chart": municipalities_chart,
            "threshold": SUPPRESSION_THRESHOLD,
            "generated": timezone.localdate(),
        },
    )
    progress(65, _("Skapar PDF/A-filen"))
    return pdf_from_html(html)


# --- The county board's file --------------------------------------------------------------------


def _cell_json(cell: Cell) -> dict[str, Any]:
    return {"value": cell.value, "suppressed": cell.value is None}


def county_report(year: int) -> dict[str, Any]:
    """The year's published figures as the county board's file (schema version 1)."""
    result = period_figures(year_period(year))
    municipality = _own_municipality()
    cells: list[dict[str, Any]] = []
    for table in result.tables:
        for row in table.rows:
            for column, cell in zip(table.columns, row.cells, strict=True):
                cells.append(
                    {
                        "table": table.slug,
                        "row": "total" if row.key is None else str(row.key),
                        "row_label": row.label,
                        "column": column,
                        **_cell_json(cell),
                    }
                )
    return {
        "schema": COUNTY_SCHEMA,
        "version": COUNTY_SCHEMA_VERSION,
        "year": year,
        "municipality": {
            "code": settings.MOTVERKA_MUNICIPALITY,
            "name": municipality.name if municipality else "",
        },
        "county": {
            "code": municipality.county.code if municipality else "",
            "name": municipality.county.name if municipality else "",
        },
        "generated_on": timezone.localdate().isoformat(),
        "suppression_threshold": SUPPRESSION_THRESHOLD,
        "cases": _cell_json(result.total),
        "durations": [
            {"measure": label, "cases": _cell_json(n), "median_days": median, "p90_days": p90}
            for label, n, median, p90 in result.durations
        ],
        "costs": [
            {"measure": label, "cases": _cell_json(n), "total": total}
            for label, n, total in result.money
        ],
        "cells": cells,
    }


def county_report_json(report: dict[str, Any]) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2)


COUNTY_CSV_COLUMNS = [
    "schema_version",
    "year",
    "municipality_code",
    "table",
    "row",
    "row_label",
    "column",
    "value",
    "suppressed",
]


def county_report_csv(report: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COUNTY_CSV_COLUMNS)
    for cell in report["cells"]:
        writer.writerow(
            [
                report["version"],
                report["year"],
                report["municipality"]["code"],
                cell["table"],
                cell["row"],
                cell["row_label"],
                cell["column"],
                "" if cell["value"] is None else cell["value"],
                "1" if cell["suppressed"] else "0",
            ]
        )
    return out.getvalue()
