"""Reads shared by the pool screens, the CSV export and (later) the API."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, DecimalField, F, Q, Sum, Value, When

from applications.models import Application
from funds.models import FundMembership

from .models import Allocation, Delivery, PoolService, ServiceType, SupportPool

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
    from applications.models import Network

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


def pools_for_user(user):
    """The pools an officer's funds contribute to."""
    if not user.is_authenticated:
        return SupportPool.objects.none()
    funds = FundMembership.objects.filter(user=user).values("fund_id")
    return SupportPool.objects.filter(contributions__fund_id__in=funds).distinct()


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


def application_support(application: Application):
    return (
        application.allocations.select_related("service__pool", "service__service_type", "provider")
        .prefetch_related("deliveries")
        .order_by("created_at", "pk")
    )


def network_support(network):
    return (
        Allocation.objects.filter(application__network=network)
        .select_related("application", "service__pool", "service__service_type", "provider")
        .order_by("-created_at", "-pk")
    )
