import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from funds.models import Fund, FundMembership, Programme


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("secret-pass-123")


class FundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Fund

    name = factory.Sequence(lambda n: f"Fund {n}")
    slug = factory.Sequence(lambda n: f"fund-{n}")
    region = "Amsterdam"


class FundMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundMembership

    fund = factory.SubFactory(FundFactory)
    user = factory.SubFactory(UserFactory)
    role = FundMembership.Role.OFFICER


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    fund = factory.SubFactory(FundFactory)
    title = factory.Sequence(lambda n: f"Programme {n}")
    slug = factory.Sequence(lambda n: f"programme-{n}")
    budget = Decimal("10000.00")
    max_amount = Decimal("5000.00")
    opens_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=60))
    accepts_legal_entity = True
    accepts_cooperation_agreement = True
    accepts_host_organisation = True
    accepts_support_only = False
