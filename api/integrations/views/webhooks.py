"""Webhooks: a fund's endpoints and the deliveries of its events to them.

Officers and managers of a fund, and the fund's keys, read its endpoints and deliveries; anyone
else gets a 404, also for a guessed id. Only a manager of the fund registers, disables, enables,
rotates, deletes, tests and replays (``integrations.webhooks.services.manager_refusal``: 403 with
its reason); a fund key acts with the role its account has in the fund. Every write goes through
``integrations.webhooks.services``, the same functions the web screens call.

A signing secret is shown once, in the response to the POST that created or rotated it. An
``Idempotency-Key`` replay returns that response without the secret, which is therefore never
stored anywhere but on the endpoint itself.
"""

from functools import partial

import django_filters
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.reverse import reverse

from api.base import ApiViewSet
from api.idempotency import run_idempotently
from api.integrations.serializers.webhooks import (
    WebhookDeliverySerializer,
    WebhookEndpointCreateSerializer,
    WebhookEndpointSecretSerializer,
    WebhookEndpointSerializer,
)
from api.scoping import key_fund_id
from funds.models import Fund
from integrations.models import WebhookDelivery, WebhookEndpoint
from integrations.webhooks import services

NO_PAGES = {"pagination_class": None, "filter_backends": []}


def staff_funds(request) -> QuerySet[Fund]:
    """The funds whose webhooks the caller sees (``services.can_view``); a key: its own fund."""
    user = request.user
    if not user.is_authenticated or not user.is_active:
        return Fund.objects.none()
    funds = Fund.objects.filter(memberships__user=user)
    fund_id = key_fund_id(request)
    if fund_id is not None:
        funds = funds.filter(pk=fund_id)
    return Fund.objects.filter(pk__in=funds.values("pk"))


def _without_stored_secret(request, *args, handler, **kwargs):
    """``run_idempotently`` keeps the response to replay it: keep the secret out of that copy.

    The caller sees the secret in the response to its first request only; a replay shows null.
    """
    shown = {}

    def handle(request, *args, **kwargs):
        response = handler(request, *args, **kwargs)
        data = getattr(response, "data", None)
        if isinstance(data, dict) and data.get("secret"):
            shown["secret"] = data["secret"]
            response.data = {**data, "secret": None}
        return response

    response = run_idempotently(request, *args, handler=handle, **kwargs)
    if shown and isinstance(getattr(response, "data", None), dict):
        response.data = {**response.data, "secret": shown["secret"]}
    return response


