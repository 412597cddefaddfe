"""Two funds, three networks, six allocations in every state: figures computed by hand.

Fund A gives 300 h and €2,000, fund B 100 h and €5,000 (shares 75% and 25% of the hours).
Secretarial support has 100 h of capacity, bookkeeping 50 h. Networks 1 and 2 applied to fund A,
network 3 to fund B. The secretarial provider charges €40 an hour; bookkeeping has no rate.

  #  network  service       hours  state      delivered
  1  N1 (A)   secretarial     20   reserved       0
  2  N2 (A)   secretarial     30   confirmed     10  (at €40)
  3  N3 (B)   secretarial     15   delivered     15  (at €40)
  4  N1 (A)   bookkeeping     10   closed         4
  5  N3 (B)   bookkeeping     25   released       0
  6  N2 (A)   bookkeeping     12   released       2

The rows are written directly: this scenario tests the arithmetic of the overview, while the
services that move allocations between states have their own tests.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from applications.models import Application
from pools.models import Allocation, Delivery
from tests.applications.factories import NetworkFactory
from tests.funds.factories import FundFactory, ProgrammeFactory, UserFactory

from .factories import (
    ContributionFactory,
    PoolServiceFactory,
    ProviderFactory,
    SupportPoolFactory,
    service_type,
)


def build_scenario():
    pool = SupportPoolFactory(name="Pool Oost")
    fund_a, fund_b = FundFactory(name="Fund A"), FundFactory(name="Fund B")
    ContributionFactory(pool=pool, fund=fund_a, hours=Decimal("300"), euros=Decimal("2000"))
    ContributionFactory(pool=pool, fund=fund_b, hours=Decimal("100"), euros=Decimal("5000"))
    secretarial = PoolServiceFactory(
        pool=pool, service_type=service_type("secretarial"), capacity_hours=Decimal("100")
    )
    bookkeeping = PoolServiceFactory(
        pool=pool, service_type=service_type("bookkeeping"), capacity_hours=Decimal("50")
    )
    writer = ProviderFactory(
        pool=pool, service_type=secretarial.service_type, hourly_rate=Decimal("40")
    )
    counter = ProviderFactory(pool=pool, service_type=bookkeeping.service_type)
    programme_a, programme_b = ProgrammeFactory(fund=fund_a), ProgrammeFactory(fund=fund_b)
    networks = [NetworkFactory(name=f"Network {n}") for n in (1, 2, 3)]
    applications = [
        Application.objects.create(
            network=network, programme=programme, title=f"Plan {n}", requested_amount=0
        )
        for n, (network, programme) in enumerate(
            zip(networks, [programme_a, programme_a, programme_b], strict=True), start=1
        )
    ]
    n1, n2, n3 = applications
    officer = UserFactory()
    rows = [
        (n1, secretarial, writer, "20", "reserved", []),
        (n2, secretarial, writer, "30", "confirmed", ["10"]),
        (n3, secretarial, writer, "15", "delivered", ["5", "10"]),
        (n1, bookkeeping, counter, "10", "closed", ["4"]),
        (n3, bookkeeping, counter, "25", "released", []),
        (n2, bookkeeping, counter, "12", "released", ["2"]),
    ]
    day = timezone.localdate() - datetime.timedelta(days=1)
    for application, service, provider, hours, state, portions in rows:
        allocation = Allocation.objects.create(
            application=application,
            service=service,
            provider=provider,
            need="Support",
            hours=Decimal(hours),
            delivered_hours=sum((Decimal(p) for p in portions), Decimal("0")),
            state=state,
        )
        for portion in portions:
            Delivery.objects.create(
                allocation=allocation,
                delivered_on=day,
                hours=Decimal(portion),
                note="Done",
                hourly_rate=provider.hourly_rate,
                logged_by=officer,
            )
    return pool
