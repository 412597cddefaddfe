"""One attempt at a delivery: claim it, check the URL again, POST, log, and decide what next.

- 2xx: delivered.
- 410 Gone: the endpoint is disabled, this and its other open deliveries are given up.
- anything else, a timeout or no connection: retried with exponential backoff and full jitter
  (``WEBHOOK_RETRY_BASE`` × 2^(n-1) seconds at most, capped at ``WEBHOOK_RETRY_MAX_DELAY``), or
  later if the receiver's ``Retry-After`` asks so; after ``WEBHOOK_RETRY_FOR`` it is given up.

The ``webhook-id`` never changes, so a receiver can drop a message it already has. A delivery is
claimed with a conditional UPDATE before it is sent, so two workers never send it at the same
time; a worker that dies mid-send releases it when its lease (``locked_until``) runs out.
"""

import datetime
import email.utils
import random
import time

from django.db import transaction
from django.utils import timezone

from integrations.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint

from . import signing, ssrf, transport
from .conf import setting
from .fanout import due_deliveries
from .tasks import enqueue_delivery

Outcome = WebhookAttempt.Outcome
State = WebhookDelivery.State


def retry_delay(failures: int, retry_after: float | None = None) -> float:
    """Seconds to wait after the ``failures``-th failure in a row."""
    base = setting("WEBHOOK_RETRY_BASE")
    ceiling = min(setting("WEBHOOK_RETRY_MAX_DELAY"), base * 2 ** min(failures - 1, 30))
    delay = max(base, random.uniform(0, ceiling))  # full jitter, but never sooner than base
    if retry_after is not None and retry_after > delay:
        delay = min(retry_after, setting("WEBHOOK_MAX_RETRY_AFTER"))
    return delay


def parse_retry_after(value: str | None, now) -> float | None:
    """``Retry-After`` in seconds, from delta-seconds or an HTTP date; None if absent or bad."""
    value = (value or "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return max((moment - now).total_seconds(), 0.0)


def claim(delivery_id: int, now) -> bool:
    """Take the delivery if it is due and nobody else is sending it."""
    lease = now + datetime.timedelta(seconds=setting("WEBHOOK_TIMEOUT") * 3 + 60)
    return due_deliveries(now).filter(pk=delivery_id).update(locked_until=lease) == 1


def attempt(delivery_id: int) -> str | None:
    """Send the delivery once if it is due; returns its new state, or None if not taken."""
    now = timezone.now()
    if not claim(delivery_id, now):
        return None
    delivery = WebhookDelivery.objects.select_related("event", "endpoint").get(pk=delivery_id)
    endpoint = delivery.endpoint
    if not endpoint.active:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            state=State.DEAD,
            next_attempt_at=None,
            locked_until=None,
            last_error="endpoint disabled",
        )
        return State.DEAD
    result = _send(delivery, endpoint)
    return _record(delivery, endpoint, **result)


def _send(delivery: WebhookDelivery, endpoint: WebhookEndpoint) -> dict:
    payload = signing.body(delivery.event)
    sent_at = timezone.now()
    headers = signing.headers(
        delivery.webhook_id, payload, endpoint.signing_secrets(sent_at), sent_at
    )
    started = time.monotonic()
    result = {"sent_at": sent_at, "status": None, "error": "", "excerpt": "", "retry_after": None}
    try:
        # Checked again now: the host may point somewhere else than at registration.
        target = ssrf.check_url(endpoint.url)
        response = transport.post(
            target, payload.encode(), headers, timeout=setting("WEBHOOK_TIMEOUT")
        )
    except ssrf.UnsafeURL as error:
        result.update(outcome=Outcome.REFUSED, error=str(error))
    except transport.DeliveryTimeout as error:
        result.update(outcome=Outcome.TIMEOUT, error=str(error))
    except transport.ConnectionFailed as error:
        result.update(outcome=Outcome.CONNECTION, error=str(error))
    else:
        result.update(status=response.status, excerpt=response.excerpt)
        if 200 <= response.status < 300:
            result["outcome"] = Outcome.SUCCESS
        elif response.status == 410:
            result["outcome"] = Outcome.GONE
        else:
            result["outcome"] = Outcome.HTTP_ERROR
            result["error"] = f"HTTP {response.status}"
            result["retry_after"] = parse_retry_after(response.headers.get("Retry-After"), sent_at)
    result["duration_ms"] = int((time.monotonic() - started) * 1000)
    return result


@transaction.atomic
def _record(
    delivery, endpoint, *, sent_at, outcome, status, error, excerpt, retry_after, duration_ms
) -> str:
    now = timezone.now()
    WebhookAttempt.objects.create(
        delivery=delivery,
        attempted_at=sent_at,
        outcome=outcome,
        status_code=status,
        duration_ms=duration_ms,
        error=error[:300],
        response_excerpt=excerpt[:500],
    )
    delivery.attempts += 1
    delivery.last_attempt_at = sent_at
    delivery.last_status_code = status
    delivery.last_error = error[:300]
    delivery.locked_until = None
    delivery.next_attempt_at = None
    if outcome == Outcome.SUCCESS:
        delivery.state = State.SUCCEEDED
    elif outcome == Outcome.GONE:
        delivery.state = State.DEAD
        delivery.last_error = "410 Gone: endpoint disabled"
        disable_gone(endpoint, now=now, except_delivery=delivery.pk)
    else:
        delivery.failures += 1
        if now >= delivery.retry_until:
            delivery.state = State.DEAD
        else:
            delivery.state = State.FAILED
            delay = retry_delay(delivery.failures, retry_after)
            delivery.next_attempt_at = now + datetime.timedelta(seconds=delay)
    delivery.save(
        update_fields=[
            "attempts",
            "failures",
            "last_attempt_at",
            "last_status_code",
            "last_error",
            "locked_until",
            "next_attempt_at",
            "state",
        ]
    )
    if delivery.state == State.FAILED:
        at = delivery.next_attempt_at
        transaction.on_commit(lambda: enqueue_delivery(delivery.pk, at=at), robust=True)
    return delivery.state


def disable_gone(endpoint: WebhookEndpoint, *, now, except_delivery=None) -> None:
    """The receiver said 410 Gone: no more deliveries to it until a manager enables it again."""
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        active=False, disabled_reason=WebhookEndpoint.DisabledReason.GONE, disabled_at=now
    )
    WebhookDelivery.objects.filter(
        endpoint=endpoint, state__in=(State.PENDING, State.FAILED)
    ).exclude(pk=except_delivery).update(
        state=State.DEAD, next_attempt_at=None, last_error="410 Gone: endpoint disabled"
    )


def run_due(limit: int = 500) -> dict[str, int]:
    """Send every due delivery in this process (``deliver_webhooks --now``), oldest first."""
    now = timezone.now()
    ids = list(due_deliveries(now).order_by("next_attempt_at").values_list("pk", flat=True)[:limit])
    counts: dict[str, int] = {}
    for delivery_id in ids:
        state = attempt(delivery_id)
        if state:
            counts[state] = counts.get(state, 0) + 1
    return counts
