"""Reading a case's change history with Swedish labels and readable values. Callers have
the case from the access layer (its read is logged there)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motverka.accounts.models import User
from motverka.cases.vocabulary import Indicator, InterventionKind, TargetGroup
from motverka.history.models import Change
from motverka.people.models import Relation
from motverka.reference.models import Municipality

TABLE_LABELS = {
    "people_person": _("Personen"),
    "cases_case": _("Ärendet"),
    "people_householdmember": _("Hushållsmedlem"),
    "cases_casetargetgroup": _("Målgrupp"),
    "cases_caseindicator": _("Tecken på aktiv medverkan"),
    "cases_intervention": _("Insats"),
}
COLUMN_LABELS = {
    "first_name": _("förnamn"),
    "last_name": _("efternamn"),
    "phone": _("telefon"),
    "birth_date": _("födelsedatum"),
    "protected_identity": _("skyddade personuppgifter"),
    "sending_municipality_id": _("avsändande kommun"),
    "moved_on": _("flyttdatum"),
    "received_on": _("datum då ärendet kom in"),
    "indicator_note": _("anteckning om tecken"),
    "relation": _("relation"),
    "personal_identity_number": _("personnummer"),
    "code": _("kod"),
    "kind": _("typ"),
    "description": _("beskrivning"),
    "ongoing": _("pågående"),
}
_CODE_LABELS = {
    "cases_casetargetgroup": dict(TargetGroup.choices),
    "cases_caseindicator": dict(Indicator.choices),
}
_BOOLEAN_COLUMNS = {"protected_identity", "ongoing"}


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class ChangeView:
    at: datetime
    what: str
    operation: str
    fields: list[FieldChange]
    who: str
    reason: str
    via_service: bool


def _value(table: str, column: str, value: Any, municipalities: dict[int, str]) -> str:
    if value is None or value == "":
        return "–"
    if column in _BOOLEAN_COLUMNS:
        return str(_("ja") if value in (True, 1, "1", "true") else _("nej"))
    if column == "sending_municipality_id":
        return municipalities.get(int(value), str(value))
    if column == "code" and table in _CODE_LABELS:
        return str(_CODE_LABELS[table].get(value, value))
    if column == "kind":
        return str(dict(InterventionKind.choices).get(value, value))
    if column == "relation":
        return str(dict(Relation.choices).get(value, value))
    if column == "personal_identity_number" and len(str(value)) == 12:
        return f"{str(value)[:8]}-{str(value)[8:]}"
    return str(value)


OPERATION_LABELS = {"insert": _("tillagd"), "update": _("ändrad"), "delete": _("borttagen")}


def case_changes(*, case: Any) -> list[ChangeView]:
    rows = list(
        Change.objects.filter(
            Q(case_id=case.pk) | Q(case_id__isnull=True, person_id=case.person_id)
        ).order_by("-at", "-id")[:500]
    )
    actor_ids = {row.actor_id for row in rows if row.actor_id}
    names = {user.pk: user.display_name() for user in User.objects.filter(pk__in=actor_ids)}
    municipality_ids = {
        int(values["sending_municipality_id"])
        for row in rows
        for values in (row.before_values, row.after_values)
        if values.get("sending_municipality_id")
    }
    municipalities = dict(
        Municipality.objects.filter(pk__in=municipality_ids).values_list("pk", "name")
    )
    views = []
    for row in rows:
        old, new = row.before_values, row.after_values
        fields = [
            FieldChange(
                label=str(COLUMN_LABELS.get(column, column)),
                old=_value(row.table_name, column, old.get(column), municipalities),
                new=_value(row.table_name, column, new.get(column), municipalities),
            )
            for column in (new or old)
            if row.operation != "update" or old.get(column) != new.get(column)
        ]
        views.append(
            ChangeView(
                at=timezone.localtime(row.at),
                what=str(TABLE_LABELS.get(row.table_name, row.table_name)),
                operation=str(OPERATION_LABELS.get(row.operation, row.operation)),
                fields=fields,
                who=names.get(row.actor_id, str(_("okänd (direkt i databasen)")))
                if row.actor_id
                else str(_("okänd (direkt i databasen)")),
                reason=row.reason,
                via_service=row.via_service,
            )
        )
    return views