class SecretsNotReplayedMixin:
    """For a viewset whose POSTs may answer with a secret; see ``_without_stored_secret``."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        post = getattr(self, "post", None)
        if isinstance(post, partial) and post.func is run_idempotently:
            self.post = partial(_without_stored_secret, handler=post.keywords["handler"])


class WebhookEndpointFilter(django_filters.FilterSet):
    fund = django_filters.CharFilter(field_name="fund__slug", label="Fund (slug)")
    active = django_filters.BooleanFilter(label="Active (true) or disabled (false)")

    class Meta:
        model = WebhookEndpoint
        fields = ["fund", "active"]


@extend_schema_view(
    list=extend_schema(summary="Webhook endpoints of the funds you work for"),
    retrieve=extend_schema(summary="One webhook endpoint (never its secret)"),
)
class WebhookEndpointViewSet(
    SecretsNotReplayedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet
):
    """Where a fund's events are sent, signed as Standard Webhooks. Managers of the fund manage
    them; its officers and keys read them."""

    serializer_class = WebhookEndpointSerializer
    filterset_class = WebhookEndpointFilter
    cursor_ordering = ("-pk",)
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        funds = staff_funds(self.request)
        return WebhookEndpoint.objects.filter(fund__in=funds).select_related("fund")

    def _fresh(self, endpoint) -> WebhookEndpoint:
        return WebhookEndpoint.objects.select_related("fund").get(pk=endpoint.pk)

    @extend_schema(
        request=WebhookEndpointCreateSerializer,
        responses={201: WebhookEndpointSecretSerializer},
        summary="Register an endpoint; the response shows its signing secret, once",
        description="Only a manager of the fund (403 for anyone else who works for it). The URL "
        "must be https and resolve to public internet addresses only (400 on `url` otherwise). "
        "Store `secret` now: no other response shows it. Send an `Idempotency-Key` to retry "
        "safely; a replay returns the same endpoint with `secret` null.",
    )
    def create(self, request):
        serializer = WebhookEndpointCreateSerializer(data=request.data, funds=staff_funds(request))
        valid = serializer.is_valid()
        if serializer.fund is not None:  # who may register, before what they sent
            refusal = services.manager_refusal(serializer.fund, request.user)
            if refusal:
                raise PermissionDenied(refusal)
        if not valid:
            raise serializers.ValidationError(serializer.errors)
        endpoint, secret = services.endpoint_create(actor=request.user, **serializer.validated_data)
        location = reverse("webhook-endpoint-detail", args=[endpoint.pk], request=request)
        data = {**WebhookEndpointSerializer(self._fresh(endpoint)).data, "secret": secret}
        return Response(
            data,
            status=status.HTTP_201_CREATED,
            headers={"Location": location},
        )

    @extend_schema(
        request=None,
        responses={204: None},
        summary="Delete an endpoint and its delivery log",
        description="Only a manager of the fund. Deliveries still waiting are not sent.",
    )
    def destroy(self, request, pk=None):
        services.endpoint_delete(endpoint=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request=None,
        responses=WebhookEndpointSerializer,
        summary="Disable an endpoint: nothing is sent to it until it is enabled",
        description="Only a manager of the fund; 409 if it is disabled already.",
    )
    @action(detail=True, methods=["post"], **NO_PAGES)
    def disable(self, request, pk=None):
        endpoint = services.endpoint_disable(endpoint=self.get_object(), actor=request.user)
        return Response(self.get_serializer(self._fresh(endpoint)).data)

    @extend_schema(
        request=None,
        responses=WebhookEndpointSerializer,
        summary="Enable an endpoint again: new events are sent to it",
        description="Only a manager of the fund; 409 if it is active already, 400 on `url` if "
        "the URL no longer passes the checks. Deliveries given up while it was disabled can be "
        "replayed one by one.",
    )
    @action(detail=True, methods=["post"], **NO_PAGES)
    def enable(self, request, pk=None):
        endpoint = services.endpoint_enable(endpoint=self.get_object(), actor=request.user)
        return Response(self.get_serializer(self._fresh(endpoint)).data)

    @extend_schema(
        request=None,
        responses=WebhookEndpointSecretSerializer,
        summary="A new signing secret, shown once; the old one still signs for a day",
        description="Only a manager of the fund. Until `previous_secret_until` every delivery "
        "carries a signature with the old secret and one with the new, so the receiver can "
        "switch over without losing a message.",
    )
    @action(detail=True, methods=["post"], url_path="rotate-secret", **NO_PAGES)
    def rotate_secret(self, request, pk=None):
        endpoint, secret = services.endpoint_rotate_secret(
            endpoint=self.get_object(), actor=request.user
        )
        data = {**self.get_serializer(self._fresh(endpoint)).data, "secret": secret}
        return Response(data)

    @extend_schema(
        request=None,
        responses={202: WebhookDeliverySerializer},
        summary="Send a `webhook.test` event to this endpoint only",
        description="Only a manager of the fund; 409 if the endpoint is disabled. Returns the "
        "queued delivery: follow it at `/webhook-deliveries/{id}/`.",
    )
    @action(detail=True, methods=["post"], url_path="test", **NO_PAGES)
    def send_test(self, request, pk=None):
        delivery = services.endpoint_send_test(endpoint=self.get_object(), actor=request.user)
        return Response(
            WebhookDeliverySerializer(_deliveries().get(pk=delivery.pk)).data,
            status=status.HTTP_202_ACCEPTED,
        )


def _deliveries() -> QuerySet[WebhookDelivery]:
    return WebhookDelivery.objects.select_related("endpoint__fund", "event").prefetch_related(
        "attempt_log"
    )


class WebhookDeliveryFilter(django_filters.FilterSet):
    endpoint = django_filters.NumberFilter(field_name="endpoint_id", label="Endpoint id")
    state = django_filters.ChoiceFilter(choices=WebhookDelivery.State.choices)
    event_type = django_filters.CharFilter(
        field_name="event__type", label="Event type, e.g. comment.created"
    )
    fund = django_filters.CharFilter(field_name="endpoint__fund__slug", label="Fund (slug)")

    class Meta:
        model = WebhookDelivery
        fields = ["endpoint", "state", "event_type", "fund"]


@extend_schema_view(
    list=extend_schema(summary="Deliveries of events to your funds' endpoints, newest first"),
    retrieve=extend_schema(summary="One delivery, with the event's data and every attempt"),
)
class WebhookDeliveryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """The delivery log: one row per event per endpoint, with its state and attempts.

    `pending` waits for its (next) attempt, `failed` is retried with back-off, `succeeded` was
    answered with a 2xx, `dead` was given up (replay it to try again)."""

    serializer_class = WebhookDeliverySerializer
    filterset_class = WebhookDeliveryFilter
    cursor_ordering = ("-pk",)
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        return _deliveries().filter(endpoint__fund__in=staff_funds(self.request))

    @extend_schema(
        request=None,
        responses={202: WebhookDeliverySerializer},
        summary="Send a delivery again, with the same webhook-id",
        description="Only a manager of the fund. It is retried again for a day if it fails. "
        "409 if its endpoint is disabled or it is being sent right now.",
    )
    @action(detail=True, methods=["post"], **NO_PAGES)
    def replay(self, request, pk=None):
        delivery = services.delivery_replay(delivery=self.get_object(), actor=request.user)
        return Response(
            WebhookDeliverySerializer(_deliveries().get(pk=delivery.pk)).data,
            status=status.HTTP_202_ACCEPTED,
        )


def register(router) -> None:
    router.register("webhook-endpoints", WebhookEndpointViewSet, basename="webhook-endpoint")
    router.register("webhook-deliveries", WebhookDeliveryViewSet, basename="webhook-delivery")
