"""README's table of demo logins is what `make run` prints (the demo_data command), and
both say which role and units each demo user really gets."""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path

from django.core.management import call_command

from motverka.accounts.models import User

README = Path(__file__).resolve().parents[2] / "README.md"


def _readme_rows() -> list[tuple[str, str, str]]:
    text = README.read_text(encoding="utf-8")
    table = text.split("| user | role | unit |", 1)[1].split("\n\n", 1)[0]
    rows = []
    for line in table.strip().splitlines()[1:]:
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        rows.append((cells[0].strip("`"), cells[1], cells[2]))
    return rows


def _printed_rows(output: str) -> list[tuple[str, str, str]]:
    lines = output.split("Demoinloggningar", 1)[1].splitlines()[1:]
    return [
        tuple(re.split(r"\s{2,}", line.strip(), maxsplit=2))  # type: ignore[misc]
        for line in lines
        if line.strip()
    ]


def test_the_readme_lists_exactly_the_logins_the_demo_prints(db):
    out = StringIO()
    call_command("demo_data", "--if-empty", "--cases", "2", stdout=out)
    printed = _printed_rows(out.getvalue())
    assert printed == _readme_rows()
    for username, role, units in printed:
        user = User.objects.get(username=username)
        assert user.get_role_display() == role
        names = sorted(user.units.values_list("name", flat=True))
        assert names == sorted(units.split(", ")) if units != "–" else names == []
