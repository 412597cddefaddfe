"""Webhook endpoints of a fund and the deliveries of its events to them.

A signing secret appears in exactly two responses: the one to the POST that registered the
endpoint and the one to the POST that rotated its secret. Every other representation leaves it out.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from funds.models import Fund
from integrations.events import EVENT_TYPES
from integrations.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint

#: A list longer than every known type twice over is not a subscription but noise.
MAX_EVENT_TYPES = 50


class WebhookEndpointSerializer(serializers.ModelSerializer):
    fund = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    event_types = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="The event types sent to this endpoint; empty: every event, also types added "
        "later.",
    )
    previous_secret_until = serializers.DateTimeField(
        read_only=True,
        allow_null=True,
        help_text="After a rotation the old secret also signs (a second signature) until then.",
    )

    class Meta:
        model = WebhookEndpoint
        fields = [
            "id",
            "fund",
            "url",
            "description",
            "event_types",
            "active",
            "disabled_reason",
            "disabled_at",
            "previous_secret_until",
            "created_at",
        ]
        read_only_fields = fields


class WebhookEndpointSecretSerializer(WebhookEndpointSerializer):
    secret = serializers.CharField(
        read_only=True,
        allow_null=True,
        help_text="The signing secret (`whsec_…`), for `standardwebhooks.Webhook(secret)`. Shown "
        "only in this response: store it now. A retry with the same Idempotency-Key returns "
        "null here; rotate the secret if the first response was lost.",
    )

    class Meta(WebhookEndpointSerializer.Meta):
        fields = [*WebhookEndpointSerializer.Meta.fields, "secret"]
        read_only_fields = fields


class WebhookEndpointCreateSerializer(serializers.Serializer):
    """Register an https URL of your back office for some (or every) event type of a fund."""

    fund = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Fund.objects.none(),
        help_text="The slug of a fund you manage (a key: its own fund).",
        error_messages={"does_not_exist": _("Choose a fund you work for.")},
    )
    url = serializers.CharField(
        max_length=500,
        help_text="An https:// address on the public internet that accepts POST requests.",
    )
    event_types = serializers.ListField(
        child=serializers.ChoiceField(choices=sorted(EVENT_TYPES)),
        required=False,
        max_length=MAX_EVENT_TYPES,
        help_text="The event types to send; leave out or empty for every event, also types "
        "added later.",
    )
    description = serializers.CharField(
        max_length=100,
        required=False,
        allow_blank=True,
        help_text="For yourself, for example 'CRM' or 'Finance'.",
    )

    def __init__(self, *args, funds=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Only a fund the caller works for can be named; any other "does not exist".
        if funds is not None:
            self.fields["fund"].queryset = funds
        self.fund = None

    def validate_fund(self, fund):
        # Kept even when another field is invalid: who may register is decided first (403).
        self.fund = fund
        return fund


class WebhookAttemptSerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookAttempt
        fields = [
            "attempted_at",
            "outcome",
            "status_code",
            "duration_ms",
            "error",
            "response_excerpt",
        ]
        read_only_fields = fields


class WebhookDeliverySerializer(serializers.ModelSerializer):
    fund = serializers.SlugRelatedField(source="endpoint.fund", slug_field="slug", read_only=True)
    webhook_id = serializers.CharField(
        read_only=True,
        help_text="The `webhook-id` header: the same on every retry and replay of this delivery.",
    )
    event_id = serializers.UUIDField(source="event.id", read_only=True)
    event_type = serializers.CharField(source="event.type", read_only=True)
    response_code = serializers.IntegerField(
        source="last_status_code",
        read_only=True,
        allow_null=True,
        help_text="The HTTP status of the receiver's last answer; null if it never answered.",
    )
    attempts = serializers.IntegerField(read_only=True, help_text="POSTs made so far.")
    next_attempt_at = serializers.DateTimeField(
        read_only=True,
        allow_null=True,
        help_text="When it is sent (again); null once delivered or given up.",
    )
    payload = serializers.JSONField(
        source="event.payload",
        read_only=True,
        help_text="The event's `data`, as in the body the receiver gets.",
    )
    attempt_log = WebhookAttemptSerializer(
        many=True, read_only=True, help_text="Every POST, latest first."
    )

    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "endpoint",
            "fund",
            "webhook_id",
            "event_id",
            "event_type",
            "state",
            "attempts",
            "response_code",
            "last_error",
            "last_attempt_at",
            "next_attempt_at",
            "retry_until",
            "created_at",
            "payload",
            "attempt_log",
        ]
        read_only_fields = fields
