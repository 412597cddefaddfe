"""Support in kind promised to an application, from whichever app promises it.

Agreements (the contract lists it) and pools (which promises hours from a support pool) are
siblings above applications and never import each other; they meet here. The promising app
registers a provider in its ``AppConfig.ready()``::

    from applications import support_in_kind
    support_in_kind.register_support_in_kind(provider)

``provider(application)`` returns the support promised to that application, in the order the
contract lists it, as a list of :class:`SupportLine` dicts:

- ``service``: what kind of support, in the active language (the contract's);
- ``hours``: how many hours, a ``Decimal``;
- ``pool``: where it comes from (the pool's name);
- ``provider``: who gives it, or ``""`` while nobody is assigned.

Only support that is promised belongs in a contract (for pools: reserved or confirmed hours).
The text must be deterministic: the same data gives the same lines, in the same order.
"""

from collections.abc import Callable
from decimal import Decimal
from typing import TypedDict


class SupportLine(TypedDict):
    service: str
    hours: Decimal
    pool: str
    provider: str


SupportProvider = Callable[..., list[SupportLine]]

_support_providers: list[SupportProvider] = []


def register_support_in_kind(provider: SupportProvider) -> None:
    """Called from an ``AppConfig.ready()``; registering the same provider twice is harmless."""
    if provider not in _support_providers:
        _support_providers.append(provider)


def support_in_kind(application) -> list[SupportLine]:
    """Everything promised to the application besides money, from every registered provider."""
    return [line for provider in _support_providers for line in provider(application)]
