from rest_framework import serializers


class TrancheTransitionSerializer(serializers.Serializer):
    name = serializers.ChoiceField(choices=["mark_paid"])
    paid_on = serializers.DateField(required=False, allow_null=True, help_text="For mark_paid.")
    reference = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text="The payment reference from the bank, for mark_paid.",
    )
