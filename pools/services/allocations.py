"""Reserving pool hours for an application, and what happens to them as the application moves."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from applications.models import Application, StepSubmission
from applications.services.base import lock_application, require
from core.events import record_event
from core.exceptions import InvalidTransition
from core.hours import clean_hours, format_hours
from pools import notifications, permissions
from pools.models import Allocation, PoolService, Provider

from .base import lock_allocation, require_allocation_state, run

#: An allocation follows the award: promised once the fund has said yes.
AWARDED_STATES = (Application.State.AWARDED, Application.State.CONTRACTED)


def allocation_window_refusal(application: Application) -> str | None:
    """Hours are reserved once the fund has seen the budget, and until the grant is done."""
    if application.state in AWARDED_STATES:
        return None
    if application.state not in Application.OPEN_STATES:
        return _("Support can only be allocated to an application that is open or awarded.")
    budget_submitted = StepSubmission.objects.filter(
        step__application=application, step__key="budget"
    ).exists()
    if not budget_submitted:
        return _("Support can be allocated once the network has submitted its budget and needs.")
    return None


def _check_provider(provider: Provider | None, service: PoolService) -> dict:
    if provider is None:
        return {}
    if (
        provider.pool_id != service.pool_id
        or provider.service_type_id != service.service_type_id
        or not provider.active
    ):
        return {"provider": [_("Choose a provider of this service in this pool.")]}
    return {}


@transaction.atomic
def allocation_reserve(
    *,
    application: Application,
    service: PoolService,
    hours,
    need: str,
    actor,
    provider: Provider | None = None,
    note: str = "",
) -> Allocation:
    """Reserve hours of one service for an application, never more than the pool has left.

    The service row is locked before its bookings are counted, so two officers reserving
    at the same moment are served one after the other and the second sees the first's hours.
    Always application first, then service, so that concurrent actions cannot deadlock.
    """
    application = lock_application(application)
    service = (
        PoolService.objects.select_for_update()
        .select_related("pool", "service_type")
        .get(pk=service.pk)
    )
    require(permissions.allocation_refusal(application, service.pool, actor))
    refusal = allocation_window_refusal(application)
    if refusal:
        raise InvalidTransition(refusal)
    errors: dict[str, list] = {}
    if not service.pool.is_open():
        errors["service"] = [_("This pool's period is over or has not started.")]
    if not (need or "").strip():
        errors["need"] = [_("Say which need this support covers.")]
    errors.update(_check_provider(provider, service))
    try:
        hours = clean_hours(hours)
    except ValidationError as error:
        errors["hours"] = error.messages
    if not errors:
        available = service.capacity_hours - service.allocations.held_hours()
        if hours > available:
            errors["hours"] = [
                _("Only %(available)s hours of %(service)s are still available in this pool.")
                % {"available": format_hours(max(available, 0)), "service": service.service_type}
            ]
    if errors:
        raise ValidationError(errors)
    allocation = Allocation.objects.create(
        service=service,
        application=application,
        provider=provider,
        need=need.strip()[:200],
        hours=hours,
        note=(note or "").strip(),
        created_by=actor,
    )
    record_event("allocation.changed", subject=allocation, change="reserved")
    if application.state in AWARDED_STATES:
        run(allocation, "confirm", actor=actor, note=_("The application is already awarded"))
        notifications.allocation_confirmed(allocation, actor=actor)
    else:
        notifications.allocation_reserved(allocation, actor=actor)
    return allocation


def _active_allocations(application: Application, *states):
    return Allocation.objects.select_for_update().filter(application=application, state__in=states)


def allocations_confirm_for(*, application: Application, actor) -> None:
    """On award: the reserved support is now promised. Runs inside the award's transaction."""
    for allocation in _active_allocations(application, Allocation.State.RESERVED):
        run(allocation, "confirm", actor=actor, note=_("The application was awarded"))
        notifications.allocation_confirmed(allocation, actor=actor)


def allocations_release_for(*, application: Application, actor, note: str) -> None:
    """On decline or withdrawal: the hours go back to the pool, in the same transaction."""
    states = (Allocation.State.RESERVED, Allocation.State.CONFIRMED)
    for allocation in _active_allocations(application, *states):
        run(allocation, "release", actor=actor, note=note)


@transaction.atomic
def allocation_release(*, allocation: Allocation, actor, note: str = "") -> Allocation:
    """Cancel an allocation; hours not yet delivered go back to the pool."""
    allocation = lock_allocation(allocation)
    require(permissions.allocation_officer_refusal(allocation, actor))
    require_allocation_state(allocation, Allocation.State.RESERVED, Allocation.State.CONFIRMED)
    return run(allocation, "release", actor=actor, note=note or _("Cancelled by the fund"))


@transaction.atomic
def allocation_close(*, allocation: Allocation, actor, note: str = "") -> Allocation:
    """The support is done; hours not delivered by now go back to the pool."""
    allocation = lock_allocation(allocation)
    require(permissions.allocation_officer_refusal(allocation, actor))
    require_allocation_state(allocation, Allocation.State.CONFIRMED, Allocation.State.DELIVERED)
    return run(allocation, "close", actor=actor, note=note)


@transaction.atomic
def allocation_assign_provider(
    *, allocation: Allocation, actor, provider: Provider | None
) -> Allocation:
    allocation = lock_allocation(allocation)
    require(permissions.allocation_officer_refusal(allocation, actor))
    require_allocation_state(allocation, Allocation.State.RESERVED, Allocation.State.CONFIRMED)
    errors = _check_provider(provider, allocation.service)
    if errors:
        raise ValidationError(errors)
    allocation.provider = provider
    allocation.save(update_fields=["provider", "updated_at"])
    record_event("allocation.changed", subject=allocation, change="provider_changed")
    return allocation
