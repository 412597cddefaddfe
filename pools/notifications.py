"""What the network (and the provider) hear of support hours: reserved, confirmed, delivered.

Written with ``notifications.services.notify`` inside the pool service's transaction, after the
change, so hours that were not reserved after all (a refused or rolled-back call) leave no
message. Each message says what kind of support, how many hours and from which pool, and links
to the allocation's page, which the network's members and the provider with a login may see.
"""

from django.urls import reverse

from applications.audiences import network_side
from notifications.services import Recipient, address, notify, people
from pools.models import Allocation, Delivery


def allocation_path(allocation: Allocation, anchor: str = "") -> str:
    path = reverse("allocation_detail", args=[allocation.pk])
    return f"{path}#{anchor}" if anchor else path


def _provider_side(allocation: Allocation, *, exclude=None) -> list[Recipient]:
    """Who delivers: their account when they have one, else the address the pool keeps."""
    provider = allocation.provider
    if provider is None:
        return []
    if provider.user_id:
        return people([provider.user], exclude=exclude)
    if not provider.email:
        return []
    recipient = address(provider.email)
    if recipient.user is not None and recipient.user.pk == getattr(exclude, "pk", exclude):
        return []
    return [recipient]


def _context(allocation: Allocation, **extra) -> dict:
    application = allocation.application
    pool = allocation.service.pool
    return {
        "allocation": allocation,
        "application": application,
        "title": application.title,
        "network": application.network.name,
        "pool": pool.name,
        "contact": " ".join(filter(None, [pool.contact_name, pool.contact_email])),
        # Which plural form "hours" takes: 1 hour, 1,5 hours.
        "plural": 1 if allocation.hours == 1 else 2,
        **extra,
    }


def _write(allocation: Allocation, recipients, *, kind: str, template: str, anchor="", **extra):
    notify(
        recipients,
        kind=kind,
        template=f"pools/email/{template}",
        context=_context(allocation, **extra),
        path=allocation_path(allocation, anchor),
    )


def allocation_reserved(allocation: Allocation, *, actor) -> None:
    """The coordinators and the provider: hours set aside, promised once the fund awards."""
    _write(
        allocation,
        network_side(allocation.application, exclude=actor, coordinators_only=True)
        + _provider_side(allocation, exclude=actor),
        kind="allocation.reserved",
        template="allocation_reserved",
    )


def allocation_confirmed(allocation: Allocation, *, actor) -> None:
    """The coordinators and the provider: the support is promised (the application is awarded)."""
    _write(
        allocation,
        network_side(allocation.application, exclude=actor, coordinators_only=True)
        + _provider_side(allocation, exclude=actor),
        kind="allocation.confirmed",
        template="allocation_confirmed",
    )


def hours_delivered(delivery: Delivery, *, actor) -> None:
    """The coordinators: hours logged as delivered, so the network can say if they were not."""
    allocation = delivery.allocation
    _write(
        allocation,
        network_side(allocation.application, exclude=actor, coordinators_only=True),
        kind="allocation.delivered",
        template="hours_delivered",
        anchor="deliveries-heading",
        delivery=delivery,
        delivery_plural=1 if delivery.hours == 1 else 2,
        complete=allocation.state == Allocation.State.DELIVERED,
    )
