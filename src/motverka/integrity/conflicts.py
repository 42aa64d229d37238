"""The UI's side of optimistic concurrency (decision 0017).

Every edit form carries the version it was filled in from (``{% record_version obj %}``, a
hidden ``version`` field). The view hands it to the service as ``expected_version``; when
the record was saved by someone else in between, the service refuses with VersionConflict,
nothing is written, and :func:`conflict_page` answers 409 with both versions side by side:
what the user typed and what is stored now, for the fields of the form (which are the
fields the user may see).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from motverka.cases.errors import VersionConflict

VERSION_FIELD = "version"


def posted_version(request: HttpRequest, field: str = VERSION_FIELD) -> int | None:
    """The version the form was filled in from; None when the form did not carry one."""
    raw = request.POST.get(field, "").strip()
    if not raw.isascii() or not raw.isdigit() or len(raw) > 9:
        return None
    return int(raw)


@dataclass(frozen=True)
class ConflictRow:
    label: str
    yours: str
    stored: str

    @property
    def differs(self) -> bool:
        return self.yours != self.stored


def _choice_labels(field: forms.Field) -> dict[str, str]:
    labels: dict[str, str] = {}
    for value, label in getattr(field, "choices", ()) or ():
        if isinstance(label, (list, tuple)):  # grouped choices
            labels.update({str(v): str(text) for v, text in label})
        else:
            labels[str(value)] = str(label)
    return labels


def _shown(field: forms.Field, value: Any) -> str:
    if value is None or value == "" or value == [] or value == ():
        return "–"
    if isinstance(value, bool):
        return _("Ja") if value else _("Nej")
    labels = _choice_labels(field)
    if isinstance(value, (list, tuple, set)):
        return ", ".join(labels.get(str(item), str(item)) for item in value) or "–"
    if hasattr(value, "pk") and labels:
        value = value.pk
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return labels.get(str(value), str(value))


def conflict_rows(form: forms.BaseForm, stored: Mapping[str, Any]) -> list[ConflictRow]:
    """One row per field of ``form`` that ``stored`` has, in the form's order."""
    typed = form.cleaned_data if hasattr(form, "cleaned_data") else {}
    rows = []
    for name, field in form.fields.items():
        if name not in stored or isinstance(field.widget, forms.HiddenInput):
            continue
        rows.append(
            ConflictRow(
                label=str(field.label or name),
                yours=_shown(field, typed.get(name, form.data.get(name))),
                stored=_shown(field, stored[name]),
            )
        )
    return rows


def conflict_page(
    request: HttpRequest,
    conflict: VersionConflict,
    *,
    form: forms.BaseForm,
    stored: Mapping[str, Any],
    title: str,
    back_url: str,
) -> HttpResponse:
    """409: the stale save was refused; both versions side by side, nothing overwritten."""
    return render(
        request,
        "conflict.html",
        {
            "title": title,
            "conflict": conflict,
            "rows": conflict_rows(form, stored),
            "back_url": back_url,
        },
        status=409,
    )
