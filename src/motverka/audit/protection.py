"""What the database itself refuses to change: the audit log and the records that are
final once made (decision 0008).

- ``audit.AuditEvent`` and ``audit.AuditEventSubject``: no UPDATE, DELETE or TRUNCATE.
- ``cases.JournalEntry``: no UPDATE or DELETE once ``signed_at`` is set (signing itself is
  the UPDATE from unsigned to signed and passes; drafts stay editable).
- ``letters.Letter``: once finalised, no DELETE and no UPDATE except recording that it
  was sent (``SENT_COLUMNS``, once, and never back to draft).
- ``letters.LetterDocument`` (the finalised PDF/A) and ``workflow.StepRecord`` (a step
  carried out): no UPDATE or DELETE.

On PostgreSQL the rules are django-pgtrigger triggers; on SQLite, triggers that
``RAISE(ABORT, …)``. Both are compiled from the current models and (re)installed after
every ``migrate`` (``PGTRIGGER_INSTALL_ON_MIGRATE`` and :func:`install_sqlite_triggers`),
so a column another app adds to ``Letter`` is frozen without anyone listing it here.

:func:`protection_suspended` lifts the rules for one block of code on one connection. Only
the test harness's flush between transactional tests uses it (tests/conftest.py): PostgreSQL
flushes with TRUNCATE and SQLite with DELETE, both of which the rules refuse.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pgtrigger
from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model

# Letter columns that may change once, on a finalised letter, when it is marked sent; the
# version moves on with that save like with any other (decision 0017).
SENT_COLUMNS = (
    "status",
    "sent_on",
    "sent_channel",
    "sent_at",
    "sent_by_id",
    "updated_at",
    "version",
)

Condition = Callable[[type[Model], str], str]  # (model, vendor) -> SQL over OLD/NEW


def _always(model: type[Model], vendor: str) -> str:
    return ""


def _signed(model: type[Model], vendor: str) -> str:
    return "OLD.signed_at IS NOT NULL"


def _finalised(model: type[Model], vendor: str) -> str:
    return "OLD.status <> 'draft'"


def _finalised_letter_changed(model: type[Model], vendor: str) -> str:
    distinct = "IS DISTINCT FROM" if vendor == "postgresql" else "IS NOT"
    frozen = [
        field.column for field in model._meta.concrete_fields if field.column not in SENT_COLUMNS
    ]
    changed = " OR ".join(f'OLD."{column}" {distinct} NEW."{column}"' for column in frozen)
    return f"OLD.status <> 'draft' AND (OLD.status = 'sent' OR NEW.status = 'draft' OR {changed})"


@dataclass(frozen=True)
class Rule:
    model: str  # "app_label.ModelName"
    name: str  # short, unique per model; becomes part of the trigger names
    update: Condition | None  # refuse UPDATE when this holds ("" = always); None: allow
    delete: Condition | None
    truncate: bool
    message: str


RULES = (
    Rule(
        "audit.AuditEvent",
        "audit_event",
        _always,
        _always,
        True,
        "Logghändelser kan inte ändras eller tas bort.",
    ),
    Rule(
        "audit.AuditEventSubject",
        "audit_subject",
        _always,
        _always,
        True,
        "Logghändelser kan inte ändras eller tas bort.",
    ),
    Rule(
        "cases.JournalEntry",
        "journal_signed",
        _signed,
        _signed,
        False,
        "En signerad journalanteckning kan inte ändras eller tas bort.",
    ),
    Rule(
        "letters.Letter",
        "letter_final",
        _finalised_letter_changed,
        _finalised,
        False,
        "En slutförd skrivelse kan inte ändras eller tas bort.",
    ),
    Rule(
        "letters.LetterDocument",
        "letter_document",
        _always,
        _always,
        False,
        "En slutförd handling kan inte ändras eller tas bort.",
    ),
    Rule(
        "workflow.StepRecord",
        "step_record",
        _always,
        _always,
        False,
        "Ett genomfört steg kan inte ändras eller tas bort.",
    ),
)


def _operations(rule: Rule) -> Iterator[tuple[str, Condition]]:
    if rule.update is not None:
        yield "update", rule.update
    if rule.delete is not None:
        yield "delete", rule.delete


# --- PostgreSQL: django-pgtrigger --------------------------------------------------------


def _pg_triggers(rule: Rule, model: type[Model]) -> list[pgtrigger.Trigger]:
    message = rule.message.replace("'", "''")
    raise_sql = f"RAISE EXCEPTION '{message}' USING ERRCODE = 'restrict_violation';"
    operations = {"update": pgtrigger.Update, "delete": pgtrigger.Delete}
    triggers: list[pgtrigger.Trigger] = []
    for operation, condition in _operations(rule):
        sql = condition(model, "postgresql")
        triggers.append(
            pgtrigger.Trigger(
                name=f"{rule.name}_no_{operation}",
                when=pgtrigger.Before,
                operation=operations[operation],
                condition=pgtrigger.Condition(sql) if sql else None,
                func=raise_sql,
            )
        )
    if rule.truncate:
        triggers.append(
            pgtrigger.Trigger(
                name=f"{rule.name}_no_truncate",
                level=pgtrigger.Statement,
                when=pgtrigger.Before,
                operation=pgtrigger.Truncate,
                func=raise_sql,
            )
        )
    return triggers


def register_pg_triggers() -> None:
    """Called once from AuditConfig.ready(); pgtrigger installs them after migrate."""
    for rule in RULES:
        model = apps.get_model(rule.model)
        pgtrigger.register(*_pg_triggers(rule, model))(model)


def pg_trigger_uris() -> list[str]:
    return [
        f"{rule.model}:{trigger.name}"
        for rule in RULES
        for trigger in _pg_triggers(rule, apps.get_model(rule.model))
    ]


# --- SQLite -------------------------------------------------------------------------------


def sqlite_trigger_statements() -> list[tuple[str, str]]:
    """(trigger name, CREATE TRIGGER statement) for every rule and operation. SQLite has no
    TRUNCATE; its DELETE without WHERE fires the row triggers."""
    statements = []
    for rule in RULES:
        model = apps.get_model(rule.model)
        table = model._meta.db_table
        message = rule.message.replace("'", "''")
        for operation, condition in _operations(rule):
            name = f"motverka_{rule.name}_no_{operation}"
            sql = condition(model, "sqlite")
            when = f" WHEN {sql}" if sql else ""
            statements.append(
                (
                    name,
                    f'CREATE TRIGGER "{name}" BEFORE {operation.upper()} ON "{table}" '
                    f"FOR EACH ROW{when} BEGIN SELECT RAISE(ABORT, '{message}'); END",
                )
            )
    return statements


def install_sqlite_triggers(using: str = DEFAULT_DB_ALIAS) -> None:
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for name, create in sqlite_trigger_statements():
            cursor.execute(f'DROP TRIGGER IF EXISTS "{name}"')
            table = create.split(" ON ", 1)[1].split('"')[1]
            if table in existing:
                cursor.execute(create)


def uninstall_sqlite_triggers(using: str = DEFAULT_DB_ALIAS) -> None:
    connection = connections[using]
    with connection.cursor() as cursor:
        for name, _create in sqlite_trigger_statements():
            cursor.execute(f'DROP TRIGGER IF EXISTS "{name}"')


def install_after_migrate(using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    install_sqlite_triggers(using)


@contextmanager
def protection_suspended(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Lifts every rule above for this connection while the block runs. For the test
    harness's flush only: on PostgreSQL pgtrigger's session-local ignore (other connections
    stay protected); on SQLite the triggers are dropped and put back afterwards."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        with pgtrigger.ignore(*pg_trigger_uris(), databases=[using]):
            yield
    elif connection.vendor == "sqlite":
        uninstall_sqlite_triggers(using)
        try:
            yield
        finally:
            install_sqlite_triggers(using)
    else:
        yield
