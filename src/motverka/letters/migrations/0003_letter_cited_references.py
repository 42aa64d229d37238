"""A finalised letter keeps its own copy of the legal references it cited.

Letters finalised before this migration get the primary reference as it stands when the
migration runs (the best that is known; their PDF and final text already hold the citation).
"""

from django.db import migrations, models


def freeze_existing(apps, schema_editor):
    Letter = apps.get_model("letters", "Letter")
    finalised = Letter.objects.exclude(status="draft").filter(legal_reference__isnull=False)
    for letter in finalised.select_related("legal_reference").iterator():
        reference = letter.legal_reference
        parts = []
        if reference.chapter.strip():
            parts.append(f"{reference.chapter.strip()} kap.")
        if reference.section.strip():
            parts.append(f"{reference.section.strip()} §")
        parts.append(f"{reference.law_name} ({reference.sfs_number})")
        frozen = {
            "code": reference.code,
            "id": reference.pk,
            "citation": " ".join(parts),
            "law_name": reference.law_name,
            "sfs_number": reference.sfs_number,
            "chapter": reference.chapter,
            "section": reference.section,
            "text": reference.text,
            "valid_from": reference.valid_from.isoformat(),
            "valid_to": reference.valid_to.isoformat() if reference.valid_to else None,
            "verified_by": reference.verified_by,
            "verified_on": reference.verified_on.isoformat() if reference.verified_on else None,
            "verified": bool(reference.verified_by.strip()) and reference.verified_on is not None,
        }
        Letter.objects.filter(pk=letter.pk).update(cited_references=[frozen])


class Migration(migrations.Migration):
    dependencies = [
        ("letters", "0002_default_templates"),
        ("reference", "0004_legal_references"),
    ]

    operations = [
        migrations.AddField(
            model_name="letter",
            name="cited_references",
            field=models.JSONField(default=list, verbose_name="hänvisade lagrum vid slutförandet"),
        ),
        migrations.RunPython(freeze_existing, migrations.RunPython.noop),
    ]
