# The first step of giving every unit its own person rows and every case its own household:
# the new columns arrive nullable, the old uniqueness goes, so 0003 can split shared rows.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0001_initial'),
        ('cases', '0001_initial'),
        ('people', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='person',
            name='unit',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='persons', to='accounts.unit', verbose_name='enhet'),
        ),
        migrations.AlterField(
            model_name='person',
            name='personal_identity_number',
            field=models.CharField(blank=True, max_length=12, null=True, verbose_name='personnummer'),
        ),
        migrations.AlterField(
            model_name='person',
            name='reserve_identity',
            field=models.CharField(blank=True, max_length=40, null=True, verbose_name='reservidentitet'),
        ),
        migrations.AddField(
            model_name='householdmember',
            name='case',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='household', to='cases.case', verbose_name='ärende'),
        ),
        migrations.AlterField(
            model_name='householdmember',
            name='person',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='household_members', to='people.person', verbose_name='person'),
        ),
    ]
