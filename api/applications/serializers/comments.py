"""Comments on an application's steps, and its history (the transition log)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.applications.serializers.applications import actor_label
from applications.models import Comment
from applications.workflow import HISTORY_LABELS


class ApplicationCommentSerializer(serializers.ModelSerializer):
    step = serializers.SlugRelatedField(slug_field="key", read_only=True)
    author = serializers.SerializerMethodField()
    resolved_by = serializers.SerializerMethodField()

    class Meta:
        model = Comment
        fields = [
            "id",
            "step",
            "question_key",
            "body",
            "author",
            "author_role",
            "created_at",
            "resolved_at",
            "resolved_by",
        ]

    def get_author(self, comment) -> str | None:
        return actor_label(comment.author)

    def get_resolved_by(self, comment) -> str | None:
        return actor_label(comment.resolved_by)


class ApplicationCommentCreateSerializer(serializers.Serializer):
    step = serializers.CharField(max_length=50, help_text="The key of the step it is about.")
    question_key = serializers.CharField(
        max_length=100,
        required=False,
        allow_blank=True,
        default="",
        help_text="The question it is about; empty for the step as a whole.",
    )
    body = serializers.CharField(max_length=5000, trim_whitespace=True)

    def __init__(self, *args, application=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.application = application

    def validate_step(self, key):
        step = self.application.steps.filter(key=key).first()
        if step is None:
            raise serializers.ValidationError(_("This application has no step “%s”.") % key)
        step.application = self.application
        return step


class HistoryEntrySerializer(serializers.Serializer):
    """One transition of the application, from the transition log."""

    id = serializers.IntegerField()
    transition = serializers.CharField()
    label = serializers.SerializerMethodField()
    source = serializers.CharField(source="source_state", allow_null=True)
    target = serializers.CharField(source="state")
    by = serializers.SerializerMethodField(
        help_text="The person's username, or the key's name; null when the system acted."
    )
    by_name = serializers.SerializerMethodField(
        help_text="The person's name as the web shows it, or the key's name."
    )
    timestamp = serializers.DateTimeField()
    description = serializers.CharField(allow_null=True, help_text="The note given with it.")

    def get_label(self, log) -> str:
        return str(HISTORY_LABELS.get(log.transition, log.transition))

    def get_by(self, log) -> str | None:
        key = getattr(log.by, "fund_api_key", None)
        if key is not None:
            return key.name
        return log.by.get_username() if log.by is not None else None

    def get_by_name(self, log) -> str | None:
        return actor_label(log.by)
