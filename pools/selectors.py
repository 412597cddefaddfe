"""Who sees what of the support pools, and the reads the pool screens, the API and the CSV share.

Visibility lives here and only here: the web views and the API ask the same ``*_list(user,
fund_id=...)`` functions, so anything outside a person's scope is a 404 in both. ``fund_id`` is
an API key's fund: a key sees only what concerns its own fund. Who may *act* is
``pools.actions`` (and the services, which check again).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, DecimalField, F, Q, QuerySet, Sum, Value, When

from applications.models import Application, Network, NetworkMember
from funds.models import FundMembership

from .models import (
    Allocation,
    Contribution,
    Delivery,
    PoolService,
    Provider,
    ServiceType,
    SupportPool,
)

#: What a list of allocations shows: the application, its network and fund, the service, who.
ALLOCATION_RELATED = (
    "application__network",
    "application__programme__fund",
    "service__pool",
    "service__service_type",
    "provider",
)


def _is_person(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def _funds_of(user) -> QuerySet:
    return FundMembership.objects.filter(user=user).values("fund_id")


def _pools_of_fund(fund_id) -> QuerySet:
    return Contribution.objects.filter(fund_id=fund_id).values("pool_id")


# Who sees what ---------------------------------------------------------------------------------


def pool_list(user, *, fund_id: int | None = None) -> QuerySet[SupportPool]:
    """The pools a person's funds contribute to: their officers and managers see the whole pool."""
    if not _is_person(user):
        return SupportPool.objects.none()
    pools = SupportPool.objects.filter(
        pk__in=Contribution.objects.filter(fund_id__in=_funds_of(user)).values("pool_id")
    )
    if fund_id:
        pools = pools.filter(pk__in=_pools_of_fund(fund_id))
    return pools


def contribution_list(user, *, fund_id: int | None = None) -> QuerySet[Contribution]:
    """What each fund put into the pools one sees: part of seeing the pool."""
    return Contribution.objects.filter(pool__in=pool_list(user, fund_id=fund_id).values("pk"))


def provider_list(user, *, fund_id: int | None = None) -> QuerySet[Provider]:
    """Who delivers in the pools one sees: part of seeing the pool, as its contributions are."""
    return Provider.objects.filter(pool__in=pool_list(user, fund_id=fund_id).values("pk"))


def allocation_list(user, *, fund_id: int | None = None) -> QuerySet[Allocation]:
    """The allocations a person sees: of their network, of their fund, of a pool their fund
    contributes to, or that they deliver as the provider. A fund key: its own fund's, and of the
    pools its fund contributes to."""
    if not _is_person(user):
        return Allocation.objects.none()
    funds = _funds_of(user)
    visible = (
        Q(provider__user=user)
        | Q(application__network__in=NetworkMember.objects.filter(user=user).values("network_id"))
        | Q(application__programme__fund_id__in=funds)
        | Q(service__pool__in=Contribution.objects.filter(fund_id__in=funds).values("pool_id"))
    )
    allocations = Allocation.objects.filter(visible)
    if fund_id:
        allocations = allocations.filter(
            Q(application__programme__fund_id=fund_id)
            | Q(service__pool__in=_pools_of_fund(fund_id))
        )
    return allocations


def delivery_list(user, *, fund_id: int | None = None) -> QuerySet[Delivery]:
    """Delivered hours: seen with the allocation they belong to."""
    return Delivery.objects.filter(
        allocation__in=allocation_list(user, fund_id=fund_id).values("pk")
    )


def allocation_detail(user, pk, *, fund_id: int | None = None) -> QuerySet[Allocation]:
    """One allocation (``.get()`` it, or 404) with what its page shows, if the person sees it."""
    return allocation_list(user, fund_id=fund_id).filter(pk=pk).select_related(*ALLOCATION_RELATED)


# What the screens list -------------------------------------------------------------------------


def pool_allocations(pool: SupportPool) -> QuerySet[Allocation]:
    """Every allocation of a pool (seen by its funds' staff), newest first, in one query."""
    return Allocation.objects.filter(service__pool=pool).select_related(*ALLOCATION_RELATED)


def provider_allocations(user) -> QuerySet[Allocation]:
    """The allocations a provider with a login delivers, newest first."""
    if not _is_person(user):
        return Allocation.objects.none()
    return (
        Allocation.objects.filter(provider__user=user)
        .select_related(*ALLOCATION_RELATED)
        .order_by("-created_at", "-pk")
    )


