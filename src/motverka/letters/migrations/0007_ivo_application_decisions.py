"""The IVO application takes each current intervention's decision and legal basis, and how
long the need is expected to last, from the case instead of asking for them to be typed.

Only text that is still exactly as shipped is replaced; an administrator's own wording is
left as it is.
"""

from django.db import migrations

REPLACEMENTS = [
    (
        "{{ interventions.ongoing }}\n[FYLL I: beslutad insats, beslutsdatum och lagrum]",
        "{{ interventions.ongoing.decisions }}",
    ),
    (
        "[FYLL I: från och med DATUM till och med DATUM, eller bedömningen av hur länge behovet "
        "består]",
        "{{ interventions.ongoing.duration }}",
    ),
]


def _apply(apps, pairs):
    LetterTemplate = apps.get_model("letters", "LetterTemplate")
    for template in LetterTemplate.objects.filter(kind="ivo_application"):
        body = template.body
        for old, new in pairs:
            if old in body and new not in body:
                body = body.replace(old, new, 1)
        if body != template.body:
            template.body = body
            template.save(update_fields=["body"])


def forwards(apps, schema_editor):
    _apply(apps, REPLACEMENTS)


def backwards(apps, schema_editor):
    _apply(apps, [(new, old) for old, new in REPLACEMENTS])


class Migration(migrations.Migration):
    dependencies = [
        ("letters", "0006_templates_fill_from_the_case"),
        ("cases", "0005_intervention_decision"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
