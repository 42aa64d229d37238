"""The default templates no longer say that the person consented: they use
``{{ consent.statement }}``, which says so only when the consent is recorded as given.

Each template of the kind whose body still holds the shipped sentence (also one an
administrator has otherwise edited) gets the placeholder in its place; other text is left as
it is.
"""

from django.db import migrations

SENTENCES = {
    "justification_request": "Den enskilde har samtyckt till att vi kontaktar er om detta.",
    "transfer_request": "Den enskilde har samtyckt till att ärendet flyttas över.",
}
PLACEHOLDER = "{{ consent.statement }}"


def use_placeholder(apps, schema_editor):
    LetterTemplate = apps.get_model("letters", "LetterTemplate")
    for kind, sentence in SENTENCES.items():
        for template in LetterTemplate.objects.filter(kind=kind, body__contains=sentence):
            template.body = template.body.replace(sentence, PLACEHOLDER)
            template.save(update_fields=["body"])


def use_sentence(apps, schema_editor):
    LetterTemplate = apps.get_model("letters", "LetterTemplate")
    for kind, sentence in SENTENCES.items():
        for template in LetterTemplate.objects.filter(kind=kind, body__contains=PLACEHOLDER):
            template.body = template.body.replace(PLACEHOLDER, sentence)
            template.save(update_fields=["body"])


class Migration(migrations.Migration):
    dependencies = [("letters", "0003_letter_cited_references")]
    operations = [migrations.RunPython(use_placeholder, use_sentence)]