def application_support(application: Application, user) -> QuerySet[Allocation]:
    """An application's allocations as ``user`` sees them, in the order they were made."""
    return (
        allocation_list(user)
        .filter(application=application)
        .select_related("service__pool", "service__service_type", "provider")
        .prefetch_related("deliveries")
        .order_by("created_at", "pk")
    )


def network_support(network: Network, user) -> QuerySet[Allocation]:
    """A network's allocations over all its applications as ``user`` sees them, newest first."""
    return (
        allocation_list(user)
        .filter(application__network=network)
        .select_related("application", "service__pool", "service__service_type", "provider")
        .order_by("-created_at", "-pk")
    )


def promised_support(application: Application) -> list[dict]:
    """The hours promised to an application (reserved or confirmed), as its contract lists them:
    kind of support, hours, pool and provider, in the order they were reserved."""
    allocations = (
        application.allocations.filter(
            state__in=[Allocation.State.RESERVED, Allocation.State.CONFIRMED]
        )
        .select_related("service__pool", "service__service_type", "provider")
        .order_by("pk")
    )
    return [
        {
            "service": allocation.service.service_type.label,
            "hours": allocation.hours,
            "pool": allocation.service.pool.name,
            "provider": str(allocation.provider) if allocation.provider else "",
        }
        for allocation in allocations
    ]


def service_providers(service: PoolService) -> QuerySet[Provider]:
    """The active providers who can deliver ``service``."""
    return Provider.objects.filter(
        pool_id=service.pool_id, service_type_id=service.service_type_id, active=True
    ).order_by("name", "pk")


# Hours ------------------------------------------------------------------------------------------

ZERO = Decimal("0")
HOURS_FIELD = DecimalField(max_digits=10, decimal_places=2)


