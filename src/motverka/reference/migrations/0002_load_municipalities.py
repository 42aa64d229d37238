from django.db import migrations


def load(apps, schema_editor):
    from motverka.reference.loading import load_municipalities

    load_municipalities(apps.get_model("reference", "County"), apps.get_model("reference", "Municipality"))


class Migration(migrations.Migration):
    dependencies = [("reference", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
