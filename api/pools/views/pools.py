"""Support pools: the pools a caller's fund contributes to, and their utilisation in hours.
Allocations are in ``agr_allocations``; ``register`` adds both.

Officers and managers of a contributing fund see a pool; a fund key sees the pools its own fund
contributes to (``pools.selectors.pool_list``, as on the web). Anything else is a 404.
"""

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.response import Response

from api.base import ApiViewSet
from api.pools.serializers.pools import (
    SupportPoolSerializer,
    UtilisationSerializer,
    utilisation_data,
)
from api.pools.views.allocations import AllocationViewSet
from api.scoping import key_fund_id
from api.transitions.views import NO_PAGES
from pools.models import Contribution, PoolService, Provider
from pools.selectors import pool_list, pool_utilisation


class SupportPoolViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Support pools your fund contributes to: services with hours of capacity, contributions
    and providers."""

    serializer_class = SupportPoolSerializer
    cursor_ordering = ("-pk",)

    def get_queryset(self):
        request = self.request
        return pool_list(request.user, fund_id=key_fund_id(request)).prefetch_related(
            Prefetch("services", queryset=PoolService.objects.select_related("service_type")),
            Prefetch("contributions", queryset=Contribution.objects.select_related("fund")),
            Prefetch("providers", queryset=Provider.objects.select_related("service_type")),
        )

    @extend_schema(
        responses=UtilisationSerializer,
        summary="Hours per service type, contributing fund and network",
        description="Capacity, reserved, confirmed (promised, not yet delivered), delivered and "
        "remaining hours. The money value of delivered hours at the providers' rates is under "
        "`money_value`, apart from the hours: it is support in kind, never a grant.",
    )
    @action(detail=True, methods=["get"], **NO_PAGES)
    def utilisation(self, request, pk=None):
        pool = self.get_object()
        utilisation = pool_utilisation(pool)
        utilisation.total.label = _("Total")
        data = utilisation_data(
            utilisation,
            service_types={s.pk: s.service_type.code for s in pool.services.all()},
            fund_slugs={c.fund_id: c.fund.slug for c in pool.contributions.all()},
        )
        return Response(UtilisationSerializer(data).data)


def register(router) -> None:
    router.register("support-pools", SupportPoolViewSet, basename="support-pool")
    router.register("allocations", AllocationViewSet, basename="allocation")
