# Every person row now belongs to a unit and every household member to a case.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0001_initial'),
        ('cases', '0001_initial'),
        ('people', '0003_split_shared_persons'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='householdmember',
            name='person',
        ),
        migrations.AlterField(
            model_name='householdmember',
            name='case',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='household', to='cases.case', verbose_name='ärende'),
        ),
        migrations.AlterField(
            model_name='person',
            name='unit',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='persons', to='accounts.unit', verbose_name='enhet'),
        ),
        migrations.AddConstraint(
            model_name='person',
            constraint=models.UniqueConstraint(fields=('unit', 'personal_identity_number'), name='person_unit_identity_number'),
        ),
        migrations.AddConstraint(
            model_name='person',
            constraint=models.UniqueConstraint(fields=('unit', 'reserve_identity'), name='person_unit_reserve_identity'),
        ),
    ]
