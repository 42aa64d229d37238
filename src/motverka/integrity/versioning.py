"""Optimistic concurrency: a version number on every editable record (decision 0017).

A model that inherits :class:`Versioned` gets an integer ``version``, 1 when created (0
stands for "not recorded yet", e.g. a case without a dwelling). Every
save of an existing row — through a service, the admin or anything else that calls
``save()`` — runs one conditional statement::

    UPDATE … SET …, version = version + 1 WHERE id = %s AND version = %s

with the version the instance was read with. If another transaction saved the row in
between, no row matches and :class:`~motverka.cases.errors.VersionConflict` is raised:
the transaction rolls back and nothing is overwritten. The check and the write are one
statement, so two concurrent saves of one version have exactly one winner on any database.

Services that edit such a record take ``expected_version`` (the version the user's form or
the API's ``If-Match`` carried) and call :func:`require_version` on the row they read, so a
stale edit is refused before anything else is done, and the conditional update then
guards the gap between that read and the write.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from motverka.cases.errors import VersionConflict


class Versioned(models.Model):
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    #: The record type named in ETags and conflict answers (``"letter"``, ``"housing"`` …).
    version_label = "record"

    class Meta:
        abstract = True

    @property
    def version_id(self) -> Any:
        """The id the record is named by in ETags and conflicts (its own pk by default)."""
        return self.pk

    def _do_update(
        self,
        base_qs: Any,
        using: Any,
        pk_val: Any,
        values: Any,
        update_fields: Any,
        forced_update: Any,
    ) -> bool:
        read_version = self.version
        field = self._meta.get_field("version")
        values = [item for item in values if item[0] is not field]
        values.append((field, None, F("version") + 1))
        updated = super()._do_update(  # type: ignore[misc]
            base_qs.filter(version=read_version),
            using,
            pk_val,
            values,
            update_fields,
            forced_update,
        )
        if not updated:
            current = base_qs.filter(pk=pk_val).values_list("version", flat=True).first()
            if current is not None:
                raise VersionConflict(
                    record_type=self.version_label,
                    record_id=self.version_id,
                    expected_version=read_version,
                    current_version=current,
                )
            return False
        self.version = read_version + 1
        return True


def require_version(
    record: Versioned | None,
    expected_version: int | None,
    *,
    record_type: str = "record",
    record_id: Any = None,
) -> None:
    """Refuse when the caller's version is not the stored one (``None``: not checked).

    ``record`` None means nothing is recorded yet, which is version 0."""
    if expected_version is None:
        return
    current = record.version if record is not None else 0
    if current != expected_version:
        raise VersionConflict(
            record_type=record.version_label if record is not None else record_type,
            record_id=record.version_id if record is not None else record_id,
            expected_version=expected_version,
            current_version=current,
        )


def etag(record_type: str, record_id: Any, version: int) -> str:
    """The strong entity tag of one version of a record: ``"letter-12-v3"``."""
    return f'"{record_type}-{record_id}-v{version}"'
