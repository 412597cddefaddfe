"""Reports: the network submits what was done and spent; the fund accepts or asks for changes."""

import json

import django_filters
from django.db.models import Prefetch
from django.http import FileResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
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
from agreements.models import Report, ReportAttachment, ReportComment
from agreements.uploads import SIGNATURES
from api.parsers import JSONParser
from api.serializers.agr_common import RunnableTransitionSerializer
from api.serializers.agr_reports import (
    ReportCreateSerializer,
    ReportSerializer,
    ReportTransitionSerializer,
)

from .agr_access import viewer_of, visible_agreements, visible_reports
from .agr_common import NO_PAGES, FileRenderer, TransitionsMixin, unknown_transition
from .base import ApiViewSet, get_object_or_404


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
    transitions_offered = {
        "accept": (gettext_lazy("Accept the report"), ()),
        "request_changes": (gettext_lazy("Request changes"), ("comment",)),
        "resubmit": (gettext_lazy("Send the changed report"), ("what_was_done", "spending")),
    }

    def get_queryset(self):
        return (
            visible_reports(self.request)
            .select_related("agreement__application__programme__fund")
            .prefetch_related(
                Prefetch("attachments", queryset=ReportAttachment.objects.order_by("pk")),
                Prefetch("comments", queryset=ReportComment.objects.order_by("created_at", "pk")),
            )
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
            agreements=visible_agreements(request),
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

    def available_transitions(self, report) -> list[str]:
        viewer = viewer_of(self.request)
        application = report.agreement.application
        if report.state == Report.State.SUBMITTED and viewer.is_officer(application):
            return ["accept", "request_changes"]
        if report.state == Report.State.CHANGES_REQUESTED and viewer.is_member(application):
            return ["resubmit"]
        return []

    def run_transition(self, report, name: str, data: dict):
        actor = self.request.user
        if name == "accept":
            return services.report_accept(report=report, actor=actor)
        if name == "request_changes":
            return services.report_request_changes(
                report=report, actor=actor, comment=data.get("comment", "")
            )
        if name == "resubmit":
            spending = data.get("spending")
            return services.report_resubmit(
                report=report,
                actor=actor,
                what_was_done=data.get("what_was_done", report.what_was_done),
                spending=report.spending if spending is None else [_line(r) for r in spending],
            )
        raise unknown_transition(name)


def _line(row) -> dict:
    return {"description": row["description"], "spent": str(row["spent"])}
