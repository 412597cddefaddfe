from rest_framework import serializers


class RunnableTransitionSerializer(serializers.Serializer):
    """A transition the caller may run now: POST ``{"name": ..., <fields>}`` to run it."""

    name = serializers.CharField()
    label = serializers.CharField()
    fields = serializers.ListField(
        child=serializers.CharField(), help_text="What to send with it besides the name."
    )
