"""From events to deliveries, and the sweep that makes sure nothing is lost.

``core.events`` sends ``event_recorded`` inside the transaction that writes the event;
``fan_out_on_commit`` (connected in ``IntegrationsConfig.ready()``) has ``fan_out`` run after
that transaction has committed, and never after a rollback. If the process dies between that
commit and the fan-out, or between a delivery and its task, ``sweep`` (run by
``manage.py deliver_webhooks --sweep`` every few minutes) finds the event or the due delivery and
does the rest. Both paths may overlap: the unique (event, endpoint) pair and the claim in
``delivery.attempt`` keep every message to one delivery and one send at a time.
"""

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.models import Event
from integrations.models import WebhookDelivery, WebhookEndpoint

from .conf import setting
from .tasks import enqueue_delivery

SWEEP_BATCH = 500


def webhook_id(event_id, endpoint_id) -> str:
    """Stable for the pair: the same on every retry and replay, unique across endpoints."""
    return f"msg_{event_id.hex}_{endpoint_id}"


def new_delivery(event: Event, endpoint: WebhookEndpoint, now) -> WebhookDelivery:
    return WebhookDelivery(
        event=event,
        endpoint=endpoint,
        webhook_id=webhook_id(event.pk, endpoint.pk),
        next_attempt_at=now,
        retry_until=now + datetime.timedelta(seconds=setting("WEBHOOK_RETRY_FOR")),
        created_at=now,
    )


# on_commit gets named functions, not functools.partial: robust=True logs a failing callback by
# its __qualname__, which a partial does not have.


def _enqueue_after_commit(delivery_id):
    def enqueue_after_commit() -> None:
        enqueue_delivery(delivery_id)

    return enqueue_after_commit


def enqueue_on_commit(delivery_ids) -> None:
    for delivery_id in delivery_ids:
        transaction.on_commit(_enqueue_after_commit(delivery_id), robust=True)


def fan_out_on_commit(sender, *, event: Event, **kwargs) -> None:
    """Receiver of ``core.events.event_recorded``: fan the event out once its change commits."""
    event_id = event.pk

    def fan_out_after_commit() -> None:
        fan_out(event_id)

    transaction.on_commit(fan_out_after_commit, robust=True)


def fan_out(event_id) -> list[int]:
    """One delivery per active endpoint of the event's fund that wants this type; queue them."""
    now = timezone.now()
    with transaction.atomic():
        event = (
            Event.objects.select_for_update()
            .filter(pk=event_id, fanned_out_at__isnull=True)
            .first()
        )
        if event is None:  # rolled back, or already fanned out by the sweep
            return []
        endpoints = [
            endpoint
            for endpoint in WebhookEndpoint.objects.filter(fund_id=event.fund_id, active=True)
            if endpoint.wants(event.type)
        ]
        WebhookDelivery.objects.bulk_create(
            [new_delivery(event, endpoint, now) for endpoint in endpoints],
            ignore_conflicts=True,
        )
        Event.objects.filter(pk=event.pk).update(fanned_out_at=now)
        delivery_ids = list(
            event.deliveries.filter(state=WebhookDelivery.State.PENDING).values_list(
                "pk", flat=True
            )
        )
        enqueue_on_commit(delivery_ids)
    return delivery_ids


def unlocked(now) -> Q:
    return Q(locked_until__isnull=True) | Q(locked_until__lte=now)


def due_deliveries(now):
    return WebhookDelivery.objects.filter(
        unlocked(now),
        state__in=(WebhookDelivery.State.PENDING, WebhookDelivery.State.FAILED),
        next_attempt_at__lte=now,
    )


def sweep(now=None) -> dict[str, int]:
    """Fan out stranded events and queue deliveries that are overdue; returns the counts."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(seconds=setting("WEBHOOK_SWEEP_GRACE"))
    stranded = Event.objects.filter(fanned_out_at__isnull=True, created_at__lte=cutoff)
    events = 0
    for event_id in stranded.order_by("created_at").values_list("pk", flat=True)[:SWEEP_BATCH]:
        fan_out(event_id)
        events += 1
    overdue = list(
        due_deliveries(now)
        .filter(next_attempt_at__lte=cutoff)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    for delivery_id in overdue:
        enqueue_delivery(delivery_id)
    return {"events": events, "deliveries": len(overdue)}
