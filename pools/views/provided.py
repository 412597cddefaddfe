"""A support provider's own start: the allocations they deliver.

``applications.landing`` sends a provider with a login who is in no network here after signing
in (``pools.hooks`` registers :func:`provider_landing`); the dashboard shows the same list as a
panel for a provider who is also in a network.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse

from pools.models import Provider
from pools.selectors import provider_allocations


def provider_landing(user) -> str | None:
    """Where a provider's work starts: their allocations. ``None`` for anyone else."""
    if Provider.objects.filter(user=user).exists():
        return reverse("provided_allocations")
    return None


@login_required
def provided_allocations(request):
    return render(
        request,
        "pools/provided_allocations.html",
        {"provided": list(provider_allocations(request.user))},
    )
