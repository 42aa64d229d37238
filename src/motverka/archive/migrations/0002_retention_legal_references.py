"""Ships the legal references the retention rules rest on, as versioned data.

Old law, socialtjänstlagen (2001:453), 12 kap. 1 § (in the wording of SFS 2003:135):
notes in a personal file are disposed of five years after the last entry, and the
disposal is to be completed by the end of the calendar year after the obligation arose.
Checked against the text of SFS 2003:135; entered as verified.

The research exception (files of people born on the 5th, 15th and 25th) was laid down in
socialtjänstförordningen (2001:937) 7 kap. 2 §, under 12 kap. 2 § second paragraph of the
old law. The day numbers were seen only in secondary sources, not in the ordinance's own
text: the entry is unverified.

The new socialtjänstlagen (2025:400), in force 2025-07-01, replaced the old law. Where it
(and the ordinance under it) puts these rules could not be verified: the new entries leave
chapter and section empty and unverified for the administrator to fill in, exactly as the
letters' references in reference/0004. Nothing here is a guessed number.
"""

import datetime

from django.db import migrations

OLD_LAW_VALID_FROM = datetime.date(2003, 7, 1)
OLD_LAW_VALID_TO = datetime.date(2025, 6, 30)
NEW_LAW_VALID_FROM = datetime.date(2025, 7, 1)

ENTRIES = [
    {
        "code": "retention_disposal",
        "law_name": "socialtjänstlagen",
        "sfs_number": "2001:453",
        "chapter": "12",
        "section": "1",
        "text": (
            "Anteckningar och andra uppgifter i en personakt ska gallras fem år efter den "
            "sista anteckningen i akten. Gallringen ska vara avslutad senast kalenderåret "
            "efter det att gallringsskyldigheten inträdde."
        ),
        "valid_from": OLD_LAW_VALID_FROM,
        "valid_to": OLD_LAW_VALID_TO,
        "verified_by": "Lydelsen enligt SFS 2003:135",
        "verified_on": datetime.date(2026, 12, 1),
    },
    {
        "code": "retention_research",
        "law_name": "socialtjänstförordningen",
        "sfs_number": "2001:937",
        "chapter": "7",
        "section": "2",
        "text": (
            "Undantag från gallring av hänsyn till forskningens behov: handlingar om personer "
            "födda den 5, 15 och 25 i varje månad (med stöd av 12 kap. 2 § andra stycket "
            "socialtjänstlagen (2001:453)). Ska verifieras mot förordningens text."
        ),
        "valid_from": OLD_LAW_VALID_FROM,
        "valid_to": OLD_LAW_VALID_TO,
        "verified_by": "",
        "verified_on": None,
    },
    {
        "code": "retention_disposal",
        "law_name": "socialtjänstlagen",
        "sfs_number": "2025:400",
        "chapter": "",
        "section": "",
        "text": (
            "Motsvarigheten till 12 kap. 1 § i den upphävda socialtjänstlagen (2001:453). "
            "Kapitel och paragraf ska fyllas i och verifieras av systemförvaltaren."
        ),
        "valid_from": NEW_LAW_VALID_FROM,
        "valid_to": None,
        "verified_by": "",
        "verified_on": None,
    },
    {
        "code": "retention_research",
        "law_name": "socialtjänstlagen",
        "sfs_number": "2025:400",
        "chapter": "",
        "section": "",
        "text": (
            "Motsvarigheten till undantaget för forskningens behov (födda den 5, 15 och 25) "
            "under den nya lagen. Lagrum ska fyllas i och verifieras av systemförvaltaren."
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
    dependencies = [("archive", "0001_initial"), ("reference", "0004_legal_references")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
