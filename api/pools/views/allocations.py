"""Allocations: reserve pool hours for an application, assign a provider, log delivered hours,
release or close. Reserving is one call of ``pools.services``; every other change is an action of
``pools.actions``, as on the web screens. Who sees which allocation is ``pools.selectors``."""

import django_filters
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.reverse import reverse

from api.base import ApiViewSet
from api.pools.serializers.allocations import (
    AllocationCreateSerializer,
    AllocationSerializer,
    AllocationTransitionSerializer,
)
from api.scoping import key_fund_id
from api.transitions.serializers import RunnableTransitionSerializer
from api.transitions.views import NO_PAGES, TransitionsMixin
from applications.selectors import visible_applications
from pools import selectors, services
from pools.actions import ALLOCATION_ACTIONS
from pools.models import Allocation, Delivery

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
    registry = ALLOCATION_ACTIONS
    transition_serializer_class = AllocationTransitionSerializer

    def get_queryset(self):
        request = self.request
        return (
            selectors.allocation_list(request.user, fund_id=key_fund_id(request))
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
            data=request.data,
            applications=visible_applications(
                request.user, fund_id=key_fund_id(request), helping=False
            ),
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
