"""Loading what the pool screens show, and refusing who may not see it."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from pools import permissions
from pools.models import Allocation, SupportPool
from pools.queries import allocation_with_context


def refuse(refusal: str | None) -> None:
    """A refusal becomes the 403 page with its reason."""
    if refusal is not None:
        raise PermissionDenied(refusal)


def get_pool(request, slug) -> SupportPool:
    pool = get_object_or_404(SupportPool, slug=slug)
    refuse(permissions.pool_viewer_refusal(pool, request.user))
    return pool


def get_allocation(request, pk) -> Allocation:
    allocation = get_object_or_404(allocation_with_context(pk))
    refuse(permissions.allocation_viewer_refusal(allocation, request.user))
    return allocation
