"""Ships the legal references the letters cite.

The municipality's guideline cites 2 a kap. 10 and 11 §§ of the old socialtjänstlag
(2001:453), which was replaced by socialtjänstlagen (2025:400) on 2025-07-01. The new
chapter and section numbers are not verified here, so the new entries leave them empty and
unverified for the administrator to fill in; letters citing them need a confirmation.
"""

import datetime

from django.db import migrations

OLD_LAW_VALID_FROM = datetime.date(2011, 7, 1)
NEW_LAW_VALID_FROM = datetime.date(2025, 7, 1)
OLD_LAW_VALID_TO = datetime.date(2025, 6, 30)
VERIFIED_ON = datetime.date(2026, 11, 30)
VERIFIED_BY = "Projektets domänbeskrivning och kommunens riktlinje om aktiv medverkan"

ENTRIES = [
    {
        "code": "transfer_request",
        "law_name": "socialtjänstlagen",
        "sfs_number": "2001:453",
        "chapter": "2 a",
        "section": "10",
        "text": (
            "Begäran om överflyttning av ett ärende som rör en enskild till en annan kommun. "
            "En överflyttning förutsätter samverkan mellan kommunerna."
        ),
        "valid_from": OLD_LAW_VALID_FROM,
        "valid_to": OLD_LAW_VALID_TO,
        "verified_by": VERIFIED_BY,
        "verified_on": VERIFIED_ON,
    },
    {
        "code": "ivo_application",
        "law_name": "socialtjänstlagen",
        "sfs_number": "2001:453",
        "chapter": "2 a",
        "section": "11",
        "text": (
            "Ansökan hos Inspektionen för vård och omsorg om överflyttning när den andra "
            "kommunen inte medger en begäran om överflyttning. Bara den kommun som begärt "
            "överflyttningen får ansöka."
        ),
        "valid_from": OLD_LAW_VALID_FROM,
        "valid_to": OLD_LAW_VALID_TO,
        "verified_by": VERIFIED_BY,
        "verified_on": VERIFIED_ON,
    },
    {
        "code": "transfer_request",
        "law_name": "socialtjänstlagen",
        "sfs_number": "2025:400",
        "chapter": "",
        "section": "",
        "text": (
            "Motsvarigheten till 2 a kap. 10 § i den upphävda socialtjänstlagen (2001:453). "
            "Kapitel och paragraf ska fyllas i och verifieras av systemförvaltaren."
        ),
        "valid_from": NEW_LAW_VALID_FROM,
        "valid_to": None,
        "verified_by": "",
        "verified_on": None,
    },
    {
        "code": "ivo_application",
        "law_name": "socialtjänstlagen",
        "sfs_number": "2025:400",
        "chapter": "",
        "section": "",
        "text": (
            "Motsvarigheten till 2 a kap. 11 § i den upphävda socialtjänstlagen (2001:453). "
            "Kapitel och paragraf ska fyllas i och verifieras av systemförvaltaren."
        ),
        "valid_from": NEW_LAW_VALID_FROM,
        "valid_to": None,
        "verified_by": "",
        "verified_on": None,
    },
]


def load(apps, schema_editor):
    LegalReference = apps.get_model("reference", "LegalReference")
    for entry in ENTRIES:
        LegalReference.objects.get_or_create(
            code=entry["code"], valid_from=entry["valid_from"], defaults=entry
        )


class Migration(migrations.Migration):
    dependencies = [("reference", "0003_legalreference")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
