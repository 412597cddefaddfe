"""A step's questions and answers, its revisions, and the diff between two revisions."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.applications.serializers.applications import actor_label
from applications.models import Revision, Step
from funds.questions import localized, missing_answers


class QuestionSerializer(serializers.Serializer):
    key = serializers.CharField()
    type = serializers.CharField()
    label = serializers.CharField()
    help = serializers.CharField()
    required = serializers.BooleanField()
    choices = serializers.ListField(
        child=serializers.DictField(), help_text="For `choice` questions: value and label."
    )

    def to_representation(self, question):
        return {
            "key": question["key"],
            "type": question["type"],
            "label": localized(question.get("label")),
            "help": localized(question.get("help")),
            "required": question.get("required", True),
            "choices": [
                {"value": choice["value"], "label": localized(choice["label"])}
                for choice in question.get("choices", [])
            ],
        }


class RevisionRefSerializer(serializers.ModelSerializer):
    author = serializers.SerializerMethodField()

    class Meta:
        model = Revision
        fields = ["id", "number", "author", "created_at"]

    def get_author(self, revision) -> str | None:
        return actor_label(revision.author)


def etag_of(revision) -> str:
    """A strong entity tag for a step's content: its latest revision, or none yet."""
    return f'"rev-{revision.pk}"' if revision is not None else '"empty"'


class StepSerializer(serializers.ModelSerializer):
    """A step with its questions and its current answers (the latest revision)."""

    title = serializers.SerializerMethodField()
    intro = serializers.SerializerMethodField()
    is_current = serializers.SerializerMethodField(
        help_text="Whether this is the application's current step."
    )
    questions = QuestionSerializer(many=True, read_only=True)
    content = serializers.SerializerMethodField(
        help_text="The answers, by question key, as in the latest revision."
    )
    latest_revision = serializers.SerializerMethodField()
    etag = serializers.SerializerMethodField(
        help_text="Send it back in If-Match when you PUT or PATCH the step."
    )
    missing = serializers.SerializerMethodField(
        help_text="Keys of required questions that still need an answer."
    )

    class Meta:
        model = Step
        fields = [
            "key",
            "order",
            "title",
            "intro",
            "status",
            "status_changed_at",
            "is_current",
            "questions",
            "content",
            "latest_revision",
            "etag",
            "missing",
        ]

    def get_title(self, step) -> str:
        return localized(step.title)

    def get_intro(self, step) -> str:
        return localized(step.intro)

    def get_is_current(self, step) -> bool:
        return step.pk == step.application.current_step_id

    @extend_schema_field(serializers.DictField())
    def get_content(self, step):
        revision = step.current_revision
        return revision.content if revision is not None else {}

    @extend_schema_field(RevisionRefSerializer(allow_null=True))
    def get_latest_revision(self, step):
        revision = step.current_revision
        return RevisionRefSerializer(revision).data if revision is not None else None

    def get_etag(self, step) -> str:
        return etag_of(step.current_revision)

    def get_missing(self, step) -> list[str]:
        return [
            question["key"] for question in missing_answers(step.questions, self.get_content(step))
        ]


class StepContentSerializer(serializers.Serializer):
    content = serializers.DictField(
        child=serializers.JSONField(allow_null=True),
        help_text="Answers by question key. PUT replaces all answers; PATCH changes only the "
        "questions given (null or an empty value clears an answer).",
    )


class RevisionSerializer(serializers.ModelSerializer):
    step = serializers.SlugRelatedField(slug_field="key", read_only=True)
    author = serializers.SerializerMethodField()

    class Meta:
        model = Revision
        fields = ["id", "step", "number", "content", "author", "created_at"]

    def get_author(self, revision) -> str | None:
        return actor_label(revision.author)


class QuestionDiffSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    old = serializers.CharField(help_text="The answer in `from`, as text.")
    new = serializers.CharField(help_text="The answer in `to`, as text.")
    old_value = serializers.JSONField(allow_null=True, help_text="The answer in `from`, as stored.")
    new_value = serializers.JSONField(allow_null=True, help_text="The answer in `to`, as stored.")
    changed = serializers.BooleanField()


class RevisionDiffSerializer(serializers.Serializer):
    step = serializers.CharField()
    from_revision = RevisionRefSerializer()
    to_revision = RevisionRefSerializer()
    changed = serializers.ListField(
        child=serializers.CharField(), help_text="Keys of the questions whose answer changed."
    )
    questions = QuestionDiffSerializer(many=True)
