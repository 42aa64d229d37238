"""The contact deadline runs from registration: give registered cases that have none one.

Until now it started at the confirmation. A case still waiting for its assessment gets the
deadline counted from the day it was registered, so it is reminded like a new case.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import migrations
from django.utils import timezone


def forwards(apps: Any, schema_editor: Any) -> None:
    from motverka.workflow.deadlines import DeadlineKind, rules_from_config

    Case = apps.get_model("cases", "Case")
    Deadline = apps.get_model("workflow", "Deadline")
    rule = rules_from_config(getattr(settings, "MOTVERKA_DEADLINE_RULES", None))[
        DeadlineKind.CONTACT_SENDING_MUNICIPALITY
    ]
    kind = DeadlineKind.CONTACT_SENDING_MUNICIPALITY.value
    have = set(Deadline.objects.filter(kind=kind).values_list("case_id", flat=True))
    rows = []
    for case_id, created_at in Case.objects.filter(status="registered").values_list(
        "id", "created_at"
    ):
        if case_id in have:
            continue
        registered = timezone.localtime(created_at).date()
        rows.append(
            Deadline(
                case_id=case_id,
                kind=kind,
                source_date=registered,
                due_on=rule.due_date(registered),
                informational=False,
            )
        )
    Deadline.objects.bulk_create(rows, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("workflow", "0004_consent_version"),
        ("cases", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
