"""Agreements: prepare a draft, edit it, name who signs, plan tranches, send, cancel; the signed
contract PDF and checking a file against it. Tranches and reports are in ``agr_tranches`` and
``agr_reports``; ``register`` adds all three.

Everything is read through ``agreements.selectors`` (404 outside the caller's scope), the
actions run through ``agreements.actions`` and every write is one call of
``agreements.services``: the same selectors, registries and functions as the web screens.
"""

import django_filters
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.reverse import reverse

from agreements import services
from agreements.actions import AGREEMENT_ACTIONS
from agreements.models import Agreement, Signatory, Tranche
from agreements.selectors import agreement_list
from api.agreements.serializers.agreements import (
    AgreementCreateSerializer,
    AgreementSerializer,
    AgreementTransitionSerializer,
    AgreementUpdateSerializer,
)
from api.agreements.views.contracts import ContractMixin
from api.agreements.views.drafts import DraftPartsMixin
from api.agreements.views.reports import ReportViewSet
from api.agreements.views.tranches import TrancheViewSet
from api.base import ApiViewSet
from api.scoping import key_fund_id
from api.transitions.serializers import RunnableTransitionSerializer
from api.transitions.views import NO_PAGES, TransitionsMixin
from applications.selectors import visible_applications
from funds.arrangements import Arrangement


class AgreementFilter(django_filters.FilterSet):
    application = django_filters.NumberFilter(field_name="application_id", label="Application id")
    state = django_filters.ChoiceFilter(choices=Agreement.State.choices)
    arrangement = django_filters.ChoiceFilter(choices=Arrangement.choices)
    contract_sha256 = django_filters.CharFilter(
        field_name="contract_sha256",
        lookup_expr="iexact",
        label="SHA-256 of a contract PDF: which agreement, if any, it is the signed contract of",
    )

    class Meta:
        model = Agreement
        fields = ["application", "state", "arrangement", "contract_sha256"]


class AgreementViewSet(
    ContractMixin,
    DraftPartsMixin,
    TransitionsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    ApiViewSet,
):
    """Agreements of the applications you may see. The fund's officers prepare, edit and send
    them; the network's members read them. Signing happens through the personal links."""

    serializer_class = AgreementSerializer
    filterset_class = AgreementFilter
    cursor_ordering = ("-pk",)
    transition_serializer_class = AgreementTransitionSerializer
    registry = AGREEMENT_ACTIONS

    def get_queryset(self):
        return (
            agreement_list(self.request.user, fund_id=key_fund_id(self.request))
            .prefetch_related(
                Prefetch("signatories", queryset=Signatory.objects.order_by("pk")),
                Prefetch("tranches", queryset=Tranche.objects.order_by("number")),
            )
            .order_by("-pk")
        )

    def _fresh(self, agreement) -> Agreement:
        return self.get_queryset().get(pk=agreement.pk)

    @extend_schema(
        request=AgreementCreateSerializer,
        responses={201: AgreementSerializer},
        summary="Prepare a draft agreement for an awarded application",
    )
    def create(self, request):
        serializer = AgreementCreateSerializer(
            data=request.data,
            applications=visible_applications(
                request.user, fund_id=key_fund_id(request), helping=False
            ),
            agreements=agreement_list(request.user, fund_id=key_fund_id(request)),
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        agreement = services.agreement_prepare(
            application=data["application"],
            actor=request.user,
            arrangement=data["arrangement"],
            amends=data.get("amends"),
        )
        location = reverse("agreement-detail", args=[agreement.pk], request=request)
        return Response(
            self.get_serializer(self._fresh(agreement)).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": location},
        )

    @extend_schema(
        request=AgreementUpdateSerializer,
        responses=AgreementSerializer,
        summary="Change a draft's fields",
    )
    def partial_update(self, request, pk=None):
        agreement = self.get_object()
        serializer = AgreementUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.agreement_save_draft(
            agreement=agreement, actor=request.user, fields=serializer.validated_data
        )
        return Response(self.get_serializer(self._fresh(agreement)).data)

    @extend_schema(methods=["GET"], responses=RunnableTransitionSerializer(many=True))
    @extend_schema(
        methods=["POST"],
        request=AgreementTransitionSerializer,
        responses=AgreementSerializer,
        summary="Send a draft for signature, or cancel",
    )
    @action(detail=True, methods=["get", "post"], **NO_PAGES)
    def transitions(self, request, pk=None):
        return self.handle_transitions(request)


def register(router) -> None:
    router.register("agreements", AgreementViewSet, basename="agreement")
    router.register("tranches", TrancheViewSet, basename="tranche")
    router.register("reports", ReportViewSet, basename="report")
