"""What integrations hears from the layers below it, connected once in ``ready()``.

- ``core.events.event_recorded``: an event was written; it fans out after the commit.
- a fund is deleted: its events go with it. ``core.Event`` keeps the fund as a plain number
  (core does not know funds), so this is the cascade its foreign key used to give.
"""

from django.db.models.signals import post_delete

from core.events import event_recorded
from core.models import Event
from funds.models import Fund

from .fanout import fan_out_on_commit


def forget_events_of_fund(sender, *, instance: Fund, **kwargs) -> None:
    Event.objects.filter(fund_id=instance.pk).delete()


def connect() -> None:
    event_recorded.connect(fan_out_on_commit, dispatch_uid="integrations.webhooks.fan_out")
    post_delete.connect(
        forget_events_of_fund, sender=Fund, dispatch_uid="integrations.webhooks.fund_events"
    )
