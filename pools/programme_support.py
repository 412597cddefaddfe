"""The support hours a programme's applications used, for its dashboard (three queries).

Counted as the pool screens count them (``pools.selectors.pool_utilisation``): *reserved* is
held for an application not yet awarded, *confirmed* is promised but not yet delivered, and
*delivered* is what providers logged, also on allocations closed or released since.
"""

from dataclasses import dataclass

from django.db.models import F, Sum

from funds.models import Programme

from .models import Allocation, ServiceType
from .selectors import ZERO, Usage, _hours_case


@dataclass
class ProgrammeSupport:
    kinds: list[tuple[ServiceType, Usage]]
    total: Usage
    applications: int


def programme_support(programme: Programme) -> ProgrammeSupport:
    allocations = Allocation.objects.filter(application__programme=programme)
    rows = (
        allocations.values("service__service_type_id")
        .annotate(
            reserved=_hours_case(Allocation.State.RESERVED, F("hours")),
            confirmed=_hours_case(Allocation.State.CONFIRMED, F("hours") - F("delivered_hours")),
            delivered=Sum("delivered_hours"),
        )
        .order_by()
    )
    usage = {
        row["service__service_type_id"]: Usage(
            row["reserved"] or ZERO, row["confirmed"] or ZERO, row["delivered"] or ZERO
        )
        for row in rows
    }
    if not usage:
        return ProgrammeSupport(kinds=[], total=Usage(), applications=0)
    types = ServiceType.objects.filter(pk__in=usage).order_by("order", "pk")
    total = Usage()
    for kind in usage.values():
        total.add(kind)
    return ProgrammeSupport(
        kinds=[(service_type, usage[service_type.pk]) for service_type in types],
        total=total,
        applications=allocations.order_by().values("application_id").distinct().count(),
    )
