"""Tranches: what is due and paid, and marking one paid (four eyes on money: ``mark_paid`` of
``agreements.actions``, the same rule the web page and the service follow)."""

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework.decorators import action

from agreements.actions import TRANCHE_ACTIONS
from agreements.models import Tranche
from agreements.selectors import tranche_list
from api.agreements.serializers.agreements import TrancheSerializer
from api.agreements.serializers.payments import TrancheTransitionSerializer
from api.base import ApiViewSet
from api.scoping import key_fund_id
from api.transitions.serializers import RunnableTransitionSerializer
from api.transitions.views import NO_PAGES, TransitionsMixin


class TrancheFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=Tranche.State.choices)
    agreement = django_filters.NumberFilter(field_name="agreement_id", label="Agreement id")
    fund = django_filters.CharFilter(
        field_name="agreement__application__programme__fund__slug", label="Fund (slug)"
    )

    class Meta:
        model = Tranche
        fields = ["state", "agreement", "fund"]


class TrancheViewSet(
    TransitionsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet
):
    """Payments of agreements in tranches. A tranche is due on signing or after the final
    report is accepted; the fund's officers mark it paid."""

    serializer_class = TrancheSerializer
    filterset_class = TrancheFilter
    cursor_ordering = ("-pk",)
    transition_serializer_class = TrancheTransitionSerializer
    registry = TRANCHE_ACTIONS

    def get_queryset(self):
        return tranche_list(self.request.user, fund_id=key_fund_id(self.request))

    @extend_schema(methods=["GET"], responses=RunnableTransitionSerializer(many=True))
    @extend_schema(
        methods=["POST"],
        request=TrancheTransitionSerializer,
        responses=TrancheSerializer,
        summary="Mark a due tranche paid",
        description="Where the fund has four eyes on money, the person who awarded the grant or "
        "prepared the agreement may not (403).",
    )
    @action(detail=True, methods=["get", "post"], **NO_PAGES)
    def transitions(self, request, pk=None):
        return self.handle_transitions(request)
