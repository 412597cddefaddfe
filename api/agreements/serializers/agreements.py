"""Agreements, their signatories and tranches as the API shows and takes them.

Signing links, their nonces and what a signatory's browser sent are never shown. Personal details
of signatories (e-mail, date of birth, home address) only to the fund's officers, as in the web's
edit screen; a draft's signatories and tranches only to them too, as on the agreement page.
"""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from agreements.actions import AGREEMENT_ACTIONS
from agreements.models import Agreement, Signatory, Tranche
from agreements.services.drafts import EDITABLE_FIELDS
from applications.models import Application
from funds.arrangements import Arrangement

PERSONAL_FIELDS = ("email", "date_of_birth", "address")


class SignatorySerializer(serializers.ModelSerializer):
    """One person who signs. In and out: PUT a list of these to name who signs a draft."""

    email = serializers.EmailField(
        allow_null=True, help_text="Shown only to the fund's officers: null for everyone else."
    )
    date_of_birth = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="Shown only to the fund's officers: null for everyone else.",
    )
    address = serializers.CharField(
        required=False,
        allow_blank=True,
        allow_null=True,
        max_length=300,
        help_text="Home address. Shown only to the fund's officers: null for everyone else.",
    )

    class Meta:
        model = Signatory
        fields = ["id", "role", "name", "email", "date_of_birth", "address", "signed_at"]
        read_only_fields = ["id", "signed_at"]

    def validate_email(self, value) -> str:
        # Null only in what is shown to people who may not see it, never as input.
        if value is None:
            raise serializers.ValidationError(_("Give the e-mail address of this signatory."))
        return value

    def validate_address(self, value) -> str:
        return value or ""

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not self.context.get("is_officer"):
            data.update(dict.fromkeys(PERSONAL_FIELDS))
        return data


class TrancheSerializer(serializers.ModelSerializer):
    """One payment. In and out: PUT a list of ``amount`` and ``trigger`` to plan a draft's."""

    amount = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal("0.01"))
    fund = serializers.SlugRelatedField(
        source="agreement.application.programme.fund", slug_field="slug", read_only=True
    )

    class Meta:
        model = Tranche
        fields = [
            "id",
            "agreement",
            "fund",
            "number",
            "amount",
            "trigger",
            "state",
            "due_at",
            "paid_on",
            "payment_reference",
        ]
        read_only_fields = [
            "id",
            "agreement",
            "number",
            "state",
            "due_at",
            "paid_on",
            "payment_reference",
        ]


class AgreementSerializer(serializers.ModelSerializer):
    signatories = serializers.SerializerMethodField()
    tranches = serializers.SerializerMethodField()
    contract_url = serializers.SerializerMethodField(
        help_text="The signed contract PDF, once everyone has signed."
    )

    class Meta:
        model = Agreement
        fields = [
            "id",
            "application",
            "amends",
            "arrangement",
            "state",
            "language",
            "template_version",
            "amount",
            "purpose",
            "budget_lines",
            "obligations",
            "final_report_due",
            "progress_report_due",
            "payee_name",
            "iban",
            "kvk_number",
            "host_name",
            "host_representative_name",
            "host_representative_email",
            "frozen_sha256",
            "contract_sha256",
            "contract_url",
            "created_at",
            "sent_at",
            "executed_at",
            "signatories",
            "tranches",
        ]
        read_only_fields = fields

    def _is_officer(self, agreement) -> bool:
        viewer = self.context.get("viewer")
        return viewer is not None and viewer.is_officer(agreement.application)

    def _shows_parts(self, agreement) -> bool:
        return agreement.state != Agreement.State.DRAFT or self._is_officer(agreement)

    @extend_schema_field(SignatorySerializer(many=True))
    def get_signatories(self, agreement) -> list:
        if not self._shows_parts(agreement):
            return []
        context = {**self.context, "is_officer": self._is_officer(agreement)}
        return SignatorySerializer(agreement.signatories.all(), many=True, context=context).data

    @extend_schema_field(TrancheSerializer(many=True))
    def get_tranches(self, agreement) -> list:
        if not self._shows_parts(agreement):
            return []
        return TrancheSerializer(agreement.tranches.all(), many=True).data

    @extend_schema_field(OpenApiTypes.URI)
    def get_contract_url(self, agreement) -> str | None:
        if agreement.state != Agreement.State.EXECUTED:
            return None
        return reverse("agreement-contract", args=[agreement.pk], request=self.context["request"])


class AgreementCreateSerializer(serializers.Serializer):
    """Prepare a draft from the award: the services fill it from the accepted steps."""

    application = serializers.PrimaryKeyRelatedField(queryset=Application.objects.none())
    arrangement = serializers.ChoiceField(choices=Arrangement.choices)
    amends = serializers.PrimaryKeyRelatedField(
        queryset=Agreement.objects.none(),
        required=False,
        allow_null=True,
        help_text="An executed agreement of the same application that this one corrects.",
    )

    def __init__(self, *args, applications=None, agreements=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Only what the caller may see can be named; anything else "does not exist".
        if applications is not None:
            self.fields["application"].queryset = applications
        if agreements is not None:
            self.fields["amends"].queryset = agreements


class AgreementUpdateSerializer(serializers.ModelSerializer):
    """The draft's editable fields; send only those you change. The IBAN may be typed with spaces;
    whether it is a valid one is the service's rule (a 400 on ``iban``)."""

    iban = serializers.CharField(max_length=42, required=False, allow_blank=True)

    class Meta:
        model = Agreement
        fields = list(EDITABLE_FIELDS)
        extra_kwargs = {name: {"required": False} for name in EDITABLE_FIELDS}


class VerifyFileSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text="The contract PDF to check. It is compared, never stored."
    )


class VerifyHashSerializer(serializers.Serializer):
    sha256 = serializers.RegexField(
        r"^[0-9a-fA-F]{64}$", help_text="The SHA-256 of the file, 64 hexadecimal characters."
    )


class VerificationSerializer(serializers.Serializer):
    matches = serializers.BooleanField()
    sha256 = serializers.CharField(help_text="The SHA-256 of what you sent.")
    expected = serializers.CharField(help_text="The SHA-256 of the signed contract.")


class AgreementTransitionSerializer(serializers.Serializer):
    name = serializers.ChoiceField(choices=list(AGREEMENT_ACTIONS.actions))
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="For the history. Needed to send when sending asks for a confirmation.",
    )
    confirmed = serializers.BooleanField(
        required=False,
        default=False,
        help_text=(
            "send: true when you checked what sending asks about (budget lines against the "
            "award, the arrangement against the network's legal form); without it, or without "
            "a note, such a send is a 400 naming `confirmed` and `note` with the reasons."
        ),
    )
