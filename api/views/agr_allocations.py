"""Allocations: reserve pool hours for an application, assign a provider, log delivered hours,
release or close. Every write is one call of ``pools.services``, as in the web screens."""

import django_filters
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.reverse import reverse

from api.serializers.agr_allocations import (
    AllocationCreateSerializer,
    AllocationSerializer,
    AllocationTransitionSerializer,
)
from api.serializers.agr_common import RunnableTransitionSerializer
from applications.services.base import require
from pools import permissions, services
from pools.models import Allocation, Delivery

from .agr_access import viewer_of, visible_allocations, visible_applications
from .agr_common import NO_PAGES, TransitionsMixin, unknown_transition
from .base import ApiViewSet

State = Allocation.State


class AllocationFilter(django_filters.FilterSet):
    pool = django_filters.NumberFilter(field_name="service__pool_id", label="Support pool id")
    application = django_filters.NumberFilter(field_name="application_id", label="Application id")
    state = django_filters.ChoiceFilter(choices=State.choices)

    class Meta:
        model = Allocation
        fields = ["pool", "application", "state"]


class AllocationViewSet(
    TransitionsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet
):
    """Hours of a support pool's service reserved for an application, and their delivery.
    Seen by the network, its fund, the provider and the pool's funds; hours only, no euros."""

    serializer_class = AllocationSerializer
    filterset_class = AllocationFilter
    cursor_ordering = ("-pk",)
    transition_serializer_class = AllocationTransitionSerializer
    transitions_offered = {
        "assign_provider": (gettext_lazy("Assign a provider"), ("provider",)),
        "log_delivery": (gettext_lazy("Log delivered hours"), ("delivered_on", "hours", "note")),
        "close": (gettext_lazy("Close"), ("note",)),
        "release": (gettext_lazy("Release the hours"), ("note",)),
    }

    def get_queryset(self):
        return (
            visible_allocations(self.request)
            .select_related("service__service_type", "application", "provider")
            .prefetch_related(
                Prefetch("deliveries", queryset=Delivery.objects.order_by("delivered_on", "pk"))
            )
        )

    @extend_schema(
        request=AllocationCreateSerializer,
        responses={201: AllocationSerializer},
        summary="Reserve pool hours for an application (the fund's officers)",
        description="Never more than the pool has left: otherwise 400 with an error on `hours`.",
    )
    def create(self, request):
        serializer = AllocationCreateSerializer(
            data=request.data, applications=visible_applications(request)
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        allocation = services.allocation_reserve(
            application=data["application"],
            service=data["service"],
            hours=data["hours"],
            need=data["need"],
            provider=data.get("provider"),
            note=data.get("note", ""),
            actor=request.user,
        )
        return Response(
            self.get_serializer(self.get_queryset().get(pk=allocation.pk)).data,
            status=status.HTTP_201_CREATED,
            headers={
                "Location": reverse("allocation-detail", args=[allocation.pk], request=request)
            },
        )

    @extend_schema(methods=["GET"], responses=RunnableTransitionSerializer(many=True))
    @extend_schema(
        methods=["POST"],
        request=AllocationTransitionSerializer,
        responses=AllocationSerializer,
        summary="Assign a provider, log delivered hours, close or release",
    )
    @action(detail=True, methods=["get", "post"], **NO_PAGES)
    def transitions(self, request, pk=None):
        return self.handle_transitions(request)

    def available_transitions(self, allocation) -> list[str]:
        state = allocation.state
        if viewer_of(self.request).is_officer(allocation.application):
            names = {
                State.RESERVED: ["assign_provider", "release"],
                State.CONFIRMED: ["assign_provider", "log_delivery", "close", "release"],
                State.DELIVERED: ["close"],
            }
            return names.get(state, [])
        provider = allocation.provider
        is_provider = provider is not None and provider.user_id == self.request.user.pk
        return ["log_delivery"] if is_provider and state == State.CONFIRMED else []

    def run_transition(self, allocation, name: str, data: dict):
        actor = self.request.user
        if name == "release":
            return services.allocation_release(
                allocation=allocation, actor=actor, note=data.get("note", "")
            )
        if name == "close":
            return services.allocation_close(
                allocation=allocation, actor=actor, note=data.get("note", "")
            )
        if name == "assign_provider":
            # Who may comes before what is missing, as in the service.
            require(permissions.allocation_officer_refusal(allocation, actor))
            if "provider" not in data:
                raise ValidationError(
                    {"provider": [_("Name the provider, or send null to take it off.")]}
                )
            return services.allocation_assign_provider(
                allocation=allocation, actor=actor, provider=data["provider"]
            )
        if name == "log_delivery":
            return services.delivery_log(
                allocation=allocation,
                actor=actor,
                delivered_on=data.get("delivered_on"),
                hours=data.get("hours"),
                note=data.get("note", ""),
            )
        raise unknown_transition(name)
