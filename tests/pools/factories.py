import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from pools.models import Contribution, PoolService, Provider, ServiceType, SupportPool
from tests.funds.factories import FundFactory


def service_type(code: str = "secretarial") -> ServiceType:
    """The default service types come with the migrations."""
    return ServiceType.objects.get(code=code)


class SupportPoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupportPool

    name = factory.Sequence(lambda n: f"Support pool {n}")
    slug = factory.Sequence(lambda n: f"pool-{n}")
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=335))


class ContributionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contribution

    pool = factory.SubFactory(SupportPoolFactory)
    fund = factory.SubFactory(FundFactory)
    hours = Decimal("100")
    euros = Decimal("0")


class PoolServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PoolService

    pool = factory.SubFactory(SupportPoolFactory)
    service_type = factory.LazyFunction(service_type)
    capacity_hours = Decimal("40")


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provider

    pool = factory.SubFactory(SupportPoolFactory)
    service_type = factory.LazyFunction(service_type)
    name = factory.Sequence(lambda n: f"Provider {n}")
    email = factory.Sequence(lambda n: f"provider{n}@example.org")
