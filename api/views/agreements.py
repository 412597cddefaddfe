"""Agreements: prepare a draft, edit it, name who signs, plan tranches, send, cancel; the signed
contract PDF and checking a file against it. Tranches and reports are in ``agr_tranches`` and
``agr_reports``; ``register`` adds all three.

Everything is read through the applications the caller may see (404 otherwise) and written
through ``agreements.services``, the same functions the web screens call.
"""

import django_filters
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.reverse import reverse

from agreements import services
from agreements.models import Agreement, Signatory, Tranche
from api.serializers.agr_common import RunnableTransitionSerializer
from api.serializers.agreements import (
    AgreementCreateSerializer,
    AgreementSerializer,
    AgreementTransitionSerializer,
    AgreementUpdateSerializer,
)
from funds.arrangements import Arrangement

from .agr_access import viewer_of, visible_agreements, visible_applications
from .agr_common import NO_PAGES, TransitionsMixin, unknown_transition
from .agr_contracts import ContractMixin
from .agr_drafts import DraftPartsMixin
from .base import ApiViewSet


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
    transitions_offered = {
        "send": (gettext_lazy("Send for signature"), ("note",)),
        "cancel": (gettext_lazy("Cancel the agreement"), ("note",)),
    }

    def get_queryset(self):
        return (
            visible_agreements(self.request)
            .select_related("application__programme__fund", "application__network")
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
            applications=visible_applications(request),
            agreements=visible_agreements(request),
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
        services.agreement_update(
            agreement=agreement, actor=request.user, **serializer.validated_data
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

    def available_transitions(self, agreement) -> list[str]:
        if not viewer_of(self.request).is_officer(agreement.application):
            return []
        if agreement.state == Agreement.State.DRAFT:
            sendable = not services.sending_errors(agreement)
            return ["send", "cancel"] if sendable else ["cancel"]
        if agreement.state == Agreement.State.OUT_FOR_SIGNATURE:
            return ["cancel"]
        return []

    def run_transition(self, agreement, name: str, data: dict):
        note = data.get("note", "")
        if name == "send":
            return services.agreement_send(agreement=agreement, actor=self.request.user, note=note)
        if name == "cancel":
            return services.agreement_cancel(
                agreement=agreement, actor=self.request.user, note=note
            )
        raise unknown_transition(name)


def register(router) -> None:
    from .agr_reports import ReportViewSet
    from .agr_tranches import TrancheViewSet

    router.register("agreements", AgreementViewSet, basename="agreement")
    router.register("tranches", TrancheViewSet, basename="tranche")
    router.register("reports", ReportViewSet, basename="report")
