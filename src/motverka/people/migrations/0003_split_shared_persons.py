# Splits person rows that several units shared into one row per unit, and copies each
# person's household into every one of their cases (decision 0006).

from django.db import migrations

PERSON_FIELDS = (
    "personal_identity_number",
    "is_coordination_number",
    "reserve_identity",
    "reserve_reason",
    "first_name",
    "last_name",
    "birth_date",
    "protected_identity",
    "phone",
)
MEMBER_FIELDS = ("relation", "first_name", "last_name", "birth_date", "personal_identity_number")


def split_persons_by_unit(apps, schema_editor):
    """Give every unit its own person row and every case its own household.

    The row stays with the unit of the person's first case; each further unit gets a copy
    (the values every unit could already see, nothing more) and its cases move to it. Each
    household member is copied into every case of the person, and a child's recorded view
    follows the copy in its own case. A person without any case belongs to no unit and is
    visible to no one; such rows are removed. Running it twice changes nothing.
    """
    Person = apps.get_model("people", "Person")
    HouseholdMember = apps.get_model("people", "HouseholdMember")
    Case = apps.get_model("cases", "Case")
    ChildView = apps.get_model("housing", "ChildView")

    for person in Person.objects.filter(unit__isnull=True).order_by("pk"):
        cases = list(Case.objects.filter(person=person).order_by("received_on", "pk"))
        members = list(HouseholdMember.objects.filter(person=person, case__isnull=True))
        if not cases:
            HouseholdMember.objects.filter(pk__in=[member.pk for member in members]).delete()
            person.delete()
            continue
        unit_ids = list(dict.fromkeys(case.unit_id for case in cases))
        person.unit_id = unit_ids[0]
        person.save(update_fields=["unit"])
        for unit_id in unit_ids[1:]:
            copy = Person.objects.create(
                unit_id=unit_id, **{name: getattr(person, name) for name in PERSON_FIELDS}
            )
            Person.objects.filter(pk=copy.pk).update(created_at=person.created_at)
            Case.objects.filter(person=person, unit_id=unit_id).update(person=copy)
        for member in members:
            for case in cases:
                copy = HouseholdMember.objects.create(
                    case_id=case.pk, **{name: getattr(member, name) for name in MEMBER_FIELDS}
                )
                ChildView.objects.filter(member=member, case_id=case.pk).update(member=copy)
            member.delete()


class Migration(migrations.Migration):

    dependencies = [
        ('housing', '0001_initial'),
        ('people', '0002_person_unit_household_case'),
    ]

    operations = [
        migrations.RunPython(split_persons_by_unit, migrations.RunPython.noop),
    ]
