"""Reports: what the network did and spent, its attachments and the fund's comments."""

from decimal import Decimal

from rest_framework import serializers

from agreements.actions import REPORT_ACTIONS
from agreements.models import Agreement, Report, ReportAttachment, ReportComment


class SpendingLineSerializer(serializers.Serializer):
    description = serializers.CharField(max_length=200, allow_blank=True)
    spent = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal("0"))


class ReportAttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReportAttachment
        fields = ["id", "original_name", "content_type", "size", "sha256", "uploaded_at"]
        read_only_fields = fields


class ReportCommentSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReportComment
        fields = ["id", "author_role", "body", "created_at", "resolved_at"]
        read_only_fields = fields


class ReportSerializer(serializers.ModelSerializer):
    spending = SpendingLineSerializer(many=True, read_only=True)
    attachments = ReportAttachmentSerializer(many=True, read_only=True)
    comments = ReportCommentSerializer(many=True, read_only=True)

    class Meta:
        model = Report
        fields = [
            "id",
            "agreement",
            "kind",
            "state",
            "what_was_done",
            "spending",
            "submitted_at",
            "accepted_at",
            "attachments",
            "comments",
        ]
        read_only_fields = fields


class ReportCreateSerializer(serializers.Serializer):
    """As JSON, or as multipart/form-data with ``attachments`` (files) and ``spending`` as a JSON
    string."""

    agreement = serializers.PrimaryKeyRelatedField(queryset=Agreement.objects.none())
    kind = serializers.ChoiceField(choices=Report.Kind.choices)
    what_was_done = serializers.CharField()
    spending = SpendingLineSerializer(many=True, required=False)
    attachments = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        help_text="Receipts and photos: PDF, JPEG or PNG, each up to 10 MB (multipart only).",
    )

    def __init__(self, *args, agreements=None, **kwargs):
        super().__init__(*args, **kwargs)
        if agreements is not None:
            self.fields["agreement"].queryset = agreements


class ReportTransitionSerializer(serializers.Serializer):
    name = serializers.ChoiceField(choices=list(REPORT_ACTIONS.actions))
    comment = serializers.CharField(
        required=False, allow_blank=True, help_text="What to change, for request_changes."
    )
    what_was_done = serializers.CharField(
        required=False, help_text="For resubmit; the report's text stays if left out."
    )
    spending = SpendingLineSerializer(
        many=True, required=False, help_text="For resubmit; the lines stay if left out."
    )
