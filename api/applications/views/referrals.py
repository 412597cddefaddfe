"""Referrals: where a declined network can go next, and "apply here with my answers".

Whoever sees the declined application sees its referrals (``applications.selectors``), with
what became of each. A coordinator of the network starts an application at the programme a
referral names through ``applications.services.referral_start``, the service the web button
calls: 403 for anyone else who sees the referral, 409 when it is not possible now (with the
reason), 404 for a referral you cannot see.
"""

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.reverse import reverse

from api.applications.access import applications_for
from api.applications.serializers.applications import ApplicationSerializer
from api.applications.serializers.referrals import (
    ReferralApplySerializer,
    ReferralSerializer,
    ReferralStartSerializer,
)
from api.base import ApiViewSet
from applications.models import Referral
from applications.referral_outcomes import with_outcome_facts
from applications.services.referral_start import application_start_from_referral


class ReferralFilter(django_filters.FilterSet):
    application = django_filters.NumberFilter(
        field_name="application_id", label="The declined application (id)"
    )

    class Meta:
        model = Referral
        fields = ["application"]


class ReferralViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Referrals of the declined applications you see, with what became of each."""

    serializer_class = ReferralSerializer
    filterset_class = ReferralFilter
    cursor_ordering = ("-pk",)
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        visible = applications_for(self.request).values("pk")
        referrals = Referral.objects.filter(application__in=visible).select_related("programme")
        return with_outcome_facts(referrals)

    @extend_schema(
        request=ReferralApplySerializer,
        responses={201: ReferralStartSerializer},
        summary="Apply here with my answers: start an application at the referred programme",
        description="For a coordinator of the declined network. Starts an application at the "
        "programme the referral names, with the declined application's Idea answers copied "
        "into the new first step as a draft (only answers to questions that step has, and "
        "that fit them), the network's draft until it submits the step. "
        "403 for anyone else, 409 when it is not possible now: the referral names no "
        "programme, the network cannot apply there, or it has an open application there "
        "already. Send an `Idempotency-Key` to retry safely.",
    )
    @action(detail=True, methods=["post"], pagination_class=None, filter_backends=[])
    def apply(self, request, pk=None):
        referral = self.get_object()
        payload = ReferralApplySerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        started = application_start_from_referral(
            referral=referral, actor=request.user, **payload.validated_data
        )
        application = ApplicationSerializer.prepare(applications_for(request)).get(
            pk=started.application.pk
        )
        body = ReferralStartSerializer(
            {
                "application": application,
                "copied_answers": started.copied,
                "answers_left_out": started.left_out,
            },
            context=self.get_serializer_context(),
        ).data
        location = reverse("application-detail", args=[application.pk], request=request)
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": location})


def register(router) -> None:
    router.register("referrals", ReferralViewSet, basename="referral")
