"""What the change history tracks, and the database triggers that record it.

Every change of intake data — the person's names and contact details, the case's dates,
sending municipality, target groups, indicators, interventions and household — is written
to ``history_change`` by a trigger in the database itself, on PostgreSQL and on SQLite
alike. A service that corrects data first opens a change context (who, which case, why);
a change made any other way (a bulk ``QuerySet.update``, the admin, a shell, raw SQL) is
still recorded, with no actor and marked as made outside the services. Nothing can change
tracked data without leaving a row (decision 0010).

Inserts are recorded only inside a change context: registering a case is not a change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True)
class Tracked:
    table: str
    columns: tuple[str, ...]
    #: SQL expression (over the row alias ``R``) for the case the row belongs to, or None
    #: when the case comes from the change context.
    case_column: str | None
    person_column: str | None
    record_inserts: bool


TRACKED: Final[tuple[Tracked, ...]] = (
    Tracked(
        "people_person",
        ("first_name", "last_name", "phone", "birth_date", "protected_identity"),
        case_column=None,
        person_column="id",
        record_inserts=False,
    ),
    Tracked(
        "cases_case",
        ("sending_municipality_id", "moved_on", "received_on", "indicator_note"),
        case_column="id",
        person_column="person_id",
        record_inserts=False,
    ),
    Tracked(
        "people_householdmember",
        ("relation", "first_name", "last_name", "birth_date", "personal_identity_number"),
        case_column="case_id",
        person_column=None,
        record_inserts=True,
    ),
    Tracked("cases_casetargetgroup", ("code",), "case_id", None, record_inserts=True),
    Tracked("cases_caseindicator", ("code",), "case_id", None, record_inserts=True),
    Tracked(
        "cases_intervention",
        ("kind", "description", "ongoing"),
        case_column="case_id",
        person_column=None,
        record_inserts=True,
    ),
)

_CONTEXT = "(SELECT {column} FROM history_changecontext ORDER BY id DESC LIMIT 1)"
_OUTSIDE = "'Ändrat utanför Motverkas tjänster'"


def _ctx(column: str) -> str:
    return _CONTEXT.format(column=column)


def _json(vendor: str, row: str, columns: tuple[str, ...]) -> str:
    function = "json_object" if vendor == "sqlite" else "jsonb_build_object"
    pairs = ", ".join(f"'{column}', {row}.{column}" for column in columns)
    expression = f"{function}({pairs})"
    return expression if vendor == "sqlite" else f"({expression})::text"


def _changed(vendor: str, columns: tuple[str, ...]) -> str:
    operator = "IS NOT" if vendor == "sqlite" else "IS DISTINCT FROM"
    return " OR ".join(f"OLD.{column} {operator} NEW.{column}" for column in columns)


def _insert_change(vendor: str, spec: Tracked, operation: str) -> str:
    row = "OLD" if operation == "delete" else "NEW"
    before = "NULL" if operation == "insert" else _json(vendor, "OLD", spec.columns)
    after = "NULL" if operation == "delete" else _json(vendor, "NEW", spec.columns)
    case = f"{row}.{spec.case_column}" if spec.case_column else _ctx("case_id")
    person = f"{row}.{spec.person_column}" if spec.person_column else "NULL"
    now = "strftime('%Y-%m-%d %H:%M:%f', 'now')" if vendor == "sqlite" else "now()"
    in_context = "EXISTS (SELECT 1 FROM history_changecontext)"
    return (
        "INSERT INTO history_change (at, table_name, object_id, case_id, person_id, "  # noqa: S608 - built from the constant TRACKED table only
        "operation, old_values, new_values, actor_id, reason, via_service) VALUES ("
        f"{now}, '{spec.table}', {row}.id, {case}, {person}, '{operation}', {before}, "
        f"{after}, {_ctx('actor_id')}, COALESCE({_ctx('reason')}, {_OUTSIDE}), {in_context})"
    )


def _operations(spec: Tracked) -> tuple[str, ...]:
    return ("insert", "update", "delete") if spec.record_inserts else ("update",)


def sqlite_statements() -> list[str]:
    statements = []
    for spec in TRACKED:
        for operation in _operations(spec):
            name = f"history_{spec.table}_{operation}"
            if operation == "update":
                when = f"WHEN {_changed('sqlite', spec.columns)}"
            elif operation == "insert":
                when = "WHEN EXISTS (SELECT 1 FROM history_changecontext)"
            else:
                when = ""
            statements.append(
                f"CREATE TRIGGER {name} AFTER {operation.upper()} ON {spec.table} "
                f"FOR EACH ROW {when} BEGIN {_insert_change('sqlite', spec, operation)}; END"
            )
    return statements


def sqlite_drop_statements() -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS history_{spec.table}_{operation}"
        for spec in TRACKED
        for operation in _operations(spec)
    ]


def postgresql_statements() -> list[str]:
    statements = []
    for spec in TRACKED:
        for operation in _operations(spec):
            name = f"history_{spec.table}_{operation}"
            if operation == "update":
                when = f"WHEN ({_changed('postgresql', spec.columns)})"
            else:
                when = ""
            guard = ""
            if operation == "insert":
                guard = (
                    "IF NOT EXISTS (SELECT 1 FROM history_changecontext) THEN RETURN NULL; END IF; "
                )
            statements.append(
                f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$ BEGIN {guard}"
                f"{_insert_change('postgresql', spec, operation)}; RETURN NULL; END; "
                "$$ LANGUAGE plpgsql"
            )
            statements.append(f"DROP TRIGGER IF EXISTS {name} ON {spec.table}")
            statements.append(
                f"CREATE TRIGGER {name} AFTER {operation.upper()} ON {spec.table} "
                f"FOR EACH ROW {when} EXECUTE FUNCTION {name}()"
            )
    return statements


def postgresql_drop_statements() -> list[str]:
    statements = []
    for spec in TRACKED:
        for operation in _operations(spec):
            name = f"history_{spec.table}_{operation}"
            statements.append(f"DROP TRIGGER IF EXISTS {name} ON {spec.table}")
            statements.append(f"DROP FUNCTION IF EXISTS {name}()")
    return statements
