"""The kinds of support a budget line may ask for in hours ("secretarial", "bookkeeping", ...).

Funds' budget questions and the applications' forms, diffs and contracts need the list, but the
kinds themselves are kept by the app that delivers them (pools' ``ServiceType``), which sits
higher. That app registers a provider in its ``AppConfig.ready()``; the lower apps ask the
functions below and never import it. With no provider registered there are no kinds, and a
code is shown as it is.

A provider is any object with:

- ``choices() -> list[tuple[str, str]]``: (code, label) of the kinds one may ask for now, in order;
- ``is_offered(code: str) -> bool``: whether that code may be asked for now;
- ``label(code: str) -> str | None``: the label in the active language, also for a kind that is
  switched off, or ``None`` for an unknown code.
"""

from typing import Protocol


class ServiceKinds(Protocol):
    def choices(self) -> list[tuple[str, str]]: ...

    def is_offered(self, code: str) -> bool: ...

    def label(self, code: str) -> str | None: ...


_providers: list[ServiceKinds] = []


def register(provider: ServiceKinds) -> None:
    """Called from an ``AppConfig.ready()``; registering the same provider twice is harmless."""
    if provider not in _providers:
        _providers.append(provider)


def choices() -> list[tuple[str, str]]:
    """(code, label) of every kind of support one may ask for now, for a select."""
    return [choice for provider in _providers for choice in provider.choices()]


def is_offered(code: str) -> bool:
    """Whether a budget line may ask hours of this kind now (known and switched on)."""
    return any(provider.is_offered(code) for provider in _providers)


def label(code: str) -> str:
    """The kind's label in the active language; the code itself when no provider knows it."""
    for provider in _providers:
        found = provider.label(code)
        if found is not None:
            return found
    return code
