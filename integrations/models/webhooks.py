"""Webhooks: a fund's endpoints, and each event's delivery to each endpoint.

The event itself is ``core.Event``, the outbox row written in the same transaction as the change
it reports, so a rolled-back change leaves no event. After the commit the event fans out into one
``WebhookDelivery`` per matching active endpoint; each delivery is sent, and retried, by the
task queue. ``WebhookAttempt`` rows are the delivery log the fund sees.
"""

import base64
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def new_webhook_secret() -> str:
    """A Standard Webhooks secret: ``whsec_`` and 32 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


class WebhookEndpoint(models.Model):
    class DisabledReason(models.TextChoices):
        MANUAL = "manual", _("Disabled by a manager of the fund.")
        GONE = "gone", _("The receiver answered 410 Gone: it no longer wants these webhooks.")

    fund = models.ForeignKey(
        "funds.Fund", on_delete=models.CASCADE, related_name="webhook_endpoints"
    )
    url = models.URLField(_("URL"), max_length=500)
    description = models.CharField(_("description"), max_length=100, blank=True)
    event_types = models.JSONField(
        _("event types"), default=list, blank=True, help_text=_("Empty: every event.")
    )
    # Kept in the clear: every delivery is signed with it. It is shown to the manager once.
    secret = models.CharField(max_length=100, default=new_webhook_secret, editable=False)
    # After a rotation the old secret still signs for a while, so receivers can switch over.
    previous_secret = models.CharField(max_length=100, blank=True, editable=False)
    previous_secret_until = models.DateTimeField(null=True, blank=True, editable=False)
    active = models.BooleanField(_("active"), default=True)
    disabled_reason = models.CharField(
        _("why it is disabled"), max_length=20, choices=DisabledReason.choices, blank=True
    )
    disabled_at = models.DateTimeField(_("disabled at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["fund", "created_at", "pk"]
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")

    def __str__(self) -> str:
        return self.url

    def wants(self, event_type: str) -> bool:
        return not self.event_types or event_type in self.event_types

    def signing_secrets(self, now) -> list[str]:
        """The current secret, and the previous one while it is still honoured."""
        keys = [self.secret]
        if self.previous_secret and self.previous_secret_until and self.previous_secret_until > now:
            keys.append(self.previous_secret)
        return keys


class WebhookDelivery(models.Model):
    """One event to one endpoint. Its ``webhook_id`` stays the same on every retry and replay."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SUCCEEDED = "succeeded", _("Delivered")
        FAILED = "failed", _("Failed, will retry")
        DEAD = "dead", _("Given up")

    event = models.ForeignKey("core.Event", on_delete=models.CASCADE, related_name="deliveries")
    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    webhook_id = models.CharField(_("webhook ID"), max_length=100, unique=True)
    state = models.CharField(
        _("status"), max_length=20, choices=State.choices, default=State.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    # Failures since the delivery was created or last replayed: the backoff grows with it.
    failures = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    retry_until = models.DateTimeField(_("retried until"))
    # A worker sending it holds it until then; a worker that died lets go when this passes.
    locked_until = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(_("response code"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        constraints = [
            models.UniqueConstraint(fields=["event", "endpoint"], name="one_delivery_per_endpoint")
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="delivery_due")]

    def __str__(self) -> str:
        return self.webhook_id

    @property
    def is_open(self) -> bool:
        return self.state in (self.State.PENDING, self.State.FAILED)


class WebhookAttempt(models.Model):
    """One POST to the receiver, for the delivery log."""

    class Outcome(models.TextChoices):
        SUCCESS = "success", _("Delivered")
        HTTP_ERROR = "http_error", _("Error response")
        GONE = "gone", _("Gone: the endpoint is disabled")
        TIMEOUT = "timeout", _("No answer in time")
        CONNECTION = "connection", _("Could not connect")
        REFUSED = "refused", _("Address not allowed")

    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log"
    )
    attempted_at = models.DateTimeField(_("time"), default=timezone.now)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    status_code = models.PositiveSmallIntegerField(_("response code"), null=True, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)
    error = models.CharField(_("error"), max_length=300, blank=True)
    response_excerpt = models.CharField(_("response"), max_length=500, blank=True)

    class Meta:
        ordering = ["-attempted_at", "-pk"]
        verbose_name = _("webhook attempt")
        verbose_name_plural = _("webhook attempts")

    def __str__(self) -> str:
        return f"{self.delivery} {self.attempted_at:%Y-%m-%d %H:%M:%S}"
