"""Applications: list and read what you may see, start one, and run its transitions.

Steps, revisions, comments and the history live under ``applications/{id}/`` in the ``app_*``
modules; ``register`` adds them all. People see what the web screens show them; a fund key sees
its own fund's applications. Anything else is a 404. Every write goes through
``applications.services``, the same functions the web screens call.
"""

import django_filters
from django.db.models import Q
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.reverse import reverse

from api.applications.access import applications_for, networks_for
from api.applications.serializers.applications import (
    ApplicationCreateSerializer,
    ApplicationSerializer,
)
from api.applications.serializers.transitions import PAYLOADS, ApplicationTransitionOptionSerializer
from api.applications.views import transitions as runner
from api.applications.views.comments import CommentViewSet, HistoryViewSet
from api.applications.views.revisions import RevisionViewSet
from api.applications.views.steps import StepViewSet
from api.base import ApiViewSet
from applications import services
from applications.models import Application

NO_PAGES = {"pagination_class": None, "filter_backends": []}

TRANSITION_REQUEST = PolymorphicProxySerializer(
    component_name="ApplicationTransition",
    serializers={name: serializer for name, serializer in PAYLOADS.items()},
    resource_type_field_name="name",
)


class ApplicationFilter(django_filters.FilterSet):
    state = django_filters.MultipleChoiceFilter(
        choices=Application.State.choices, label="State (repeat for several)"
    )
    programme = django_filters.CharFilter(method="filter_programme", label="Programme (slug or id)")
    fund = django_filters.CharFilter(field_name="programme__fund__slug", label="Fund (slug)")
    updated_since = django_filters.IsoDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        label="Changed at or after this moment (ISO 8601, e.g. 2026-05-01T00:00:00Z)",
    )

    class Meta:
        model = Application
        fields = ["state", "programme", "fund", "updated_since"]

    def filter_programme(self, queryset, name, value):
        match = Q(programme__slug=value)
        if value.isdigit() and len(value) < 19:
            match |= Q(programme_id=int(value))
        return queryset.filter(match)


class ApplicationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ApiViewSet
):
    """Applications of your networks and of the funds you work for (a key: its own fund's).

    Sorted by last change, newest first; `updated_since` with the cursor pages lets a back office
    pick up everything that changed since its last sync.
    """

    serializer_class = ApplicationSerializer
    filterset_class = ApplicationFilter
    cursor_ordering = ("-updated_at", "-pk")
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        return ApplicationSerializer.prepare(applications_for(self.request))

    def _fresh(self, application) -> Application:
        return self.get_queryset().get(pk=application.pk)

    @extend_schema(
        request=ApplicationCreateSerializer,
        responses={201: ApplicationSerializer},
        summary="Start an application for a network you coordinate",
    )
    def create(self, request):
        serializer = ApplicationCreateSerializer(data=request.data, networks=networks_for(request))
        serializer.is_valid(raise_exception=True)
        application = services.application_create(actor=request.user, **serializer.validated_data)
        location = reverse("application-detail", args=[application.pk], request=request)
        return Response(
            self.get_serializer(self._fresh(application)).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": location},
        )

    @extend_schema(
        methods=["GET"],
        responses=ApplicationTransitionOptionSerializer(many=True),
        summary="The transitions you may run now, with the fields each needs",
    )
    @extend_schema(
        methods=["POST"],
        request=TRANSITION_REQUEST,
        responses=ApplicationSerializer,
        summary='Run a transition: {"name": ..., <its fields>}',
        description="The same rules as the web screens. 400 with field errors for a bad payload "
        "or an unknown name, 403 for a role that may not, 409 when the application's state does "
        "not allow it (also when someone else acted first). Returns the application as it is "
        "now. Send an `Idempotency-Key` to retry safely.",
    )
    @action(detail=True, methods=["get", "post"], **NO_PAGES)
    def transitions(self, request, pk=None):
        application = self.get_object()
        if request.method == "GET":
            options = runner.runnable(request, application)
            return Response(ApplicationTransitionOptionSerializer(options, many=True).data)
        runner.run(request, application)
        return Response(self.get_serializer(self._fresh(application)).data)


def register(router) -> None:
    router.register("applications", ApplicationViewSet, basename="application")
    nested = r"applications/(?P<application_pk>[0-9]+)"
    router.register(f"{nested}/steps", StepViewSet, basename="application-step")
    router.register(f"{nested}/revisions", RevisionViewSet, basename="application-revision")
    router.register(f"{nested}/comments", CommentViewSet, basename="application-comment")
    router.register(f"{nested}/history", HistoryViewSet, basename="application-history")
