"""What the network's pages show of the support in kind it gets: hours, never euros.

Used by the application and network pages in ``applications.views``; the fund's own figures are on
the pool page.
"""

from decimal import Decimal

from pools.selectors import network_support


def network_support_summary(network) -> dict:
    """The network's allocations, and per kind of support the hours promised and delivered.

    Promised counts what is still held for the network (reserved, confirmed, delivered) and what
    was delivered before an allocation was closed or released: the support it actually had.
    """
    allocations = list(network_support(network))
    totals: dict[int, dict] = {}
    for allocation in allocations:
        service_type = allocation.service.service_type
        row = totals.setdefault(
            service_type.pk,
            {"service_type": service_type, "promised": Decimal(0), "delivered": Decimal(0)},
        )
        row["promised"] += allocation.hours if allocation.is_active else allocation.delivered_hours
        row["delivered"] += allocation.delivered_hours
    return {
        "allocations": allocations,
        "totals": [row for row in totals.values() if row["promised"]],
    }
