"""Reading the municipality directory from a CSV file: pure parsing and checking.

One row per municipality: ``kommunkod``, the social services' name, their postal address and
the registrar's e-mail. The header names the columns (Swedish or English spellings, any
order, see :data:`COLUMNS`); the separator may be a comma or a semicolon (as spreadsheet
programs write it in Sweden). A postal address may span lines inside quotes, or use " | "
between lines. An empty cell leaves the directory's value as it is.

Nothing here touches the database: :func:`parse_directory` returns the rows and the Swedish
problems with their line numbers, and the caller writes nothing while any problem remains.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

#: Field -> the header spellings accepted for it (compared case-insensitively).
COLUMNS: Mapping[str, tuple[str, ...]] = {
    "code": ("kommunkod", "kod", "code"),
    "social_services_name": (
        "socialtjänstens namn",
        "socialtjanstens namn",
        "socialtjänst",
        "socialtjanst",
        "namn",
        "social_services_name",
    ),
    "social_services_address": (
        "postadress",
        "adress",
        "socialtjänstens postadress",
        "social_services_address",
    ),
    "registrator_email": (
        "registratorns e-post",
        "registrator e-post",
        "e-post",
        "epost",
        "registrator",
        "registrator_email",
    ),
}
REQUIRED_COLUMNS = ("code",)
MAX_LENGTHS: Mapping[str, int] = {"social_services_name": 200, "registrator_email": 254}
_CODE = re.compile(r"\d{4}")


@dataclass(frozen=True)
class DirectoryRow:
    line: int
    code: str
    #: Only the fields with a value; an empty cell is not listed and changes nothing.
    values: Mapping[str, str]


@dataclass
class ParsedDirectory:
    rows: list[DirectoryRow] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _header_map(header: Iterable[str]) -> tuple[dict[int, str], list[str]]:
    by_spelling = {spelling: name for name, spellings in COLUMNS.items() for spelling in spellings}
    mapping: dict[int, str] = {}
    problems: list[str] = []
    for index, raw in enumerate(header):
        name = by_spelling.get(raw.strip().lstrip("\ufeff").casefold())
        if name is None:
            if raw.strip():
                problems.append(_("Okänd kolumn ”%(column)s” i rubrikraden.") % {"column": raw})
            continue
        if name in mapping.values():
            problems.append(_("Kolumnen ”%(column)s” förekommer två gånger.") % {"column": raw})
            continue
        mapping[index] = name
    for name in REQUIRED_COLUMNS:
        if name not in mapping.values():
            problems.append(_("Rubrikraden saknar kolumnen ”kommunkod”."))
    return mapping, problems


def _dialect(text: str) -> type[csv.Dialect] | csv.Dialect:
    first = text.split("\n", 1)[0]
    return csv.excel if first.count(",") >= first.count(";") else _Semicolon


class _Semicolon(csv.excel):
    delimiter = ";"


def parse_directory(text: str, known_codes: Iterable[str]) -> ParsedDirectory:
    """Parse the CSV ``text``; ``known_codes`` are the kommunkoder in the directory."""
    known = set(known_codes)
    result = ParsedDirectory()
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        result.problems.append(_("Filen är tom."))
        return result
    reader = csv.reader(io.StringIO(text), dialect=_dialect(text))
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        result.problems.append(_("Filen kunde inte läsas som CSV."))
        return result
    mapping, problems = _header_map(header)
    result.problems.extend(problems)
    if problems:
        return result
    seen: dict[str, int] = {}
    previous_end = reader.line_num
    try:
        for cells in reader:
            # The line the row starts on (a quoted address may continue over several lines).
            line, previous_end = previous_end + 1, reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            row = {
                name: (cells[index] if index < len(cells) else "")
                for index, name in mapping.items()
            }
            result.problems.extend(_row_problems(line, row, known, seen))
            values = {
                name: _clean(name, value)
                for name, value in row.items()
                if name != "code" and value.strip()
            }
            result.rows.append(DirectoryRow(line=line, code=row["code"].strip(), values=values))
    except csv.Error as error:
        result.problems.append(
            _("Rad %(line)d kunde inte läsas: %(error)s")
            % {"line": reader.line_num, "error": error}
        )
    if not result.rows and not result.problems:
        result.problems.append(_("Filen innehåller inga kommuner."))
    return result


def _clean(name: str, value: str) -> str:
    value = value.strip()
    if name == "social_services_address":
        lines = [part.strip() for chunk in value.split("\n") for part in chunk.split(" | ")]
        return "\n".join(part for part in lines if part)
    return value


def _row_problems(
    line: int, row: Mapping[str, str], known: set[str], seen: dict[str, int]
) -> list[str]:
    problems: list[str] = []
    code = row["code"].strip()
    where = {"line": line, "code": code}
    if not _CODE.fullmatch(code):
        problems.append(
            _("Rad %(line)d: kommunkoden ”%(code)s” ska vara fyra siffror, till exempel 1430.")
            % where
        )
    elif code not in known:
        problems.append(
            _("Rad %(line)d: kommunkoden %(code)s finns inte i kommunregistret.") % where
        )
    elif code in seen:
        problems.append(
            _("Rad %(line)d: kommunkoden %(code)s står redan på rad %(first)d.")
            % {**where, "first": seen[code]}
        )
    else:
        seen[code] = line
    email = row.get("registrator_email", "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            problems.append(
                _("Rad %(line)d: ”%(email)s” är ingen giltig e-postadress.")
                % {"line": line, "email": email}
            )
    for name, limit in MAX_LENGTHS.items():
        if len(row.get(name, "").strip()) > limit:
            problems.append(
                _("Rad %(line)d: ett värde är längre än %(max)d tecken.")
                % {"line": line, "max": limit}
            )
    return problems
