"""A step's questions and current answers, and writing them: each write is a new revision.

Two editors must not silently overwrite each other: GET gives the content's ``ETag``; PUT and
PATCH need it back in ``If-Match`` (428 without it, 412 when someone saved in between). The
check and the save happen under the application's row lock, so nothing slips in between.
"""

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from api.applications.access import ApplicationNestedMixin
from api.applications.serializers.steps import StepContentSerializer, StepSerializer, etag_of
from api.base import ApiViewSet
from api.errors import PreconditionFailed, PreconditionRequired
from applications import permissions, services
from applications.models import Revision, Step
from applications.services.base import lock_application

ETAG_HEADER = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=[200],
    description="A strong tag of the step's latest revision: send it in If-Match to change it.",
)
IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description="The ETag from your last GET of this step. 412 if someone saved since.",
)


def with_latest_revisions(application, steps) -> list[Step]:
    """The steps with ``current_revision`` set: two queries, whatever the number of steps."""
    latest = Revision.objects.filter(step=OuterRef("pk")).order_by("-number").values("pk")[:1]
    steps = list(steps.annotate(latest_revision_pk=Subquery(latest)))
    revisions = Revision.objects.select_related("author__fund_api_key").in_bulk(
        [step.latest_revision_pk for step in steps if step.latest_revision_pk]
    )
    for step in steps:
        step.application = application
        step.current_revision = revisions.get(step.latest_revision_pk)
    return steps


def if_match_allows(header: str, etag: str) -> bool:
    """Strong comparison (RFC 9110): weak tags and ``*`` never match a particular revision."""
    return etag in (tag.strip() for tag in header.split(","))


class StepViewSet(ApplicationNestedMixin, mixins.ListModelMixin, ApiViewSet):
    """The application's steps in order, each with its questions and current answers."""

    serializer_class = StepSerializer
    lookup_field = "key"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    pagination_class = None
    filter_backends = []
    uses_etag = True

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Step.objects.none()
        return self.application.steps.order_by("order")

    def list(self, request, application_pk=None):
        steps = with_latest_revisions(self.application, self.get_queryset())
        return Response(self.get_serializer(steps, many=True).data)

    def _step(self, key: str) -> Step:
        steps = with_latest_revisions(self.application, self.get_queryset().filter(key=key))
        if not steps:
            raise NotFound
        return steps[0]

    def _respond(self, step: Step) -> Response:
        return Response(
            self.get_serializer(step).data, headers={"ETag": etag_of(step.current_revision)}
        )

    @extend_schema(parameters=[ETAG_HEADER], summary="A step's questions and current answers")
    def retrieve(self, request, application_pk=None, key=None):
        return self._respond(self._step(key))

    @extend_schema(
        request=StepContentSerializer,
        responses=StepSerializer,
        parameters=[IF_MATCH, ETAG_HEADER],
        summary="Replace all answers (network members): a new revision",
    )
    def update(self, request, application_pk=None, key=None):
        return self._save(request, key, merge=False)

    @extend_schema(
        request=StepContentSerializer,
        responses=StepSerializer,
        parameters=[IF_MATCH, ETAG_HEADER],
        summary="Change some answers (network members): a new revision",
    )
    def partial_update(self, request, application_pk=None, key=None):
        return self._save(request, key, merge=True)

    def _save(self, request, key: str, *, merge: bool) -> Response:
        step = self._step(key)
        # Members and the network's helpers write drafts (``permissions.writer_refusal``).
        refusal = permissions.writer_refusal(self.application, request.user)
        if refusal is not None:
            raise PermissionDenied(refusal)
        if_match = request.headers.get("If-Match", "").strip()
        if not if_match:
            raise PreconditionRequired(
                _("Send If-Match with the ETag you read, so no one's change is overwritten.")
            )
        serializer = StepContentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        answers = serializer.validated_data["content"]
        with transaction.atomic():
            # Whoever saves first wins; the other's If-Match no longer matches.
            lock_application(self.application)
            step = self._step(key)
            latest = step.current_revision
            if not if_match_allows(if_match, etag_of(latest)):
                raise PreconditionFailed(
                    _("Someone saved this step since you read it. Fetch it again and retry.")
                )
            content = {**(latest.content if latest else {}), **answers} if merge else answers
            services.step_save_answers(step=step, actor=request.user, content=content)
        return self._respond(self._step(key))
