"""Pools' parts of the applications' pages, registered as ``applications.panels`` providers.

The network's pages show the support in kind it gets in hours, never euros; the provider's
dashboard lists what they deliver; the budget step shows the fund's officers the pools that can
cover an in-kind need. The fund's own figures are on the pool page.
"""

from decimal import Decimal

from applications import permissions as application_permissions
from applications.panels import Panel, register
from pools.selectors import application_support, network_support, provider_allocations

from .budget import BUDGET_STEP, budget_support
from .programme_panel import programme_dashboard_panel


def network_support_summary(network, user) -> dict:
    """The network's allocations, and per kind of support the hours promised and delivered.

    Promised counts what is still held for the network (reserved, confirmed, delivered) and what
    was delivered before an allocation was closed or released: the support it actually had.
    """
    allocations = list(network_support(network, user))
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


def dashboard_panel(request, user, **context) -> Panel | None:
    """ "Support you deliver", for a provider with a login."""
    provided = list(provider_allocations(request.user))
    if not provided:
        return None
    return Panel("pools/_provided_allocations.html", {"provided": provided})


def network_detail_panel(request, network, **context) -> Panel | None:
    support = network_support_summary(network, request.user)
    if not support["allocations"]:
        return None
    return Panel("pools/_network_support.html", {"support": support})


def application_detail_panel(request, application, **context) -> Panel | None:
    support = list(application_support(application, request.user))
    if not support:
        return None
    return Panel("pools/_application_support.html", {"support": support})


def step_detail_panel(request, step, *, support=None, **context) -> Panel | None:
    """The budget step's "Support in kind", for the fund's officers only.

    ``support``: the section already built by ``pools.views.budget`` (with a refused form).
    """
    application = step.application
    if step.key != BUDGET_STEP or not application_permissions.is_officer(application, request.user):
        return None
    if support is None:
        support = budget_support(application, user=request.user)
    return Panel("pools/_budget_support.html", {"application": application, "support": support})


def register_panels() -> None:
    register("dashboard", dashboard_panel)
    register("network_detail", network_detail_panel)
    register("application_detail", application_detail_panel)
    register("step_detail", step_detail_panel)
    register("programme_dashboard", programme_dashboard_panel)
