"""The hash chain (sequence and hash on every row, existing rows chained in id order) and
the subjects of list and search rows."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


def chain_existing_rows(apps, schema_editor):
    from motverka.audit.chain import GENESIS, ChainedContent, row_hash

    AuditEvent = apps.get_model("audit", "AuditEvent")
    previous = GENESIS
    for sequence, event in enumerate(AuditEvent.objects.order_by("id").iterator(), start=1):
        content = ChainedContent(
            sequence=sequence,
            at=event.at,
            actor_id=event.actor_id,
            action=event.action,
            object_type=event.object_type,
            object_id=event.object_id,
            case_id=event.case_id,
            person_id=event.person_id,
            channel=event.channel,
            address=event.address,
            detail=event.detail,
        )
        previous = row_hash(content, previous)
        AuditEvent.objects.filter(pk=event.pk).update(sequence=sequence, hash=previous)


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0002_action_codes'),
    ]

    operations = [
        migrations.AlterField(
            model_name='auditevent',
            name='at',
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='tidpunkt'),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='sequence',
            field=models.BigIntegerField(null=True, verbose_name='löpnummer'),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='hash',
            field=models.CharField(default='', max_length=64, verbose_name='kontrollsumma'),
            preserve_default=False,
        ),
        migrations.RunPython(chain_existing_rows, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name='auditevent',
            name='sequence',
            field=models.BigIntegerField(unique=True, verbose_name='löpnummer'),
        ),
        migrations.CreateModel(
            name='AuditEventSubject',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('object_type', models.CharField(max_length=40, verbose_name='objekttyp')),
                ('object_id', models.CharField(blank=True, max_length=40, verbose_name='objekt-id')),
                ('case_id', models.BigIntegerField(blank=True, db_index=True, null=True, verbose_name='ärende-id')),
                ('person_id', models.BigIntegerField(blank=True, db_index=True, null=True, verbose_name='person-id')),
                ('event', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='subjects', to='audit.auditevent', verbose_name='händelse')),
            ],
            options={
                'verbose_name': 'visad post',
                'verbose_name_plural': 'visade poster',
            },
        ),
    ]
