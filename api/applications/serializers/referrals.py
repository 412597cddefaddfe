"""A decline's referrals as the API shows them, with what became of each, and the input for
"apply here with my answers"."""

from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.applications.serializers.applications import ApplicationSerializer
from applications.models import Referral
from applications.referral_outcomes import Outcome, outcome_of


class ReferralSerializer(serializers.ModelSerializer):
    application = serializers.PrimaryKeyRelatedField(
        read_only=True, help_text="The declined application the referral was made for."
    )
    programme = serializers.SlugRelatedField(
        slug_field="slug",
        read_only=True,
        help_text="The programme in Eigenwijs referred to; null for an organisation or person.",
    )
    outcome = serializers.SerializerMethodField(
        help_text="What became of a referral to a programme: none (not taken up), started, "
        "awarded (also contracted or closed), declined or withdrawn, from the applications "
        "started from it. Always none for an organisation or person."
    )

    class Meta:
        model = Referral
        fields = [
            "id",
            "application",
            "programme",
            "organisation",
            "contact_name",
            "phone",
            "email",
            "url",
            "note",
            "outcome",
        ]

    @extend_schema_field(serializers.ChoiceField(choices=Outcome.values))
    def get_outcome(self, referral) -> str:
        return outcome_of(referral).value


class ReferralApplySerializer(serializers.Serializer):
    """Both optional: by default the declined application's title and amount (the amount at
    most the new programme's maximum)."""

    title = serializers.CharField(required=False, max_length=200)
    requested_amount = serializers.DecimalField(
        required=False, max_digits=12, decimal_places=2, min_value=Decimal("0")
    )


class ReferralStartSerializer(serializers.Serializer):
    application = ApplicationSerializer(help_text="The application started at the programme.")
    copied_answers = serializers.IntegerField(
        help_text="How many answers of the declined application's first step were copied into "
        "the new application's first step, as its first draft."
    )
    answers_left_out = serializers.IntegerField(
        help_text="Answers the new first step has no question for, or that do not fit its "
        "question: write them again there."
    )
