from rest_framework import serializers

from agreements.actions import TRANCHE_ACTIONS


class TrancheTransitionSerializer(serializers.Serializer):
    name = serializers.ChoiceField(choices=list(TRANCHE_ACTIONS.actions))
    paid_on = serializers.DateField(required=False, allow_null=True, help_text="For mark_paid.")
    reference = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text="The payment reference from the bank, for mark_paid.",
    )
