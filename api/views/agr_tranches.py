"""Tranches: what is due and paid, and marking one paid (four eyes on money, from the service)."""

import django_filters
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework.decorators import action

from agreements import services
from agreements.models import Tranche
from agreements.services.payments import _awarded_by
from api.serializers.agr_common import RunnableTransitionSerializer
from api.serializers.agr_payments import TrancheTransitionSerializer
from api.serializers.agreements import TrancheSerializer

from .agr_access import viewer_of, visible_tranches
from .agr_common import NO_PAGES, TransitionsMixin, unknown_transition
from .base import ApiViewSet


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
    transitions_offered = {
        "mark_paid": (gettext_lazy("Mark paid"), ("paid_on", "reference")),
    }

    def get_queryset(self):
        return visible_tranches(self.request).select_related(
            "agreement__application__programme__fund", "agreement__application__network"
        )

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

    def available_transitions(self, tranche) -> list[str]:
        agreement = tranche.agreement
        application = agreement.application
        user = self.request.user
        if tranche.state != Tranche.State.DUE or not viewer_of(self.request).is_officer(
            application
        ):
            return []
        if application.programme.fund.four_eyes_on_payments and user.pk in (
            agreement.prepared_by_id,
            _awarded_by(application),
        ):
            return []
        return ["mark_paid"]

    def run_transition(self, tranche, name: str, data: dict):
        if name == "mark_paid":
            return services.tranche_mark_paid(
                tranche=tranche,
                actor=self.request.user,
                paid_on=data.get("paid_on"),
                reference=data.get("reference", ""),
            )
        raise unknown_transition(name)
