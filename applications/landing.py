"""Where a person's work starts after signing in: the one home of that decision.

``LOGIN_REDIRECT_URL`` is the network dashboard (*My applications*), and for volunteers it stays
so. Someone who is in no network but works elsewhere in Eigenwijs would find an empty
"You are not part of a network yet" there, so the dashboard sends them on to their own start:

- fund staff (officers and managers) to the work queue;
- whatever an app above registers (``register_landing``): pools sends a support provider with
  a login to the allocations they deliver.

Someone who is in a network, or helps write an open application, keeps the dashboard (those
applications are their work too); the dashboard links to the work queue for fund staff. An
explicit ``?next=`` never reaches the dashboard, so it always wins.

A higher app registers in its ``AppConfig.ready()``::

    from applications import landing
    landing.register_landing(provider_landing)   # provider_landing(user) -> str | None
"""

from collections.abc import Callable

from django.urls import reverse

from applications.models import Application, NetworkMember
from applications.selectors import helped_application_ids

#: ``finder(user)`` returns the URL where this person's work starts, or ``None``.
LandingFinder = Callable[..., str | None]

_finders: list[LandingFinder] = []


def register_landing(finder: LandingFinder) -> None:
    """Called from an ``AppConfig.ready()``; registering the same finder twice is harmless."""
    if finder not in _finders:
        _finders.append(finder)


def fund_staff_landing(user) -> str | None:
    """Officers and managers start at the work queue."""
    if user.fund_memberships.exists():
        return reverse("queue")
    return None


def landing_url(user) -> str | None:
    """Where ``user`` should land instead of the network dashboard, or ``None`` to stay there.

    A network member stays; otherwise fund staff go to the queue first, then the registered
    finders are asked in the order they registered."""
    if user is None or not user.is_authenticated:
        return None
    if NetworkMember.objects.filter(user=user).exists():
        return None
    # Someone who helps write an open application starts there too: it is on their dashboard.
    helped = helped_application_ids(user)
    if Application.objects.filter(pk__in=helped, state__in=Application.OPEN_STATES).exists():
        return None
    for finder in (fund_staff_landing, *_finders):
        url = finder(user)
        if url:
            return url
    return None
