"""Locking and transitions for allocations."""

from django.utils.translation import gettext as _

from core import transitions
from core.events import record_transition
from core.exceptions import InvalidTransition
from pools.models import Allocation


def lock_allocation(allocation: Allocation) -> Allocation:
    # Only the allocation's row: the provider is an outer join, which PostgreSQL cannot lock.
    return (
        Allocation.objects.select_for_update(of=("self",))
        .select_related("service__pool", "service__service_type", "provider", "application")
        .get(pk=allocation.pk)
    )


def require_allocation_state(allocation: Allocation, *states) -> None:
    if allocation.state not in states:
        raise InvalidTransition(
            _("This is not possible now: the allocation is '%(state)s'. Reload to see the latest.")
            % {"state": allocation.get_state_display()}
        )


def run(allocation: Allocation, transition_name: str, *, actor, note: str = "") -> Allocation:
    """Run one transition on a locked allocation, save it and record its event."""
    transitions.run(allocation, transition_name, actor=actor, note=note)
    record_transition(allocation, transition_name)
    return allocation


__all__ = ["lock_allocation", "require_allocation_state", "run"]
