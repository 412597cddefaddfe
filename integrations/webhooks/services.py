"""What a fund manager does with webhooks: register, disable, enable, rotate, delete, test, replay.

Only managers of the fund manage its endpoints (``PermissionDenied`` for anyone else); its
officers may read the delivery log. Secrets are returned once, by ``endpoint_create`` and
``endpoint_rotate_secret``, for the screen to show.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.permissions import fund_role
from core.events import iso
from core.exceptions import InvalidTransition
from core.models import Event
from funds.models import Fund, FundMembership
from integrations.events import EVENT_TYPES, TEST_EVENT
from integrations.models import WebhookDelivery, WebhookEndpoint
from integrations.models.webhooks import new_webhook_secret

from . import ssrf
from .conf import setting
from .fanout import enqueue_on_commit, new_delivery


def manager_refusal(fund: Fund, actor) -> str | None:
    if fund_role(fund, actor) != FundMembership.Role.MANAGER:
        return _("Only a manager of the fund manages its webhooks.")
    return None


def can_view(fund: Fund, actor) -> bool:
    """Managers and officers of the fund see its endpoints and delivery log."""
    return fund_role(fund, actor) is not None


def _require_manager(fund: Fund, actor) -> None:
    refusal = manager_refusal(fund, actor)
    if refusal:
        raise PermissionDenied(refusal)


def _lock(endpoint: WebhookEndpoint) -> WebhookEndpoint:
    return WebhookEndpoint.objects.select_for_update().select_related("fund").get(pk=endpoint.pk)


def _check_url(url: str) -> str:
    try:
        ssrf.check_url(url)
    except ssrf.UnsafeURL as error:
        raise ValidationError({"url": [str(error)]}) from None
    return url.strip()


@transaction.atomic
def endpoint_create(
    *, fund: Fund, actor, url: str, event_types=(), description: str = ""
) -> tuple[WebhookEndpoint, str]:
    """Register an endpoint; returns it with its secret, which the manager sees only now."""
    _require_manager(fund, actor)
    Fund.objects.select_for_update().filter(pk=fund.pk).first()  # one registration at a time
    errors: dict[str, list] = {}
    url = (url or "").strip()
    try:
        url = _check_url(url)
    except ValidationError as error:
        errors.update(error.message_dict)
    if len(url) > 500:
        errors["url"] = [_("Keep the URL under 500 characters.")]
    event_types = list(dict.fromkeys(event_types or ()))
    unknown = [name for name in event_types if name not in EVENT_TYPES]
    if unknown:
        errors["event_types"] = [
            _("Unknown event types: %(names)s.") % {"names": ", ".join(unknown)}
        ]
    existing = WebhookEndpoint.objects.filter(fund=fund)
    if "url" not in errors and existing.filter(url=url).exists():
        errors["url"] = [_("This URL is already registered for the fund.")]
    if existing.count() >= setting("WEBHOOK_MAX_ENDPOINTS_PER_FUND"):
        errors.setdefault("url", []).append(
            _("A fund has at most %(n)s endpoints. Delete one first.")
            % {"n": setting("WEBHOOK_MAX_ENDPOINTS_PER_FUND")}
        )
    if errors:
        raise ValidationError(errors)
    endpoint = WebhookEndpoint.objects.create(
        fund=fund,
        url=url,
        event_types=sorted(event_types),
        description=(description or "").strip()[:100],
        created_by=actor,
    )
    return endpoint, endpoint.secret


@transaction.atomic
def endpoint_disable(*, endpoint: WebhookEndpoint, actor) -> WebhookEndpoint:
    endpoint = _lock(endpoint)
    _require_manager(endpoint.fund, actor)
    if not endpoint.active:
        raise InvalidTransition(_("This endpoint is already disabled."))
    endpoint.active = False
    endpoint.disabled_reason = WebhookEndpoint.DisabledReason.MANUAL
    endpoint.disabled_at = timezone.now()
    endpoint.save(update_fields=["active", "disabled_reason", "disabled_at"])
    return endpoint


@transaction.atomic
def endpoint_enable(*, endpoint: WebhookEndpoint, actor) -> WebhookEndpoint:
    """Deliveries start again with new events; given-up deliveries can be replayed one by one."""
    endpoint = _lock(endpoint)
    _require_manager(endpoint.fund, actor)
    if endpoint.active:
        raise InvalidTransition(_("This endpoint is already active."))
    _check_url(endpoint.url)
    endpoint.active = True
    endpoint.disabled_reason = ""
    endpoint.disabled_at = None
    endpoint.save(update_fields=["active", "disabled_reason", "disabled_at"])
    return endpoint


@transaction.atomic
def endpoint_rotate_secret(*, endpoint: WebhookEndpoint, actor) -> tuple[WebhookEndpoint, str]:
    """A new secret; the old one still signs (as a second signature) for a day."""
    endpoint = _lock(endpoint)
    _require_manager(endpoint.fund, actor)
    overlap = datetime.timedelta(seconds=setting("WEBHOOK_SECRET_OVERLAP"))
    endpoint.previous_secret = endpoint.secret
    endpoint.previous_secret_until = timezone.now() + overlap
    endpoint.secret = new_webhook_secret()
    endpoint.save(update_fields=["secret", "previous_secret", "previous_secret_until"])
    return endpoint, endpoint.secret


@transaction.atomic
def endpoint_delete(*, endpoint: WebhookEndpoint, actor) -> None:
    endpoint = _lock(endpoint)
    _require_manager(endpoint.fund, actor)
    endpoint.delete()


@transaction.atomic
def endpoint_send_test(*, endpoint: WebhookEndpoint, actor) -> WebhookDelivery:
    """A ``webhook.test`` event, sent to this endpoint only."""
    endpoint = _lock(endpoint)
    _require_manager(endpoint.fund, actor)
    if not endpoint.active:
        raise InvalidTransition(_("Enable the endpoint before sending a test event."))
    now = timezone.now()
    event = Event.objects.create(
        fund_id=endpoint.fund_id,
        type=TEST_EVENT,
        payload={"endpoint_id": endpoint.pk, "occurred_at": iso(now)},
        created_at=now,
        fanned_out_at=now,  # it goes to this endpoint only, never through the fan-out
    )
    delivery = new_delivery(event, endpoint, now)
    delivery.save()
    enqueue_on_commit([delivery.pk])
    return delivery


@transaction.atomic
def delivery_replay(*, delivery: WebhookDelivery, actor) -> WebhookDelivery:
    """Send it again, with the same webhook-id, and retry it again for a day if it fails."""
    delivery = (
        WebhookDelivery.objects.select_for_update()
        .select_related("endpoint__fund", "event")
        .get(pk=delivery.pk)
    )
    _require_manager(delivery.endpoint.fund, actor)
    now = timezone.now()
    if not delivery.endpoint.active:
        raise InvalidTransition(_("Enable the endpoint before replaying a delivery."))
    if delivery.locked_until and delivery.locked_until > now:
        raise InvalidTransition(_("This delivery is being sent right now. Try again in a minute."))
    delivery.state = WebhookDelivery.State.PENDING
    delivery.failures = 0
    delivery.next_attempt_at = now
    delivery.retry_until = now + datetime.timedelta(seconds=setting("WEBHOOK_RETRY_FOR"))
    delivery.save(update_fields=["state", "failures", "next_attempt_at", "retry_until"])
    enqueue_on_commit([delivery.pk])
    return delivery