@dataclass
class Usage:
    """Hours in each stage. ``confirmed`` is promised but not yet delivered, so the stages add up:
    reserved + confirmed + delivered + remaining = capacity."""

    reserved: Decimal = ZERO
    confirmed: Decimal = ZERO
    delivered: Decimal = ZERO
    # Money value of delivered hours where the provider's rate is known; kept apart from grants.
    delivered_value: Decimal = ZERO
    delivered_unpriced: Decimal = ZERO

    @property
    def in_use(self) -> Decimal:
        return self.reserved + self.confirmed + self.delivered

    def add(self, other: "Usage") -> None:
        for name in ("reserved", "confirmed", "delivered", "delivered_value", "delivered_unpriced"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class Line:
    """One row of the utilisation overview: a service type, a fund or a network."""

    key: object
    label: str
    usage: Usage = field(default_factory=Usage)
    capacity: Decimal | None = None
    contributed_hours: Decimal | None = None
    contributed_euros: Decimal | None = None
    share: Decimal | None = None  # of the hours contributed to the pool, in percent

    @property
    def remaining(self) -> Decimal | None:
        return None if self.capacity is None else self.capacity - self.usage.in_use

    def percent(self, hours: Decimal) -> Decimal:
        if not self.capacity:
            return ZERO
        return (hours * 100 / self.capacity).quantize(Decimal("0.1"))

    @property
    def bar(self) -> dict:
        """Widths in percent for the stacked utilisation bar."""
        reserved = self.percent(self.usage.reserved)
        confirmed = self.percent(self.usage.confirmed)
        delivered = self.percent(self.usage.delivered)
        return {
            "delivered": delivered,
            "confirmed": confirmed,
            "confirmed_x": delivered,
            "reserved": reserved,
            "reserved_x": delivered + confirmed,
        }


@dataclass
class Utilisation:
    pool: SupportPool
    services: list[Line]
    funds: list[Line]
    networks: list[Line]
    total: Line


def _hours_case(state, expression):
    return Sum(
        Case(When(state=state, then=expression), default=Value(ZERO), output_field=HOURS_FIELD)
    )


def pool_utilisation(pool: SupportPool) -> Utilisation:
    """Capacity and use per service type, per contributing fund and per network, in hours.

    Two grouped queries whatever the number of allocations: one over allocations, one over
    deliveries (for the money value at each provider's rate).
    """
    group = ("service_id", "application__programme__fund_id", "application__network_id")
    by_group: dict[tuple, Usage] = {}
    rows = (
        Allocation.objects.filter(service__pool=pool)
        .values(*group)
        .annotate(
            reserved=_hours_case(Allocation.State.RESERVED, F("hours")),
            confirmed=_hours_case(Allocation.State.CONFIRMED, F("hours") - F("delivered_hours")),
            delivered=Sum("delivered_hours"),
        )
        .order_by()
    )
    for row in rows:
        key = tuple(row[name] for name in group)
        by_group[key] = Usage(row["reserved"], row["confirmed"], row["delivered"])
    value_rows = (
        Delivery.objects.filter(allocation__service__pool=pool)
        .values(*(f"allocation__{name}" for name in group))
        .annotate(
            value=Sum(F("hours") * F("hourly_rate"), output_field=HOURS_FIELD),
            unpriced=Sum("hours", filter=Q(hourly_rate__isnull=True)),
        )
        .order_by()
    )
    for row in value_rows:
        key = tuple(row[f"allocation__{name}"] for name in group)
        usage = by_group.setdefault(key, Usage())
        usage.delivered_value += row["value"] or ZERO
        usage.delivered_unpriced += row["unpriced"] or ZERO

    services = {
        s.pk: Line(s.pk, s.service_type.label, capacity=s.capacity_hours)
        for s in pool.services.select_related("service_type")
    }
    contributions = list(pool.contributions.select_related("fund"))
    total_contributed = sum((c.hours for c in contributions), ZERO)
    funds = {
        c.fund_id: Line(
            c.fund_id,
            c.fund.name,
            contributed_hours=c.hours,
            contributed_euros=c.euros,
            share=(c.hours * 100 / total_contributed).quantize(Decimal("0.1"))
            if total_contributed
            else ZERO,
        )
        for c in contributions
    }
    network_ids = {key[2] for key in by_group}
    networks = {
        n.pk: Line(n.pk, n.name) for n in Network.objects.filter(pk__in=network_ids).order_by()
    }
    total = Line(None, "", capacity=sum((s.capacity for s in services.values()), ZERO))
    for (service_id, fund_id, network_id), usage in by_group.items():
        services[service_id].usage.add(usage)
        if fund_id in funds:
            funds[fund_id].usage.add(usage)
        networks[network_id].usage.add(usage)
        total.usage.add(usage)
    return Utilisation(
        pool=pool,
        services=list(services.values()),
        funds=sorted(funds.values(), key=lambda line: line.label),
        networks=sorted(networks.values(), key=lambda line: line.label),
        total=total,
    )


def available_hours(services) -> dict[int, Decimal]:
    """Hours still free per PoolService id, in one query."""
    services = list(services)
    held = {
        row["service_id"]: row["held"]
        for row in Allocation.objects.filter(service__in=services)
        .values("service_id")
        .annotate(
            held=Sum(
                Case(
                    When(state__in=Allocation.ACTIVE_STATES, then=F("hours")),
                    default=F("delivered_hours"),
                    output_field=HOURS_FIELD,
                )
            )
        )
        .order_by()
    }
    return {s.pk: s.capacity_hours - (held.get(s.pk) or ZERO) for s in services}


def covering_services(application: Application) -> list[PoolService]:
    """Services of open pools the application's fund contributes to, each with ``.available``."""
    services = list(
        PoolService.objects.filter(
            pool__in=SupportPool.objects.open_on().for_fund(application.programme.fund_id)
        )
        .select_related("pool", "service_type")
        .prefetch_related("pool__providers")
        .order_by("pool__name", "service_type__order")
    )
    free = available_hours(services)
    for service in services:
        service.available = free[service.pk]
        service.provider_choices = [
            p
            for p in service.pool.providers.all()
            if p.service_type_id == service.service_type_id and p.active
        ]
    return services


def in_kind_needs(application: Application) -> list[dict]:
    """The budget lines the network would like in kind, with the open pools that could cover each."""
    step = application.steps.filter(key="budget").first()
    revision = step.latest_revision if step else None
    lines = (revision.content if revision else {}).get("needs") or []
    services = covering_services(application)
    types = {t.code: t for t in ServiceType.objects.all()}
    needs = []
    for line in lines:
        if not (line.get("in_kind") or line.get("service_type")):
            continue
        service_type = types.get(line.get("service_type") or "")
        needs.append(
            {
                "description": line.get("description", ""),
                "amount": line.get("amount"),
                "hours": Decimal(line["hours"]) if line.get("hours") else None,
                "service_type": service_type,
                "covering": [
                    s
                    for s in services
                    if service_type is None or s.service_type_id == service_type.pk
                ],
            }
        )
    return needs
