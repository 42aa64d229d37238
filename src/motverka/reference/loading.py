"""Loads the SCB list of municipalities shipped with the package."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

DATA_FILE = Path(__file__).resolve().parent / "data" / "kommuner.csv"


def read_municipalities() -> list[dict[str, str]]:
    with DATA_FILE.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_municipalities(county_model: Any, municipality_model: Any) -> None:
    """Create or update counties and municipalities; keeps admin-edited contact fields."""
    rows = read_municipalities()
    counties = {}
    for row in rows:
        if row["lanskod"] not in counties:
            counties[row["lanskod"]], _ = county_model.objects.update_or_create(
                code=row["lanskod"], defaults={"name": row["lan"]}
            )
    for row in rows:
        municipality_model.objects.update_or_create(
            code=row["kommunkod"],
            defaults={"name": row["kommun"], "county": counties[row["lanskod"]]},
        )
