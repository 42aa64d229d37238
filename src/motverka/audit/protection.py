"""What the database itself refuses to change: the audit log and the records that are
final once made (decision 0008).

- ``audit.AuditEvent`` and ``audit.AuditEventSubject``: no UPDATE, DELETE or TRUNCATE —
  except one narrow UPDATE at disposal (decision 0021): while an ``audit.ErasurePermit``
  with the new ``pseudonym`` exists in the same transaction, a row not yet pseudonymised may
  have its personal references (``object_id``, ``case_id``, ``person_id``, ``detail``)
  cleared, its salt erased and the pseudonym set; every other column must stay as it was.
- ``cases.JournalEntry``: no UPDATE or DELETE once ``signed_at`` is set (signing itself is
  the UPDATE from unsigned to signed and passes; drafts stay editable).
- ``letters.Letter``: once finalised, no DELETE and no UPDATE except recording that it
  was sent (``SENT_COLUMNS``, once, and never back to draft).
- ``letters.LetterDocument`` (the finalised PDF/A) and ``workflow.StepRecord`` (a step
  carried out): no UPDATE or DELETE.
- ``archive.DisposalRecord`` (what was disposed of, kept for good): no UPDATE, DELETE or
  TRUNCATE.

The signed journal, finalised letters and their documents, and step records may likewise be
deleted only while an ``ErasurePermit`` names their case (disposal of the whole case).

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

from motverka.config.database import client_side_binding

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


def _case_permitted(model: type[Model], vendor: str) -> str:
    return "EXISTS (SELECT 1 FROM audit_erasurepermit WHERE case_id = OLD.case_id)"


def _letter_case_permitted(model: type[Model], vendor: str) -> str:
    return (
        "EXISTS (SELECT 1 FROM audit_erasurepermit JOIN letters_letter "
        "ON letters_letter.case_id = audit_erasurepermit.case_id "
        "WHERE letters_letter.id = OLD.letter_id)"
    )


#: Columns of an audit row that pseudonymisation clears; every other column is frozen.
PERSONAL_REFERENCE_COLUMNS = (
    "object_id",
    "case_id",
    "person_id",
    "detail",
    "reference_salt",
    "pseudonym",
)


def _pseudonymisation(model: type[Model], vendor: str) -> str:
    """The only UPDATE an audit row or subject allows: references cleared, salt erased,
    a pseudonym set that a permit of this transaction names; nothing else changed."""
    distinct = "IS DISTINCT FROM" if vendor == "postgresql" else "IS NOT"
    frozen = [
        field.column
        for field in model._meta.concrete_fields
        if field.column not in PERSONAL_REFERENCE_COLUMNS
    ]
    unchanged = " AND ".join(f'NOT (OLD."{column}" {distinct} NEW."{column}")' for column in frozen)
    cleared = (
        "OLD.pseudonym = '' AND NEW.reference_salt = '' AND NEW.object_id = '' "
        "AND NEW.case_id IS NULL AND NEW.person_id IS NULL"
    )
    if any(field.column == "detail" for field in model._meta.concrete_fields):
        cleared += " AND NEW.detail = ''"
    permitted = "EXISTS (SELECT 1 FROM audit_erasurepermit WHERE pseudonym = NEW.pseudonym)"
    return f"{permitted} AND {cleared} AND {unchanged}"


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
    #: SQL under which an otherwise refused UPDATE / DELETE is let through.
    update_permit: Condition | None = None
    delete_permit: Condition | None = None


RULES = (
    Rule(
        "audit.AuditEvent",
        "audit_event",
        _always,
        _always,
        True,
        "Logghändelser kan inte ändras eller tas bort.",
        update_permit=_pseudonymisation,
    ),
    Rule(
        "audit.AuditEventSubject",
        "audit_subject",
        _always,
        _always,
        True,
        "Logghändelser kan inte ändras eller tas bort.",
        update_permit=_pseudonymisation,
    ),
    Rule(
        "cases.JournalEntry",
        "journal_signed",
        _signed,
        _signed,
        False,
        "En signerad journalanteckning kan inte ändras eller tas bort.",
        delete_permit=_case_permitted,
    ),
    Rule(
        "letters.Letter",
        "letter_final",
        _finalised_letter_changed,
        _finalised,
        False,
        "En slutförd skrivelse kan inte ändras eller tas bort.",
        delete_permit=_case_permitted,
    ),
    Rule(
        "letters.LetterDocument",
        "letter_document",
        _always,
        _always,
        False,
        "En slutförd handling kan inte ändras eller tas bort.",
        delete_permit=_letter_case_permitted,
    ),
    Rule(
        "archive.DisposalRecord",
        "disposal_record",
        _always,
        _always,
        True,
        "Ett gallringsbeslut kan inte ändras eller tas bort.",
    ),
    Rule(
        "workflow.StepRecord",
        "step_record",
        _always,
        _always,
        False,
        "Ett genomfört steg kan inte ändras eller tas bort.",
        delete_permit=_case_permitted,
    ),
)


def _operations(rule: Rule) -> Iterator[tuple[str, Condition, Condition | None]]:
    if rule.update is not None:
        yield "update", rule.update, rule.update_permit
    if rule.delete is not None:
        yield "delete", rule.delete, rule.delete_permit


def _refusal(
    condition: Condition, permit: Condition | None, model: type[Model], vendor: str
) -> str:
    """SQL that holds when the operation is refused ("" = always)."""
    sql = condition(model, vendor)
    if permit is None:
        return sql
    allowed = f"NOT ({permit(model, vendor)})"
    return f"({sql}) AND {allowed}" if sql else allowed


# --- PostgreSQL: django-pgtrigger --------------------------------------------------------


def _pg_triggers(rule: Rule, model: type[Model]) -> list[pgtrigger.Trigger]:
    message = rule.message.replace("'", "''")
    raise_sql = f"RAISE EXCEPTION '{message}' USING ERRCODE = 'restrict_violation';"
    operations = {"update": pgtrigger.Update, "delete": pgtrigger.Delete}
    triggers: list[pgtrigger.Trigger] = []
    for operation, condition, permit in _operations(rule):
        sql = _refusal(condition, permit, model, "postgresql")
        if permit is None:
            triggers.append(
                pgtrigger.Trigger(
                    name=f"{rule.name}_no_{operation}",
                    when=pgtrigger.Before,
                    operation=operations[operation],
                    condition=pgtrigger.Condition(sql) if sql else None,
                    func=raise_sql,
                )
            )
            continue
        # A trigger's WHEN cannot hold a subquery on PostgreSQL: the permit is checked in
        # the function body.
        row = "NEW" if operation == "update" else "OLD"
        triggers.append(
            pgtrigger.Trigger(
                name=f"{rule.name}_no_{operation}",
                when=pgtrigger.Before,
                operation=operations[operation],
                func=f"IF {sql} THEN {raise_sql} END IF; RETURN {row};",
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
        for operation, condition, permit in _operations(rule):
            name = f"motverka_{rule.name}_no_{operation}"
            sql = _refusal(condition, permit, model, "sqlite")
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
        # pgtrigger puts its setting in front of each statement: two statements in one,
        # which only the client-side binding cursor can send.
        with (
            client_side_binding(connection),
            pgtrigger.ignore(*pg_trigger_uris(), databases=[using]),
        ):
            yield
    elif connection.vendor == "sqlite":
        uninstall_sqlite_triggers(using)
        try:
            yield
        finally:
            install_sqlite_triggers(using)
    else:
        yield
