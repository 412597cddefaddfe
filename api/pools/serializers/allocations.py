"""Allocations of pool hours to applications, and the hours delivered. Hours only, no euros:
networks see these too."""

from django.utils.translation import gettext as _
from rest_framework import serializers

from applications.models import Application
from pools.models import Allocation, Delivery, PoolService, Provider, ServiceType, SupportPool

HOURS = {"max_digits": 8, "decimal_places": 2}


class DeliverySerializer(serializers.ModelSerializer):
    class Meta:
        model = Delivery
        fields = ["id", "delivered_on", "hours", "note", "logged_at"]
        read_only_fields = fields


class AllocationSerializer(serializers.ModelSerializer):
    pool = serializers.IntegerField(source="service.pool_id", read_only=True)
    service_type = serializers.CharField(source="service.service_type.code", read_only=True)
    network = serializers.IntegerField(source="application.network_id", read_only=True)
    remaining_hours = serializers.DecimalField(**HOURS, read_only=True)
    deliveries = DeliverySerializer(many=True, read_only=True)

    class Meta:
        model = Allocation
        fields = [
            "id",
            "pool",
            "service",
            "service_type",
            "application",
            "network",
            "provider",
            "need",
            "hours",
            "delivered_hours",
            "remaining_hours",
            "state",
            "note",
            "created_at",
            "updated_at",
            "deliveries",
        ]
        read_only_fields = fields


class AllocationCreateSerializer(serializers.Serializer):
    """Name the pool's service by its id, or by the pool and the service type's code."""

    application = serializers.PrimaryKeyRelatedField(queryset=Application.objects.none())
    service = serializers.PrimaryKeyRelatedField(
        queryset=PoolService.objects.select_related("pool", "service_type"),
        required=False,
        help_text="The pool's service (PoolService id); or give pool and service_type.",
    )
    pool = serializers.PrimaryKeyRelatedField(queryset=SupportPool.objects.all(), required=False)
    service_type = serializers.SlugRelatedField(
        slug_field="code", queryset=ServiceType.objects.all(), required=False
    )
    hours = serializers.DecimalField(**HOURS)
    need = serializers.CharField(max_length=200, help_text="The budget line this support covers.")
    provider = serializers.PrimaryKeyRelatedField(
        queryset=Provider.objects.all(), required=False, allow_null=True
    )
    note = serializers.CharField(required=False, allow_blank=True)

    def __init__(self, *args, applications=None, **kwargs):
        super().__init__(*args, **kwargs)
        if applications is not None:
            self.fields["application"].queryset = applications

    def validate(self, attrs):
        service = attrs.get("service")
        pool, service_type = attrs.pop("pool", None), attrs.pop("service_type", None)
        if service is None:
            if pool is None or service_type is None:
                raise serializers.ValidationError(
                    {"service": [_("Name the service, or the pool and the service type.")]}
                )
            service = (
                PoolService.objects.select_related("pool", "service_type")
                .filter(pool=pool, service_type=service_type)
                .first()
            )
            if service is None:
                raise serializers.ValidationError(
                    {"service_type": [_("This pool does not offer this service.")]}
                )
            attrs["service"] = service
        return attrs


class AllocationTransitionSerializer(serializers.Serializer):
    name = serializers.ChoiceField(choices=["release", "close", "assign_provider", "log_delivery"])
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=500,
        help_text="For release and close (optional), and what was done for log_delivery.",
    )
    provider = serializers.PrimaryKeyRelatedField(
        queryset=Provider.objects.all(),
        required=False,
        allow_null=True,
        help_text="For assign_provider: a provider of this service in this pool, or null.",
    )
    delivered_on = serializers.DateField(required=False, allow_null=True)
    hours = serializers.DecimalField(**HOURS, required=False, help_text="For log_delivery.")
