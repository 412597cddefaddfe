"""Reads for the pool screens that ``pools.selectors`` does not have yet.

Kept apart from the selectors so that the API's reads and these can change independently.
"""

from django.db.models import QuerySet

from .models import Allocation, Provider, SupportPool

#: What a list of allocations shows: the application, its network and fund, the service, who.
ALLOCATION_RELATED = (
    "application__network",
    "application__programme__fund",
    "service__pool",
    "service__service_type",
    "provider",
)


def pool_allocations(pool: SupportPool) -> QuerySet[Allocation]:
    """Every allocation of the pool, newest first, in one query."""
    return Allocation.objects.filter(service__pool=pool).select_related(*ALLOCATION_RELATED)


def allocation_with_context(pk: int) -> QuerySet[Allocation]:
    """One allocation (filter by ``pk``) with what its page shows, in one query."""
    return Allocation.objects.filter(pk=pk).select_related(*ALLOCATION_RELATED)


def provider_allocations(user) -> QuerySet[Allocation]:
    """The allocations a provider with a login delivers, newest first."""
    if user is None or not user.is_authenticated:
        return Allocation.objects.none()
    return (
        Allocation.objects.filter(provider__user=user)
        .select_related(*ALLOCATION_RELATED)
        .order_by("-created_at", "-pk")
    )


def service_providers(service) -> QuerySet[Provider]:
    """The active providers who can deliver ``service`` (a PoolService)."""
    return Provider.objects.filter(
        pool_id=service.pool_id, service_type_id=service.service_type_id, active=True
    ).order_by("name", "pk")
