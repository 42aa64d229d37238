"""The default templates fill in what the case already holds.

* the IVO application takes the sending municipality's answer, the person's wishes and the
  children's views from the case instead of asking for them to be typed again;
* the contact details (e-mail, phone) stand on lines of their own, so an empty one leaves
  the line out instead of a hole ("e-post .");
* letters to the sending municipality carry its social-services address from the directory.

Only text that is still exactly as shipped is replaced; an administrator's own wording is
left as it is.
"""

from django.db import migrations

REPLACEMENTS = {
    "ivo_application": [
        (
            "[FYLL I: kommunen avböjde begäran DATUM / kommunen har inte svarat inom en månad]",
            "{{ transfer_request.answer }}",
        ),
        (
            "[FYLL I: den enskildes egen inställning till var ärendet ska handläggas]",
            "{{ person.wishes }}",
        ),
        (
            "Barn i hushållet:\n{{ household.children }}\n[FYLL I: hur barnen har hörts och vad "
            "de har sagt – även barn under 15 år ska höras utifrån ålder och mognad – samt "
            "vårdnadshavares, förmyndares eller gode mäns synpunkter]",
            "{{ household.children }}\n\n{{ children.views }}",
        ),
    ],
    "justification_request": [
        (
            "Till {{ sending_municipality.social_services }}\n",
            "Till {{ sending_municipality.social_services }}\n{{ sending_municipality.address }}\n",
        ),
        (
            "Svar skickas till {{ sender.unit }}, e-post {{ sender.email }}.",
            "Svar skickas till {{ sender.unit }}.\nE-post: {{ sender.email }}",
        ),
    ],
    "transfer_request": [
        (
            "Till {{ sending_municipality.social_services }}\n",
            "Till {{ sending_municipality.social_services }}\n{{ sending_municipality.address }}\n",
        ),
        (
            "Svar skickas till {{ sender.unit }}, e-post {{ sender.email }}. Ange vårt "
            "diarienummer {{ case.reference }}.",
            "Svar skickas till {{ sender.unit }}. Ange vårt diarienummer {{ case.reference }}.\n"
            "E-post: {{ sender.email }}",
        ),
    ],
    "objection_letter": [
        (
            "Till {{ sending_municipality.social_services }}\n",
            "Till {{ sending_municipality.social_services }}\n{{ sending_municipality.address }}\n",
        ),
    ],
    "landlord_letter": [
        (
            "Frågor besvaras av {{ sender.unit }}, telefon {{ sender.phone }}, e-post "
            "{{ sender.email }}.",
            "Frågor besvaras av {{ sender.unit }}.\nTelefon: {{ sender.phone }}\n"
            "E-post: {{ sender.email }}",
        ),
    ],
}


def _apply(apps, pairs_of):
    LetterTemplate = apps.get_model("letters", "LetterTemplate")
    for kind, pairs in REPLACEMENTS.items():
        for template in LetterTemplate.objects.filter(kind=kind):
            body = template.body
            for old, new in pairs_of(pairs):
                if old in body and new not in body:
                    body = body.replace(old, new, 1)
            if body != template.body:
                template.body = body
                template.save(update_fields=["body"])


def forwards(apps, schema_editor):
    _apply(apps, lambda pairs: pairs)


def backwards(apps, schema_editor):
    _apply(apps, lambda pairs: [(new, old) for old, new in pairs])


class Migration(migrations.Migration):
    dependencies = [("letters", "0005_letter_version")]
    operations = [migrations.RunPython(forwards, backwards)]
