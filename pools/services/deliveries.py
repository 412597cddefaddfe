"""Logging delivered hours, portion by portion."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.services.base import require
from core.events import record_event
from core.hours import clean_hours, format_hours
from pools import notifications, permissions
from pools.models import Allocation, Delivery

from .base import lock_allocation, require_allocation_state, run


@transaction.atomic
def delivery_log(
    *, allocation: Allocation, actor, delivered_on: datetime.date | None, hours, note: str
) -> Delivery:
    """Log hours delivered; never more than the allocation has left.

    The allocation row is locked, so two people logging at once cannot both use the last hours.
    The last hour moves the allocation to 'delivered'.
    """
    allocation = lock_allocation(allocation)
    require(permissions.delivery_refusal(allocation, actor))
    require_allocation_state(allocation, Allocation.State.CONFIRMED)
    pool = allocation.service.pool
    errors: dict[str, list] = {}
    try:
        hours = clean_hours(hours)
    except ValidationError as error:
        errors["hours"] = error.messages
    else:
        if hours > allocation.remaining_hours:
            errors["hours"] = [
                _("Only %(left)s hours of this allocation are left to log.")
                % {"left": format_hours(allocation.remaining_hours)}
            ]
    if delivered_on is None:
        errors["delivered_on"] = [_("Give the date the support was delivered.")]
    elif delivered_on > timezone.localdate():
        errors["delivered_on"] = [_("Log hours once they have been delivered, not in advance.")]
    elif not pool.starts_on <= delivered_on <= pool.ends_on:
        errors["delivered_on"] = [
            _("The pool runs from %(start)s to %(end)s; give a date in that period.")
            % {
                "start": pool.starts_on.strftime("%d-%m-%Y"),
                "end": pool.ends_on.strftime("%d-%m-%Y"),
            }
        ]
    if not (note or "").strip():
        errors["note"] = [_("Say briefly what was done.")]
    if errors:
        raise ValidationError(errors)
    delivery = Delivery.objects.create(
        allocation=allocation,
        delivered_on=delivered_on,
        hours=hours,
        note=note.strip()[:500],
        hourly_rate=allocation.provider.hourly_rate if allocation.provider else None,
        logged_by=actor,
    )
    allocation.delivered_hours += hours
    allocation.save(update_fields=["delivered_hours", "updated_at"])
    record_event("allocation.changed", subject=allocation, change="hours_logged", logged=hours)
    if allocation.delivered_hours == allocation.hours:
        run(allocation, "complete", actor=actor, note=_("All hours delivered"))
    notifications.hours_delivered(delivery, actor=actor)
    return delivery
