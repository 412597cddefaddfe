"""Query parameters of the exports: which fund, and for the SEPA batch the fund's own account."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from integrations.exports import sepa


class ExportQuerySerializer(serializers.Serializer):
    fund = serializers.SlugField(
        required=False,
        help_text=_(
            "The fund's slug. A fund key always exports its own fund; a person who works for "
            "more than one fund must choose."
        ),
    )


class SepaQuerySerializer(ExportQuerySerializer):
    debtor_iban = serializers.CharField(
        max_length=42, help_text=_("The fund's own account, which pays (IBAN).")
    )
    debtor_bic = serializers.CharField(
        max_length=11, required=False, help_text=_("The BIC of the fund's bank, if it wants one.")
    )
    execution_date = serializers.DateField(
        help_text=_("The day the bank should pay (YYYY-MM-DD): today or later.")
    )

    def validate_debtor_iban(self, value: str) -> str:
        return _schwifty(sepa.clean_iban, value)

    def validate_debtor_bic(self, value: str) -> str:
        return _schwifty(sepa.clean_bic, value)

    def validate_execution_date(self, value):
        if value < timezone.localdate():
            raise serializers.ValidationError(_("Choose today or a later day."))
        return value


def _schwifty(clean, value: str) -> str:
    try:
        return clean(value)
    except DjangoValidationError as error:
        raise serializers.ValidationError(error.messages) from error
