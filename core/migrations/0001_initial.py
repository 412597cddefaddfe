# The event outbox moves here from integrations with its table and rows: in the state only.
# On a fresh database the table is still created by integrations' 0002 (its first home); that
# app's 0003 then drops the fund's foreign-key constraint and hands the model over to core.

import django.core.serializers.json
import django.utils.timezone
import uuid
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = []

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Event',
                    fields=[
                        ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                        ('fund_id', models.BigIntegerField(db_index=True, verbose_name='fund')),
                        ('type', models.CharField(max_length=50, verbose_name='type')),
                        ('payload', models.JSONField(encoder=django.core.serializers.json.DjangoJSONEncoder, verbose_name='payload')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='created at')),
                        ('fanned_out_at', models.DateTimeField(blank=True, null=True)),
                    ],
                    options={
                        'verbose_name': 'event',
                        'verbose_name_plural': 'events',
                        'db_table': 'integrations_event',
                        'ordering': ['-created_at'],
                        'indexes': [
                            models.Index(fields=['fund_id', '-created_at'], name='event_fund_created'),
                            models.Index(condition=models.Q(('fanned_out_at__isnull', True)), fields=['created_at'], name='event_not_fanned_out'),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
