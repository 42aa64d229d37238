"""Case-insensitive text matching that treats Swedish letters like any other.

``Folded(column)`` is ``UPPER(column)`` on PostgreSQL (whose UTF-8 ctype upper-cases å, ä
and ö) and, on SQLite, a function registered on every connection that applies Python's
``str.upper`` (SQLite's own UPPER and LIKE fold ASCII only). The search text is folded with
:func:`fold` in Python, so ``Folded(column) LIKE '%' || fold(word) || '%'`` is the same
match on both databases. On PostgreSQL trigram GIN indexes on ``UPPER(column)`` serve it
(migration ``cases.0002``).
"""

from __future__ import annotations

from typing import Any

from django.db.backends.signals import connection_created
from django.db.models import CharField, Func

SQLITE_FUNCTION = "MOTVERKA_UPPER"


def fold(text: str) -> str:
    return text.upper()


def _sqlite_upper(value: object) -> object:
    return value.upper() if isinstance(value, str) else value


class Folded(Func):
    function = "UPPER"
    output_field = CharField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return super().as_sql(compiler, connection, function=SQLITE_FUNCTION, **extra)


def register_sqlite_function(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQLITE_FUNCTION, 1, _sqlite_upper, deterministic=True)


connection_created.connect(register_sqlite_function, dispatch_uid="motverka_sqlite_upper")
