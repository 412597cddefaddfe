"""Comments on an application's steps, and its history (the transition log)."""

import django_filters
from django_fsm_log.models import StateLog
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.reverse import reverse

from api.applications.access import ApplicationNestedMixin
from api.applications.serializers.comments import (
    ApplicationCommentCreateSerializer,
    ApplicationCommentSerializer,
    HistoryEntrySerializer,
)
from api.base import ApiViewSet
from applications import services
from applications.models import Comment


class CommentFilter(django_filters.FilterSet):
    step = django_filters.CharFilter(field_name="step__key", label="Step (key)")
    question_key = django_filters.CharFilter(label="Question (key); empty for general comments")

    class Meta:
        model = Comment
        fields = ["step", "question_key"]


class CommentViewSet(
    ApplicationNestedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    ApiViewSet,
):
    """Comments on the application's steps, oldest first: per question or about a whole step.

    Network members and the fund's officers comment; officers resolve them.
    """

    serializer_class = ApplicationCommentSerializer
    filterset_class = CommentFilter
    cursor_ordering = ("created_at", "pk")
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Comment.objects.none()
        return Comment.objects.filter(step__application=self.application).select_related(
            "step", "author__fund_api_key", "resolved_by__fund_api_key"
        )

    def _respond(self, comment, code=status.HTTP_200_OK, headers=None) -> Response:
        comment = self.get_queryset().get(pk=comment.pk)
        return Response(self.get_serializer(comment).data, status=code, headers=headers)

    @extend_schema(
        request=ApplicationCommentCreateSerializer,
        responses={201: ApplicationCommentSerializer},
        summary="Comment on a step or one of its questions",
    )
    def create(self, request, application_pk=None):
        serializer = ApplicationCommentCreateSerializer(
            data=request.data, application=self.application
        )
        serializer.is_valid(raise_exception=True)
        comment = services.comment_create(actor=request.user, **serializer.validated_data)
        location = reverse(
            "application-comment-detail", args=[self.application.pk, comment.pk], request=request
        )
        return self._respond(comment, status.HTTP_201_CREATED, {"Location": location})

    @extend_schema(
        request=None,
        responses=ApplicationCommentSerializer,
        summary="Mark a comment as resolved (the fund's officers)",
    )
    @action(detail=True, methods=["post"], pagination_class=None, filter_backends=[])
    def resolve(self, request, application_pk=None, pk=None):
        comment = services.comment_resolve(comment=self.get_object(), actor=request.user)
        return self._respond(comment)


class HistoryViewSet(ApplicationNestedMixin, mixins.ListModelMixin, ApiViewSet):
    """Every transition of the application, oldest first: who, when, from and to which state."""

    serializer_class = HistoryEntrySerializer
    cursor_ordering = ("timestamp", "pk")
    filter_backends = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return StateLog.objects.none()
        return StateLog.objects.for_(self.application).select_related("by__fund_api_key")
