"""Combining several municipalities' county files (schema ``motverka-lansrapport`` v1) into
the county's tables (pure apart from reading the files).

A combined cell is the sum of the values the municipalities published. Where some
municipality hid the cell, the combined value is a lower bound ("minst") and says how many
hid it; nothing is estimated, so the county's tables reveal nothing the files did not.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from motverka.reporting.exports import COUNTY_SCHEMA, COUNTY_SCHEMA_VERSION


class CountyFileError(ValueError):
    """A file that is not a county file of a version this code reads."""


@dataclass
class MunicipalityFile:
    code: str
    name: str
    year: int
    cells: list[dict[str, Any]]
    cases: int | None = None


def read_county_file(path: Path) -> MunicipalityFile:
    text = path.read_text(encoding="utf-8")
    if path.suffix.lower() == ".json":
        data = json.loads(text)
        if data.get("schema") != COUNTY_SCHEMA or data.get("version") != COUNTY_SCHEMA_VERSION:
            raise CountyFileError(
                f"{path.name}: inte en länsrapport version {COUNTY_SCHEMA_VERSION}"
            )
        return MunicipalityFile(
            code=data["municipality"]["code"],
            name=data["municipality"]["name"],
            year=int(data["year"]),
            cells=data["cells"],
            cases=data["cases"]["value"],
        )
    reader = csv.DictReader(io.StringIO(text))
    rows = list(reader)
    if not rows or reader.fieldnames is None or "schema_version" not in reader.fieldnames:
        raise CountyFileError(f"{path.name}: saknar kolumnen schema_version")
    if {row["schema_version"] for row in rows} != {str(COUNTY_SCHEMA_VERSION)}:
        raise CountyFileError(f"{path.name}: inte en länsrapport version {COUNTY_SCHEMA_VERSION}")
    cells = [
        {
            "table": row["table"],
            "row": row["row"],
            "row_label": row["row_label"],
            "column": row["column"],
            "value": int(row["value"]) if row["value"] else None,
            "suppressed": row["suppressed"] == "1",
        }
        for row in rows
    ]
    status_total = [c for c in cells if c["table"] == "status" and c["row"] == "total"]
    total = int(status_total[0]["value"]) if status_total and status_total[0]["value"] else None
    return MunicipalityFile(
        code=rows[0]["municipality_code"],
        name="",
        year=int(rows[0]["year"]),
        cells=cells,
        cases=total,
    )


@dataclass
class CombinedCell:
    table: str
    row: str
    row_label: str
    column: str
    known_sum: int = 0
    hidden_in: list[str] = field(default_factory=list)

    @property
    def shown(self) -> str:
        return f"minst {self.known_sum}" if self.hidden_in else str(self.known_sum)


@dataclass
class CountyTables:
    year: int
    municipalities: list[MunicipalityFile]
    cells: list[CombinedCell]


def combine(files: Iterable[MunicipalityFile]) -> CountyTables:
    files = list(files)
    years = {f.year for f in files}
    if len(years) != 1:
        raise CountyFileError("filerna gäller olika år: " + ", ".join(map(str, sorted(years))))
    if len({f.code for f in files}) != len(files):
        raise CountyFileError("samma kommun finns i flera filer")
    combined: dict[tuple[str, str, str], CombinedCell] = {}
    for municipality in files:
        for cell in municipality.cells:
            key = (cell["table"], cell["row"], cell["column"])
            target = combined.setdefault(
                key, CombinedCell(cell["table"], cell["row"], cell["row_label"], cell["column"])
            )
            if cell["suppressed"]:
                target.hidden_in.append(municipality.code)
            else:
                target.known_sum += int(cell["value"] or 0)
    return CountyTables(year=years.pop(), municipalities=files, cells=list(combined.values()))


def county_tables_csv(tables: CountyTables) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["year", "table", "row", "row_label", "column", "known_sum", "hidden_in"])
    for cell in tables.cells:
        writer.writerow(
            [
                tables.year,
                cell.table,
                cell.row,
                cell.row_label,
                cell.column,
                cell.known_sum,
                " ".join(cell.hidden_in),
            ]
        )
    return out.getvalue()


def county_report_text(tables: CountyTables) -> str:
    """A short plain-text report: cases per reporting municipality, then the main tables."""
    lines = [
        f"Aktiv medverkan till bosättning i annan kommun – länets sammanställning {tables.year}",
        "",
    ]
    lines.append("Ärenden per rapporterande kommun:")
    for municipality in sorted(tables.municipalities, key=lambda m: m.code):
        shown = "<5" if municipality.cases is None else str(municipality.cases)
        lines.append(f"  {municipality.code} {municipality.name}: {shown}")
    for table in ("status", "municipality", "outcome", "transfer", "ivo"):
        lines.append("")
        lines.append(f"Tabell {table}:")
        for cell in tables.cells:
            if cell.table == table:
                lines.append(f"  {cell.row_label} ({cell.column}): {cell.shown}")
    lines.append("")
    lines.append(
        "”minst N”: summan av de värden kommunerna redovisat; kommuner som dolt ett litet antal "
        "räknas inte in."
    )
    return "\n".join(lines) + "\n"


COUNTY_REPORT_TITLE = (
    "Aktiv medverkan till bosättning i annan kommun – länets sammanställning {year}"
)


@dataclass
class CountyTable:
    slug: str
    title: str
    columns: list[str]
    rows: list[tuple[str, list[CombinedCell | None]]]


def county_report_tables(tables: CountyTables) -> list[CountyTable]:
    """The combined cells as tables: rows and columns in the order the files list them,
    titled as the municipalities' own figures title them."""
    from motverka.reporting.selectors import table_specs

    titles = {spec.slug: str(spec.title) for spec in table_specs([], [])}
    grouped: dict[str, dict[str, Any]] = {}
    for cell in tables.cells:
        table = grouped.setdefault(cell.table, {"columns": {}, "rows": {}})
        table["columns"].setdefault(cell.column, None)
        row = table["rows"].setdefault(cell.row, {"label": cell.row_label, "cells": {}})
        row["cells"][cell.column] = cell
    return [
        CountyTable(
            slug=slug,
            title=titles.get(slug, slug),
            columns=list(table["columns"]),
            rows=[
                (row["label"], [row["cells"].get(column) for column in table["columns"]])
                for row in table["rows"].values()
            ],
        )
        for slug, table in grouped.items()
    ]


def county_report_pdf(tables: CountyTables) -> bytes:
    """The county's combined report as PDF/A: the reporting municipalities, every combined
    table, and how "minst" is to be read."""
    from django.template.loader import render_to_string
    from django.utils import timezone

    from motverka.letters.rendering import pdf_from_html

    html = render_to_string(
        "reporting/county_report.html",
        {
            "title": COUNTY_REPORT_TITLE.format(year=tables.year),
            "year": tables.year,
            "municipalities": sorted(tables.municipalities, key=lambda m: m.code),
            "tables": county_report_tables(tables),
            "generated": timezone.localdate(),
        },
    )
    return pdf_from_html(html)
