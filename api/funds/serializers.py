from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from funds.eligibility import rules_in_words
from funds.models import Fund, Programme


class FundSerializer(serializers.ModelSerializer):
    themes = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)

    class Meta:
        model = Fund
        fields = [
            "id",
            "slug",
            "name",
            "description",
            "region",
            "themes",
            "contact_name",
            "contact_email",
            "contact_phone",
            "website",
        ]


class ProgrammeSerializer(serializers.ModelSerializer):
    fund = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    accepted_arrangements = serializers.ListField(child=serializers.CharField(), read_only=True)
    is_open = serializers.SerializerMethodField()
    provinces = serializers.SlugRelatedField(
        slug_field="code",
        many=True,
        read_only=True,
        help_text="Where networks must be active to apply, as ISO 3166-2 codes (e.g. NL-UT); "
        "empty for the whole country.",
    )
    rules = serializers.SerializerMethodField(
        help_text="The programme's rules in plain words, in the request's language, as its "
        "public page shows them."
    )

    class Meta:
        model = Programme
        fields = [
            "id",
            "slug",
            "fund",
            "title",
            "description",
            "currency",
            "budget",
            "max_amount",
            "opens_on",
            "closes_on",
            "is_open",
            "accepted_arrangements",
            "min_signatories",
            "signatories_min_age",
            "signatories_distinct_addresses",
            "provinces",
            "reply_working_days",
            "rules",
        ]
        read_only_fields = ["reply_working_days"]
        extra_kwargs = {
            "reply_working_days": {
                "help_text": "The most working days the fund takes to answer a submitted step "
                "(weekends and Dutch public holidays not counted)."
            }
        }

    def get_is_open(self, programme) -> bool:
        return programme.is_open()

    @extend_schema_field(
        {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"label": {"type": "string"}, "text": {"type": "string"}},
                "required": ["label", "text"],
            },
        }
    )
    def get_rules(self, programme) -> list[dict[str, str]]:
        return [{"label": label, "text": text} for label, text in rules_in_words(programme)]
