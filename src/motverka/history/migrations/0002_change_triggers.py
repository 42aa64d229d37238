from django.db import migrations


def install(apps, schema_editor):
    from motverka.history import tracking

    vendor = schema_editor.connection.vendor
    statements = (
        tracking.sqlite_statements() if vendor == "sqlite" else tracking.postgresql_statements()
    )
    for statement in statements:
        schema_editor.execute(statement)


def remove(apps, schema_editor):
    from motverka.history import tracking

    vendor = schema_editor.connection.vendor
    statements = (
        tracking.sqlite_drop_statements()
        if vendor == "sqlite"
        else tracking.postgresql_drop_statements()
    )
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("history", "0001_change_history"),
        ("people", "0004_person_unit_required"),
        ("cases", "0001_initial"),
    ]

    operations = [migrations.RunPython(install, remove)]
