"""Every saved version of a step's answers, and what changed between two of them."""

import django_filters
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from api.applications.access import ApplicationNestedMixin
from api.applications.serializers.applications import MAX_ID
from api.applications.serializers.steps import (
    RevisionDiffSerializer,
    RevisionRefSerializer,
    RevisionSerializer,
)
from api.base import ApiViewSet
from applications.diff import answer_text, step_changes
from applications.models import Revision
from funds.questions import localized


class RevisionFilter(django_filters.FilterSet):
    step = django_filters.CharFilter(field_name="step__key", label="Step (key)")

    class Meta:
        model = Revision
        fields = ["step"]


class DiffQuerySerializer(serializers.Serializer):
    def get_fields(self):
        # "from" is a Python keyword, so the fields cannot be declared as class attributes.
        return {
            "from": serializers.IntegerField(min_value=1, max_value=MAX_ID),
            "to": serializers.IntegerField(min_value=1, max_value=MAX_ID),
        }


class RevisionViewSet(
    ApplicationNestedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet
):
    """Saved versions of the application's step answers, newest first. Immutable."""

    serializer_class = RevisionSerializer
    filterset_class = RevisionFilter
    cursor_ordering = ("-pk",)
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Revision.objects.none()
        return Revision.objects.filter(step__application=self.application).select_related(
            "step", "author__fund_api_key"
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("from", OpenApiTypes.INT, required=True, description="Revision id"),
            OpenApiParameter("to", OpenApiTypes.INT, required=True, description="Revision id"),
        ],
        responses=RevisionDiffSerializer,
        summary="What changed between two revisions of one step, per question",
    )
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def diff(self, request, application_pk=None):
        query = DiffQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        ids = {name: query.validated_data[name] for name in ("from", "to")}
        found = self.get_queryset().in_bulk(set(ids.values()))
        errors = {
            name: [_("This application has no revision %(id)s.") % {"id": pk}]
            for name, pk in ids.items()
            if pk not in found
        }
        if errors:
            raise serializers.ValidationError(errors)
        old, new = found[ids["from"]], found[ids["to"]]
        if old.step_id != new.step_id:
            raise serializers.ValidationError(
                {"to": [_("Compare two revisions of the same step.")]}
            )
        questions = old.step.questions
        changes = step_changes(questions, old.content, new.content)
        rows = [
            {
                "key": question["key"],
                "label": localized(question.get("label")),
                "old": answer_text(question, old.content.get(question["key"])),
                "new": answer_text(question, new.content.get(question["key"])),
                "old_value": old.content.get(question["key"]),
                "new_value": new.content.get(question["key"]),
                "changed": question["key"] in changes,
            }
            for question in questions
        ]
        data = {
            "step": old.step.key,
            "from_revision": RevisionRefSerializer(old).data,
            "to_revision": RevisionRefSerializer(new).data,
            "changed": list(changes),
            "questions": rows,
        }
        return Response(data)
