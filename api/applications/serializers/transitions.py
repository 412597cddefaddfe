"""The payloads of an application's transitions: ``{"name": ..., <fields>}``, one shape per name.

They only check types and shapes; the services check the rules (a reason and advice for a
decline, at least one referral, the programme budget for an award) and their field errors come
back as 400 with the same field names.
"""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.applications.serializers.applications import ProgrammeRefField
from applications.actions import APPLICATION_ACTIONS
from applications.referrals import referral_check

NOTE_HELP = "A note for the history (optional)."
STEP_HELP = (
    "The key of the step you acted on (optional). If it is no longer the current step, the "
    "request is refused with 409, so a stale screen cannot accept the wrong step."
)


class TransitionNameSerializer(serializers.Serializer):
    name = serializers.ChoiceField(
        choices=[action.name for action in APPLICATION_ACTIONS],
        error_messages={"invalid_choice": _("There is no transition “{input}”.")},
    )


class ApplicationTransitionOptionSerializer(serializers.Serializer):
    """A transition you may run now: POST ``{"name": ..., <fields>}`` to the same URL."""

    name = serializers.CharField()
    label = serializers.CharField()
    fields = serializers.ListField(
        child=serializers.CharField(), help_text="What to send with it besides the name."
    )
    required = serializers.ListField(
        child=serializers.CharField(), help_text="Which of those fields are required."
    )


class _Payload(serializers.Serializer):
    note = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, default="", help_text=NOTE_HELP
    )

    def __init__(self, *args, application=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.application = application


class _StepPayload(_Payload):
    step = serializers.CharField(required=False, max_length=50, help_text=STEP_HELP)

    def validate_step(self, key):
        step = self.application.steps.filter(key=key).first()
        if step is None:
            raise serializers.ValidationError(_("This application has no step “%s”.") % key)
        return step


class SubmitStepPayloadSerializer(_StepPayload):
    """Submit the current step for review (coordinators); every required answer is needed."""

    name = serializers.ChoiceField(choices=["submit_step"])


class AcceptStepPayloadSerializer(_StepPayload):
    """Accept the submitted step (the fund's officers): the next one opens, or, after the
    last, the application is ready for a decision."""

    name = serializers.ChoiceField(choices=["accept_step"])


class RequestChangesPayloadSerializer(_StepPayload):
    """Ask the network to change the submitted step (the fund's officers). Needs a comment,
    here or left on the step before."""

    name = serializers.ChoiceField(choices=["request_changes"])
    comment = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=5000,
        default="",
        help_text="What should the network change? Optional if open comments are on the step.",
    )
    question_key = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        default="",
        help_text="The question the comment is about (optional).",
    )


class ReferralInputSerializer(serializers.Serializer):
    """Another open programme the network could apply to, an organisation or contact person
    with a phone number, e-mail address or web address, or an entry of the referral directory
    (``{"entry": 12}``, with an optional note).

    Each row is checked by the decline service's ``referral_check`` (the web form asks the
    same), so its errors come back per field: ``referrals[0].phone``.
    """

    programme = ProgrammeRefField(
        required=False,
        max_length=50,
        help_text="Another open programme, by slug or id, that the network could apply to.",
    )
    organisation = serializers.CharField(required=False, allow_blank=True, max_length=200)
    contact_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    phone = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=30,
        help_text="A number that can be called; without a country code it is Dutch. Stored "
        'and returned in E.164: "+31201234567".',
    )
    email = serializers.EmailField(required=False, allow_blank=True, max_length=254)
    url = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=300,
        help_text='A web address; without a scheme it is https ("www.buurtwerk.nl").',
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    entry = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="The id of a referral directory entry. Its name, contact and offer are copied "
        "into the referral as they are now, so later edits of the entry do not change what the "
        "network was told. Send only a note beside it; without one, the entry's offer is the "
        "note.",
    )
    add_to_directory = serializers.BooleanField(
        required=False,
        help_text="Also add this organisation or contact person to the referral directory, "
        "with the network's province and the application's themes; the note says what they "
        "offer. Added only if the decline succeeds.",
    )

    def validate(self, attrs):
        application = getattr(self.root, "application", None)
        data = {key: value for key, value in attrs.items() if value not in ("", None)}
        if application is None or not data:
            return attrs
        try:
            referral = referral_check(application=application, data=data)
        except DjangoValidationError as error:
            raise serializers.ValidationError(
                {
                    ("non_field_errors" if field == NON_FIELD_ERRORS else field): messages
                    for field, messages in getattr(
                        error, "message_dict", {NON_FIELD_ERRORS: error.messages}
                    ).items()
                }
            ) from None
        return {**attrs, "phone": referral.phone} if attrs.get("phone") else attrs


class DeclinePayloadSerializer(_Payload):
    """Say no (the fund's officers): always with a reason, advice and at least one referral."""

    name = serializers.ChoiceField(choices=["decline"])
    reason = serializers.CharField(max_length=5000, help_text="Why the application is declined.")
    advice = serializers.CharField(max_length=5000, help_text="What could the network do now?")
    referrals = ReferralInputSerializer(many=True, allow_empty=True, max_length=20)


class WithdrawPayloadSerializer(_Payload):
    """Withdraw the application (coordinators)."""

    name = serializers.ChoiceField(choices=["withdraw"])


class AwardPayloadSerializer(_Payload):
    """Award an amount (the fund's managers), within the programme's maximum and budget."""

    name = serializers.ChoiceField(choices=["award"])
    amount = serializers.DecimalField(
        max_digits=12, decimal_places=2, help_text='In euros, as a decimal string: "750.00".'
    )


PAYLOADS: dict[str, type[_Payload]] = {
    "submit_step": SubmitStepPayloadSerializer,
    "request_changes": RequestChangesPayloadSerializer,
    "accept_step": AcceptStepPayloadSerializer,
    "decline": DeclinePayloadSerializer,
    "withdraw": WithdrawPayloadSerializer,
    "award": AwardPayloadSerializer,
}


def payload_fields(name: str) -> tuple[list[str], list[str]]:
    """The fields a transition takes besides its name, and which of them are required."""
    fields = {
        field_name: field
        for field_name, field in PAYLOADS[name]().fields.items()
        if field_name != "name"
    }
    return list(fields), [field_name for field_name, field in fields.items() if field.required]
