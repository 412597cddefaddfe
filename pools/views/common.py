"""Loading what the pool screens show: anything outside a person's scope is a 404."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from pools.models import Allocation, SupportPool
from pools.selectors import allocation_detail, pool_list


def refuse(refusal: str | None) -> None:
    """A refusal becomes the 403 page with its reason."""
    if refusal is not None:
        raise PermissionDenied(refusal)


def get_pool(request, slug) -> SupportPool:
    return get_object_or_404(pool_list(request.user), slug=slug)


def get_allocation(request, pk) -> Allocation:
    return get_object_or_404(allocation_detail(request.user, pk))
