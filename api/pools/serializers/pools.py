"""Support pools and their utilisation: hours first; the money value of delivered hours apart."""

from rest_framework import serializers

from pools.models import Contribution, PoolService, Provider, SupportPool

HOURS = {"max_digits": 10, "decimal_places": 2}
EUROS = {"max_digits": 14, "decimal_places": 2}


class PoolServiceSerializer(serializers.ModelSerializer):
    service_type = serializers.SlugRelatedField(slug_field="code", read_only=True)
    label = serializers.CharField(source="service_type.label", read_only=True)

    class Meta:
        model = PoolService
        fields = ["id", "service_type", "label", "capacity_hours"]
        read_only_fields = fields


class ContributionSerializer(serializers.ModelSerializer):
    fund = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    fund_name = serializers.CharField(source="fund.name", read_only=True)

    class Meta:
        model = Contribution
        fields = ["fund", "fund_name", "hours", "euros", "note"]
        read_only_fields = fields


class ProviderSerializer(serializers.ModelSerializer):
    service_type = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Provider
        fields = ["id", "name", "organisation", "service_type", "hourly_rate", "active"]
        read_only_fields = fields


class SupportPoolSerializer(serializers.ModelSerializer):
    is_open = serializers.SerializerMethodField()
    services = PoolServiceSerializer(many=True, read_only=True)
    contributions = ContributionSerializer(many=True, read_only=True)
    providers = ProviderSerializer(many=True, read_only=True)

    class Meta:
        model = SupportPool
        fields = [
            "id",
            "slug",
            "name",
            "description",
            "starts_on",
            "ends_on",
            "is_open",
            "contact_name",
            "contact_email",
            "services",
            "contributions",
            "providers",
        ]
        read_only_fields = fields

    def get_is_open(self, pool) -> bool:
        return pool.is_open()


class MoneyValueSerializer(serializers.Serializer):
    """What delivered hours are worth at the providers' rates: support in kind, never a grant."""

    delivered_eur = serializers.DecimalField(
        **EUROS, help_text="Delivered hours × the provider's rate when they were logged."
    )
    delivered_hours_without_rate = serializers.DecimalField(
        **HOURS, help_text="Delivered hours whose provider has no rate: not in delivered_eur."
    )


class UsageSerializer(serializers.Serializer):
    """Hours in each stage; reserved + confirmed + delivered + remaining = capacity."""

    label = serializers.CharField()
    capacity_hours = serializers.DecimalField(**HOURS, allow_null=True)
    reserved_hours = serializers.DecimalField(**HOURS)
    confirmed_hours = serializers.DecimalField(**HOURS, help_text="Promised and not yet delivered.")
    delivered_hours = serializers.DecimalField(**HOURS)
    remaining_hours = serializers.DecimalField(
        **HOURS, allow_null=True, help_text="Null where there is no capacity of its own."
    )
    money_value = MoneyValueSerializer()


class ServiceUsageSerializer(UsageSerializer):
    service = serializers.IntegerField(help_text="The pool's service (PoolService id).")
    service_type = serializers.CharField(help_text="The service type's code.")


class FundUsageSerializer(UsageSerializer):
    fund = serializers.CharField(help_text="The contributing fund's slug.")
    contributed_hours = serializers.DecimalField(**HOURS)
    contributed_euros = serializers.DecimalField(**EUROS)
    share_percent = serializers.DecimalField(
        max_digits=5, decimal_places=1, help_text="Of the hours contributed to the pool."
    )


class NetworkUsageSerializer(UsageSerializer):
    network = serializers.IntegerField(help_text="The network's id.")


class UtilisationSerializer(serializers.Serializer):
    pool = serializers.IntegerField()
    services = ServiceUsageSerializer(many=True)
    funds = FundUsageSerializer(many=True)
    networks = NetworkUsageSerializer(many=True)
    total = UsageSerializer()


def usage_data(line, **extra) -> dict:
    usage = line.usage
    return {
        "label": line.label,
        "capacity_hours": line.capacity,
        "reserved_hours": usage.reserved,
        "confirmed_hours": usage.confirmed,
        "delivered_hours": usage.delivered,
        "remaining_hours": line.remaining,
        "money_value": {
            "delivered_eur": usage.delivered_value,
            "delivered_hours_without_rate": usage.delivered_unpriced,
        },
        **extra,
    }


def utilisation_data(utilisation, *, service_types: dict[int, str], fund_slugs: dict) -> dict:
    """``pools.selectors.pool_utilisation`` as the API shows it."""
    return {
        "pool": utilisation.pool.pk,
        "services": [
            usage_data(line, service=line.key, service_type=service_types[line.key])
            for line in utilisation.services
        ],
        "funds": [
            usage_data(
                line,
                fund=fund_slugs[line.key],
                contributed_hours=line.contributed_hours,
                contributed_euros=line.contributed_euros,
                share_percent=line.share,
            )
            for line in utilisation.funds
        ],
        "networks": [usage_data(line, network=line.key) for line in utilisation.networks],
        "total": usage_data(utilisation.total),
    }
