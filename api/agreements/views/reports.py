"""Reports: the network submits what was done and spent; the fund accepts or asks for changes."""

import json

import django_filters
from django.db.models import Prefetch
from django.http import FileResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.reverse import reverse

from agreements import services
from agreements.actions import REPORT_ACTIONS
from agreements.models import Report, ReportAttachment, ReportComment
from agreements.selectors import agreement_list, report_list
from agreements.uploads import SIGNATURES
from api.agreements.serializers.reports import (
    ReportCreateSerializer,
    ReportSerializer,
    ReportTransitionSerializer,
)
from api.base import ApiViewSet, get_object_or_404
from api.parsers import JSONParser
from api.scoping import key_fund_id
from api.transitions.serializers import RunnableTransitionSerializer
from api.transitions.views import NO_PAGES, FileRenderer, TransitionsMixin


class ReportFilter(django_filters.FilterSet):
    agreement = django_filters.NumberFilter(field_name="agreement_id", label="Agreement id")
    state = django_filters.ChoiceFilter(choices=Report.State.choices)
    kind = django_filters.ChoiceFilter(choices=Report.Kind.choices)

    class Meta:
        model = Report
        fields = ["agreement", "state", "kind"]


def _form_data(request) -> dict:
    """Multipart input as the JSON shape: ``spending`` arrives as a JSON string, files as a list."""
    data = {key: request.data.get(key) for key in ("agreement", "kind", "what_was_done")}
    data = {key: value for key, value in data.items() if value is not None}
    spending = request.data.get("spending")
    if spending:
        try:
            data["spending"] = json.loads(spending)
        except ValueError:
            raise ValidationError(
                {"spending": [_("Send the spending lines as a JSON list.")]}
            ) from None
    data["attachments"] = request.FILES.getlist("attachments")
    return data


class ReportViewSet(TransitionsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Progress and final reports on signed agreements: the network submits, the fund's officers
    accept or request changes."""

    serializer_class = ReportSerializer
    filterset_class = ReportFilter
    cursor_ordering = ("-pk",)
    parser_classes = [JSONParser, MultiPartParser]
    transition_serializer_class = ReportTransitionSerializer
    registry = REPORT_ACTIONS

    def get_queryset(self):
        return report_list(self.request.user, fund_id=key_fund_id(self.request)).prefetch_related(
            Prefetch("attachments", queryset=ReportAttachment.objects.order_by("pk")),
            Prefetch("comments", queryset=ReportComment.objects.order_by("created_at", "pk")),
        )

    @extend_schema(
        request={
            "application/json": ReportCreateSerializer,
            "multipart/form-data": ReportCreateSerializer,
        },
        responses={201: ReportSerializer},
        summary="Submit a report on a signed agreement (network members)",
        description="Send JSON, or multipart/form-data to include `attachments`; in multipart "
        "`spending` is a JSON string.",
    )
    def create(self, request):
        multipart = request.content_type.startswith("multipart/")
        serializer = ReportCreateSerializer(
            data=_form_data(request) if multipart else request.data,
            agreements=agreement_list(request.user, fund_id=key_fund_id(request)),
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        report = services.report_submit(
            agreement=data["agreement"],
            actor=request.user,
            kind=data["kind"],
            what_was_done=data["what_was_done"],
            spending=[_line(row) for row in data.get("spending", [])],
            attachments=data.get("attachments", []),
        )
        return Response(
            self.get_serializer(self.get_queryset().get(pk=report.pk)).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": reverse("report-detail", args=[report.pk], request=request)},
        )

    @extend_schema(
        responses={
            (200, content_type): OpenApiResponse(OpenApiTypes.BINARY, description="The file.")
            for content_type in SIGNATURES.values()
        },
        parameters=[OpenApiParameter("attachment_id", int, OpenApiParameter.PATH)],
        summary="Download a report's attachment (a receipt or photo)",
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"attachments/(?P<attachment_id>[0-9]+)",
        renderer_classes=[FileRenderer, JSONRenderer],
        **NO_PAGES,
    )
    def attachment(self, request, pk=None, attachment_id=None):
        report = self.get_object()
        attachment = get_object_or_404(report.attachments.all(), pk=attachment_id)
        return FileResponse(
            attachment.file.open("rb"),
            as_attachment=True,
            filename=attachment.original_name,
            content_type=attachment.content_type,
        )

    @extend_schema(methods=["GET"], responses=RunnableTransitionSerializer(many=True))
    @extend_schema(
        methods=["POST"],
        request=ReportTransitionSerializer,
        responses=ReportSerializer,
        summary="Accept a report, request changes, or resubmit it",
    )
    @action(
        detail=True,
        methods=["get", "post"],
        parser_classes=[JSONParser],
        **NO_PAGES,
    )
    def transitions(self, request, pk=None):
        return self.handle_transitions(request)


def _line(row) -> dict:
    return {"description": row["description"], "spent": str(row["spent"])}
