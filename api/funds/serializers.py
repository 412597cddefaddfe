from rest_framework import serializers

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
            "reply_working_days",
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
