# The event outbox now lives in core (core.Event, the same table integrations_event, every row
# kept). First the fund's foreign-key constraint goes from the database, since core does not know
# funds and Django no longer cascades a fund's deletion to its events; then, in the state only,
# deliveries point at core.Event and integrations forgets its own Event.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0001_initial'),
        ('funds', '0002_fund_four_eyes_on_payments_programme_min_signatories_and_more'),
        ('integrations', '0002_webhooks'),
    ]

    operations = [
        migrations.AlterField(
            model_name='event',
            name='fund',
            field=models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.CASCADE, related_name='webhook_events', to='funds.fund'),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='webhookdelivery',
                    name='event',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='deliveries', to='core.event'),
                ),
                migrations.DeleteModel(
                    name='Event',
                ),
            ],
            database_operations=[],
        ),
    ]
