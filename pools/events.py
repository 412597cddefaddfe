"""What the events about support-hour allocations say (see ``core.events``).

Registered from ``PoolsConfig.ready()``. Every transition of an allocation is an
``allocation.changed`` event, its ``change`` the state it reached.
"""

from applications.events import application_fund_id
from core.events import register_subject


def describe_allocation(allocation) -> tuple[int, dict]:
    return application_fund_id(allocation.application_id), {
        "allocation_id": allocation.pk,
        "application_id": allocation.application_id,
        "pool_id": allocation.service.pool_id,
        "service_id": allocation.service_id,
        "provider_id": allocation.provider_id,
        "state": allocation.state,
        "hours": allocation.hours,
        "delivered_hours": allocation.delivered_hours,
    }


def transition_change(allocation) -> dict:
    return {"change": allocation.state}


register_subject(
    "pools.allocation",
    describe=describe_allocation,
    transition_events="allocation.changed",
    transition_fields=transition_change,
)
